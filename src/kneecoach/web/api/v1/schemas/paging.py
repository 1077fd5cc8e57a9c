"""The query of a paged list (`services.paging`): how many days a page holds, and before
which day it ends."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from kneecoach.services.paging import DEFAULT_DAYS, MOST_DAYS


class DatePageQuery(BaseModel):
    """`limit` days with rows, the latest before `before`; each page's `next_before` asks
    for the one before it."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(
        default=DEFAULT_DAYS,
        ge=1,
        le=MOST_DAYS,
        description=f"How many days with rows a page holds (1 to {MOST_DAYS})",
    )
    before: dt.date | None = Field(
        default=None,
        description="Only days before this date (YYYY-MM-DD): the `next_before` of the "
        "newer page; the newest page when left out",
    )
