"""The terminal intake with piped answers: safety first, early stop, a saved version."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from kneecoach.core.intake import parse_intake
from kneecoach.core.rules import evaluate
from kneecoach.data.intake_questions import load_intake_questions
from kneecoach.services.intake import answer_at, latest_intake, list_intakes
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.triage.cases import CALM, DELETE, INJURED, changed, example


def _typed(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(value) if value else "none"
    return str(value)


def answers_for(document: dict[str, Any], self_tests: list[str] | None = None) -> str:
    """The lines a person would type to give exactly this document's answers."""
    facts = parse_intake(document).facts()
    lines: list[str] = []
    asked: set[str] = set()
    offered = False
    for section in load_intake_questions():
        for question in section.questions:
            if question.path in asked:
                continue
            if (
                question.ask_when is not None
                and evaluate(question.ask_when, facts).truth is not True
            ):
                continue
            asked.add(question.path)
            if question.self_test is not None:
                if not offered:
                    offered = True
                    if self_tests is None:
                        lines.append("no")
                        break
                    lines.append("yes")
                continue
            value = answer_at(document, question.path)
            lines.append(_typed(value))
    lines.extend(self_tests or [])
    return "\n".join(lines) + "\n"


def without_self_tests(document: dict[str, Any]) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    copied.pop("self_tests", None)
    return copied


