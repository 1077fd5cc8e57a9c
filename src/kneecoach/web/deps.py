"""The unit of work of a web request: one session, opened by a dependency.

Pages and API routes take `session: SessionDep` and pass it to the services. The session
commits when the handler returns and rolls back when it raises (scope "function": before the
response is sent, so a redirect after a save is only sent once the save is committed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from kneecoach.services.database import Session, Store, is_server_mode, transaction

STATE_KEY = "kneecoach_session"
STORE_KEY = "kneecoach_store"
"""`request.state` attribute naming the store of the person a request acts for. Personal mode
never sets it (the one store is the database). In server mode the sign-in guard sets it to the
signed-in person's store, or to a person's store a clinician may read (after the share check);
a request without one has no health data to open."""
ACCOUNT_KEY = "kneecoach_account"
"""`request.state` attribute holding the signed-in `AccountView` (server mode; web/auth.py)."""


def person_store_of(request: Request) -> Store | None:
    """The store this request may open: the person's own (or a shared one), or in personal mode
    None for the database itself. Server mode with no such store is refused here, so a route
    someone forgot to guard still opens nobody's data."""
    store = getattr(request.state, STORE_KEY, None)
    if store is None and is_server_mode():
        if getattr(request.state, ACCOUNT_KEY, None) is not None:  # an admin, or no share
            raise HTTPException(status_code=403, detail="This page shows a person's own data.")
        raise HTTPException(status_code=401, detail="Sign in to see this page.")
    return store


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, shared by every service call the handler makes.

    Opening it costs nothing (it connects on first use), so it opens on the event loop; the
    commit (or rollback) can wait on the disk or a lock, so it runs in the threadpool."""
    unit = transaction(person_store_of(request))
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
