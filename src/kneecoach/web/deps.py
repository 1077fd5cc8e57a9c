"""The unit of work of a web request: one session, opened by a dependency.

Pages and API routes take `session: SessionDep` and pass it to the services. The session
commits when the handler returns and rolls back when it raises (scope "function": before the
response is sent, so a redirect after a save is only sent once the save is committed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from kneecoach.services.database import Session, transaction

STATE_KEY = "kneecoach_session"


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, shared by every service call the handler makes.

    Opening it costs nothing (it connects on first use), so it opens on the event loop; the
    commit (or rollback) can wait on the disk or a lock, so it runs in the threadpool."""
    unit = transaction()
    session = unit.__enter__()
    setattr(request.state, STATE_KEY, session)
    try:
        yield session
    except BaseException as error:
        await run_in_threadpool(unit.__exit__, type(error), error, error.__traceback__)
        raise
    else:
        if session.in_transaction():
            await run_in_threadpool(unit.__exit__, None, None, None)
        else:  # the handler committed its own work: nothing is left that could wait
            unit.__exit__(None, None, None)
    finally:
        delattr(request.state, STATE_KEY)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_session(request: Request) -> Session | None:
    """The request's open session, if a handler is running with one (templating uses it)."""
    session = getattr(request.state, STATE_KEY, None)
    return session if isinstance(session, Session) else None
