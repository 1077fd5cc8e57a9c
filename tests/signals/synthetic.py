"""Synthetic check-in series with a seed: stable noise, slow creeps, flares, single bad days, gaps.

Like OpenCap's synthetic data, each generator is a small model of a person: a latent level
per measure, noise around it, and a known change that starts on a known day. The tests and
`benchmarks/signals_accuracy.py` run the detectors over many seeds and measure how soon each
real change is caught (detection delay) and how often a stable series raises an alert.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from kneecoach.core.checkins import CheckIn

START = date(2026, 1, 5)
Creep = Literal["swelling", "stiffness", "weakness", "mechanical"]
CREEPS: tuple[Creep, ...] = ("swelling", "stiffness", "weakness", "mechanical")
DETECTOR_OF: dict[str, str] = {
    "swelling": "swelling_rising",
    "stiffness": "stiffness_rising",
    "weakness": "weakness_rising",
    "mechanical": "mechanical_symptoms",
    "flare": "pain_flare",
}


@dataclass(frozen=True)
class Person:
    """The usual levels and how much they jump about from day to day."""

    pain: float = 3.0
    pain_sd: float = 0.8
    swelling: float = 0.2  # latent level; the logged value is the rounded level plus noise
    swelling_sd: float = 0.35
    stiffness: float = 10.0
    stiffness_sd: float = 4.0
    weakness_p: float = 0.05
    catching_p: float = 0.01
    giving_way_p: float = 0.01
    clicking_p: float = 0.3
    steps: float = 6000
    steps_sd: float = 1500


@dataclass(frozen=True)
class Scenario:
    """A series and the truth behind it: the day index the change began (None: stable)."""

    checkins: tuple[CheckIn, ...]
    change_day: date | None
    kind: str
    seed: int
    notes: dict[str, float] = field(default_factory=dict)


def noisy_person(rng: random.Random) -> Person:
    """A person drawn at random: usual levels and noise differ from person to person."""
    return Person(
        pain=rng.uniform(1.5, 5.0),
        pain_sd=rng.uniform(0.4, 1.0),
        swelling=rng.uniform(0.0, 0.35),
        swelling_sd=rng.uniform(0.2, 0.4),
        stiffness=rng.uniform(3, 20),
        stiffness_sd=rng.uniform(2, 6),
        weakness_p=rng.uniform(0.0, 0.1),
        catching_p=rng.uniform(0.0, 0.02),
        giving_way_p=rng.uniform(0.0, 0.02),
    )


def _day(
    rng: random.Random,
    person: Person,
    day: date,
    *,
    pain_add: float = 0.0,
    swelling_add: float = 0.0,
    stiffness_add: float = 0.0,
    weakness_p: float | None = None,
    mechanical_p: float | None = None,
) -> CheckIn:
    pain = min(10.0, max(0.0, round(person.pain + pain_add + rng.gauss(0, person.pain_sd))))
    swelling = int(
        min(3, max(0, round(person.swelling + swelling_add + rng.gauss(0, person.swelling_sd))))
    )
    stiffness = max(
        0.0, round(person.stiffness + stiffness_add + rng.gauss(0, person.stiffness_sd))
    )
    weak = rng.random() < (person.weakness_p if weakness_p is None else weakness_p)
    catch_p = person.catching_p if mechanical_p is None else mechanical_p
    give_p = person.giving_way_p if mechanical_p is None else mechanical_p
    exercised = rng.random() < 0.5
    return CheckIn(
        day=day,
        pain=pain,
        pain_worst=min(10.0, pain + rng.choice((0, 1, 1, 2))),
        swelling=swelling,
        stiffness_min=stiffness,
        clicking=rng.random() < person.clicking_p,
        catching=rng.random() < catch_p,
        locking=False,
        giving_way=rng.random() < give_p,
        weakness=weak,
        warm=False,
        fever=False,
        calf_pain=False,
        steps=max(0, int(rng.gauss(person.steps, person.steps_sd))),
        exercise_pain=float(min(10, max(0, round(pain + rng.gauss(0, 1))))) if exercised else None,
        next_morning_worse=False if exercised else None,
        shoe=rng.choice(("trail", "walker")),
        factors=(("long_sitting", rng.random() < 0.4),),
    )


def stable(seed: int, days: int = 100, person: Person | None = None) -> Scenario:
    """A person with no real change: every alert here is a false alarm."""
    rng = random.Random(seed)
    who = person or noisy_person(rng)
    series = tuple(_day(rng, who, START + timedelta(i)) for i in range(days))
    return Scenario(series, None, "stable", seed)


def creep(
    kind: Creep,
    seed: int,
    baseline_days: int = 28,
    creep_days: int = 14,
    after_days: int = 10,
    size: float | None = None,
) -> Scenario:
    """A sign that creeps up over `creep_days` (1–3 weeks) while the pain stays flat."""
    rng = random.Random(seed)
    who = noisy_person(rng)
    total = baseline_days + creep_days + after_days
    checkins: list[CheckIn] = []
    for i in range(total):
        day = START + timedelta(i)
        ramp = min(1.0, max(0.0, (i - baseline_days + 1) / creep_days))
        if kind == "swelling":
            checkin = _day(rng, who, day, swelling_add=ramp * (size or 1.5))
        elif kind == "stiffness":
            checkin = _day(rng, who, day, stiffness_add=ramp * (size or 25.0))
        elif kind == "weakness":
            p = who.weakness_p + ramp * ((size or 0.7) - who.weakness_p)
            checkin = _day(rng, who, day, weakness_p=p if ramp > 0 else None)
        else:
            p = ramp * (size or 0.4)
            checkin = _day(rng, who, day, mechanical_p=p if ramp > 0 else None)
        checkins.append(checkin)
    return Scenario(tuple(checkins), START + timedelta(baseline_days), kind, seed)


def flare(
    seed: int, baseline_days: int = 28, length: int | None = None, rise: float | None = None
) -> Scenario:
    """A sudden rise in pain lasting several days (a flare), then back to usual."""
    rng = random.Random(seed)
    who = noisy_person(rng)
    length = length or rng.randint(3, 8)
    rise = rise or rng.uniform(3.0, 4.0)
    checkins = [
        _day(
            rng,
            who,
            START + timedelta(i),
            pain_add=rise if baseline_days <= i < baseline_days + length else 0.0,
        )
        for i in range(baseline_days + length + 14)
    ]
    return Scenario(
        tuple(checkins), START + timedelta(baseline_days), "flare", seed, {"rise": rise}
    )


def single_bad_day(seed: int, baseline_days: int = 28) -> Scenario:
    """One bad day (pain and swelling up, then straight back): not a trend, not a flare."""
    rng = random.Random(seed)
    who = noisy_person(rng)
    checkins = [
        _day(
            rng,
            who,
            START + timedelta(i),
            pain_add=4.0 if i == baseline_days else 0.0,
            swelling_add=1.5 if i == baseline_days else 0.0,
            stiffness_add=20.0 if i == baseline_days else 0.0,
        )
        for i in range(baseline_days + 21)
    ]
    return Scenario(tuple(checkins), None, "single_bad_day", seed)


def with_gaps(scenario: Scenario, missing: float, seed: int) -> Scenario:
    """The same series with a fraction of days never logged (the change day is kept)."""
    rng = random.Random(seed)
    kept = tuple(
        c for c in scenario.checkins if c.day == scenario.change_day or rng.random() >= missing
    )
    return replace(scenario, checkins=kept)


def with_unknowns(scenario: Scenario, fraction: float, seed: int) -> Scenario:
    """The same series with some optional answers left empty (unknown)."""
    rng = random.Random(seed)
    optional = ("swelling", "stiffness_min", "weakness", "catching", "giving_way", "steps")
    blanked = tuple(
        replace(c, **{name: None for name in optional if rng.random() < fraction})
        for c in scenario.checkins
    )
    return replace(scenario, checkins=blanked)
