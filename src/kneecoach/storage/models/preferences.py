"""The person's preferences, one row per name (today only `country`).

A key/value table rather than a column per setting: a new preference needs no migration,
and export and erase see every preference without knowing their names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class Preference(Base):
    __tablename__ = "preferences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
