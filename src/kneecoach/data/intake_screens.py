"""The web intake's screens (`intake_screens.yaml`): the intake questions grouped for a phone.

Each row names a question of `intake_questions.yaml` (its words, kind and limits come from
there, so the terminal and the web ask the same thing), or a `gate`: a yes / no / not sure row
that only opens other rows. At load every question must sit on a screen (the self-tests
excepted: they are a later, optional step), every path and condition must be known, red-flag
words may not be changed, and worded choices may only stand for a number question's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneecoach.core.intake import answer_paths
from kneecoach.core.rules import AllOf, Condition, parse_condition, paths_in
from kneecoach.data.files import read_yaml
from kneecoach.data.intake_questions import Choice, Question, load_intake_questions

FILE = "intake_screens.yaml"
GATE_PREFIX = "gate."
SNAKE_CASE = r"^[a-z][a-z0-9_]*$"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberChoiceEntry(_Entry):
    value: int
    label: str = Field(min_length=1)


class GateEntry(_Entry):
    id: str = Field(pattern=SNAKE_CASE)
    question: str = Field(min_length=1)
    help: str | None = None


class RowEntry(_Entry):
    path: str | None = None
    gate: GateEntry | None = None
    when: dict[str, Any] | None = None
    question: str | None = None
    help: str | None = None
    choices: tuple[NumberChoiceEntry, ...] = ()


class ScreenEntry(_Entry):
    id: str = Field(pattern=SNAKE_CASE)
    title: str = Field(min_length=1)
    text: str | None = None
    when: dict[str, Any] | None = None
    rows: tuple[RowEntry, ...] = Field(min_length=1)


class EstimateEntry(_Entry):
    screens: int = Field(ge=1)
    minutes: int = Field(ge=1)
    seconds_per_row: int = Field(ge=1)
    basis: Literal["product-decision"]
    reason: str = Field(min_length=1)


class ScreensFile(_Entry):
    version: str = Field(min_length=1)
    estimate: EstimateEntry
    screens: tuple[ScreenEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Row:
    """One row of a screen: a question of the intake, or a gate (`question.path` is then
    ``gate.<id>`` and its kind `yes_no`; its answer is kept by the wizard, not the intake)."""

    question: Question
    when: Condition | None
    gate: bool = False
    number_choices: bool = False
    """The answer is a whole number shown as worded choices (swelling: none, mild ...)."""

    @property
    def key(self) -> str:
        return self.question.path


@dataclass(frozen=True)
class Screen:
    id: str
    title: str
    text: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Estimate:
    """What the start page promises: about this many screens and minutes (a row takes about
    `seconds_per_row` to read and answer)."""

    screens: int
    minutes: int
    seconds_per_row: int


@dataclass(frozen=True)
class IntakeScreens:
    estimate: Estimate
    screens: tuple[Screen, ...]

    def screen(self, screen_id: str) -> Screen:
        for screen in self.screens:
            if screen.id == screen_id:
                return screen
        raise KeyError(screen_id)


def _questions_by_path() -> dict[str, Question]:
    """Each question once. A path asked twice by the terminal (once as a safety question
    after an injury, once for everyone) keeps its unconditional form: a screen adds its own
    condition where it wants one."""
    found: dict[str, Question] = {}
    for section in load_intake_questions():
        for question in section.questions:
            if question.path not in found or question.ask_when is None:
                found[question.path] = question
    return found


def _row(entry: RowEntry, where: str, questions: dict[str, Question]) -> Row:
    if (entry.path is None) == (entry.gate is None):
        raise ValueError(f"{where}: a row has either a path or a gate")
    if entry.gate is not None:
        if entry.question or entry.choices:
            raise ValueError(f"{where}: a gate has its words inside `gate`")
        gate = Question(
            path=GATE_PREFIX + entry.gate.id,
            kind="yes_no",
            question=entry.gate.question.strip(),
            help=entry.gate.help.strip() if entry.gate.help else None,
        )
        return Row(gate, None, gate=True)
    assert entry.path is not None
    question = questions.get(entry.path)
    if question is None:
        raise ValueError(f"{where}: {entry.path} is not a question of intake_questions.yaml")
    if question.self_test is not None:
        raise ValueError(f"{where}: self-tests are not part of the intake screens")
    if question.red_flag and entry.question:
        raise ValueError(f"{where}: red-flag words belong in red_flags.yaml")
    choices = question.choices
    kind = question.kind
    if entry.choices:
        if question.kind != "whole_number":
            raise ValueError(f"{where}: worded choices stand only for a whole-number answer")
        for choice in entry.choices:
            low, high = question.min, question.max
            too_low = low is not None and choice.value < low
            if too_low or (high is not None and choice.value > high):
                raise ValueError(f"{where}: choice {choice.value} is outside the answer's range")
        choices = tuple(Choice(value=str(c.value), label=c.label) for c in entry.choices)
        kind = "choice"
    return Row(
        Question(
            path=question.path,
            kind=kind,
            question=(entry.question or question.question).strip(),
            help=(entry.help or question.help or "").strip() or None,
            choices=choices,
            min=question.min,
            max=question.max,
            ask_when=question.ask_when,
            red_flag=question.red_flag,
        ),
        None,
        number_choices=bool(entry.choices),
    )


def _condition(raw: dict[str, Any] | None, where: str, known: set[str]) -> Condition | None:
    if raw is None:
        return None
    condition = parse_condition(raw, where)
    unknown = [p for p in paths_in(condition) if p not in known]
    if unknown:
        raise ValueError(f"{where}: reads unknown answers {unknown}")
    return condition


def build_screens(raw: Any) -> IntakeScreens:
    """Validate a parsed screens file against the question list."""
    try:
        parsed = ScreensFile.model_validate(raw)
    except ValidationError as error:
        raise ValueError(f"{FILE} is not valid: {error}") from None
    questions = _questions_by_path()
    gates = {
        GATE_PREFIX + row.gate.id for s in parsed.screens for row in s.rows if row.gate is not None
    }
    known = set(answer_paths()) | gates
    screens: list[Screen] = []
    seen_ids: set[str] = set()
    placed: set[str] = set()
    for screen in parsed.screens:
        if screen.id in seen_ids:
            raise ValueError(f"{FILE}: screen {screen.id} comes twice")
        seen_ids.add(screen.id)
        screen_when = _condition(screen.when, f"{FILE}: {screen.id}: when", known)
        rows: list[Row] = []
        for number, entry in enumerate(screen.rows, start=1):
            where = f"{FILE}: {screen.id}: row {number}"
            row = _row(entry, where, questions)
            own = _condition(entry.when, f"{where}: when", known)
            parts = [c for c in (screen_when, own or row.question.ask_when) if c is not None]
            when = None if not parts else parts[0] if len(parts) == 1 else AllOf(tuple(parts))
            rows.append(Row(row.question, when, row.gate, row.number_choices))
            placed.add(row.key)
        screens.append(
            Screen(
                id=screen.id,
                title=screen.title.strip(),
                text=screen.text.strip() if screen.text else None,
                rows=tuple(rows),
            )
        )
    unplaced = sorted(p for p, q in questions.items() if q.self_test is None and p not in placed)
    if unplaced:
        raise ValueError(f"{FILE}: these questions are on no screen: {unplaced}")
    estimate = Estimate(
        parsed.estimate.screens, parsed.estimate.minutes, parsed.estimate.seconds_per_row
    )
    return IntakeScreens(estimate=estimate, screens=tuple(screens))


@cache
def load_intake_screens() -> IntakeScreens:
    """The packaged screens, validated once per process."""
    return build_screens(read_yaml(FILE))
