"""The `Idempotency-Key` header of the write routes a phone replays (check-ins, sessions).

A route takes `key: IdempotencyKeyDep`; with a key, it asks `replayed` first (the stored
answer of a request sent before, written again byte for byte with `Idempotent-Replayed: true`)
and answers through `keyed_answer`, which stores what it sends. The rules are the core's
(`core/idempotency.py`), the storage the services' (`services/idempotency.py`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from kneecoach.core.idempotency import KEEP_DAYS, checked_key
from kneecoach.services import idempotency as idempotency_service
from kneecoach.services.database import Session

REPLAYED_HEADER = "Idempotent-Replayed"

KEY_DESCRIPTION = (
    "A new random value (a UUID) for each write. Sent again with the same body, the answer is "
    "the first one (same status and body, with `Idempotent-Replayed: true`) and nothing is "
    "written twice; with another body it is 422. A refused write (4xx) keeps no key. Keys are "
    f"kept {KEEP_DAYS} days."
)


async def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", description=KEY_DESCRIPTION)] = None,
) -> str | None:
    """Checked on the event loop (`async def`): it waits on nothing, and a plain `def`
    dependency would cost every write a trip through the threadpool."""
    return None if key is None else checked_key(key)


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]


def replayed(key: str, route: str, document: object, *, session: Session) -> Response | None:
    """The first answer to this key, when it was used before for this same request."""
    stored = idempotency_service.claim(key, route, document, session=session)
    if stored is None:
        return None
    return Response(
        content=stored.body,
        status_code=stored.status,
        media_type="application/json",
        headers={REPLAYED_HEADER: "true"},
    )


def json_answer(status: int, answer: BaseModel) -> JSONResponse:
    """The answer as the route's JSON, already serialised: FastAPI sends a returned response
    as it is, so a write's answer is not validated against its model a second time (in one
    more trip through the threadpool). The model stays the route's `response_model`."""
    return JSONResponse(answer.model_dump(mode="json", by_alias=True), status_code=status)


def keyed_answer(key: str, status: int, answer: BaseModel, *, session: Session) -> Response:
    """The answer as JSON, stored under `key` in the write's own unit of work."""
    response = json_answer(status, answer)
    idempotency_service.remember(
        key,
        idempotency_service.StoredAnswer(status, bytes(response.body).decode("utf-8")),
        session=session,
    )
    return response
