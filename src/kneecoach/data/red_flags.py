"""The red-flag knowledge file (`red_flags.yaml`), validated into the core's triage rules.

Checked at load: every level, id and answer path exists, every rule says where it comes from,
and each condition parses. A mistake names the rule and the field, so a clinician editing the
file sees what to fix.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.country import PLACEHOLDERS, placeholders_in
from kneecoach.core.intake import answer_paths
from kneecoach.core.rules import Condition, parse_condition, paths_in
from kneecoach.core.triage import (
    LEVELS,
    Level,
    QuestionGroup,
    RedFlagRule,
    RedFlagRules,
    SafetyQuestion,
    UnansweredAdvice,
)
from kneecoach.data.files import read_yaml

FILE = "red_flags.yaml"

LevelName = Literal["emergency", "urgent", "soon", "self_care"]
FlagLevel = Literal["emergency", "urgent", "soon"]
SNAKE_CASE = r"^[a-z][a-z0-9_]*$"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelEntry(_Entry):
    id: LevelName
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    advice: str = Field(min_length=1)

    @model_validator(mode="after")
    def _named_services(self) -> LevelEntry:
        _check_placeholders(self.summary, f"level {self.id}: summary")
        _check_placeholders(self.advice, f"level {self.id}: advice")
        return self


class QuestionEntry(_Entry):
    path: str
    question: str = Field(min_length=1)


class GroupEntry(_Entry):
    group: str = Field(pattern=SNAKE_CASE)
    applies_when: dict[str, Any] | None = None
    questions: list[QuestionEntry] = Field(min_length=1)


class UnansweredEntry(_Entry):
    title: str = Field(min_length=1)
    level: FlagLevel
    advice: str = Field(min_length=1)
    source: str = Field(min_length=3)
    basis: Literal["product-decision"] | None = None


class RuleEntry(_Entry):
    id: str = Field(pattern=SNAKE_CASE)
    title: str = Field(min_length=1)
    level: FlagLevel
    pathway: Literal["after_surgery", "child_under_9", "calming"] | None = None
    when: dict[str, Any]
    advice: str = Field(min_length=1)
    source: str = Field(min_length=3)
    basis: Literal["product-decision"] | None = None

    @model_validator(mode="after")
    def _named_services(self) -> RuleEntry:
        _check_placeholders(self.advice, f"rule {self.id}: advice")
        return self


def _check_placeholders(text: str, where: str) -> None:
    """Advice may name services only through the country placeholders (countries.yaml)."""
    try:
        used = placeholders_in(text)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    unknown = sorted(set(used) - set(PLACEHOLDERS))
    if unknown:
        raise ValueError(
            f"{where}: unknown placeholder {', '.join(unknown)}; use {', '.join(PLACEHOLDERS)}"
        )


class RedFlagsFile(_Entry):
    version: str = Field(min_length=1)
    levels: list[LevelEntry]
    unanswered: UnansweredEntry
    red_flag_questions: list[GroupEntry] = Field(min_length=1)
    rules: list[RuleEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RedFlagsFile:
        if tuple(level.id for level in self.levels) != LEVELS:
            raise ValueError(f"levels must be listed in this order: {', '.join(LEVELS)}")
        ids = [rule.id for rule in self.rules]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise ValueError(f"rule ids must be unique, repeated: {', '.join(doubled)}")
        paths = [q.path for group in self.red_flag_questions for q in group.questions]
        doubled = sorted({p for p in paths if paths.count(p) > 1})
        if doubled:
            raise ValueError(f"a red-flag question is listed twice: {', '.join(doubled)}")
        return self


def _condition(raw: dict[str, Any], where: str) -> Condition:
    condition = parse_condition(raw, where)
    known = answer_paths()
    unknown = [path for path in paths_in(condition) if path not in known]
    if unknown:
        raise ValueError(f"{where}: no such answer path: {', '.join(unknown)}")
    return condition


def build_rules(raw: Any) -> RedFlagRules:
    """Validate a parsed red-flags document and turn it into the core's rules."""
    try:
        parsed = RedFlagsFile.model_validate(raw)
    except ValidationError as error:
        raise ValueError(f"{FILE} is not valid: {error}") from None
    known = answer_paths()
    groups: list[QuestionGroup] = []
    for group in parsed.red_flag_questions:
        for question in group.questions:
            if question.path not in known:
                raise ValueError(f"{FILE}: red-flag question {question.path!r} is not an answer")
        applies = (
            None
            if group.applies_when is None
            else _condition(group.applies_when, f"{FILE}: group {group.group}: applies_when")
        )
        questions = tuple(SafetyQuestion(q.path, q.question.strip()) for q in group.questions)
        groups.append(QuestionGroup(group.group, questions, applies))
    rules = tuple(
        RedFlagRule(
            id=rule.id,
            title=rule.title.strip(),
            level=rule.level,
            when=_condition(rule.when, f"{FILE}: rule {rule.id}: when"),
            advice=rule.advice.strip(),
            source=rule.source.strip(),
            basis=rule.basis,
            pathway=rule.pathway,
        )
        for rule in parsed.rules
    )
    levels = tuple(
        Level(level.id, level.title.strip(), level.summary.strip(), level.advice.strip())
        for level in parsed.levels
    )
    unanswered = UnansweredAdvice(
        title=parsed.unanswered.title.strip(),
        level=parsed.unanswered.level,
        advice=parsed.unanswered.advice.strip(),
        source=parsed.unanswered.source.strip(),
        basis=parsed.unanswered.basis,
    )
    return RedFlagRules(parsed.version, levels, tuple(groups), rules, unanswered)


@cache
def load_red_flags() -> RedFlagRules:
    """The packaged red-flag rules, validated once per process, with placeholders unfilled
    (``RedFlagRules.in_words_of`` fills them for one country)."""
    return build_rules(read_yaml(FILE))
