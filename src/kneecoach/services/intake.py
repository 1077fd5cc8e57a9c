"""The intake as use cases: ask the questions, keep the answers, save each intake as a version.

`IntakeSession` holds the answers while a person goes through the questions (terminal or
web): it asks the safety questions first, checks each answer against the intake document,
and says the moment an emergency flag fires, so the interface can stop and show the advice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kneecoach.core.errors import LEAVE_EMPTY, ConflictError, InputError, NotFoundError
from kneecoach.core.intake import SPEC_ID, Intake, parse_intake
from kneecoach.core.rules import evaluate
from kneecoach.core.triage import Flag, TriageResult, fired_flags
from kneecoach.data.intake_questions import Question, Section, load_intake_questions
from kneecoach.services.triage import red_flag_rules, triage_intake
from kneecoach.storage.models.intakes import IntakeRecord

NOT_SURE_WORDS = frozenset({"", "?", "not sure", "notsure", "unsure", "ns", "skip", "s", "-"})
YES_WORDS = frozenset({"y", "yes", "true", "1"})
NO_WORDS = frozenset({"n", "no", "false", "0"})
NONE_WORDS = frozenset({"none", "nothing", "no"})


# ── Reading one typed answer ──────────────────────────────────────────────────────────────


def intake_sections() -> tuple[Section, ...]:
    """The questions in the order they are asked, safety first."""
    return load_intake_questions()


def read_answer(question: Question, text: str, kind: str | None = None) -> Any:
    """Turn what a person typed into the answer's value; None means "not sure" (unknown).

    `kind` overrides the question's kind (one side of a left/right question is a number or a
    yes/no). Raises InputError naming the answer when the text does not fit.
    """
    kind = kind or question.kind
    said = " ".join(text.strip().lower().split())
    if said in NOT_SURE_WORDS:
        return None
    if kind == "yes_no":
        if said in YES_WORDS:
            return True
        if said in NO_WORDS:
            return False
        raise InputError(question.path, "answer yes, no, or not sure")
    if kind in ("whole_number", "number"):
        return _read_number(question, said, whole=kind == "whole_number")
    if kind == "choice":
        return _read_choice(question, said)
    if kind == "choices":
        if said in NONE_WORDS:
            return []
        picked = [_read_choice(question, part) for part in _split(said)]
        return list(dict.fromkeys(picked))
    if kind == "words":
        if said in NONE_WORDS:
            return []
        return list(dict.fromkeys(part.replace(" ", "_") for part in _split(said)))
    raise InputError(question.path, f"cannot read a {kind} answer here")  # pragma: no cover


def _split(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    return [p for p in parts if p]


def _read_number(question: Question, said: str, *, whole: bool) -> int | float:
    try:
        value: int | float = int(said) if whole else float(said)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise InputError(question.path, f"give {kind}", hint=LEAVE_EMPTY) from None
    if not whole and float(value).is_integer():
        value = int(value)
    if question.min is not None and value < question.min:
        raise InputError(question.path, f"must be at least {_show(question.min)}")
    if question.max is not None and value > question.max:
        raise InputError(question.path, f"must be at most {_show(question.max)}")
    return value


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _read_choice(question: Question, said: str) -> str:
    for number, choice in enumerate(question.choices, start=1):
        if said in (str(number), choice.value.lower(), choice.label.lower()):
            return choice.value
    options = ", ".join(f"{n} {c.label}" for n, c in enumerate(question.choices, start=1))
    raise InputError(question.path, f"pick one of: {options}")


# ── One person going through the questions ────────────────────────────────────────────────


def set_answer(document: dict[str, Any], path: str, value: Any) -> None:
    """Put an answer at a dotted path of an intake document, making the sections it needs."""
    *parents, leaf = path.split(".")
    node = document
    for name in parents:
        node = node.setdefault(name, {})
    node[leaf] = value


def _unset(document: dict[str, Any], path: str) -> None:
    *parents, leaf = path.split(".")
    node: Any = document
    for name in parents:
        node = node.get(name) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(leaf, None)


def answer_at(document: Mapping[str, Any], path: str) -> Any:
    """The answer at a dotted path of an intake document (``signs.warm``); None when not given."""
    node: Any = document
    for name in path.split("."):
        if not isinstance(node, Mapping) or name not in node:
            return None
        node = node[name]
    return node


@dataclass
class IntakeSession:
    """The answers so far; each answer is checked against the intake document as it comes."""

    document: dict[str, Any] = field(default_factory=lambda: {"spec": SPEC_ID})
    asked: set[str] = field(default_factory=set)

    def next_questions(self) -> Iterator[tuple[Section, Question]]:
        """The questions still to ask, in order; conditions are checked against the answers
        given by the time each question comes up."""
        for section in intake_sections():
            for question in section.questions:
                if question.path in self.asked:
                    continue
                if question.ask_when is not None:
                    facts = self.intake().facts()
                    if evaluate(question.ask_when, facts).truth is not True:
                        continue
                yield section, question

    def answer(self, question: Question, value: Any) -> None:
        """Keep an answer (None = not sure); an answer the document rejects raises InputError."""
        self.asked.add(question.path)
        before = answer_at(self.document, question.path)
        if value is None:
            _unset(self.document, question.path)
            return
        set_answer(self.document, question.path, value)
        try:
            parse_intake(self.document)
        except InputError:
            if before is None:
                _unset(self.document, question.path)
            else:
                set_answer(self.document, question.path, before)
            self.asked.discard(question.path)
            raise

    def skip(self, question: Question) -> None:
        self.answer(question, None)

    def intake(self) -> Intake:
        return parse_intake(self.document)

    def emergency_flags(self, *, session: Session) -> tuple[Flag, ...]:
        """Emergency flags the answers so far already fire (unknowns are not evidence)."""
        flags = fired_flags(self.intake().facts(), red_flag_rules(session=session))
        return tuple(flag for flag in flags if flag.level == "emergency")

    def result(self, *, session: Session) -> TriageResult:
        return triage_intake(self.intake(), session=session)

    def stop_if_emergency(self, *, session: Session) -> EmergencyStop | None:
        """The one rule for an emergency answer, in every interface: stop asking, and keep the
        answers given so far as a new intake version (the clinician's record, and the reason
        every page now shows the emergency advice). None when no emergency flag fires."""
        flags = self.emergency_flags(session=session)
        if not flags:
            return None
        saved = save_intake(self.intake(), self.result(session=session), session=session)
        return EmergencyStop(flags=flags, saved=saved)


@dataclass(frozen=True)
class EmergencyStop:
    """The wizard stopped at an emergency answer: the flags, and the partial intake kept."""

    flags: tuple[Flag, ...]
    saved: SavedIntake


# ── Saving and reading intakes ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SavedIntake:
    id: int
    version: int
    recorded_at: datetime
    spec: str
    answers: dict[str, Any]
    triage: dict[str, Any]
    assessment: dict[str, Any] | None

    def intake(self) -> Intake:
        return parse_intake(self.answers)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "recorded_at": self.recorded_at.isoformat(),
            "spec": self.spec,
            "answers": self.answers,
            "triage": self.triage,
            "assessment": self.assessment,
        }


def _saved(record: IntakeRecord) -> SavedIntake:
    recorded = record.recorded_at
    if recorded.tzinfo is None:  # SQLite gives naive datetimes back; they were stored as UTC
        recorded = recorded.replace(tzinfo=UTC)
    return SavedIntake(
        id=record.id,
        version=record.version,
        recorded_at=recorded,
        spec=record.spec,
        answers=dict(record.answers),
        triage=dict(record.triage),
        assessment=None if record.assessment is None else dict(record.assessment),
    )


def save_intake(
    intake: Intake,
    result: TriageResult | None = None,
    assessment: Mapping[str, Any] | None = None,
    *,
    session: Session,
) -> SavedIntake:
    """Save an intake as the next version, with its triage and assessment (worked out here
    when not given), so what the person was told is kept next to what they answered."""
    if assessment is None:
        from kneecoach.services.assessment import assess_intake

        report = assess_intake(intake, session=session)
        assessment = report.as_json()
        result = result if result is not None else report.triage
    result = result if result is not None else triage_intake(intake, session=session)
    try:
        newest = session.scalar(select(func.max(IntakeRecord.version)))
        record = IntakeRecord(
            version=(newest or 0) + 1,
            spec=intake.spec,
            answers=intake.model_dump(mode="json", exclude_none=True),
            triage=result.as_json(),
            assessment=None if assessment is None else dict(assessment),
        )
        session.add(record)
        session.flush()
        return _saved(record)
    except IntegrityError:
        raise ConflictError("another intake was saved at the same moment; try again") from None


def import_intake(raw: Any, *, session: Session) -> SavedIntake:
    """Validate an intake document, triage it and save it as the next version."""
    return save_intake(parse_intake(raw), session=session)


def latest_intake(*, session: Session) -> SavedIntake | None:
    record = session.scalar(select(IntakeRecord).order_by(IntakeRecord.version.desc()).limit(1))
    return None if record is None else _saved(record)


def list_intakes(*, session: Session) -> tuple[SavedIntake, ...]:
    """Every saved intake, oldest first."""
    records = session.scalars(select(IntakeRecord).order_by(IntakeRecord.version))
    return tuple(_saved(record) for record in records)


# ── How to do a self-test (from the assessment's self-test file, when it has the test) ───


@dataclass(frozen=True)
class SelfTestGuide:
    """What to show before asking a self-test result: how to do it, what a pass is, safety."""

    name: str
    steps: tuple[str, ...]
    notes: tuple[str, ...] = ()


def self_test_guide(test_id: str) -> SelfTestGuide | None:
    """The guide for one self-test from `data/self_tests.yaml`, or None when it has none.

    The self-test file belongs to the assessment; the wizard keeps working without an entry.
    """
    from kneecoach.data.self_tests import find_self_test

    try:
        test = find_self_test(test_id)
    except NotFoundError:
        return None
    notes = (f"You need: {test.kit.text}", test.pass_.text, *test.safety)
    return SelfTestGuide(name=test.title, steps=tuple(test.steps), notes=notes)
