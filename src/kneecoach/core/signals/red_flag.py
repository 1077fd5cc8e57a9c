"""red_flag: a daily answer that triage escalates (locking, a hot knee with fever, calf pain…).

The check-in's answers become triage facts (`locking` → `signs.locking`, …, mapped in
`data/signals.yaml`) and go through the very same red-flag rules as the intake, so the two
can never disagree. Any flag above self-care gives a `see_professional` alert dated that day,
every day it happens: a red flag is never folded into an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from kneecoach.core import triage
from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.alerts import Alert, Level
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import each_day
from kneecoach.core.signals.thresholds import RedFlagThresholds, SignalThresholds


class FlagLike(Protocol):
    """What the red-flag detector needs of a triage flag."""

    @property
    def id(self) -> str: ...

    @property
    def level(self) -> Any: ...

    @property
    def title(self) -> str: ...

    @property
    def advice(self) -> str: ...


FlagFinder = Callable[[Mapping[str, Any], Any], Sequence[FlagLike]]


def checkin_facts(checkin: CheckIn, mapping: Mapping[str, str]) -> dict[str, Any]:
    """The triage facts a check-in gives: known answers only (unknown stays unknown)."""
    facts: dict[str, Any] = {}
    for column, path in mapping.items():
        value = checkin.value(column)
        if value is not None:
            facts[path] = value
    return facts


def level_name(level: Any) -> str:
    return str(getattr(level, "value", level))


class RedFlag:
    """Built with the triage rules (the service loads them); calls triage's `fired_flags`."""

    id = "red_flag"

    def __init__(self, rules: Any, fired_flags: FlagFinder = triage.fired_flags) -> None:
        self.rules = rules
        self.fired_flags = fired_flags

    def thresholds(self, thresholds: SignalThresholds) -> RedFlagThresholds:
        return thresholds.red_flag

    def start(self, thresholds: SignalThresholds) -> None:
        """Nothing to carry: a red flag is one day's answers."""
        return None

    def reach(self, thresholds: SignalThresholds) -> int:
        return 0

    def detect(self, series: Series, thresholds: SignalThresholds) -> list[Alert]:
        return each_day(self, series, thresholds)

    def step(
        self, state: None, series: Series, day: date, thresholds: SignalThresholds
    ) -> Alert | None:
        checkin = series.on(day)
        return None if checkin is None else self.alert_for(checkin, thresholds.red_flag)

    def alert_for(self, checkin: CheckIn, limits: RedFlagThresholds) -> Alert | None:
        """The see-a-professional alert a day's answers raise, if triage escalates them."""
        facts = checkin_facts(checkin, limits.facts)
        if not facts:
            return None
        flags = [
            flag
            for flag in self.fired_flags(facts, self.rules)
            if level_name(flag.level) in limits.escalating_levels
        ]
        if not flags:
            return None
        behind = " ".join(" ".join(getattr(flag, "why", ())) for flag in flags)
        answers = ". ".join(
            limits.said_for(column, checkin.value(column))
            for column, path in limits.facts.items()
            if path in facts and (path in behind if behind else _is_raised(facts[path]))
        )
        titles = "; ".join(flag.title.rstrip(".") for flag in flags)
        return Alert(
            id=self.id,
            day=checkin.day,
            level=Level.see_professional,
            why=limits.texts.message.format(titles=titles, answers=answers),
            advice=" ".join(dict.fromkeys(f.advice for f in most_urgent_of(flags))),
            flags=tuple(flag.id for flag in flags),
        )


def most_urgent_of(flags: Sequence[FlagLike]) -> list[FlagLike]:
    """The flags at the most urgent level among them: one set of orders, never an ambulance
    beside a GP visit (the less urgent flags are still named in `why`)."""
    top = min(triage.urgency(level_name(flag.level)) for flag in flags)
    return [f for f in flags if triage.urgency(level_name(f.level)) == top and f.advice]


def _is_raised(value: Any) -> bool:
    return value is True or (not isinstance(value, bool) and isinstance(value, int) and value > 0)
