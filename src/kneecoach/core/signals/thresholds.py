"""The detectors' numbers and words, as typed values (loaded from `data/signals.yaml`).

The core never reads the file: the data loader validates it and builds these, so a detector
can be run on any thresholds (the tests use this to probe the edges).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kneecoach.core.signals.alerts import Level
from kneecoach.core.signals.baseline import Center


@dataclass(frozen=True)
class Texts:
    """The one-line `message` template (with {placeholders}) and advice for each level."""

    message: str
    advice: Mapping[Level, str] = field(default_factory=dict)

    def advice_for(self, level: Level) -> str:
        return self.advice.get(level, "")


@dataclass(frozen=True)
class Windows:
    """Recent days judged against the baseline days before them (calendar days)."""

    recent_days: int
    min_recent: int
    baseline_days: int
    min_baseline: int


@dataclass(frozen=True)
class RiseLevel:
    """A level fires when the rise over the usual is at least `rise` and `spreads` standard
    errors (so a person whose values jump about needs a bigger rise)."""

    level: Level
    rise: float
    spreads: float


@dataclass(frozen=True)
class Ceiling:
    """A plain limit: the median of the last `days` days above `above` (when the usual was
    not) raises `level` (e.g. morning stiffness over 30 minutes for two weeks)."""

    level: Level
    above: float
    days: int
    min_days: int
    message: str


@dataclass(frozen=True)
class RisingThresholds:
    """For a measure on a scale (swelling 0–3, stiffness minutes)."""

    column: str
    windows: Windows
    center: Center
    spread_floor: float
    levels: tuple[RiseLevel, ...]
    calm_days: int
    texts: Texts
    ceiling: Ceiling | None = None


@dataclass(frozen=True)
class CountLevel:
    """A level fires when the days with the event in the recent window are at least
    `min_days` and that many would happen by chance at the usual rate (never taken below
    `rate_floor`) with probability at most `chance`."""

    level: Level
    min_days: int
    chance: float
    rate_floor: float


@dataclass(frozen=True)
class EventThresholds:
    """For yes/no events (weakness; catching, locking, giving way)."""

    columns: tuple[str, ...]
    windows: Windows
    levels: tuple[CountLevel, ...]
    calm_days: int
    texts: Texts
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FlareThresholds:
    """A sudden rise in pain over the person's own baseline that lasts at least a day."""

    baseline_days: int
    min_baseline: int
    rise_points: float
    rise_fraction: float
    min_rise_points: float
    spreads: float
    spread_floor: float
    max_usual_share: float
    max_gap_days: int
    lasting_days: int
    calm_days: int
    not_settling_days: int
    texts: Texts
    not_settling_message: str


@dataclass(frozen=True)
class RedFlagThresholds:
    """Which check-in answers feed which triage facts, and which triage levels escalate."""

    facts: Mapping[str, str]
    escalating_levels: tuple[str, ...]
    texts: Texts
    said: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """The person's answers in their own words: column → answer ("yes", "no", "2") → words."""

    def said_for(self, column: str, value: object) -> str:
        """ "Your knee felt hot" for warm = yes; the bare answer only if the file has no words."""
        key = ("yes" if value else "no") if isinstance(value, bool) else _number_key(value)
        words = self.said.get(column, {}).get(key)
        return words if words is not None else f"{column.replace('_', ' ')}: {key}"


def _number_key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class SignalThresholds:
    """Every detector's thresholds, by detector id."""

    rising: Mapping[str, RisingThresholds]
    events: Mapping[str, EventThresholds]
    flare: FlareThresholds
    red_flag: RedFlagThresholds
    day_view_days: int = 120
    """How many days before a day its alerts are worked out from (see `alerts_in`)."""
