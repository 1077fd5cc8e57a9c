"""The self-management course (`course.yaml`): short sessions over six weeks, each with its
sources and one question to answer, and the words and limits of the person's goal.

A session's parts are short lessons of its own or a lesson of `lessons.yaml` shown by its id
(never copied), so a lesson is written once. Checked when the file is first read: unique ids,
every week of the schedule has a session, every lesson named exists.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecoach.data.files import read_yaml
from kneecoach.data.lessons import Lesson, find_lesson

FILE = "course.yaml"

_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(_Strict):
    weeks: int = Field(ge=1, le=12)
    basis: Literal["product-decision"]
    reason: str = Field(min_length=1)


class ScalePoint(_Strict):
    value: int = Field(ge=1)
    label: str = Field(min_length=1)


class GoalWords(_Strict):
    """What the goal pages say, and the limits kneecoach chose for a goal."""

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    text: tuple[str, ...] = Field(min_length=1)
    suggested_weeks: int = Field(ge=1)
    longest_weeks: int = Field(ge=1)
    longest_text: int = Field(ge=20, le=1000)
    scale: tuple[ScalePoint, ...] = Field(min_length=3)
    sources: tuple[str, ...] = Field(min_length=1)
    basis: Literal["product-decision"]
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _scale_counts_up(self) -> GoalWords:
        values = [point.value for point in self.scale]
        if values != list(range(1, len(values) + 1)):
            raise ValueError(f"goal.scale: values must be 1, 2, 3, … in order (got {values})")
        if self.suggested_weeks > self.longest_weeks:
            raise ValueError("goal.suggested_weeks is after goal.longest_weeks")
        return self

    def label_of(self, value: int) -> str:
        return next((point.label for point in self.scale if point.value == value), str(value))


class OwnPart(_Strict):
    """A short lesson written for this session: a heading and a few short paragraphs."""

    title: str = Field(min_length=1)
    text: tuple[str, ...] = Field(min_length=1, max_length=6)


class LessonPart(_Strict):
    """A lesson of `lessons.yaml`, shown as it is."""

    lesson: str = Field(pattern=_ID)


class Link(_Strict):
    """A page of kneecoach that goes with the session, and the command that does the same."""

    label: str = Field(min_length=1)
    page: str = Field(pattern=r"^/[a-z0-9/_-]*$")
    command: str = Field(pattern=r"^kneecoach [a-z]")


class CourseSession(_Strict):
    id: str = Field(pattern=_ID, max_length=64)
    week: int = Field(ge=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    parts: tuple[OwnPart | LessonPart, ...] = Field(min_length=1)
    question: str = Field(min_length=1)
    links: tuple[Link, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)
    basis: Literal["product-decision"] | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _decision_has_a_reason(self) -> CourseSession:
        if self.basis is not None and not self.reason:
            raise ValueError(f"session {self.id}: a product decision needs its reason")
        return self

    def lessons(self) -> tuple[Lesson, ...]:
        """The lessons of `lessons.yaml` this session shows, in order."""
        found = (find_lesson(part.lesson) for part in self.parts if isinstance(part, LessonPart))
        return tuple(lesson for lesson in found if lesson is not None)

    def all_sources(self) -> tuple[str, ...]:
        """The session's sources, then those of the lessons it shows (each once)."""
        seen: dict[str, None] = dict.fromkeys(self.sources)
        for lesson in self.lessons():
            seen.update(dict.fromkeys(lesson.sources))
        return tuple(seen)


class CourseFile(_Strict):
    version: str = Field(min_length=1)
    schedule: Schedule
    goal: GoalWords
    sessions: tuple[CourseSession, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CourseFile:
        ids = [s.id for s in self.sessions]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"session ids used twice: {twice}")
        weeks = [s.week for s in self.sessions]
        if weeks != sorted(weeks):
            raise ValueError("sessions must be in week order")
        if set(weeks) != set(range(1, self.schedule.weeks + 1)):
            raise ValueError(
                f"every week from 1 to {self.schedule.weeks} needs a session "
                f"(weeks with one: {sorted(set(weeks))})"
            )
        for session in self.sessions:
            for part in session.parts:
                if isinstance(part, LessonPart) and find_lesson(part.lesson) is None:
                    raise ValueError(f"session {session.id}: no lesson {part.lesson!r}")
        return self


@cache
def load_course() -> CourseFile:
    """The course, validated when first read."""
    try:
        return CourseFile.model_validate(read_yaml(FILE))
    except ValueError as error:
        raise ValueError(f"{FILE}: {error}") from error


def find_session(session_id: str) -> CourseSession | None:
    return next((s for s in load_course().sessions if s.id == session_id), None)
