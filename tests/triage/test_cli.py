"""Bad inputs give one line naming the field and exit 2; the schema command prints the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import run_cli
from tests.triage.cases import CALM, changed


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (changed(CALM, {"signs.warm": "yes"}),
         "error: signs.warm: input should be a valid boolean (got 'yes')"),
        (changed(CALM, {"signs.hot": True}),
         "error: signs.hot: is not a field kneecoach knows (check the spelling)"),
        (changed(CALM, {"pain.now": 11}), "error: pain.now: "),
        (changed(CALM, {"signs.swelling": 4}), "error: signs.swelling: "),
        (changed(CALM, {"spec": "kneecoach-intake/9"}), "error: spec: "),
        ("{not json", "error: --answers: "),
        ("[1, 2]", "error: intake: "),
    ],
)  # fmt: skip
def test_bad_document_is_one_line(tmp_path: Path, document: Any, expected: str) -> None:
    for command in (["triage"], ["intake"]):
        r = run_cli(*command, "--answers", str(_write(tmp_path, document)), "--format", "json")
        assert r.exit_code == 2
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(expected), lines
        assert r.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    r = run_cli("triage", "--answers", str(tmp_path / "nope.json"))
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: --answers: file {tmp_path / 'nope.json'} does not exist"


def test_out_of_range_names_the_field(tmp_path: Path) -> None:
    r = run_cli("triage", "--answers", str(_write(tmp_path, changed(CALM, {"person.age": 200}))))
    assert r.exit_code == 2
    assert r.stderr.startswith("error: person.age: input should be less than or equal to 120")


def test_unknown_red_flag_answers_are_missing_in_json(tmp_path: Path) -> None:
    document = changed(CALM, {"signs.warm": None, "general.fever": None})
    document["signs"].pop("warm")
    document["general"].pop("fever")
    r = run_cli("triage", "--answers", str(_write(tmp_path, document)), "--format", "json")
    out = json.loads(r.stdout)
    assert out["level"] == "soon"
    assert out["missing"] == ["signs.warm", "general.fever"]
    flag = out["flags"][0]
    assert flag["id"] == "unanswered_safety_questions"
    assert "Does your knee feel hot" in flag["advice"]
    assert "Do you have a fever" in flag["advice"]


def test_table_output_lists_questions_to_answer(tmp_path: Path) -> None:
    document = json.loads(json.dumps(CALM))
    document["signs"].pop("locking")
    r = run_cli("triage", "--answers", str(_write(tmp_path, document)))
    assert r.exit_code == 0
    assert "SOON" in r.stdout and "Please answer these safety questions" in r.stdout
    assert "signs.locking" in r.stdout


def test_schema_intake_prints_the_json_schema() -> None:
    r = run_cli("schema", "intake")
    assert r.exit_code == 0, r.stderr
    schema = json.loads(r.stdout)
    assert schema["properties"]["spec"]["const"] == "kneecoach-intake/1"
    assert "signs" in schema["properties"]
    assert schema["additionalProperties"] is False
