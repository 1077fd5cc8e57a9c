"""Keyed writes: a request sent again with its `Idempotency-Key` gets the first answer back.

The interface calls `claim` before the write and `remember` after it, in the same unit of work,
so the key, the write and the answer are stored together or not at all (a refused write, 4xx,
stores no key: the client can fix it and send it again). `claim` takes the write lock first
(storage/locking.py): on SQLite, requests with one key queue, and the second finds the first's
answer; on PostgreSQL, the second's insert of the same key waits for the first to commit, then
fails on the unique key, and it reads the answer stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kneecoach.core.errors import ConflictError, InputError
from kneecoach.core.idempotency import KEEP_DAYS, KEY_FIELD, request_hash, reused_key_problem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class StoredAnswer:
    """The answer the first request with a key got."""

    status: int
    body: str


def claim(key: str, route: str, document: object, *, session: Session) -> StoredAnswer | None:
    """The stored answer when `key` was used before for this same request (write nothing,
    send it again); None when the key is new and now taken by this unit of work. The same key
    with another request is an InputError."""
    from sqlalchemy import delete, select
    from sqlalchemy.exc import IntegrityError

    from kneecoach.storage.locking import lock_for_write
    from kneecoach.storage.models.idempotency import IdempotencyKey

    fingerprint = request_hash(route, document)
    lock_for_write(session)
    found = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == key)).first()
    if found is None:
        cutoff = datetime.now(UTC) - timedelta(days=KEEP_DAYS)
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
        try:
            with session.begin_nested():
                session.add(IdempotencyKey(key=key, route=route, request_hash=fingerprint))
            return None
        except IntegrityError:  # the same key, committed meanwhile (PostgreSQL)
            found = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == key)).one()
    if found.route != route or found.request_hash != fingerprint:
        raise InputError(KEY_FIELD, reused_key_problem(found.route, route))
    if found.response_status is None or found.response_body is None:
        raise ConflictError(
            "a request with this key is still being saved; try again in a moment",
            field=KEY_FIELD,
        )
    return StoredAnswer(found.response_status, found.response_body)


def remember(key: str, answer: StoredAnswer, *, session: Session) -> None:
    """Store the answer of the write that claimed `key` (in the same unit of work)."""
    from sqlalchemy import update

    from kneecoach.storage.models.idempotency import IdempotencyKey

    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.key == key)
        .values(response_status=answer.status, response_body=answer.body)
    )
