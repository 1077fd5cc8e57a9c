"""Today's doses and the session log: the body is `kneecoach session --file`'s document."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from kneecoach.services.sessions import SessionDocument
from kneecoach.web.api.v1.schemas.checkins import SafetyNoticePublic
from kneecoach.web.api.v1.schemas.common import LoadPublic
from kneecoach.web.api.v1.schemas.paging import DatePageQuery

SessionCreate = SessionDocument
"""One day's session: the exercises done, warning signs, and the next morning's answer."""

SESSION_EXAMPLE = {
    "date": "2026-03-14",
    "exercises": [{"id": "bridge", "sets": 2, "pain_during": 3, "effort": 6}],
    "warning_signs": [],
}


class TodayNoticePublic(SafetyNoticePublic):
    """A stop or a caution, with the message the Today page shows."""

    message: str


class TodayExercisePublic(BaseModel):
    """One exercise of the day at its dose after progression, and why."""

    slot: str
    id: str
    name: str
    kind: str
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    load: LoadPublic | None = None
    tempo: str | None = None
    extra_sets_painful_side: int = 0
    side: str
    dose: str
    action: str
    rule: str
    changed: bool
    reason: str


class TodayPublic(BaseModel):
    date: dt.date
    day: int
    rest_day: bool
    stopped: bool
    care_first: bool = Field(
        description="The newest answers say to get care first: the plan's exercises wait "
        "(see the intake's triage for whom to contact)"
    )
    stop: TodayNoticePublic | None
    caution: TodayNoticePublic | None
    exercises: list[TodayExercisePublic]


class LoggedDosePublic(BaseModel):
    variant: str
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    load: LoadPublic | None = None
    tempo: str | None = None
    dose: str | None = None


class LoggedEntryPublic(BaseModel):
    slot: str
    date: dt.date
    prescribed: LoggedDosePublic
    done: LoggedDosePublic
    pain_during: int
    effort: int | None = None
    """How hard it was, 0–10 (Borg CR10), if told."""
    warning_signs: list[str]
    note: str | None


class SessionLogQuery(DatePageQuery):
    """A page of the session log: `limit` days with sessions, before `before`."""


class LoggedPublic(BaseModel):
    logged: list[LoggedEntryPublic]


class SessionLogEntryPublic(BaseModel):
    slot: str
    date: dt.date
    prescribed: str
    prescribed_variant: str
    prescribed_load: LoadPublic | None = None
    done: str
    done_variant: str
    pain_during: int
    effort: int | None = None
    """How hard it was, 0–10 (Borg CR10), if told."""
    next_morning_worse: bool | None
    warning_signs: list[str]
    note: str | None
    reason: str | None = None
    """Why this session was asked at its dose: one line (wger style: target beside done)."""


class SessionLogPublic(BaseModel):
    sessions: list[SessionLogEntryPublic]
    next_before: dt.date | None = Field(
        default=None,
        description="Send as `before` for the page of older days; null on the oldest page",
    )
