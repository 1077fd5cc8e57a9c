"""The one owner of the check-in safety stop: is the plan stopped (or eased) today, and why.

Today (web and API), `kneecoach plan show`, `kneecoach session`, logging a session and the
check-in pages all ask here, so a red flag answered on day 20 stops the plan everywhere, in
the intake's words and level (decisions.md, second edition: "Red flag in a daily check-in").

Only the check-ins since the latest saved intake are read (a new intake starts afresh): those
dated on or after the intake's local date and saved or changed after it. Without a saved
intake, the intake behind the current plan and the time the plan was made stand in for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.orm import Session

from kneecoach.core.checkins import CheckIn
from kneecoach.core.errors import ConflictError
from kneecoach.core.intake import parse_intake
from kneecoach.core.safety_stop import (
    CheckinVerdict,
    SafetyNotice,
    SafetyState,
    StopWords,
    judge_checkin,
    safety_state,
)
from kneecoach.core.triage import Flag, Level, RedFlagRules, fired_flags
from kneecoach.data.signals import load_signal_thresholds, safety_stop_words
from kneecoach.services.triage import level_meaning, red_flag_rules
from kneecoach.storage.models.checkins import CheckInRow

__all__ = [
    "CheckinVerdict",
    "SafetyMessage",
    "SafetyNotice",
    "SafetyState",
    "StopWords",
    "checkin_safety",
    "notice_message",
    "notices_json",
    "safety_on",
    "stop_refusal",
    "stop_words",
]


@dataclass(frozen=True)
class Baseline:
    """The intake a check-in is judged against, and when it was saved (UTC; None: no intake)."""

    facts: Mapping[str, Any]
    saved_at: datetime | None

    @property
    def first_day(self) -> date | None:
        """The person's local date on which the intake was saved."""
        return None if self.saved_at is None else self.saved_at.astimezone().date()


@dataclass(frozen=True)
class SafetyMessage:
    """What a check-in's red flag means, in the intake's words: the level, each flag, the
    person's answers behind them, and the stop or caution it leads to."""

    level: Level
    flags: tuple[Flag, ...]
    answers: tuple[str, ...]
    stop: SafetyNotice | None
    caution: SafetyNotice | None

    @property
    def stopped(self) -> bool:
        return self.stop is not None

    @property
    def leading_flags(self) -> tuple[Flag, ...]:
        """The flags at the message's level: their advice is shown in full."""
        return tuple(flag for flag in self.flags if flag.level == self.level.id)

    @property
    def other_flags(self) -> tuple[Flag, ...]:
        """Less urgent flags: named only, so a page never gives two levels' actions at once."""
        return tuple(flag for flag in self.flags if flag.level != self.level.id)

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level.id,
            "title": self.level.title,
            "summary": self.level.summary,
            "advice": self.level.advice,
            "answers": list(self.answers),
            "flags": [
                {"id": f.id, "level": f.level, "title": f.title, "advice": f.advice}
                for f in self.flags
            ],
            "stopped": self.stopped,
        }


def notices_json(state: SafetyState) -> dict[str, Any]:
    """`{"stop": …, "caution": …}` as the API answers them: each notice (or null) with the
    message the pages show beside it."""
    words = stop_words()
    stop, caution = state.stop, state.caution
    return {
        "stop": None
        if stop is None
        else {**stop.as_json(), "message": words.stopped_since(stop.since)},
        "caution": None
        if caution is None
        else {**caution.as_json(), "message": words.caution_message},
    }


def stop_words() -> StopWords:
    """The words every interface shows with a stop or a caution."""
    return safety_stop_words()


def latest_baseline(*, session: Session) -> Baseline:
    """The latest saved intake, else the current plan's intake, else nothing to add.

    Saved intakes and plans are never changed, only added to, so each one's facts are worked
    out once per process (kept by row and save time: an erase that reuses a row id is a new
    row). Finding the latest is then one small query, for both kinds at once."""
    from kneecoach.services.intake import latest_intake
    from kneecoach.services.plan import latest_plan

    url = str(session.get_bind().engine.url)
    for kind, *found in session.execute(_newest_saved()):
        known = _BASELINES.get(key := (url, kind, *found))
        if known is not None:
            return known
        if kind == "intake":
            saved = latest_intake(session=session)
            assert saved is not None
            return _remember(key, saved.intake().facts(), saved.recorded_at)
        plan = latest_plan(session=session)
        assert plan is not None
        return _remember(key, parse_intake(plan.intake).facts(), plan.created_at)
    return Baseline({}, None)


