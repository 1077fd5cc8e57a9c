"""Shoes: how far and how long a pair has gone, and whether it is due for a change.

The thresholds and the words come from `data/footwear.yaml`; this module only counts and
compares. Distance and age rules are guidance from athletic trainers and podiatry, not trial
evidence, so a clear wear sign on the shoe itself counts as much as any number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from kneecoach.core.errors import CHOOSE_OR_SET_DEFAULT_SHOE, CHOOSE_SHOE_OR_ACTIVITY, InputError
from kneecoach.core.units import Distance, show_distance

ShoeType = Literal["running", "walking", "work", "casual", "minimal", "other"]
SHOE_TYPES: Final[tuple[str, ...]] = ("running", "walking", "work", "casual", "minimal", "other")

ActivityType = Literal["running", "walking", "hiking", "other"]
ACTIVITY_TYPES: Final[tuple[str, ...]] = ("running", "walking", "hiking", "other")

Level = Literal["ok", "watch", "replace"]
_LEVEL_ORDER: Final[dict[str, int]] = {"ok": 0, "watch": 1, "replace": 2}


@dataclass(frozen=True)
class Pair:
    """One pair of shoes in the person's inventory."""

    id: str
    name: str
    type: str = "other"
    start_date: date | None = None
    start_km: float = 0.0
    brand: str | None = None
    model: str | None = None
    retired: bool = False
    retired_on: date | None = None


@dataclass(frozen=True)
class Thresholds:
    """When to watch and when to replace (from the data file, with its sources)."""

    watch_from_km: float
    replace_by_km: float
    replace_after_months: int


@dataclass(frozen=True)
class Messages:
    """Templates for the reasons, filled with `str.format` (the words live in data)."""

    distance_watch: str
    distance_replace: str
    age_replace: str
    wear_sign: str
    ok: str
    retired: str


@dataclass(frozen=True)
class WearCheck:
    """One dated wear check: each sign asked, answered yes (True) or no (False)."""

    checked_on: date
    answers: Mapping[str, bool]

    @property
    def signs_present(self) -> tuple[str, ...]:
        return tuple(sign for sign, present in self.answers.items() if present)


@dataclass(frozen=True)
class Reason:
    """One reason a pair needs watching or replacing, in words a person can act on."""

    kind: Literal["distance", "age", "wear"]
    level: Level
    text: str


@dataclass(frozen=True)
class ShoeStatus:
    """Where a pair stands today: distance, age, level and the reasons for it."""

    pair: Pair
    distance_km: float
    age_months: int | None
    level: Level
    reasons: tuple[Reason, ...]
    share_of_replace_km: float

    @property
    def needs_attention(self) -> bool:
        return not self.pair.retired and self.level != "ok"

    def summary(self, messages: Messages, unit: Distance = "km") -> str:
        """One line per pair, e.g. 'Trail runner: 612 km: over 500 km, the start of …'."""
        if self.pair.retired:
            return f"{self.pair.name}: {messages.retired}"
        if not self.reasons:
            shown = whole_distance(self.distance_km, unit)
            return f"{self.pair.name}: " + messages.ok.format(distance=shown)
        return f"{self.pair.name}: " + " ".join(reason.text for reason in self.reasons)


def slug_for(name: str) -> str:
    """A short snake_case id from a pair's name ('Trail runner 2' -> 'trail_runner_2')."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return slug[:40].rstrip("_") or "pair"


def unique_slug(name: str, taken: Iterable[str]) -> str:
    """The slug for `name`, with _2, _3 … added when the plain one is already used."""
    base = slug_for(name)
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}_{number}" in used:
        number += 1
    return f"{base}_{number}"


def check_shoe_type(value: str) -> str:
    if value not in SHOE_TYPES:
        raise InputError("type", f"'{value}' is not a shoe type; use one of {_listed(SHOE_TYPES)}")
    return value


def check_activity_type(value: str, field: str = "activity") -> str:
    if value not in ACTIVITY_TYPES:
        raise InputError(
            field, f"'{value}' is not an activity type; use one of {_listed(ACTIVITY_TYPES)}"
        )
    return value


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values)


def full_months_between(start: date, today: date) -> int:
    """Whole calendar months from `start` to `today` (0 before the first month is over)."""
    months = (today.year - start.year) * 12 + (today.month - start.month)
    if today.day < start.day:
        months -= 1
    return max(months, 0)


def total_distance_km(pair: Pair, activity_km: Iterable[float]) -> float:
    """The distance the pair had when added, plus every activity counted on it."""
    return pair.start_km + sum(activity_km)


def _worst(levels: Iterable[Level]) -> Level:
    worst: Level = "ok"
    for level in levels:
        if _LEVEL_ORDER[level] > _LEVEL_ORDER[worst]:
            worst = level
    return worst


def whole_distance(km: float, unit: Distance) -> str:
    """`612 km`, `380 miles`: a pair's distance to the whole unit, in the person's unit."""
    return show_distance(km, unit, digits=0)


def distance_reason(
    km: float, limits: Thresholds, messages: Messages, unit: Distance = "km"
) -> Reason | None:
    """Watch from the start of the range, replace at its end (no reason below it); the
    distances in the person's unit."""
    shown = whole_distance(km, unit)
    if km >= limits.replace_by_km:
        replace = whole_distance(limits.replace_by_km, unit)
        text = messages.distance_replace.format(distance=shown, replace=replace)
        return Reason("distance", "replace", text)
    if km >= limits.watch_from_km:
        watch = whole_distance(limits.watch_from_km, unit)
        text = messages.distance_watch.format(distance=shown, watch=watch)
        return Reason("distance", "watch", text)
    return None


