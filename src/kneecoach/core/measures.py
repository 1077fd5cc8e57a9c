"""Derived measures: numbers worked out from the answers, so rules can compare them with norms.

Rules in the knowledge files read answers by path (`self_tests.knee_to_wall_cm.right`). Some
norms need a number that nobody types in: a body mass index, the knee-to-wall distance on the
*painful* side, the gap between the two sides, whether a chair-stand count is below the 25th
percentile for that age and sex. This module works those out as facts under a `derived.`
prefix. Each fact keeps the answers it came from and a plain description, so the "why" of a
finding can name both the answers and what they mean.

Nothing here guesses: a measure whose answers are unknown is left out, and so is never evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from kneecoach.core.intake import Intake, Sides
from kneecoach.core.rules import describe_fact

#: Every derived fact rules may use, with what it means (data tests check paths against this).
DERIVED_FACTS: Final[Mapping[str, str]] = {
    "derived.bmi": "body mass index (kg/m², unrounded); only for adults (see bmi_min_age)",
    "derived.knee_to_wall_painful_cm": (
        "knee-to-wall distance on the painful side; both or unknown side: the shorter (worse)"
    ),
    "derived.knee_to_wall_difference_cm": "left/right knee-to-wall difference in cm",
    "derived.side_plank_asymmetry_pct": (
        "left/right side plank difference as a percentage of the longer hold"
    ),
    "derived.chair_stand_below_p25": (
        "30-second chair stand below the 25th percentile for age and sex (Rikli & Jones)"
    ),
    "derived.single_leg_squat_knee_caves_in_painful": (
        "the knee caves in on a single-leg squat on the painful side (either side if both)"
    ),
    "derived.single_leg_squat_pelvis_drops_painful": (
        "the pelvis drops on a single-leg squat on the painful side (either side if both)"
    ),
    "derived.thomas_test_positive_painful": (
        "Thomas test positive on the painful side (either side if both or unknown)"
    ),
    "derived.navicular_drop_painful_mm": (
        "navicular drop on the painful side; both or unknown side: the larger (worse)"
    ),
}

Sex = Literal["female", "male"]


@dataclass(frozen=True)
class DerivedFact:
    """A worked-out number or yes/no, the answers behind it and how to say it in words."""

    value: float | bool
    text: str
    answers: tuple[str, ...]
    unit: str = ""


@dataclass(frozen=True)
class ChairStandBand:
    """One age band of the 30-second chair stand norms: the 25th percentile by sex."""

    from_age: int
    to_age: int
    female: float
    male: float


@dataclass(frozen=True)
class ChairStandNorms:
    """Rikli & Jones 25th percentiles, with kneecoach's choices where the table stops.

    Under the youngest band, the youngest band is used as a floor; over the oldest band, the
    oldest band is used. When sex is `other` or unknown, `unknown_sex` says which value to use
    ("lower": the lower of the two, so kneecoach only calls a result low when it is low for
    everyone).
    """

    bands: tuple[ChairStandBand, ...]
    unknown_sex: Literal["lower", "higher"] = "lower"

    def band_for(self, age: int) -> ChairStandBand:
        ordered = sorted(self.bands, key=lambda band: band.from_age)
        for band in ordered:
            if band.from_age <= age <= band.to_age:
                return band
        return ordered[0] if age < ordered[0].from_age else ordered[-1]

    def percentile_25(self, age: int, sex: str | None) -> tuple[float, str]:
        """The 25th percentile and the words for whom it applies to."""
        band = self.band_for(age)
        ages = f"aged {band.from_age}–{band.to_age}"
        if age < band.from_age:
            ages += f", the youngest band, used as a floor under {band.from_age}"
        elif age > band.to_age:
            ages += f", the oldest band, used over {band.to_age}"
        if sex == "female":
            return band.female, f"women {ages}"
        if sex == "male":
            return band.male, f"men {ages}"
        pick = min if self.unknown_sex == "lower" else max
        value = pick(band.female, band.male)
        return value, f"anyone {ages} (the {self.unknown_sex} of the values for women and men)"


@dataclass(frozen=True)
class MeasureRules:
    """The settings the derived measures need, loaded from the knowledge files."""

    chair_stand: ChairStandNorms
    bmi_min_age: int = 18


def derive_measures(intake: Intake, rules: MeasureRules) -> dict[str, DerivedFact]:
    """All derived facts that can be worked out from this intake (unknown ones are left out)."""
    facts: dict[str, DerivedFact] = {}
    for path, fact in (
        ("derived.bmi", _bmi(intake, rules.bmi_min_age)),
        (
            "derived.knee_to_wall_painful_cm",
            _painful_side_measure(intake, "knee_to_wall_cm", min, "knee-to-wall", "cm"),
        ),
        ("derived.knee_to_wall_difference_cm", _knee_to_wall_difference(intake)),
        ("derived.side_plank_asymmetry_pct", _side_plank_asymmetry(intake)),
        ("derived.chair_stand_below_p25", _chair_stand_below_p25(intake, rules.chair_stand)),
        (
            "derived.single_leg_squat_knee_caves_in_painful",
            _painful_side_flag(
                intake,
                intake.self_tests.single_leg_squat_knee_caves_in,
                "self_tests.single_leg_squat_knee_caves_in",
                "the knee caves in on a single-leg squat",
            ),
        ),
        (
            "derived.single_leg_squat_pelvis_drops_painful",
            _painful_side_flag(
                intake,
                intake.self_tests.single_leg_squat_pelvis_drops,
                "self_tests.single_leg_squat_pelvis_drops",
                "the pelvis drops on a single-leg squat",
            ),
        ),
        (
            "derived.thomas_test_positive_painful",
            _painful_side_flag(
                intake,
                intake.self_tests.thomas_test_positive,
                "self_tests.thomas_test_positive",
                "the Thomas test is positive (tight hip flexors)",
            ),
        ),
        (
            "derived.navicular_drop_painful_mm",
            _painful_side_measure(intake, "navicular_drop_mm", max, "navicular drop", "mm"),
        ),
    ):
        if fact is not None:
            facts[path] = fact
    return facts


def _number(value: float) -> str:
    rounded = round(value, 2)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:g}"


def _bmi(intake: Intake, min_age: int) -> DerivedFact | None:
    person = intake.person
    if person.age is None or person.age < min_age:
        return None  # adult bands do not apply to children; unknown age is not an adult
    if person.height_cm is None or person.weight_kg is None:
        return None
    value = person.weight_kg / (person.height_cm / 100) ** 2
    # Compared unrounded (24.97 is not 25); shown cut to one decimal, never rounded up over a
    # band's edge, so the number shown agrees with the band.
    shown = math.floor(value * 10) / 10
    return DerivedFact(
        value=value,
        text=f"body mass index {shown:.1f} (from height and weight)",
        answers=(
            describe_fact("person.height_cm", person.height_cm),
            describe_fact("person.weight_kg", person.weight_kg),
        ),
    )


def _painful_sides(intake: Intake) -> tuple[str, ...]:
    """The side to read: the painful one, or both when both hurt or the side is unknown."""
    side = intake.knee.side
    if side in ("left", "right"):
        return (side,)
    return ("left", "right")


def _side_label(intake: Intake, chosen: str) -> str:
    if intake.knee.side in ("left", "right"):
        return f"on the painful side ({chosen})"
    return f"on the worse side ({chosen})"


def _pick_side(
    intake: Intake,
    pair: Sides[float] | None,
    worse: Callable[[list[tuple[float, str]]], tuple[float, str]],
) -> tuple[float, str] | None:
    if pair is None:
        return None
    sides = _painful_sides(intake)
    known = [(v, s) for s in sides if (v := getattr(pair, s)) is not None]
    if not known:
        return None
    return worse(known)


def _painful_side_measure(
    intake: Intake,
    field: str,
    worse: Callable[[list[tuple[float, str]]], tuple[float, str]],
    label: str,
    unit: str,
) -> DerivedFact | None:
    """A left/right self-test read on the painful side (the worse side when both or unknown)."""
    picked = _pick_side(intake, getattr(intake.self_tests, field), worse)
    if picked is None:
        return None
    value, side = picked
    return DerivedFact(
        value=value,
        text=f"{label} {_side_label(intake, side)} {_number(value)} {unit}",
        answers=(describe_fact(f"self_tests.{field}.{side}", value),),
        unit=unit,
    )


def _both(pair: Sides[float] | None) -> tuple[float, float] | None:
    if pair is None or pair.left is None or pair.right is None:
        return None
    return pair.left, pair.right


def _knee_to_wall_difference(intake: Intake) -> DerivedFact | None:
    both = _both(intake.self_tests.knee_to_wall_cm)
    if both is None:
        return None
    left, right = both
    value = round(abs(left - right), 2)  # measured to the millimetre; no float noise at 1.5
    return DerivedFact(
        value=value,
        text=f"knee-to-wall difference between the sides {_number(value)} cm",
        answers=(
            describe_fact("self_tests.knee_to_wall_cm.left", left),
            describe_fact("self_tests.knee_to_wall_cm.right", right),
        ),
        unit="cm",
    )


def _side_plank_asymmetry(intake: Intake) -> DerivedFact | None:
    both = _both(intake.self_tests.side_plank_s)
    if both is None or max(both) <= 0:
        return None
    left, right = both
    value = round(abs(left - right) / max(left, right) * 100, 1)
    return DerivedFact(
        value=value,
        text=f"side plank difference {_number(value)} % of the longer hold",
        answers=(
            describe_fact("self_tests.side_plank_s.left", left),
            describe_fact("self_tests.side_plank_s.right", right),
        ),
        unit="%",
    )


def _chair_stand_below_p25(intake: Intake, norms: ChairStandNorms) -> DerivedFact | None:
    stands = intake.self_tests.chair_stand_30s
    age = intake.person.age
    if stands is None or age is None:
        return None
    p25, whom = norms.percentile_25(age, intake.person.sex)
    below = stands < p25
    relation = "under" if below else "at or above"
    answers = [describe_fact("self_tests.chair_stand_30s", stands)]
    answers.append(describe_fact("person.age", age))
    if intake.person.sex is not None:
        answers.append(describe_fact("person.sex", intake.person.sex))
    return DerivedFact(
        value=below,
        text=(
            f"30-second chair stand {_number(stands)} stands, {relation} {_number(p25)} "
            f"(the 25th percentile for {whom})"
        ),
        answers=tuple(answers),
    )


def _painful_side_flag(
    intake: Intake, pair: Sides[bool] | None, path: str, words: str
) -> DerivedFact | None:
    if pair is None:
        return None
    sides = _painful_sides(intake)
    known = [(s, v) for s in sides if (v := getattr(pair, s)) is not None]
    if not known:
        return None
    positive = [s for s, v in known if v]
    if positive:
        side = positive[0]
        return DerivedFact(
            value=True,
            text=f"{words} {_side_label(intake, side)}",
            answers=tuple(describe_fact(f"{path}.{s}", True) for s in positive),
        )
    return DerivedFact(
        value=False,
        text=f"{words}: no",
        answers=tuple(describe_fact(f"{path}.{s}", False) for s, _ in known),
    )
