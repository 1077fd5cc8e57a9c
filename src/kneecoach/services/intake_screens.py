"""The web intake as screens: a few questions a screen, only those the answers so far make
relevant, and an honest count of the screens still to come.

`ScreenWizard` holds what the person has answered (kept even after Back, so going forward
again shows it) and the screens they have passed. Only the answers on passed screens make up
the intake; an empty row is "not sure" and is left out of it, never read as "no". The same
`IntakeSession` as the terminal's checks the document and stops at an emergency answer.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kneecoach.core.errors import InputError
from kneecoach.core.intake import SPEC_ID, parse_intake
from kneecoach.core.rules import evaluate
from kneecoach.core.triage import questions_that_apply
from kneecoach.core.units import Units
from kneecoach.data.intake_screens import GATE_PREFIX, IntakeScreens, Row, Screen
from kneecoach.data.intake_screens import load_intake_screens as _load
from kneecoach.data.red_flags import load_red_flags
from kneecoach.services.database import Session
from kneecoach.services.intake import (
    EmergencyStop,
    IntakeSession,
    SavedIntake,
    read_answer,
    save_intake,
    set_answer,
)
from kneecoach.services.units import answer_stored, asked_in

NONE_OF_THESE = "__none__"
"""The form value of the "None of these" box of a pick-all-that-fit row."""

FormAnswer = str | list[str]


def intake_screens() -> IntakeScreens:
    return _load()


@dataclass(frozen=True)
class Visit:
    """One screen as the person saw it: which screen, and which of its rows were shown."""

    screen: str
    rows: tuple[str, ...]


@dataclass(frozen=True)
class ScreenErrors:
    """The problems of one submitted screen, by row: all of them at once."""

    by_row: dict[str, InputError]


def in_units(rows: tuple[Row, ...], units: Units | None) -> tuple[Row, ...]:
    """The rows as asked in the person's units: the weight in lb, the distance on the shoes in
    miles, when they chose those (`services/units.asked_in`); stored in kg and km all the same."""
    if units is None:
        return rows
    return tuple(replace(row, question=asked_in(row.question, units)) for row in rows)


def read_row(row: Row, raw: FormAnswer, units: Units | None = None) -> Any:
    """The answer in one row of the form as a value (None = not sure), in kg or km when the
    row was asked in lb or miles. Raises InputError naming the row's answer when the text
    does not fit."""
    if units is not None:
        asked = asked_in(row.question, units)
        if asked is not row.question:
            said = raw[-1] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else ""
            return answer_stored(row.question, read_answer(asked, said), units)
    question = row.question
    if question.kind == "choices":
        picked = [raw] if isinstance(raw, str) and raw else list(raw) if raw else []
        if NONE_OF_THESE in picked:
            return []
        return read_answer(question, ",".join(picked)) if picked else None
    said = raw[-1] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else ""
    if not row.number_choices:
        return read_answer(question, said)
    value = read_answer(question, said, kind="whole_number")
    if value is not None and str(value) not in {choice.value for choice in question.choices}:
        raise InputError(question.path, "pick one of the answers shown")
    return value


@dataclass
class ScreenWizard:
    """The answers so far and the screens passed, in order."""

    answers: dict[str, Any] = field(default_factory=dict)
    visits: list[Visit] = field(default_factory=list)

    # ── what is known ──────────────────────────────────────────────────────────────────

    def asked(self) -> set[str]:
        return {key for visit in self.visits for key in visit.rows}

    def document(self) -> dict[str, Any]:
        """The intake document from the screens passed (memory of later screens left out)."""
        document: dict[str, Any] = {"spec": SPEC_ID}
        for key in sorted(self.asked()):
            value = self.answers.get(key)
            if value is not None and not key.startswith(GATE_PREFIX):
                set_answer(document, key, copy.deepcopy(value))
        return document

    def facts(self) -> dict[str, Any]:
        facts = parse_intake(self.document()).facts()
        asked = self.asked()
        for key, value in self.answers.items():
            if key.startswith(GATE_PREFIX) and key in asked and value is not None:
                facts[key] = value
        return facts

    # ── which screen comes next ────────────────────────────────────────────────────────

    def rows_due(self, screen: Screen, facts: Mapping[str, Any] | None = None) -> tuple[Row, ...]:
        """The rows of a screen still to ask that the answers so far make relevant."""
        facts = self.facts() if facts is None else facts
        asked = self.asked()
        due: list[Row] = []
        for row in screen.rows:
            if row.key in asked or row.key in (r.key for r in due):
                continue
            if row.when is None or evaluate(row.when, facts).truth is True:
                due.append(row)
        return tuple(due)

    def next_screen(self) -> tuple[Screen, tuple[Row, ...]] | None:
        facts = self.facts()
        for screen in intake_screens().screens:
            rows = self.rows_due(screen, facts)
            if rows:
                return screen, rows
        return None

    def progress(self, current: Screen) -> tuple[int, int]:
        """(this screen's number, about how many screens in all): the screens passed, this
        one, and the later ones the answers so far make relevant."""
        facts = self.facts()
        screens = intake_screens().screens
        start = next(i for i, s in enumerate(screens) if s.id == current.id) + 1
        later = sum(1 for s in screens[start:] if self.rows_due(s, facts))
        number = len(self.visits) + 1
        return number, number + later

    def safety_left(self, after: Screen) -> bool:
        """Whether a red-flag question that applies is still to come after this screen."""
        facts = self.facts()
        applies = {q.path for q in questions_that_apply(facts, load_red_flags())}
        screens = intake_screens().screens
        start = next(i for i, s in enumerate(screens) if s.id == after.id) + 1
        return any(row.key in applies for s in screens[start:] for row in self.rows_due(s, facts))

    # ── answering ──────────────────────────────────────────────────────────────────────

    def rows_of(self, screen_id: str, keys: tuple[str, ...]) -> tuple[Screen, tuple[Row, ...]]:
        """The screen and rows a form says it showed; InputError when they are not real."""
        try:
            screen = intake_screens().screen(screen_id)
        except KeyError:
            raise InputError("screen", f"{screen_id!r} is not a screen of the intake") from None
        rows = {row.key: row for row in screen.rows}
        unknown = [key for key in keys if key not in rows]
        if unknown or not keys:
            raise InputError("rows", f"the rows {unknown} are not on the screen {screen_id!r}")
        return screen, tuple(rows[key] for key in keys)

    def submit(
        self,
        screen: Screen,
        rows: tuple[Row, ...],
        form: Mapping[str, FormAnswer],
        units: Units | None = None,
    ) -> ScreenErrors | None:
        """Keep the answers of one screen; every problem is returned at once (and nothing is
        kept) when some row does not fit. A weight or distance is read in `units`, kept in
        kg or km."""
        problems: dict[str, InputError] = {}
        values: dict[str, Any] = {}
        for row in rows:
            try:
                values[row.key] = read_row(row, form.get(row.key, ""), units)
            except InputError as error:
                problems[row.key] = error
        if not problems:
            trial = ScreenWizard(
                {**self.answers, **values}, [*self.visits, Visit(screen.id, tuple(values))]
            )
            try:
                parse_intake(trial.document())
            except InputError as error:
                key = error.field if error.field in values else rows[0].key
                problems[key] = error
        if problems:
            return ScreenErrors(problems)
        self.answers.update(values)
        self.visits.append(Visit(screen.id, tuple(row.key for row in rows)))
        return None

    def back(self) -> tuple[Screen, tuple[Row, ...]] | None:
        """Step back one screen; its answers (and later ones) stay, to be shown again."""
        if not self.visits:
            return None
        visit = self.visits.pop()
        return self.rows_of(visit.screen, visit.rows)

    def session(self) -> IntakeSession:
        return IntakeSession(document=self.document(), asked=self.asked())

    def stop_if_emergency(self, *, session: Session) -> EmergencyStop | None:
        return self.session().stop_if_emergency(session=session)

    def finish(self, *, session: Session) -> SavedIntake:
        return save_intake(parse_intake(self.document()), session=session)

    # ── carrying the wizard in a form ──────────────────────────────────────────────────

    def as_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "visits": [[visit.screen, list(visit.rows)] for visit in self.visits],
        }

    @classmethod
    def from_json(cls, raw: Any) -> ScreenWizard:
        """Rebuild from `as_json`; InputError("state") when it is damaged."""
        damaged = InputError("state", "the answers in this form were damaged; start again")
        if not isinstance(raw, dict):
            raise damaged
        answers, visits = raw.get("answers"), raw.get("visits")
        if not isinstance(answers, dict) or not isinstance(visits, list):
            raise damaged
        wizard = cls(answers={str(k): v for k, v in answers.items()})
        try:
            for screen_id, keys in visits:
                screen, rows = wizard.rows_of(str(screen_id), tuple(str(k) for k in keys))
                wizard.visits.append(Visit(screen.id, tuple(row.key for row in rows)))
            parse_intake(wizard.document())
        except (InputError, TypeError, ValueError):
            raise damaged from None
        return wizard