def age_reason(months: int | None, limits: Thresholds, messages: Messages) -> Reason | None:
    if months is None or months < limits.replace_after_months:
        return None
    text = messages.age_replace.format(months=months, limit=limits.replace_after_months)
    return Reason("age", "replace", text)


def wear_reasons(
    check: WearCheck | None, sign_names: Mapping[str, str], messages: Messages
) -> tuple[Reason, ...]:
    """Any sign seen at the latest wear check is a reason to replace (a clear sign is enough)."""
    if check is None or not check.signs_present:
        return ()
    signs = ", ".join(sign_names.get(sign, sign).lower() for sign in check.signs_present)
    text = messages.wear_sign.format(date=check.checked_on.isoformat(), sign=signs)
    return (Reason("wear", "replace", text),)


def assess_pair(
    pair: Pair,
    distance_km: float,
    today: date,
    latest_check: WearCheck | None,
    limits: Thresholds,
    messages: Messages,
    sign_names: Mapping[str, str],
    unit: Distance = "km",
) -> ShoeStatus:
    """The pair's level is the worst of distance, age and wear: whichever comes first (the
    reasons give distances in `unit`)."""
    age = full_months_between(pair.start_date, today) if pair.start_date else None
    share = distance_km / limits.replace_by_km if limits.replace_by_km > 0 else 0.0
    if pair.retired:
        return ShoeStatus(pair, distance_km, age, "ok", (), share)
    reasons = [
        reason
        for reason in (
            distance_reason(distance_km, limits, messages, unit),
            age_reason(age, limits, messages),
        )
        if reason is not None
    ]
    reasons.extend(wear_reasons(latest_check, sign_names, messages))
    level = _worst(reason.level for reason in reasons)
    return ShoeStatus(pair, distance_km, age, level, tuple(reasons), share)


def replacement_alerts(statuses: Iterable[ShoeStatus]) -> tuple[ShoeStatus, ...]:
    """Pairs in use that need watching or replacing, the most urgent first."""
    due = [status for status in statuses if status.needs_attention]
    return tuple(sorted(due, key=lambda s: (-_LEVEL_ORDER[s.level], -s.distance_km)))


def choose_pair(
    activity_type: str | None,
    chosen: str | None,
    defaults: Mapping[str, str],
    where: str,
) -> str:
    """The pair an activity counts on: the one chosen, else the default for its type.

    Raises an InputError naming `where` (the file or row) and telling the person how to
    choose when neither is known: guessing would put distance on the wrong shoes.
    """
    if chosen:
        return chosen
    if activity_type is None:
        raise InputError(
            where,
            "the activity type is not in the file",
            hint=CHOOSE_SHOE_OR_ACTIVITY,
            details={"activity_types": _listed(ACTIVITY_TYPES)},
        )
    default = defaults.get(activity_type)
    if default is None:
        raise InputError(
            where,
            f"no default pair for {activity_type}",
            hint=CHOOSE_OR_SET_DEFAULT_SHOE,
            details={"activity_type": activity_type},
        )
    return default


def stride_length_m(height_cm: float | None, fraction_of_height: float, default_m: float) -> float:
    """Walking step length: a fraction of height when known, else an adult default."""
    if height_cm is None:
        return default_m
    return fraction_of_height * height_cm / 100.0


def distance_from_steps_km(steps: int, stride_m: float) -> float:
    return steps * stride_m / 1000.0


@dataclass(frozen=True)
class CountedDistance:
    """One stored distance on a pair: a recorded outing, or a day's estimate from steps."""

    on: date
    km: float
    from_steps: bool = False


def distance_on_pair_km(pair: Pair, entries: Iterable[CountedDistance]) -> float:
    """The pair's total, without counting a walk twice.

    A day's step count already holds the steps of any run or walk recorded that day, so a
    day counts the larger of its recorded outings and its steps estimate, never both. (The
    stored pairs are summed by the database with the same rule, `services.shoes.activity_km`;
    a test checks the two agree.)
    """
    recorded: dict[date, float] = {}
    from_steps: dict[date, float] = {}
    for entry in entries:
        bucket = from_steps if entry.from_steps else recorded
        bucket[entry.on] = bucket.get(entry.on, 0.0) + entry.km
    days = recorded.keys() | from_steps.keys()
    return total_distance_km(
        pair, (max(recorded.get(day, 0.0), from_steps.get(day, 0.0)) for day in days)
    )
