"""The intake question list (`intake_questions.yaml`), shared by the terminal wizard and the web.

Red-flag questions take their words from `red_flags.yaml`, so the safety wording lives in one
place. At load every path must be an answer of the intake document, every red-flag question
must sit in the first (safety) section, and every question must end up with words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.intake import answer_paths
from kneecoach.core.rules import Condition, parse_condition, paths_in
from kneecoach.data.files import read_yaml
from kneecoach.data.red_flags import load_red_flags

FILE = "intake_questions.yaml"

Kind = Literal[
    "yes_no",
    "whole_number",
    "number",
    "choice",
    "choices",
    "words",
    "left_right_number",
    "left_right_yes_no",
]
SIDED_KINDS = frozenset({"left_right_number", "left_right_yes_no"})
SNAKE_CASE = r"^[a-z][a-z0-9_]*$"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Entry):
    value: str
    label: str = Field(min_length=1)


class QuestionEntry(_Entry):
    path: str
    kind: Kind
    question: str | None = None
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    ask_when: dict[str, Any] | None = None
    self_test: str | None = Field(default=None, pattern=SNAKE_CASE)

    @model_validator(mode="after")
    def _choices_fit_kind(self) -> QuestionEntry:
        wants_choices = self.kind in ("choice", "choices")
        if wants_choices and not self.choices:
            raise ValueError(f"{self.path}: a {self.kind} question needs choices")
        if not wants_choices and self.choices:
            raise ValueError(f"{self.path}: only choice questions have choices")
        return self


class SectionEntry(_Entry):
    id: str = Field(pattern=SNAKE_CASE)
    title: str = Field(min_length=1)
    text: str | None = None
    questions: tuple[QuestionEntry, ...] = Field(min_length=1)


class QuestionsFile(_Entry):
    version: str = Field(min_length=1)
    sections: tuple[SectionEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Question:
    """One question, ready to ask: its words come from here or from the red-flag file."""

    path: str
    kind: Kind
    question: str
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    ask_when: Condition | None = None
    self_test: str | None = None
    red_flag: bool = False

    @property
    def sided(self) -> bool:
        return self.kind in SIDED_KINDS


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str | None
    questions: tuple[Question, ...]


def _answer_path_ok(entry: QuestionEntry, known: frozenset[str]) -> bool:
    if entry.kind in SIDED_KINDS:
        return f"{entry.path}.left" in known and f"{entry.path}.right" in known
    return entry.path in known


def build_sections(raw: Any) -> tuple[Section, ...]:
    """Validate a parsed question file and give every question its words."""
    try:
        parsed = QuestionsFile.model_validate(raw)
    except ValidationError as error:
        raise ValueError(f"{FILE} is not valid: {error}") from None
    red_flags = load_red_flags()
    red_flag_paths = set(red_flags.red_flag_paths())
    known = answer_paths()
    sections: list[Section] = []
    for section in parsed.sections:
        questions: list[Question] = []
        for entry in section.questions:
            where = f"{FILE}: {section.id}: {entry.path}"
            if not _answer_path_ok(entry, known):
                raise ValueError(f"{where}: not an answer of the intake document")
            words = red_flags.question_for(entry.path) or entry.question
            if not words:
                raise ValueError(f"{where}: has no question (here or in red_flags.yaml)")
            is_red_flag = entry.path in red_flag_paths
            if is_red_flag and entry.question:
                raise ValueError(f"{where}: red-flag words belong in red_flags.yaml")
            condition = None
            if entry.ask_when is not None:
                condition = parse_condition(entry.ask_when, f"{where}: ask_when")
                unknown = [p for p in paths_in(condition) if p not in known]
                if unknown:
                    raise ValueError(f"{where}: ask_when reads unknown answers {unknown}")
            questions.append(
                Question(
                    path=entry.path,
                    kind=entry.kind,
                    question=words.strip(),
                    help=entry.help.strip() if entry.help else None,
                    choices=entry.choices,
                    min=entry.min,
                    max=entry.max,
                    ask_when=condition,
                    self_test=entry.self_test,
                    red_flag=is_red_flag,
                )
            )
        sections.append(
            Section(
                id=section.id,
                title=section.title.strip(),
                text=section.text.strip() if section.text else None,
                questions=tuple(questions),
            )
        )
    safety = {q.path for q in sections[0].questions}
    outside = sorted(red_flag_paths - safety)
    if outside:
        raise ValueError(f"{FILE}: red-flag questions must be in the first section: {outside}")
    return tuple(sections)


@cache
def load_intake_questions() -> tuple[Section, ...]:
    """The packaged question list, validated once per process."""
    return build_sections(read_yaml(FILE))
