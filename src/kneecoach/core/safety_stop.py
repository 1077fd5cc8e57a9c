"""The safety stop: a red flag in a daily check-in stops (or eases) the plan, as at intake.

decisions.md (second edition, "Red flag in a daily check-in"): a flag at `urgent` or
`emergency` stops the day's exercises at once, in every interface, until a new intake or a
later check-in that says the sign is gone; a flag at `soon` puts a message above Today and
softens the day's plan. This module works that state out from the check-ins since the latest
intake. It is pure, so every interface asks the one service that calls it and none can
disagree.

A check-in is judged by the intake's own red-flag rules, on the intake's facts overlaid by
the check-in's answers: a knee replacement in the intake plus "my knee felt hot" today
escalates exactly as the intake would. Only flags that rest on an answer of the check-in
count, and not a flag the intake alone already fires with the same answers behind it, so an
intake's old flag does not come back every day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.thresholds import RedFlagThresholds
from kneecoach.core.triage import (
    Flag,
    LevelId,
    RedFlagRule,
    RedFlagRules,
    fired_flags,
    most_urgent,
)

STOP_LEVELS: Final[tuple[LevelId, ...]] = ("emergency", "urgent")
CAUTION_LEVELS: Final[tuple[LevelId, ...]] = ("soon",)
NoticeKind = Literal["stop", "caution"]


@dataclass(frozen=True)
class StopWords:
    """What a person reads about a stop or a caution (signals.yaml `red_flag.stop`/`caution`)."""

    stop_title: str
    stop_text: str
    kept: str
    caution_title: str
    caution_message: str
    caution_why: str

    def stopped_since(self, since: date) -> str:
        return self.stop_text.format(since=since.strftime("%d %B %Y").lstrip("0"))


@dataclass(frozen=True)
class CheckinVerdict:
    """What one check-in raised: its flags (most urgent first) and the answers behind them."""

    day: date
    flags: tuple[Flag, ...] = ()
    signs: tuple[str, ...] = ()
    """The check-in columns behind the flags (`warm`, `swelling`…)."""
    answers: tuple[str, ...] = ()
    """Those answers in the person's words ("Your knee felt hot")."""
    answered: frozenset[str] = frozenset()
    """Every red-flag column this check-in answered (yes or no)."""

    @property
    def level(self) -> LevelId:
        return most_urgent(flag.level for flag in self.flags)

    @property
    def stops(self) -> bool:
        return self.level in STOP_LEVELS

    @property
    def cautions(self) -> bool:
        return self.level in CAUTION_LEVELS

    def answers_again(self, signs: Iterable[str]) -> bool:
        """True when this check-in answered every one of the signs (unknown is never "gone")."""
        return all(sign in self.answered for sign in signs)


@dataclass(frozen=True)
class SafetyNotice:
    """A stop or a caution: the flag behind it, since when, and the person's own answers."""

    kind: NoticeKind
    flag: str
    level: LevelId
    since: date
    answers: tuple[str, ...]
    title: str
    advice: str
    flags: tuple[Flag, ...]
    signs: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "level": self.level,
            "since": self.since.isoformat(),
            "answers": list(self.answers),
            "title": self.title,
            "advice": self.advice,
            "flags": [
                {"id": f.id, "level": f.level, "title": f.title, "advice": f.advice}
                for f in self.flags
            ],
        }


@dataclass(frozen=True)
class SafetyState:
    """The check-ins' safety state on a day: a stop, a caution, or neither (never both)."""

    stop: SafetyNotice | None = None
    caution: SafetyNotice | None = None

    @property
    def stopped(self) -> bool:
        return self.stop is not None


def paths_behind(flag: Flag) -> frozenset[str]:
    """The answer paths a flag's `why` names (`signs.warm = true` → `signs.warm`)."""
    return frozenset(line.split(" ", 1)[0] for line in flag.why)


def judge_checkin(
    checkin: CheckIn,
    intake_facts: Mapping[str, Any],
    limits: RedFlagThresholds,
    rules: RedFlagRules | Iterable[RedFlagRule],
    intake_flags: Sequence[Flag] = (),
) -> CheckinVerdict:
    """The flags a check-in raises on top of the intake (see the module's docstring).

    `intake_flags` are the flags the intake's facts fire alone (the caller works them out
    once); a check-in flag identical to one of them, same answers behind it, is not new.
    """
    answered = {
        path: column for column, path in limits.facts.items() if checkin.value(column) is not None
    }
    if not answered:
        return CheckinVerdict(checkin.day)
    facts = {**intake_facts, **{path: checkin.value(column) for path, column in answered.items()}}
    old = {(flag.id, flag.why) for flag in intake_flags}
    notice_levels = (*STOP_LEVELS, *CAUTION_LEVELS)
    flags = tuple(
        flag
        for flag in fired_flags(facts, rules)
        if flag.level in notice_levels
        and (flag.id, flag.why) not in old
        and paths_behind(flag) & answered.keys()
    )
    behind = frozenset().union(*(paths_behind(flag) for flag in flags))
    signs = tuple(column for path, column in answered.items() if path in behind)
    return CheckinVerdict(
        day=checkin.day,
        flags=flags,
        signs=signs,
        answers=tuple(limits.said_for(column, checkin.value(column)) for column in signs),
        answered=frozenset(answered.values()),
    )


def notice_from(kind: NoticeKind, verdict: CheckinVerdict, since: date) -> SafetyNotice:
    """A stop or caution from the check-in that raised it, led by its most urgent flag."""
    first = verdict.flags[0]
    return SafetyNotice(
        kind=kind,
        flag=first.id,
        level=verdict.level,
        since=since,
        answers=verdict.answers,
        title=first.title,
        advice=first.advice,
        flags=verdict.flags,
        signs=verdict.signs,
    )


def carry_on(state: SafetyState, verdict: CheckinVerdict) -> SafetyState:
    """The state after one more check-in (in date order).

    A stop lasts until a later check-in answers its signs again without an urgent flag; the
    same for a caution and its flag. A stop keeps the date it started while it lasts.
    """
    if verdict.stops:
        since = state.stop.since if state.stop is not None else verdict.day
        return SafetyState(stop=notice_from("stop", verdict, since))
    if state.stop is not None and not verdict.answers_again(state.stop.signs):
        return state
    if verdict.cautions:
        since = state.caution.since if state.caution is not None else verdict.day
        return SafetyState(caution=notice_from("caution", verdict, since))
    if state.caution is not None and not verdict.answers_again(state.caution.signs):
        return state
    return SafetyState()


def safety_state(
    checkins: Iterable[CheckIn],
    intake_facts: Mapping[str, Any],
    limits: RedFlagThresholds,
    rules: RedFlagRules | Iterable[RedFlagRule],
) -> SafetyState:
    """Walk the check-ins since the latest intake, in date order, to today's safety state.

    A verdict depends only on the red-flag answers (the intake is the same for the whole
    walk), and months of check-ins repeat a handful of answer sets, so each set is judged
    once: years of data cost a few rule walks, not one per day.
    """
    rules = rules if isinstance(rules, RedFlagRules) else tuple(rules)
    intake_flags = fired_flags(intake_facts, rules)
    judged: dict[tuple[Any, ...], CheckinVerdict] = {}
    state = SafetyState()
    for checkin in sorted(checkins, key=lambda c: c.day):
        answers = tuple(checkin.value(column) for column in limits.facts)
        if answers not in judged:
            judged[answers] = judge_checkin(checkin, intake_facts, limits, rules, intake_flags)
        state = carry_on(state, replace(judged[answers], day=checkin.day))
    return state
