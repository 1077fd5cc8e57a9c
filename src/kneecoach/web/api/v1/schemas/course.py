"""The course and the goal: typed bodies (`…Create`) and answers (`…Public`).

The limits here are the services' own (core/course.py `LONGEST_ANSWER`, course.yaml `goal`),
so a client learns them from the OpenAPI document; the services check them again.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kneecoach.core.course import LONGEST_ANSWER


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CourseSessionStatePublic(BaseModel):
    """A session of the course as it stands today."""

    id: str
    week: int
    title: str
    summary: str
    opens_on: dt.date = Field(description="The day its week opens")
    unlocked: bool
    done: bool
    done_on: dt.date | None
    answer: str | None = Field(description="The answer the person typed (private)")


class CoursePublic(BaseModel):
    version: str = Field(description="The version of course.yaml")
    start: dt.date = Field(description="The day week 1 began")
    started_by: Literal["plan", "course", "today"] = Field(
        description="What set the start: the first plan's day 1, the first session done, or "
        "today (nothing yet)"
    )
    on: dt.date
    week: int
    weeks: int
    done: int
    total: int
    due: list[str] = Field(description="Open sessions not done yet, earliest first")
    sessions: list[CourseSessionStatePublic]


class CoursePartPublic(BaseModel):
    title: str
    lesson: str | None = Field(description="The Learn lesson shown here, if the part is one")
    text: list[str]


class CourseLinkPublic(BaseModel):
    label: str
    page: str
    command: str


class CourseSessionPublic(CourseSessionStatePublic):
    """A session with its words (no parts or links before its week opens)."""

    parts: list[CoursePartPublic]
    question: str
    links: list[CourseLinkPublic]
    sources: list[str]
    product_decision: bool


class CourseDoneCreate(_Body):
    answer: str | None = Field(
        default=None,
        max_length=LONGEST_ANSWER,
        description="The answer to the session's question (optional; replaces an earlier one)",
        examples=["I want to walk to the shops again."],
    )


class GoalCreate(_Body):
    what: str = Field(examples=["Walk to the park and back"], description="What, in a few words")
    how_much: str = Field(examples=["30 minutes without a stop"], description="How much")
    by_when: dt.date = Field(description="After today, at most 52 weeks ahead")
    first_step: str = Field(examples=["Walk 10 minutes on 3 days"], description="Week 1's step")


class GoalReviewCreate(_Body):
    rating: int = Field(
        ge=1, le=5, description="How much of the step was done: 1 none … 5 all", examples=[4]
    )
    note: str | None = Field(default=None, max_length=LONGEST_ANSWER)
    next_step: str | None = Field(
        default=None, description="Next week's step; the same step again when left out"
    )


class GoalReviewPublic(BaseModel):
    week: int = Field(description="The goal week reviewed (1: the seven days from setting it)")
    reviewed_on: dt.date
    step: str = Field(description="The step that week had")
    rating: int
    rating_label: str
    note: str | None
    next_step: str


class GoalPublic(BaseModel):
    number: int = Field(description="1, 2, 3, …: the newest is the goal in force")
    what: str
    how_much: str
    by_when: dt.date
    first_step: str
    set_on: dt.date
    reviews: list[GoalReviewPublic]


class GoalStatePublic(BaseModel):
    on: dt.date
    goal: GoalPublic | None
    week: int | None
    step: str | None = Field(description="This week's step")
    review_due: bool = Field(description="A week has passed and this goal week has no review")
    date_passed: bool
    earlier: list[GoalPublic] = Field(description="Earlier goals, newest first")


class GoalReviewRecorded(BaseModel):
    status: Literal["added", "updated"]
    review: GoalReviewPublic


class GoalReviewsPublic(BaseModel):
    reviews: list[GoalReviewPublic]
