"""Pages of a dated list, newest days first: a list that grows every day (the session log,
the questionnaire results) is read a page at a time, so an answer after 20 years costs what
it costs after a week.

A page holds whole days: the `limit` latest dates that have rows before `before` (all of
now when None), and every row on them. `next_before` is the page's earliest date when older
rows exist: passed as `before`, it gives the page before, so paging through reads every row
exactly once, even when several rows share a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

DEFAULT_DAYS = 30
"""Days a page holds when the caller does not say (basis: product-decision)."""
MOST_DAYS = 366
"""The largest page a caller may ask for (basis: product-decision)."""


@dataclass(frozen=True)
class DatePage:
    """The days of one page: from `first` up to the day before `before` (both ends kept
    only when set); `next_before` asks for the older page (None: this is the oldest)."""

    first: date | None
    before: date | None
    next_before: date | None

    @property
    def empty(self) -> bool:
        return self.first is None

    @property
    def last(self) -> date | None:
        """The page's last day (inclusive), or None for "up to now"."""
        return None if self.before is None else self.before - timedelta(days=1)


def date_page(
    column: InstrumentedAttribute[date],
    where: Sequence[ColumnElement[bool]],
    limit: int,
    before: date | None,
    *,
    session: Session,
) -> DatePage:
    """The page of `limit` days with rows (COLUMN's dates, rows chosen by WHERE) before
    `before`, worked out in the database from the dates alone."""
    dates = select(column).where(*where).distinct()
    if before is not None:
        dates = dates.where(column < before)
    newest = list(session.scalars(dates.order_by(column.desc()).limit(limit)))
    if not newest:
        return DatePage(None, before, None)
    first = newest[-1]
    older = session.scalar(select(column).where(*where, column < first).limit(1))
    return DatePage(first, before, first if older is not None else None)
