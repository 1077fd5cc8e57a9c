"""Improve your plan: a self-test done after the intake (that day or another), kept with the
saved intake, and the plan made again with it.

The intake itself no longer asks the self-tests, so it stays short. Each result is added to
the newest intake's `self_tests` as a new intake version (the earlier answers are kept as
they were), and when a plan exists it is made again from that version, from the same day 1.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.core.intake import parse_intake
from kneecoach.data.intake_questions import Question, load_intake_questions
from kneecoach.data.self_tests import SelfTest, find_self_test, load_self_tests
from kneecoach.services.database import Session
from kneecoach.services.intake import (
    SavedIntake,
    answer_at,
    latest_intake,
    save_intake,
    set_answer,
)


@dataclass(frozen=True)
class SelfTestStep:
    """One self-test offered to improve the plan: how to do it, its questions, and the result
    already kept (None when not done yet)."""

    test: SelfTest
    questions: tuple[Question, ...]
    result: dict[str, Any] | None


@dataclass(frozen=True)
class SelfTestSaved:
    saved: SavedIntake
    plan_remade: bool


def _questions_by_test() -> dict[str, tuple[Question, ...]]:
    found: dict[str, list[Question]] = {}
    for section in load_intake_questions():
        for question in section.questions:
            if question.self_test is not None:
                found.setdefault(question.self_test, []).append(question)
    return {test: tuple(questions) for test, questions in found.items()}


def self_test_steps(*, session: Session) -> tuple[SelfTestStep, ...]:
    """Every self-test with a question, in the file's order, with the kept results."""
    saved = latest_intake(session=session)
    by_test = _questions_by_test()
    steps = []
    for test in load_self_tests():
        questions = by_test.get(test.id)
        if not questions:
            continue
        result = None
        if saved is not None:
            kept = {q.path: answer_at(saved.answers, q.path) for q in questions}
            result = {k: v for k, v in kept.items() if v is not None} or None
        steps.append(SelfTestStep(test, questions, result))
    return tuple(steps)


def self_test_step(test_id: str, *, session: Session) -> SelfTestStep:
    """One self-test step, or NotFoundError naming the known ones."""
    find_self_test(test_id)  # NotFoundError with the list of ids
    for step in self_test_steps(session=session):
        if step.test.id == test_id:
            return step
    raise NotFoundError(f"the self-test {test_id!r} has no question to answer")


def record_self_test(test_id: str, results: dict[str, Any], *, session: Session) -> SelfTestSaved:
    """Keep a self-test's results (by answer path; None = not done) with the newest intake,
    as a new version, and make the plan again if there is one. Nothing given is an error."""
    from kneecoach.services.plan import has_saved_plan, latest_plan, plan_for, save_plan

    step = self_test_step(test_id, session=session)
    saved = latest_intake(session=session)
    if saved is None:
        raise NotFoundError("intake: answer the questions about your knee first")
    paths = {q.path for q in step.questions}
    given = {path: value for path, value in results.items() if value is not None}
    if set(given) - paths:
        raise InputError("self_tests", f"{sorted(set(given) - paths)} are not part of {test_id}")
    if not given:
        raise InputError(step.questions[0].path, "give a result, or go back if you did not do it")
    answers = copy.deepcopy(saved.answers)
    for path, value in given.items():
        before = answer_at(answers, path)
        if isinstance(value, dict) and isinstance(before, dict):
            value = {**before, **value}
        set_answer(answers, path, value)
    intake = parse_intake(answers)
    kept = save_intake(intake, session=session)
    if not has_saved_plan(session=session):
        return SelfTestSaved(kept, plan_remade=False)
    plan = plan_for(intake, session=session)
    if plan.refused:
        return SelfTestSaved(kept, plan_remade=False)
    current = latest_plan(session=session)
    start = current.start_date if current is not None else None
    save_plan(intake, plan, start=start, intake_version=kept.version, session=session)
    return SelfTestSaved(kept, plan_remade=True)
