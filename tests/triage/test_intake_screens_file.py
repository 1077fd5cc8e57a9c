"""intake_screens.yaml, validated at load: every question on a screen, known paths only, red-flag
words from red_flags.yaml, worded choices only for a number answer in its range."""

from __future__ import annotations

from typing import Any

import pytest

from kneecoach.data.files import read_yaml
from kneecoach.data.intake_questions import load_intake_questions
from kneecoach.data.intake_screens import build_screens, load_intake_screens
from kneecoach.data.red_flags import load_red_flags


def _raw() -> Any:
    return read_yaml("intake_screens.yaml")


def test_every_question_but_the_self_tests_is_on_a_screen() -> None:
    on_screens = {row.key for s in load_intake_screens().screens for row in s.rows}
    questions = {q.path for s in load_intake_questions() for q in s.questions if not q.self_test}
    assert questions <= on_screens
    assert not [key for key in on_screens if key.startswith("self_tests.")]


def test_red_flag_rows_keep_the_red_flag_words() -> None:
    rules = load_red_flags()
    for screen in load_intake_screens().screens:
        for row in screen.rows:
            if row.question.red_flag:
                assert row.question.question == rules.question_for(row.key), row.key


def test_swelling_is_asked_in_words_and_read_as_its_number() -> None:
    rows = {row.key: row for s in load_intake_screens().screens for row in s.rows}
    swelling = rows["signs.swelling"]
    assert swelling.number_choices and swelling.question.kind == "choice"
    assert [c.value for c in swelling.question.choices] == ["0", "1", "2", "3"]
    assert [c.label.split(":")[0] for c in swelling.question.choices] == [
        "None", "Mild", "Moderate", "Severe"
    ]  # fmt: skip


def _drop_row(raw: Any, path: str) -> None:
    for screen in raw["screens"]:
        screen["rows"] = [r for r in screen["rows"] if r.get("path") != path]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: _drop_row(d, "foot.flat_feet"), "on no screen.*foot.flat_feet"),
        (lambda d: d["screens"][0]["rows"].append({"path": "person.shoe_size"}), "person.shoe_size"),
        (lambda d: d["screens"][0]["rows"].append({"path": "self_tests.bridge_hold_s"}), "self-tests"),
        (lambda d: d["screens"][0]["rows"][0].update(question="Your age?"), "red_flags.yaml"),
        (lambda d: d["screens"][0]["rows"][0].update(when={"gate.nothing": True}), "gate.nothing"),
        (lambda d: d["screens"][0]["rows"][2].update(choices=[{"value": 1, "label": "x"}]),
         "whole-number"),
        (lambda d: d["screens"][0]["rows"][0].update(choices=[{"value": 999, "label": "x"}]),
         "range"),
        (lambda d: d["screens"].append(dict(d["screens"][0])), "twice"),
        (lambda d: d["estimate"].pop("basis"), "basis"),
        (lambda d: d["screens"][0]["rows"].append({"gate": {"id": "x", "question": "?"},
                                                   "path": "knee.side"}), "either"),
    ],
)  # fmt: skip
def test_a_broken_screens_file_is_refused_with_the_reason(change: Any, complaint: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ValueError, match=complaint):
        build_screens(raw)


def test_no_web_row_says_an_empty_answer_means_no() -> None:
    """The terminal may say "leave it empty if you did not"; on the web an empty row is only
    ever "not sure" (a gate asks the yes / no first)."""
    import re

    empty = re.compile(r"leave it (empty|as not sure) if (?P<when>[^.]*)", re.IGNORECASE)
    for screen in load_intake_screens().screens:
        for row in screen.rows:
            for found in empty.finditer(f"{row.question.question} {row.question.help or ''}"):
                when = found.group("when")
                assert (
                    when in ("you are not sure", "you do not know") or "not on this knee" in when
                ), (
                    row.key,
                    when,
                )
