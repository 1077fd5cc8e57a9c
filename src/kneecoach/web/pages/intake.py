"""The intake wizard: safety questions first, one per screen; an emergency answer stops it.

The answers so far travel with the form in a hidden field (nothing is stored until the end),
so the wizard works without JavaScript and without cookies, and Back simply undoes the last
answer. Each answer is checked by the same `IntakeSession` the terminal wizard uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.data.intake_questions import Question, Section
from kneecoach.data.self_tests import SelfTest, find_self_test
from kneecoach.services import intake as intake_service
from kneecoach.services.database import Session
from kneecoach.services.intake import IntakeSession, answer_at
from kneecoach.services.triage import level_meaning
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text, texts
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Start", "/intake", 10)

NOT_SURE = ""
NONE_OF_THESE = "__none__"


@dataclass(frozen=True)
class WizardState:
    """What the person has answered so far, in the order they answered it."""

    document: dict[str, Any]
    order: tuple[str, ...]

    def encode(self) -> str:
        return json.dumps({"document": self.document, "order": list(self.order)})

    def session(self) -> IntakeSession:
        return IntakeSession(document=json.loads(json.dumps(self.document)), asked=set(self.order))

    @classmethod
    def fresh(cls) -> WizardState:
        return cls(IntakeSession().document, ())

    @classmethod
    def decode(cls, raw: str) -> WizardState:
        if not raw:
            return cls.fresh()
        try:
            parsed = json.loads(raw)
            document, order = parsed["document"], parsed["order"]
        except (ValueError, KeyError, TypeError):
            raise InputError(
                "state", "the answers in this form were damaged; start again"
            ) from None
        if not isinstance(document, dict) or not isinstance(order, list):
            raise InputError("state", "the answers in this form were damaged; start again")
        return cls(document, tuple(str(path) for path in order))


def forget_answer(document: dict[str, Any], path: str) -> None:
    *parents, leaf = path.split(".")
    node: Any = document
    for name in parents:
        node = node.get(name) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(leaf, None)


def _all_questions() -> list[tuple[Section, Question]]:
    return [(s, q) for s in intake_service.intake_sections() for q in s.questions]


def _find(path: str) -> tuple[Section, Question]:
    for section, question in _all_questions():
        if question.path == path:
            return section, question
    raise InputError("path", f"{path!r} is not one of the intake questions")


def _safety_section_id() -> str:
    return intake_service.intake_sections()[0].id


@router.get("/intake", response_class=HTMLResponse)
def intake_start(request: Request) -> HTMLResponse:
    sections = intake_service.intake_sections()
    return render(
        request,
        "intake/start.html",
        {"title": "Tell us about your knee", "sections": sections, "state": ""},
    )


@router.post("/intake", response_model=None)
def intake_step(request: Request, values: FormDep, session: SessionDep) -> Response:
    try:
        state = WizardState.decode(text(values, "state"))
    except InputError as error:
        return render(
            request,
            "intake/start.html",
            {
                "title": "Tell us about your knee",
                "sections": intake_service.intake_sections(),
                "state": "",
                "problem": error.problem,
            },
            status_code=422,
        )
    wizard = state.session()
    order = list(state.order)
    action = text(values, "action") or "next"
    path = text(values, "path")

    if action == "back" and order:
        previous = order.pop()
        before = answer_at(wizard.document, previous)
        forget_answer(wizard.document, previous)
        new_state = WizardState(wizard.document, tuple(order))
        section, question = _find(previous)
        return _question_page(request, new_state, section, question, _prefill(question, before))

    if path and action in ("next", "skip_section", "finish"):
        section, question = _find(path)
        if action == "next":
            try:
                value = read_form_answer(question, values)
                wizard.answer(question, value)
            except InputError as error:
                errors = FormErrors()
                errors.add("answer", in_web_words(error))
                return _question_page(
                    request, state, section, question, values, errors, status_code=422
                )
            order.append(question.path)
        elif section.id != _safety_section_id():
            for later in section.questions:
                if later.path not in wizard.asked:
                    wizard.asked.add(later.path)
                    order.append(later.path)
        stop = wizard.stop_if_emergency(session=session)
        if stop is not None:
            return render(
                request,
                "intake/emergency.html",
                {
                    "title": "Get help now",
                    "level": level_meaning("emergency", session=session),
                    "flags": stop.flags,
                    "age": answer_at(wizard.document, "person.age"),
                    "saved_version": stop.saved.version,
                    # A mis-tap can be undone: "back" forgets the last answer and asks it again.
                    "state": WizardState(wizard.document, tuple(order)).encode(),
                    "last_question": _find(order[-1])[1].question if order else None,
                },
            )
        if action == "finish" and _safety_done(wizard):
            return _finish(wizard, session)

    new_state = WizardState(wizard.document, tuple(order))
    upcoming = next(iter(wizard.next_questions()), None)
    if upcoming is None:
        return _finish(wizard, session)
    return _question_page(request, new_state, *upcoming, values={})


def _safety_done(wizard: IntakeSession) -> bool:
    return all(section.id != _safety_section_id() for section, _ in wizard.next_questions())


def _finish(wizard: IntakeSession, session: Session) -> Response:
    intake_service.save_intake(wizard.intake(), session=session)
    return RedirectResponse("/results?new=1", status_code=303)


def read_form_answer(question: Question, values: FormValues) -> Any:
    """The answer on the form as a value of the intake document (None = not sure)."""
    if question.kind == "choices":
        picked = texts(values, "answer")
        if NONE_OF_THESE in picked:
            return []
        return intake_service.read_answer(question, ",".join(picked)) if picked else None
    if question.sided:
        side_kind = "number" if question.kind == "left_right_number" else "yes_no"
        sides = {}
        for side in ("left", "right"):
            raw = text(values, f"answer_{side}")
            try:
                value = intake_service.read_answer(question, raw, kind=side_kind)
            except InputError as error:
                raise InputError(question.path, f"{side} side: {error.problem}") from None
            if value is not None:
                sides[side] = value
        return sides or None
    return intake_service.read_answer(question, text(values, "answer"))


def _prefill(question: Question, value: Any) -> FormValues:
    """The form values that show a stored answer again (after Back)."""
    if value is None:
        return {}
    if question.kind == "choices":
        return {"answer": [str(v) for v in value] or [NONE_OF_THESE]}
    if question.sided and isinstance(value, dict):
        return {f"answer_{side}": _as_text(v) for side, v in value.items()}
    if question.kind == "words" and isinstance(value, list):
        return {"answer": ", ".join(value)}
    return {"answer": _as_text(value)}


def _as_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _question_page(
    request: Request,
    state: WizardState,
    section: Section,
    question: Question,
    values: FormValues,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    sections = intake_service.intake_sections()
    section_number = next(i for i, s in enumerate(sections, start=1) if s.id == section.id)
    position = next(i for i, q in enumerate(section.questions, start=1) if q is question)
    self_test: SelfTest | None = None
    if question.self_test:
        try:
            self_test = find_self_test(question.self_test)
        except NotFoundError:  # the question is still asked, without the how-to
            self_test = None
    is_safety = section.id == _safety_section_id()
    return render(
        request,
        "intake/question.html",
        {
            "title": section.title,
            "section": section,
            "section_number": section_number,
            "section_count": len(sections),
            "position": position,
            "question": question,
            "self_test": self_test,
            "state": state.encode(),
            "values": values,
            "errors": errors or FormErrors(),
            "can_go_back": bool(state.order),
            "is_safety": is_safety,
            "can_finish": not is_safety,
            "none_value": NONE_OF_THESE,
        },
        status_code=status_code,
    )
