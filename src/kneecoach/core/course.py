"""The course's calendar and the goal's weeks: date arithmetic and checks, no I/O.

The course opens a week at a time: week N opens 7 × (N − 1) days after its start (week 1 is
always open). The start is the earlier of the first saved plan's day 1 and the day the person
first marked a session done; with neither, today (data/course.yaml `schedule` says why).

A goal's weeks count from the day it was set: week 1 is its first seven days. One review per
goal week: a second review in the same week replaces the first. A review is due once a week
has passed and this week has none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kneecoach.core.errors import InputError

DAYS_PER_WEEK = 7
LONGEST_ANSWER = 2000
"""The most characters a reflection answer or a review note keeps (a page of text)."""


# --- The course's calendar ----------------------------------------------------------------


def course_start(plan_start: date | None, first_done: date | None, today: date) -> date:
    """The day week 1 began: the first plan's start or the first session done, whichever is
    earlier; today when there is neither."""
    known = [day for day in (plan_start, first_done) if day is not None]
    return min(known) if known else today


def opens_on(week: int, start: date) -> date:
    """The day a week of the course opens."""
    return start + timedelta(days=DAYS_PER_WEEK * (week - 1))


def is_unlocked(week: int, start: date, on: date) -> bool:
    """Week 1 is always open; week N from 7 × (N − 1) days after the start."""
    return week <= 1 or (on - start).days >= DAYS_PER_WEEK * (week - 1)


def week_of(start: date, on: date) -> int:
    """Which week after `start` the day `on` falls in (1 for the first seven days and before)."""
    return max(1, (on - start).days // DAYS_PER_WEEK + 1)


@dataclass(frozen=True)
class SessionState:
    """One session of the course as it stands on a day."""

    id: str
    week: int
    opens_on: date
    unlocked: bool
    done_on: date | None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class CourseState:
    """The whole course on a day: where the person is, and what is due."""

    start: date
    on: date
    weeks: int
    sessions: tuple[SessionState, ...]

    @property
    def week(self) -> int:
        """The course week of `on` (past the last week: the number of weeks)."""
        return min(self.weeks, week_of(self.start, self.on))

    @property
    def all_open(self) -> bool:
        """Every week is open (the last week has begun)."""
        return week_of(self.start, self.on) >= self.weeks

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.sessions if s.done)

    @property
    def this_week(self) -> tuple[SessionState, ...]:
        return tuple(s for s in self.sessions if s.week == self.week)

    @property
    def due(self) -> tuple[SessionState, ...]:
        """Open sessions not done yet, earliest first: what to read next."""
        return tuple(s for s in self.sessions if s.unlocked and not s.done)

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.sessions)

    def find(self, session_id: str) -> SessionState | None:
        return next((s for s in self.sessions if s.id == session_id), None)


def course_state(
    sessions: Sequence[tuple[str, int]],
    done: Mapping[str, date],
    start: date,
    on: date,
    weeks: int,
) -> CourseState:
    """Each session (id, week) with its opening day, whether it is open on `on`, and when it
    was done (`done` holds the sessions marked done)."""
    return CourseState(
        start=start,
        on=on,
        weeks=weeks,
        sessions=tuple(
            SessionState(
                id=session_id,
                week=week,
                opens_on=opens_on(week, start),
                unlocked=is_unlocked(week, start, on),
                done_on=done.get(session_id),
            )
            for session_id, week in sessions
        ),
    )


# --- The goal -----------------------------------------------------------------------------


def goal_week(set_on: date, on: date) -> int:
    """The goal's week `on` falls in: week 1 is the seven days from the day it was set."""
    return week_of(set_on, on)


def review_due(set_on: date, on: date, reviewed_weeks: Sequence[int]) -> bool:
    """A week has passed since the goal was set, and this goal week has no review yet."""
    week = goal_week(set_on, on)
    return week >= 2 and week not in reviewed_weeks


def step_before(first_step: str, reviews: Sequence[tuple[int, str]], week: int) -> str:
    """The step in force when goal week `week` began: the next step of the latest review of an
    earlier week, else the goal's first step. `reviews` are (week, next step)."""
    earlier = [(w, step) for w, step in reviews if w < week]
    return max(earlier)[1] if earlier else first_step


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HALF = re.compile("[\ud800-\udfff]")


def short_text(raw: object, field: str, longest: int) -> str:
    """A short text a person typed (a goal's words, a step): spaces and line breaks folded
    into single spaces; empty, too long or holding control characters is an error."""
    if not isinstance(raw, str):
        raise InputError(field, "give it as text")
    text = " ".join(raw.split())
    if not text:
        raise InputError(field, "is empty: write a few words")
    _check(text, field, longest)
    return text


def free_text(raw: object, field: str, longest: int = LONGEST_ANSWER) -> str | None:
    """A longer text a person typed (an answer, a note), line breaks kept; None when empty."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InputError(field, "give it as text")
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n")).strip()
    if not text:
        return None
    _check(text, field, longest)
    return text


def _check(text: str, field: str, longest: int) -> None:
    if len(text) > longest:
        raise InputError(
            field, f"is {len(text):,} characters long; keep it to {longest:,} or fewer"
        )
    if _CONTROL.search(text):
        raise InputError(field, "holds a control character; use plain text")
    if _HALF.search(text):
        raise InputError(field, "holds half a character (a lone surrogate); use plain text")


_WEEKS = re.compile(r"^(\d{1,3})\s*(?:w|wk|wks|week|weeks)$")


def parse_by_when(raw: object, today: date, longest_weeks: int, field: str = "by_when") -> date:
    """The goal's date: YYYY-MM-DD or a number of weeks from today (`12 weeks`, `12w`); after
    today and at most `longest_weeks` weeks ahead."""
    if isinstance(raw, date):
        day = raw
    elif isinstance(raw, str) and raw.strip():
        text = raw.strip().lower()
        weeks = _WEEKS.match(text)
        if weeks is not None:
            day = today + timedelta(weeks=int(weeks.group(1)))
        else:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise InputError(
                    field, f"{raw!r} is not a date like 2026-09-30, or a number of weeks like 12w"
                ) from None
    else:
        raise InputError(field, "is required: a date like 2026-09-30, or weeks like 12w")
    if day <= today:
        raise InputError(field, f"{day.isoformat()} is not after today: pick a day ahead")
    last = today + timedelta(weeks=longest_weeks)
    if day > last:
        raise InputError(
            field,
            f"{day.isoformat()} is more than {longest_weeks} weeks away: pick a day by "
            f"{last.isoformat()}, and set a new goal after that",
        )
    return day


def parse_rating(raw: object, highest: int, field: str = "rating") -> int:
    """How the week's step went: a whole number from 1 to `highest`."""
    if isinstance(raw, bool):
        raise InputError(field, f"give a whole number from 1 to {highest}")
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw.isdigit():
            raise InputError(field, f"{raw!r} is not a whole number from 1 to {highest}")
        raw = int(raw)
    if not isinstance(raw, int):
        raise InputError(field, f"give a whole number from 1 to {highest}")
    if not 1 <= raw <= highest:
        raise InputError(field, f"{raw} is out of range; give a number from 1 to {highest}")
    return raw
