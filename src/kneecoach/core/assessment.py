"""The look beyond the knee: which parts of the chain load the knee, and which patterns fit.

Two kinds of finding, both read from declarative rules in the knowledge files:

- a *contributor* (hip, back, foot and ankle, muscle balance, footwear, load, body) gets a
  strength from 0 to 1 from the evidence items that fired. Items combine like independent
  pieces of evidence (a noisy-OR: 1 − Π(1 − weight)), so one more piece of evidence can only
  raise the strength, and many weak hints never add up to more than 1.
- a *pattern* (never a diagnosis) fits only when all its required features are present; it then
  starts at its base fit, supporting features raise it the same noisy-OR way, and features
  that argue against it scale it down.

Every finding carries `why` lines naming the answers that led to it. An unknown answer is never
evidence: a condition that cannot be decided simply does not fire.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from kneecoach.core.intake import Intake
from kneecoach.core.measures import DerivedFact, MeasureRules, derive_measures
from kneecoach.core.rules import (
    ABSENT,
    OPERATORS,
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    NotOf,
    describe_fact,
    evaluate,
    paths_in,
)

Region = Literal["hip", "back", "foot_ankle", "muscle_balance", "footwear", "load", "body"]
REGIONS: Final[tuple[str, ...]] = Region.__args__  # type: ignore[attr-defined]

_THRESHOLD_WORDS: Final = {"lt": "under", "le": "at most", "gt": "over", "ge": "at least"}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: when the condition holds, it adds its weight."""

    id: str
    condition: Condition
    weight: float
    citation: str


@dataclass(frozen=True)
class ContributorRule:
    id: str
    region: str
    title: str
    explanation: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class PatternRule:
    id: str
    title: str
    summary: str
    advice: str
    safety: str
    required: tuple[Evidence, ...]
    base_fit: float
    supporting: tuple[Evidence, ...]
    against: tuple[Evidence, ...]


@dataclass(frozen=True)
class Knowledge:
    """Everything `assess` needs, loaded and validated from the data files."""

    contributors: tuple[ContributorRule, ...]
    patterns: tuple[PatternRule, ...]
    measures: MeasureRules


@dataclass(frozen=True)
class ContributorFinding:
    id: str
    region: str
    title: str
    explanation: str
    strength: float
    why: tuple[str, ...]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatternFinding:
    id: str
    title: str
    summary: str
    advice: str
    safety: str
    fit: float
    why: tuple[str, ...]
    against: tuple[str, ...]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """Patterns sorted by fit and contributors sorted by strength, strongest first."""

    patterns: tuple[PatternFinding, ...]
    contributors: tuple[ContributorFinding, ...]


NOTHING: Final = Assessment(patterns=(), contributors=())


def combine(weights: Iterable[float], start: float = 0.0) -> float:
    """Noisy-OR: the chance at least one independent piece of evidence is right."""
    remaining = 1.0 - start
    for weight in weights:
        remaining *= 1.0 - weight
    return min(1.0, max(0.0, 1.0 - remaining))


def assess(intake: Intake, knowledge: Knowledge) -> Assessment:
    """Score every contributor and pattern for one person's answers."""
    derived = derive_measures(intake, knowledge.measures)
    facts: dict[str, Any] = intake.facts()
    facts.update({path: fact.value for path, fact in derived.items()})
    scored = (score_contributor(rule, facts, derived) for rule in knowledge.contributors)
    contributors = [c for c in scored if c is not None]
    fitted = (fit_pattern(rule, facts, derived) for rule in knowledge.patterns)
    patterns = [p for p in fitted if p is not None]
    contributors.sort(key=lambda c: (-c.strength, c.id))
    patterns.sort(key=lambda p: (-p.fit, p.id))
    return Assessment(patterns=tuple(patterns), contributors=tuple(contributors))


def score_contributor(
    rule: ContributorRule, facts: Mapping[str, Any], derived: Mapping[str, DerivedFact]
) -> ContributorFinding | None:
    """The contributor's strength from the evidence that fired, or None when none did."""
    fired = [(item, reasons) for item in rule.evidence if (reasons := _fires(item, facts, derived))]
    if not fired:
        return None
    return ContributorFinding(
        id=rule.id,
        region=rule.region,
        title=rule.title,
        explanation=rule.explanation,
        strength=combine(item.weight for item, _ in fired),
        why=_unique(line for _, reasons in fired for line in reasons),
        evidence=tuple(item.id for item, _ in fired),
    )


def fit_pattern(
    rule: PatternRule, facts: Mapping[str, Any], derived: Mapping[str, DerivedFact]
) -> PatternFinding | None:
    """How well the answers fit a pattern, or None when a required feature is not present."""
    required = [_fires(item, facts, derived) for item in rule.required]
    if not all(required):
        return None
    supporting = [(item, r) for item in rule.supporting if (r := _fires(item, facts, derived))]
    against = [(item, r) for item in rule.against if (r := _fires(item, facts, derived))]
    fit = combine((item.weight for item, _ in supporting), start=rule.base_fit)
    for item, _ in against:
        fit *= 1.0 - item.weight
    return PatternFinding(
        id=rule.id,
        title=rule.title,
        summary=rule.summary,
        advice=rule.advice,
        safety=rule.safety,
        fit=fit,
        why=_unique(
            [line for reasons in required for line in reasons]
            + [line for _, reasons in supporting for line in reasons]
        ),
        against=_unique(line for _, reasons in against for line in reasons),
        evidence=tuple(item.id for item in rule.required)
        + tuple(item.id for item, _ in supporting)
        + tuple(f"against:{item.id}" for item, _ in against),
    )


def _fires(
    item: Evidence, facts: Mapping[str, Any], derived: Mapping[str, DerivedFact]
) -> tuple[str, ...]:
    """The why lines when the item's condition is true; empty when false or unknown."""
    outcome = evaluate(item.condition, facts)
    if outcome.truth is not True:
        return ()
    because = outcome.because or _answers_read(item.condition, facts)
    lines: list[str] = []
    for line in because:
        path = line.split(" = ", 1)[0]
        fact = derived.get(path)
        if fact is None:
            lines.append(line)
            continue
        lines.extend(fact.answers)
        lines.append(fact.text + _threshold_words(item.condition, path, fact))
    return _unique(lines)


def _answers_read(condition: Condition, facts: Mapping[str, Any]) -> tuple[str, ...]:
    """The answers a condition read, for a `not` that held (it names no answers itself)."""
    return tuple(
        describe_fact(path, facts[path])
        for path in paths_in(condition)
        if facts.get(path) is not None and facts[path] is not ABSENT
    )


def _threshold_words(condition: Condition, path: str, fact: DerivedFact) -> str:
    """ " (under 9 cm)" for the comparison that made a derived number count."""
    for leaf in leaves_of(condition):
        if leaf.path != path or leaf.op not in _THRESHOLD_WORDS:
            continue
        if OPERATORS[leaf.op](fact.value, leaf.value):
            unit = f" {fact.unit}" if fact.unit else ""
            return f" ({_THRESHOLD_WORDS[leaf.op]} {leaf.value:g}{unit})"
    return ""


def leaves_of(condition: Condition) -> Iterable[Leaf]:
    match condition:
        case Leaf():
            yield condition
        case AllOf(items) | AnyOf(items):
            for item in items:
                yield from leaves_of(item)
        case NotOf(item):
            yield from leaves_of(item)


def _unique(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lines))
