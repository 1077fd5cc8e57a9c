"""Loaders for contributors.yaml and patterns.yaml: validated once, built into core rules.

A mistake in these files is a packaging bug, so it fails loudly at load, naming the entry. The
data tests load them, so a bad edit never reaches a person.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.assessment import (
    REGIONS,
    ContributorRule,
    Evidence,
    Knowledge,
    PatternRule,
)
from kneecoach.core.measures import MeasureRules
from kneecoach.core.rules import Condition, parse_condition
from kneecoach.core.vocabulary import CONTRIBUTORS, PATTERNS
from kneecoach.data.files import read_yaml
from kneecoach.data.self_tests import load_chair_stand_norms

CONTRIBUTORS_FILE = "contributors.yaml"
PATTERNS_FILE = "patterns.yaml"

#: The ids the spec (shared/spec/intake.md) fixes; the files must hold at least these.
SPEC_CONTRIBUTOR_IDS = CONTRIBUTORS
SPEC_PATTERN_IDS = PATTERNS

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Weight = Annotated[float, Field(gt=0, le=1)]
AgainstWeight = Annotated[float, Field(gt=0, lt=1)]
Fraction = Annotated[float, Field(gt=0, lt=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Model):
    source: str | None = None
    basis: Literal["product-decision"] | None = None

    @model_validator(mode="after")
    def _has_source_or_basis(self) -> Self:
        if not (self.source or self.basis):
            raise ValueError("give a source or basis: product-decision")
        return self

    @property
    def citation(self) -> str:
        parts = [self.source or ""]
        if self.basis:
            parts.append("(kneecoach product decision)")
        return " ".join(p for p in parts if p).strip()


class _Conditional(_Cited):
    id: Id
    when: dict[str, Any]

    @model_validator(mode="after")
    def _condition_parses(self) -> Self:
        parse_condition(self.when, f"{self.id}.when")
        return self

    @property
    def condition(self) -> Condition:
        return parse_condition(self.when, f"{self.id}.when")


class EvidenceEntry(_Conditional):
    weight: Weight


class RequiredEntry(_Conditional):
    """A feature a pattern needs: the pattern fits only when every one of these holds."""


class AgainstEntry(_Conditional):
    weight: AgainstWeight


class ContributorEntry(_Model):
    region: Literal["hip", "back", "foot_ankle", "muscle_balance", "footwear", "load", "body"]
    title: str
    explanation: str
    evidence: list[EvidenceEntry] = Field(min_length=1)


class MeasureSetting(_Cited):
    value: int


class Measures(_Model):
    bmi_min_age: MeasureSetting


class ContributorsFile(_Model):
    version: str
    measures: Measures
    contributors: dict[Id, ContributorEntry]


class PatternEntry(_Model):
    title: str
    summary: str
    advice: str
    safety: str
    base_fit: Fraction
    required: list[RequiredEntry] = Field(min_length=1)
    supporting: list[EvidenceEntry] = Field(default_factory=list)
    against: list[AgainstEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _never_a_diagnosis(self) -> Self:
        if "fit a pattern often called" not in " ".join(self.summary.split()):
            raise ValueError('summary must say "Your answers fit a pattern often called …"')
        return self


class PatternsFile(_Model):
    version: str
    patterns: dict[Id, PatternEntry]


def _validated(model: type[BaseModel], name: str) -> Any:
    try:
        return model.model_validate(read_yaml(name))
    except ValidationError as error:
        raise RuntimeError(f"{name} is not valid: {error}") from error


@functools.cache
def load_contributors_file() -> ContributorsFile:
    parsed: ContributorsFile = _validated(ContributorsFile, CONTRIBUTORS_FILE)
    assert set(REGIONS) >= {c.region for c in parsed.contributors.values()}
    _check_unique_evidence_ids(
        CONTRIBUTORS_FILE, {k: c.evidence for k, c in parsed.contributors.items()}
    )
    return parsed


@functools.cache
def load_patterns_file() -> PatternsFile:
    parsed: PatternsFile = _validated(PatternsFile, PATTERNS_FILE)
    _check_unique_evidence_ids(
        PATTERNS_FILE,
        {k: [*p.required, *p.supporting, *p.against] for k, p in parsed.patterns.items()},
    )
    return parsed


def _check_unique_evidence_ids(name: str, groups: dict[str, list[Any]]) -> None:
    for owner, items in groups.items():
        ids = [item.id for item in items]
        if len(ids) != len(set(ids)):
            raise RuntimeError(f"{name}: {owner} repeats an evidence id: {sorted(ids)}")


def _evidence(entry: _Conditional, weight: float) -> Evidence:
    return Evidence(id=entry.id, condition=entry.condition, weight=weight, citation=entry.citation)


@functools.cache
def load_assessment_knowledge() -> Knowledge:
    """Contributors, patterns and measure settings, ready for `core.assessment.assess`."""
    contributors = load_contributors_file()
    patterns = load_patterns_file()
    return Knowledge(
        contributors=tuple(
            ContributorRule(
                id=key,
                region=entry.region,
                title=entry.title,
                explanation=entry.explanation,
                evidence=tuple(_evidence(e, e.weight) for e in entry.evidence),
            )
            for key, entry in contributors.contributors.items()
        ),
        patterns=tuple(
            PatternRule(
                id=key,
                title=entry.title,
                summary=" ".join(entry.summary.split()),
                advice=" ".join(entry.advice.split()),
                safety=" ".join(entry.safety.split()),
                required=tuple(_evidence(e, 1.0) for e in entry.required),
                base_fit=entry.base_fit,
                supporting=tuple(_evidence(e, e.weight) for e in entry.supporting),
                against=tuple(_evidence(e, e.weight) for e in entry.against),
            )
            for key, entry in patterns.patterns.items()
        ),
        measures=MeasureRules(
            chair_stand=load_chair_stand_norms(),
            bmi_min_age=contributors.measures.bmi_min_age.value,
        ),
    )
