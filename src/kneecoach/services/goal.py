"""The person's goal as use cases: set one (SMART: what, how much, by when, a first weekly
step), review it once a goal week, and read it back with its history.

Only one goal is in force: the newest. Setting another keeps the old one, with its reviews, in
the history (goals are numbered 1, 2, 3, … under a unique index, as plans are). A goal week
has at most one review: a second one that week updates it (`insert_if_absent`, then the row
read under its lock), so two at once never make two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kneecoach.core.course import (
    free_text,
    goal_week,
    parse_by_when,
    parse_rating,
    review_due,
    short_text,
    step_before,
)
from kneecoach.core.errors import SET_GOAL, ConflictError, NotFoundError
from kneecoach.data.course import GoalWords, load_course

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kneecoach.storage.models.course import Goal, GoalReview


def goal_words() -> GoalWords:
    return load_course().goal


@dataclass(frozen=True)
class StoredReview:
    week: int
    reviewed_on: date
    step: str
    rating: int
    note: str | None
    next_step: str

    @property
    def rating_label(self) -> str:
        return goal_words().label_of(self.rating)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "reviewed_on": self.reviewed_on.isoformat(),
            "step": self.step,
            "rating": self.rating,
            "rating_label": self.rating_label,
            "note": self.note,
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class StoredGoal:
    number: int
    what: str
    how_much: str
    by_when: date
    first_step: str
    set_on: date
    reviews: tuple[StoredReview, ...]  # oldest first

    def week_on(self, on: date) -> int:
        return goal_week(self.set_on, on)

    def step_on(self, on: date) -> str:
        """The step in force on `on`: the next step of the latest review up to that day's
        goal week, else the first step."""
        pairs = [(r.week, r.next_step) for r in self.reviews]
        return step_before(self.first_step, pairs, self.week_on(on) + 1)

    def review_due_on(self, on: date) -> bool:
        return review_due(self.set_on, on, [r.week for r in self.reviews])

    def review_in_week(self, week: int) -> StoredReview | None:
        return next((r for r in self.reviews if r.week == week), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "what": self.what,
            "how_much": self.how_much,
            "by_when": self.by_when.isoformat(),
            "first_step": self.first_step,
            "set_on": self.set_on.isoformat(),
            "reviews": [r.as_json() for r in self.reviews],
        }


@dataclass(frozen=True)
class GoalOverview:
    """The goal in force on a day (or None), where it stands, and the earlier goals."""

    on: date
    goal: StoredGoal | None
    earlier: tuple[StoredGoal, ...]  # newest first

    @property
    def week(self) -> int | None:
        return self.goal.week_on(self.on) if self.goal else None

    @property
    def step(self) -> str | None:
        return self.goal.step_on(self.on) if self.goal else None

    @property
    def review_due(self) -> bool:
        return self.goal.review_due_on(self.on) if self.goal else False

    @property
    def date_passed(self) -> bool:
        return self.goal is not None and self.on > self.goal.by_when

    @property
    def this_weeks_review(self) -> StoredReview | None:
        return self.goal.review_in_week(self.goal.week_on(self.on)) if self.goal else None

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "goal": self.goal.as_json() if self.goal else None,
            "week": self.week,
            "step": self.step,
            "review_due": self.review_due,
            "date_passed": self.date_passed,
            "earlier": [g.as_json() for g in self.earlier],
        }


def _stored(goal: Goal, reviews: list[GoalReview]) -> StoredGoal:
    return StoredGoal(
        number=goal.number,
        what=goal.what,
        how_much=goal.how_much,
        by_when=goal.by_when,
        first_step=goal.first_step,
        set_on=goal.set_on,
        reviews=tuple(
            StoredReview(r.week, r.reviewed_on, r.step, r.rating, r.note, r.next_step)
            for r in sorted(reviews, key=lambda r: r.week)
        ),
    )


def list_goals(*, session: Session) -> list[StoredGoal]:
    """Every goal with its reviews, newest first (the first is the one in force)."""
    from sqlalchemy import select

    from kneecoach.storage.models.course import Goal, GoalReview

    goals = list(session.scalars(select(Goal).order_by(Goal.number.desc())))
    reviews: dict[int, list[GoalReview]] = {}
    for review in session.scalars(select(GoalReview).order_by(GoalReview.week)):
        reviews.setdefault(review.goal_id, []).append(review)
    return [_stored(goal, reviews.get(goal.id, [])) for goal in goals]


def goal_overview(on: date, *, session: Session) -> GoalOverview:
    goals = list_goals(session=session)
    return GoalOverview(on, goals[0] if goals else None, tuple(goals[1:]))


SAVE_ATTEMPTS = 5


def set_goal(
    what: object,
    how_much: object,
    by_when: object,
    first_step: object,
    *,
    on: date,
    session: Session,
) -> StoredGoal:
    """Set a new goal from `on`; the goal in force before stays in the history. Each part is
    checked first (an error names it, and nothing is stored)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    from kneecoach.storage.locking import lock_for_write
    from kneecoach.storage.models.course import Goal

    words = goal_words()
    longest = words.longest_text
    values = {
        "what": short_text(what, "what", longest),
        "how_much": short_text(how_much, "how_much", longest),
        "by_when": parse_by_when(by_when, on, words.longest_weeks),
        "first_step": short_text(first_step, "first_step", longest),
        "set_on": on,
    }
    lock_for_write(session)
    for _attempt in range(SAVE_ATTEMPTS):
        newest = int(session.scalar(select(func.max(Goal.number))) or 0)
        record = Goal(number=newest + 1, **values)
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            continue  # another goal took this number at the same moment: read again
        return _stored(record, [])
    raise ConflictError("many goals are being set at once; try again", field="goal")


