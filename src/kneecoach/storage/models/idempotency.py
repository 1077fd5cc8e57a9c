"""Idempotency keys: a write sent again with the same key gets the first answer back.

A phone that logged a check-in or a session with no signal sends it when it is back online,
and may send it twice (the answer was lost on the way, two tabs replayed the same queue). Each
such request carries an `Idempotency-Key` header; the first request stores its key, its route,
a hash of what it asked, and the answer it got (status and JSON body), in the same unit of
work as the write itself. A request with a key already stored writes nothing and gets that
answer again. `key` is unique, so two requests with one key at the same moment store one row.
Rows older than a week are removed when a new one is written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class IdempotencyKey(Base):
    """One keyed write and the answer it got."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    route: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )
