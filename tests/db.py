"""Calling services from tests: each call in a unit of work of its own, as an interface would.

Services take the caller's session (`*, session`) and never commit; `in_session(f, *args)`
opens one, calls `f(*args, session=...)`, and commits (or rolls back when `f` raises).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from kneecoach.services.database import transaction

T = TypeVar("T")


def in_session(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`service(*args, **kwargs, session=…)` in one unit of work, committed when it returns."""
    with transaction() as session:
        return service(*args, session=session, **kwargs)
