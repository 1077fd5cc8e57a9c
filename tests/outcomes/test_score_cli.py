"""`kneecoach score` through the real CLI: the spec JSON, the table, the KOOS JR table, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneecoach.data.instruments import load_instrument
from tests.cli_helpers import run_cli
from tests.outcomes.answers import WORKED_SCORES, worked_example, write_answers

JR_ITEMS = ["S6", "P2", "P3", "P6", "P9", "A3", "A5"]


def score_json(tmp_path: Path, instrument: str, answers: object) -> dict:  # type: ignore[type-arg]
    path = write_answers(tmp_path / "answers.json", answers)
    result = run_cli("score", instrument, "--answers", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_koos_json_is_the_spec_example(tmp_path: Path) -> None:
    payload = score_json(tmp_path, "koos", worked_example())
    assert payload["instrument"] == "koos"
    assert payload["scores"] == WORKED_SCORES
    assert list(payload["scores"]) == ["symptoms", "pain", "adl", "sport_rec", "qol"]
    assert payload["answered"] == {"symptoms": 7, "pain": 9, "adl": 17, "sport_rec": 5, "qol": 4}


def test_unanswerable_subscales_are_null_in_json(tmp_path: Path) -> None:
    payload = score_json(tmp_path, "koos", {"P1": 1, "P2": 1, "P3": 1, "P4": 1})
    assert payload["scores"] == dict.fromkeys(WORKED_SCORES, None)


def test_koos12_json_has_three_scales_and_the_summary(tmp_path: Path) -> None:
    payload = score_json(tmp_path, "koos12", worked_example())
    assert list(payload["scores"]) == ["pain", "function", "qol", "summary"]
    # pain P1 3, P8 2, P5 3, P6 4 → 25.0; function A4 2, A3 1, A7 3, SP4 2 → 50.0; QOL 37.5
    assert payload["scores"] == {"pain": 25.0, "function": 50.0, "qol": 37.5, "summary": 37.5}


def test_the_default_table_shows_scores_counts_and_no_total(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.json", {"S1": 1, "S2": 1, "S3": 1, "S4": 1})
    result = run_cli("score", "koos", "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    assert "75.0" in result.stdout
    assert "4 of 7" in result.stdout
    assert "0 of 9" in result.stdout and "needs 5 of 9" in result.stdout
    assert "100 means no knee problems" in result.stdout
    assert "no total" in result.stdout


@pytest.mark.parametrize("raw", range(29))
def test_koosjr_raw_to_interval_table_end_to_end(tmp_path: Path, raw: int) -> None:
    table = load_instrument("koosjr").conversion.table  # type: ignore[union-attr]
    answers = {}
    left = raw
    for code in JR_ITEMS:  # spread the sum over the 7 items, 0–4 each
        answers[code] = min(4, left)
        left -= answers[code]
    assert sum(answers.values()) == raw
    payload = score_json(tmp_path, "koosjr", answers)
    assert payload["scores"] == {"raw": raw, "interval": table[raw]}
    assert isinstance(payload["scores"]["raw"], int)


def test_koosjr_end_to_end_values_from_the_evidence(tmp_path: Path) -> None:
    answers = dict.fromkeys(JR_ITEMS, 2)
    assert score_json(tmp_path, "koosjr", answers)["scores"] == {"raw": 14, "interval": 52.465}
    answers |= {"S6": 0, "P2": 0, "P3": 0, "P6": 0, "P9": 1, "A3": 3, "A5": 3}
    assert score_json(tmp_path, "koosjr", answers)["scores"] == {"raw": 7, "interval": 68.284}


@pytest.mark.parametrize("missing", JR_ITEMS)
def test_koosjr_one_item_missing_gives_both_null(tmp_path: Path, missing: str) -> None:
    answers = {code: 1 for code in JR_ITEMS if code != missing}
    assert score_json(tmp_path, "koosjr", answers)["scores"] == {"raw": None, "interval": None}


def test_koosjr_table_output_prints_the_table_value_to_three_decimals(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.json", dict.fromkeys(JR_ITEMS, 2))
    result = run_cli("score", "koosjr", "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    assert "52.465" in result.stdout and "14" in result.stdout


BAD_VALUES = [
    ({"P1": 5}, "answers.P1", "5"),
    ({"P1": -1}, "answers.P1", "-1"),
    ({"P1": "2"}, "answers.P1", '"2"'),
    ({"P1": None}, "answers.P1", "null"),
    ({"P1": True}, "answers.P1", "true"),
    ({"P1": False}, "answers.P1", "false"),
    ({"P1": 2.5}, "answers.P1", "2.5"),
    ({"P1": 2.0}, "answers.P1", "2.0"),
    ({"P1": [2]}, "answers.P1", "[2]"),
    ({"S1": 1, "X7": 2}, "answers.X7", '"X7"'),
    ({"p1": 2}, "answers.p1", '"p1"'),
]


@pytest.mark.parametrize(("answers", "field", "shown"), BAD_VALUES)
@pytest.mark.parametrize("instrument", ["koos", "koos12", "koosjr"])
def test_bad_answers_give_one_line_naming_the_code_and_value(
    tmp_path: Path, instrument: str, answers: object, field: str, shown: str
) -> None:
    path = write_answers(tmp_path / "bad.json", answers)
    result = run_cli("score", instrument, "--answers", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {field}: {shown} ")
    assert "0 to 4" in lines[0] or "KOOS item code" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("document", [[1, 2], "P1", 3, None])
def test_a_document_that_is_not_an_object_is_one_line(tmp_path: Path, document: object) -> None:
    path = write_answers(tmp_path / "bad.json", document)
    result = run_cli("score", "koos", "--answers", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: answers: must be a JSON object")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run_cli("score", "koos", "--answers", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --answers: file ")
    assert "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_invalid_json_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"P1": 2,', encoding="utf-8")
    result = run_cli("score", "koos", "--answers", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --answers: ")
    assert "not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_bad_date_is_one_line(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.json", {"P1": 1})
    result = run_cli("score", "koos", "--answers", str(path), "--save", "--date", "31/01/2025")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --date: '31/01/2025' is not a date like 2025-03-31 (YYYY-MM-DD)"
    )


def test_date_without_save_is_refused(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.json", {"P1": 1})
    result = run_cli("score", "koos", "--answers", str(path), "--date", "2025-01-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --date: is only used with --save")
