"""The job queue's unit of work for a request, and whose jobs the request may see.

Jobs live in the configured database itself (`transaction()` with no store): in personal mode
that is the one database; on a practice's server it is the shared database every worker polls,
not a person's own store, and each job carries its `owner` (the account id). A page that reads
or queues jobs takes `queue: QueueSessionDep` beside its usual `session: SessionDep`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from kneecoach.services.database import Session, transaction

ACCOUNT_KEY = "kneecoach_account"
"""`request.state` attribute with the signed-in account's id (server mode); unset in personal
mode, where every job's owner is None."""


def owner_of(request: Request) -> str | None:
    """The account this request acts for (None in personal mode)."""
    account = getattr(request.state, ACCOUNT_KEY, None)
    return getattr(account, "id", None)


def queue_session() -> Iterator[Session]:
    """One unit of work on the queue's database, committed when the handler returns."""
    with transaction() as session:
        yield session


QueueSessionDep = Annotated[Session, Depends(queue_session, scope="function")]