def review_goal(
    rating: object, next_step: object = None, note: object = None, *, on: date, session: Session
) -> tuple[str, StoredReview]:
    """Review this goal week of the goal in force: how the step went (1 to 5), an optional
    note, and the next step (the same step again when none is given). A second review in the
    same goal week updates the first ("updated"); else "added"."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from kneecoach.storage.locking import lock_for_write
    from kneecoach.storage.models.course import Goal, GoalReview
    from kneecoach.storage.upsert import insert_if_absent

    words = goal_words()
    score = parse_rating(rating, len(words.scale))
    text = free_text(note, "note")
    blank = next_step is None or (isinstance(next_step, str) and not next_step.strip())
    step = None if blank else short_text(next_step, "next_step", words.longest_text)
    lock_for_write(session)
    goal = session.scalars(select(Goal).order_by(Goal.number.desc()).limit(1).with_for_update())
    record = goal.first()
    if record is None:
        raise NotFoundError("there is no goal to review yet", field="goal", hint=SET_GOAL)
    if on < record.set_on:
        raise ConflictError(
            f"the goal was set on {record.set_on.isoformat()}, after {on.isoformat()}",
            field="date",
        )
    week = goal_week(record.set_on, on)
    earlier = session.scalars(
        select(GoalReview).where(GoalReview.goal_id == record.id).order_by(GoalReview.week)
    ).all()
    stepped = step_before(record.first_step, [(r.week, r.next_step) for r in earlier], week)
    now = datetime.now(UTC)
    values = {
        "goal_id": record.id,
        "week": week,
        "reviewed_on": on,
        "step": stepped,
        "rating": score,
        "note": text,
        "next_step": step or stepped,
        "recorded_at": now,
        "updated_at": now,
    }
    status = "added"
    if not insert_if_absent(session, GoalReview, values, ["goal_id", "week"]):
        status = "updated"
        row = session.scalars(
            select(GoalReview)
            .where(GoalReview.goal_id == record.id, GoalReview.week == week)
            .with_for_update()
        ).one()
        row.reviewed_on, row.rating, row.note = on, score, text
        row.next_step = step or row.next_step
        row.updated_at = now
        session.flush()
        values["step"], values["next_step"] = row.step, row.next_step
    return status, StoredReview(
        week, on, str(values["step"]), score, text, str(values["next_step"])
    )


def goals_export(*, session: Session) -> list[dict[str, Any]]:
    """Every goal with its reviews, oldest first, for `kneecoach export`."""
    return [goal.as_json() for goal in reversed(list_goals(session=session))]
