"""The unit of work of a web request: one session, opened by a dependency.

Pages and API routes take `session: SessionDep` and pass it to the services. The session
commits when the handler returns and rolls back when it raises (scope "function": before the
response is sent, so a redirect after a save is only sent once the save is committed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from kneecoach.services.database import Session, transaction

STATE_KEY = "kneecoach_session"


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, shared by every service call the handler makes."""
    with transaction() as session:
        setattr(request.state, STATE_KEY, session)
        try:
            yield session
        finally:
            delattr(request.state, STATE_KEY)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_session(request: Request) -> Session | None:
    """The request's open session, if a handler is running with one (templating uses it)."""
    session = getattr(request.state, STATE_KEY, None)
    return session if isinstance(session, Session) else None
