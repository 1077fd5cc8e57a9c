"""The flare plan (`GET /flare-plan`): the same document as `kneecoach flare --format json`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kneecoach.web.api.v1.schemas.sessions import TodayNoticePublic

FlareAction = Literal["keep", "shorter", "pause"]


class FlareStartPublic(BaseModel):
    """Day 1 of the flare and where it came from."""

    date: dt.date
    source: Literal["given", "alert", "today"] = Field(
        description="`given`: the `since` asked for; `alert`: the latest flare alert of the "
        "last weeks; `today`: no flare alert, so day 1 is today"
    )
    alert: str | None = Field(description="The alert behind day 1 (`pain_flare`, …), if any")
    level: str | None = Field(description="That alert's level")


class FlarePhasePublic(BaseModel):
    id: Literal["ease", "build_back"]
    title: str
    text: str
    first_day: int
    first_date: dt.date
    last_day: int | None = Field(description="None: the phase lasts until the usual dose")
    last_date: dt.date | None


class FlareDosePublic(BaseModel):
    id: str = Field(description="The exercise variant")
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    dose: str = Field(description="The dose in words, such as `2 × 10`")


class FlareExercisePublic(BaseModel):
    """One exercise of the person's plan in the flare."""

    slot: str
    id: str
    name: str
    kind: str
    group: str = Field(description="The flare_plan.yaml group that sorted it")
    action: FlareAction
    label: str
    why: str
    usual: FlareDosePublic
    days_1_to_3: FlareDosePublic | None = Field(description="None: paused until day 4")
    build_back: list[FlareDosePublic] = Field(
        description="From day 4, one step a day after a good session, ending at the usual dose"
    )


class FlareGroupPublic(BaseModel):
    """A group of the general flare plan (given when there is no saved plan)."""

    id: str
    label: str
    action: FlareAction
    action_label: str
    why: str


class FlareAdvicePublic(BaseModel):
    id: str = Field(description="The flare_plan.yaml rule it comes from")
    label: str
    text: str


class FlarePlanPublic(BaseModel):
    """The flare plan today: personal from the saved plan, or the general one (`personal`
    false); on hold, with only the see-someone rules, while a check-in's red flag stops it."""

    title: str
    summary: str
    start: FlareStartPublic
    today: dt.date
    day: int = Field(description="Today's day of the flare (day 1 is its start)")
    phase: Literal["ease", "build_back"]
    phases: list[FlarePhasePublic]
    personal: bool
    on_hold: bool
    note: str | None
    exercises: list[FlareExercisePublic]
    groups: list[FlareGroupPublic]
    activities: list[FlareAdvicePublic]
    comfort: list[FlareAdvicePublic]
    pain_relief: list[FlareAdvicePublic]
    build_back: list[str]
    see_someone: list[FlareAdvicePublic]
    not_settling: bool
    check_by: dt.date = Field(description="If not settled by this day, see a physio or doctor")
    rules_version: str
    stop: TodayNoticePublic | None
    caution: TodayNoticePublic | None