def as_asked(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the wizard gathers it: "does the clicking hurt?" only after a click."""
    if answer_at(document, "signs.clicking") is not True:
        return changed(document, {"signs.clicking_painful": DELETE})
    return document


def test_a_full_run_saves_every_answer_as_version_1(examples_dir: Path) -> None:
    hiker = without_self_tests(example("hiker-downhill-front-pain.json"))
    r = run_cli("intake", input=answers_for(hiker))
    assert r.exit_code == 0, r.stderr
    saved = in_session(latest_intake)
    assert saved is not None and saved.version == 1
    assert parse_intake(saved.answers) == parse_intake(as_asked(hiker))
    assert {k: saved.triage[k] for k in ("level", "flags", "missing")} == {
        "level": "self_care",
        "flags": [],
        "missing": [],
    }
    assert saved.triage["message"]["title"] == "Safe to care for at home"
    assert saved.assessment is not None
    assert saved.assessment["patterns"][0]["id"] == "patellofemoral_pain"
    assert "SELF CARE" in r.stdout and "intake 1" in r.stdout


def test_each_run_is_a_new_version() -> None:
    run_cli("intake", input=answers_for(CALM))
    run_cli("intake", input=answers_for(changed(CALM, {"pain.now": 6})))
    versions = [(s.version, s.answers["pain"]["now"]) for s in in_session(list_intakes)]
    assert versions == [(1, 3), (2, 6)]


def test_an_injury_asks_the_injury_questions() -> None:
    r = run_cli("intake", input=answers_for(INJURED))
    assert r.exit_code == 0, r.stderr
    assert "Did you hear or feel a pop" in r.stdout
    saved = in_session(latest_intake)
    assert saved is not None
    assert parse_intake(saved.answers) == parse_intake(as_asked(INJURED))
    assert saved.triage["missing"] == []


def test_gradual_onset_does_not_ask_about_an_injury() -> None:
    r = run_cli("intake", input=answers_for(CALM))
    assert "Did you hear or feel a pop" not in r.stdout


def test_an_emergency_answer_stops_the_wizard_and_saves_what_was_given() -> None:
    # age, onset (1 = slowly), then "Is the foot of this leg cold, pale or blue?" -> yes
    r = run_cli("intake", input="40\n1\nyes\nno\nno\nno\n")
    assert r.exit_code == 0, r.stderr
    assert "Get help now" in r.stdout
    assert "for an ambulance now" in " ".join(r.stdout.replace("│", " ").split())
    assert "look out of place" not in r.stdout, "nothing more is asked"
    saved = in_session(latest_intake)
    assert saved is not None
    assert saved.answers["general"] == {"foot_cold_pale_or_blue": True}
    assert saved.triage["level"] == "emergency"
    assert saved.triage["flags"][0]["id"] == "cold_pale_or_blue_foot"


def test_a_big_impact_alone_is_not_an_emergency_so_the_questions_go_on() -> None:
    # age, onset 2 (injury), days ago, mechanism 3 (fall), big impact -> yes (second edition:
    # an ambulance only when the person also cannot stand on the leg)
    r = run_cli("intake", input="35\n2\n1\n3\nyes\n")
    assert "Get help now" not in r.stdout
    assert "Right after the injury" in r.stdout


def test_not_sure_leaves_a_safety_question_unknown_and_missing() -> None:
    answers = answers_for(changed(CALM, {"signs.warm": None}))
    r = run_cli("intake", input=answers)
    assert r.exit_code == 0, r.stderr
    saved = in_session(latest_intake)
    assert saved is not None
    assert "warm" not in saved.answers["signs"]
    assert saved.triage["missing"] == ["signs.warm"]
    assert saved.triage["level"] == "soon"
    assert "Please answer these safety questions" in r.stdout


def test_a_bad_answer_is_asked_again() -> None:
    r = run_cli("intake", input="forty\n150\n40\n")
    assert r.stdout.count("give a whole number; or press Enter if not sure") == 1
    assert "must be at most 120" in r.stdout
    saved = in_session(latest_intake)
    assert saved is not None and saved.answers["person"] == {"age": 40}


def test_input_that_ends_early_saves_the_answers_so_far() -> None:
    r = run_cli("intake", input="40\n1\n")
    assert r.exit_code == 0, r.stderr
    assert "No more answers" in r.stdout
    saved = in_session(latest_intake)
    assert saved is not None
    assert saved.answers["history"] == {"onset": "gradual"}
    assert saved.triage["level"] == "soon" and saved.triage["missing"]


def test_guided_self_tests_show_the_steps_and_may_be_skipped() -> None:
    # offered tests in file order: chair stand (no), knee-to-wall (yes: left 11, right 7), rest no
    tests = ["no", "yes", "11", "7", "no", "no", "no", "no", "no", "no"]
    r = run_cli("intake", input=answers_for(CALM, self_tests=tests))
    assert r.exit_code == 0, r.stderr
    assert "Take off your shoes" in r.stdout, "the knee-to-wall steps are shown"
    saved = in_session(latest_intake)
    assert saved is not None
    assert saved.answers["self_tests"] == {"knee_to_wall_cm": {"left": 11, "right": 7}}


def test_import_a_document_and_show_it(examples_dir: Path) -> None:
    path = examples_dir / "tackle-pop-swelling.json"
    r = run_cli("intake", "--answers", str(path))
    assert r.exit_code == 0, r.stderr
    assert "URGENT" in r.stdout and "intake 1" in r.stdout
    shown = run_cli("intake", "show")
    assert shown.exit_code == 0, shown.stderr
    assert "Intake 1" in shown.stdout and "URGENT" in shown.stdout
    listed = run_cli("intake", "list")
    assert "urgent" in listed.stdout


def test_show_before_any_intake_is_one_line() -> None:
    r = run_cli("intake", "show")
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "error: no intake saved yet: run `kneecoach intake` first"
    ]


def test_both_wizards_keep_the_answers_given_before_an_emergency() -> None:
    """One rule (IntakeSession.stop_if_emergency) for the terminal and the web wizard; the web
    side is tests/web/test_intake_wizard.py, this is the service both call."""
    from kneecoach.services.intake import IntakeSession
    from tests.db import in_session

    wizard = IntakeSession()
    questions = {q.path: q for _, q in wizard.next_questions()}
    wizard.answer(questions["person.age"], 40)
    assert in_session(wizard.stop_if_emergency) is None
    wizard.answer(questions["general.foot_cold_pale_or_blue"], True)
    stop = in_session(wizard.stop_if_emergency)
    assert stop is not None and [f.id for f in stop.flags] == ["cold_pale_or_blue_foot"]
    assert stop.saved.version == 1 and stop.saved.triage["level"] == "emergency"