@cache
def _newest_saved() -> Select[Any]:
    """The newest saved intake and the newest plan (id and save time), the intake first: one
    statement built once, so a check-in's safety check asks the database once, not twice."""
    from kneecoach.storage.models.intakes import IntakeRecord
    from kneecoach.storage.models.plans import SavedPlan

    intake = (
        select(literal("intake").label("kind"), IntakeRecord.id, IntakeRecord.recorded_at)
        .order_by(IntakeRecord.version.desc())
        .limit(1)
        .subquery()
    )
    plan = (
        select(literal("plan").label("kind"), SavedPlan.id, SavedPlan.created_at)
        .order_by(SavedPlan.id.desc())
        .limit(1)
        .subquery()
    )
    both = union_all(select(intake), select(plan)).subquery()
    return select(both).order_by(both.c.kind)


_BASELINES: dict[tuple[Any, ...], Baseline] = {}
"""Facts of saved intakes and plans, by database, kind, row id and save time."""


def _remember(key: tuple[Any, ...], facts: Mapping[str, Any], saved_at: datetime) -> Baseline:
    """Keep a baseline (its facts read-only: every caller shares them)."""
    if len(_BASELINES) >= 64:  # a bound: a person saves a handful
        _BASELINES.clear()
    baseline = _BASELINES[key] = Baseline(MappingProxyType(dict(facts)), saved_at)
    return baseline


def checkins_since(
    baseline: Baseline, last: date, columns: Sequence[str], *, session: Session
) -> list[CheckIn]:
    """The check-ins up to `last` that came after the intake (never the whole history),
    with only the red-flag `columns` read: years of check-ins stay quick to walk."""
    wanted = [getattr(CheckInRow, column) for column in columns]
    query = (
        select(CheckInRow.day, CheckInRow.pain, *wanted)
        .where(CheckInRow.day <= last)
        .order_by(CheckInRow.day)
    )
    if baseline.saved_at is not None and baseline.first_day is not None:
        query = query.where(
            CheckInRow.day >= baseline.first_day, CheckInRow.updated_at >= baseline.saved_at
        )
    return [
        CheckIn(day=day, pain=pain, **dict(zip(columns, answers, strict=True)))
        for day, pain, *answers in session.execute(query)
    ]


def safety_on(on: date | None = None, *, session: Session) -> SafetyState:
    """The check-in safety state on a day (today by default): a stop, a caution, or neither."""
    on = on or date.today()
    baseline = latest_baseline(session=session)
    limits = load_signal_thresholds().red_flag
    return safety_state(
        checkins_since(baseline, on, tuple(limits.facts), session=session),
        baseline.facts,
        limits,
        red_flag_rules(session=session),
    )


@dataclass(frozen=True)
class CheckInJudge:
    """What judging a check-in needs from the store (the latest intake's facts and the red-flag
    rules in the person's words), read once. A writer reads it before it writes, in the same
    unit of work, so the answer to a quiet check-in needs no second trip to the database."""

    baseline: Baseline
    rules: RedFlagRules

    def message_for(self, checkin: CheckIn, *, session: Session) -> SafetyMessage | None:
        """The safety message `checkin` raises (None when no red flag fires). Only a check-in
        that raises one reads the store again, for the stop or caution on its day, so call
        this after the check-in is stored."""
        verdict = judge_checkin(
            checkin,
            self.baseline.facts,
            load_signal_thresholds().red_flag,
            self.rules,
            fired_flags(self.baseline.facts, self.rules),
        )
        if not verdict.flags:
            return None
        state = safety_on(checkin.day, session=session)
        return SafetyMessage(
            level=self.rules.level(verdict.level),
            flags=verdict.flags,
            answers=verdict.answers,
            stop=state.stop,
            caution=state.caution,
        )


def checkin_judge(*, session: Session) -> CheckInJudge:
    return CheckInJudge(latest_baseline(session=session), red_flag_rules(session=session))


def checkin_safety(checkin: CheckIn, *, session: Session) -> SafetyMessage | None:
    """The safety message a stored check-in raises, judged as the intake would; None when it
    raises no red flag. The stop or caution is the state on that check-in's day."""
    return checkin_judge(session=session).message_for(checkin, session=session)


def notice_message(notice: SafetyNotice | None, *, session: Session) -> SafetyMessage | None:
    """A stop or caution as the message Today shows: its level's meaning, flags and answers."""
    if notice is None:
        return None
    return SafetyMessage(
        level=level_meaning(notice.level, session=session),
        flags=notice.flags,
        answers=notice.answers,
        stop=notice if notice.kind == "stop" else None,
        caution=notice if notice.kind == "caution" else None,
    )


def stop_refusal(stop: SafetyNotice) -> ConflictError:
    """The one-line refusal to log exercises while a check-in's red flag stops the plan."""
    return ConflictError(
        f"session: your exercises are on hold since {stop.since.isoformat()} because of your "
        f"check-in ({stop.title}); get help first, then answer the knee questions again"
    )
