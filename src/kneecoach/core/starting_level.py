"""A starting level per person: where each exercise ladder starts.

The rules are data (``data/starting_levels.yaml``); ``starting_level`` only walks them:

- start from the default level (general): a missing test never means the bottom rung;
- ``at_least`` rules that hold raise the level (the highest wins): positive evidence only;
- ``at_most`` rules that hold cap it (the lowest wins): frail signs and a painful knee always
  beat signs of fitness, for safety.

So adding a frail sign can only lower the level, and leaving a test out removes a rule but
never adds a frail sign. Each reason is one plain sentence naming the answer behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from kneecoach.core.intake import Intake
from kneecoach.core.rules import Condition, evaluate

LevelId = Literal["frail", "general", "active", "athletic"]
LEVELS: Final[tuple[LevelId, ...]] = ("frail", "general", "active", "athletic")
"""Lowest first."""

DERIVED_PATHS: Final[frozenset[str]] = frozenset(
    {
        "derived.stance_worst_s",
        "derived.stance_age_mean_s",
        "derived.stance_vs_age_mean",
        "derived.side_plank_worst_s",
        "derived.activity_level",
    }
)
"""Facts worked out from the answers that the rules may read besides the answer paths."""

TEXT_PLACEHOLDERS: Final[frozenset[str]] = frozenset({"value", "age_mean"})
RUNG_PLACEHOLDERS: Final[frozenset[str]] = frozenset(
    {"level", "steps", "bottom", "because", "held"}
)
RUNG_TEXT_IDS: Final[tuple[str, ...]] = (
    "walked_up",
    "walked_up_one",
    "walked_down",
    "entered_above",
    "first_rung",
    "held_back_kit",
    "held_back_knee",
    "held_back_time",
    "need_level",
    "held_by_level",
    "kept_low",
    "caution_easier",
    "single",
)


def rank_of(level: str) -> int:
    """0 for frail … 3 for athletic."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Level:
    id: LevelId
    name: str
    text: str


@dataclass(frozen=True)
class LevelRule:
    """When ``when`` holds, the level is at least / at most ``level``."""

    id: str
    effect: Literal["at_least", "at_most"]
    level: LevelId
    when: Condition
    shows: str
    text: str
    source: str


@dataclass(frozen=True)
class StanceBand:
    from_age: int
    to_age: int
    mean_s: float


@dataclass(frozen=True)
class StartingLevelRules:
    version: str
    levels: tuple[Level, ...]
    default: LevelId
    default_text: str
    tie_text: str
    stance_bands: tuple[StanceBand, ...]
    rules: tuple[LevelRule, ...]
    rung_texts: Mapping[str, str]

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)


@dataclass(frozen=True)
class StartingLevel:
    """The person's starting level, the sentences that say why, and the rules that set it."""

    level: LevelId
    reasons: tuple[str, ...]
    set_by: tuple[str, ...] = ()
    name: str = ""
    text: str = ""
    """What the level means, in plain words."""
    because: str = ""
    """The answer that puts the person this high, as the start of a sentence ("You stood up
    16 times in 30 seconds"), for the one line on each exercise that climbs its ladder."""
    held: str = ""
    """The answer that capped the level below what other answers point to ("You took 14
    seconds to …"), for the line on each exercise kept below a harder step; empty if none."""

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "name": self.name,
            "text": self.text,
            "reasons": list(self.reasons),
            "set_by": list(self.set_by),
        }


def stance_mean_for(age: int | None, bands: tuple[StanceBand, ...]) -> float | None:
    """The pooled single-leg stance mean for an age; under the youngest band, the youngest."""
    if age is None or not bands:
        return None
    for band in bands:
        if band.from_age <= age <= band.to_age:
            return band.mean_s
    youngest = min(bands, key=lambda b: b.from_age)
    if age < youngest.from_age:
        return youngest.mean_s
    return max(bands, key=lambda b: b.to_age).mean_s


def _worst(sides: Any) -> float | None:
    if sides is None:
        return None
    values = [v for v in (sides.left, sides.right) if v is not None]
    return min(values) if values else None


def level_facts(intake: Intake, rules: StartingLevelRules) -> dict[str, Any]:
    """The answers by path, plus the derived facts the rules read (unknown ones left out)."""
    facts = intake.facts()
    tests = intake.self_tests
    stance = _worst(tests.single_leg_stance_s)
    mean = stance_mean_for(intake.person.age, rules.stance_bands)
    if stance is not None:
        facts["derived.stance_worst_s"] = stance
    if mean is not None:
        facts["derived.stance_age_mean_s"] = mean
    if stance is not None and mean is not None:
        facts["derived.stance_vs_age_mean"] = stance / mean
    if intake.activity_level is not None:
        facts["derived.activity_level"] = intake.activity_level
    plank = _worst(tests.side_plank_s)
    if plank is not None:
        facts["derived.side_plank_worst_s"] = plank
    return facts


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    if isinstance(value, list | tuple):
        words = [str(v).replace("_", " ") for v in value]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return str(value)


def _filled(text: str, facts: Mapping[str, Any], shows: str) -> str:
    mean = facts.get("derived.stance_age_mean_s")
    filled = text.format(
        value=_shown(facts.get(shows, "")),
        age_mean=_shown(float(mean)) if mean is not None else "",
    )
    return filled.rstrip(".")


def _sentence(
    text: str, facts: Mapping[str, Any], shows: str, level: Level, how: str = "at"
) -> str:
    return f"{_filled(text, facts, shows)}, so you start {how} the {level.name} level."


def starting_level(intake: Intake, rules: StartingLevelRules) -> StartingLevel:
    """The level each ladder starts at for this person, and why (pure, deterministic)."""
    facts = level_facts(intake, rules)
    held = [r for r in rules.rules if evaluate(r.when, facts).truth is True]
    raises = [r for r in held if r.effect == "at_least"]
    caps = [r for r in held if r.effect == "at_most"]
    raised = max([rank_of(rules.default), *(rank_of(r.level) for r in raises)])
    final = min([raised, *(rank_of(r.level) for r in caps)])
    level = rules.level(LEVELS[final])
    capping = [r for r in caps if rank_of(r.level) == final]
    if final < raised:
        binding = capping
        reasons = [_sentence(r.text, facts, r.shows, level) for r in capping]
    else:
        binding = [r for r in raises if rank_of(r.level) == final]
        reasons = [_sentence(r.text, facts, r.shows, level) for r in binding]
        if not binding:
            reasons.append(_sentence(rules.default_text, facts, "", level))
        binding += capping
        reasons += [_sentence(r.text, facts, r.shows, level, "no higher than") for r in capping]
    floor = max(final, rank_of(rules.default))
    if any(rank_of(r.level) > floor for r in raises):
        reasons.append(rules.tie_text)  # a sign of fitness was overruled, not only the default
    # Why the person may skip easy steps: an answer that supports this level (never the one
    # that capped it, and never at the supported level, where no answer is a reason to climb).
    support = [r for r in raises if rank_of(r.level) >= final]
    because = f"You are at the {level.name} level"
    if final > 0 and support:
        because = _filled(support[0].text, facts, support[0].shows)
    held_by = ""
    if final < raised and capping:
        held_by = _filled(capping[0].text, facts, capping[0].shows)
    return StartingLevel(
        level=level.id,
        reasons=tuple(dict.fromkeys(reasons)),
        set_by=tuple(r.id for r in binding),
        name=level.name,
        text=level.text,
        because=because,
        held=held_by,
    )
