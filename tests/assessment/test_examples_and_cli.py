"""The shared example intakes give the outcomes a clinician expects; the CLI prints the spec."""

from __future__ import annotations

import json
from pathlib import Path

from kneecoach.services.assessment import assess_document
from tests.assessment.factories import QUIET
from tests.cli_helpers import run_cli
from tests.db import in_session


def example(examples_dir: Path, name: str) -> Path:
    return examples_dir / f"{name}.json"


def assess_json(path: Path) -> dict:
    result = run_cli("assess", "--answers", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_hiker_has_hip_and_ankle_contributors_and_front_knee_pain_on_top(
    examples_dir: Path,
) -> None:
    out = assess_json(example(examples_dir, "hiker-downhill-front-pain"))
    assert out["triage"]["level"] == "self_care"
    contributors = {c["id"] for c in out["contributors"]}
    assert {"hip_abductor_weakness", "ankle_dorsiflexion_limit"} <= contributors
    assert out["patterns"][0]["id"] == "patellofemoral_pain"


def test_older_walker_has_weak_thighs_and_an_osteoarthritis_pattern(examples_dir: Path) -> None:
    out = assess_json(example(examples_dir, "older-walker-stiff-mornings"))
    assert out["triage"]["level"] == "self_care"
    assert "quadriceps_weakness" in {c["id"] for c in out["contributors"]}
    assert out["patterns"][0]["id"] == "knee_osteoarthritis"


def test_at_emergency_only_the_emergency_advice(examples_dir: Path) -> None:
    out = assess_json(example(examples_dir, "hot-knee-fever"))
    assert out["triage"]["level"] == "emergency"
    assert out["triage"]["flags"]
    assert out["patterns"] == [] and out["contributors"] == []


def test_at_urgent_the_findings_are_kept_for_the_clinician(examples_dir: Path) -> None:
    """Second edition: the hip or the back is often what the clinician needs to hear."""
    out = assess_json(example(examples_dir, "tackle-pop-swelling"))
    assert out["triage"]["level"] == "urgent"
    assert out["patterns"], "the injury pattern is worked out for the clinician"
    plan = run_cli("plan", "--answers", str(example(examples_dir, "tackle-pop-swelling")),
                   "--format", "json")  # fmt: skip
    assert json.loads(plan.stdout)["refused"] is True


def test_the_same_knee_gets_an_assessment_when_triage_allows_it(examples_dir: Path) -> None:
    """The care-first rule empties the lists, not the engine: the hot knee without fever and
    warmth is assessed."""
    raw = json.loads(example(examples_dir, "hot-knee-fever").read_text())
    raw["general"]["fever"] = False
    raw["signs"]["warm"] = False
    raw["signs"]["swelling"] = 0
    report = in_session(assess_document, raw)
    assert report.triage.level in {"self_care", "soon"}
    assert report.assessment.patterns


def test_json_follows_the_spec_shape_with_two_decimal_numbers(examples_dir: Path) -> None:
    out = assess_json(example(examples_dir, "hiker-downhill-front-pain"))
    assert set(out) == {"triage", "patterns", "contributors"}
    assert {"level", "flags", "missing"} <= set(out["triage"])
    for p in out["patterns"]:
        assert {"id", "fit", "why"} <= set(p)
        assert isinstance(p["fit"], float) and p["fit"] == round(p["fit"], 2)
        assert all(isinstance(line, str) for line in p["why"])
    regions = {"hip", "back", "foot_ankle", "muscle_balance", "footwear", "load", "body"}
    for c in out["contributors"]:
        assert {"id", "region", "strength", "why"} <= set(c)
        assert c["region"] in regions
        assert 0 < c["strength"] <= 1 and c["strength"] == round(c["strength"], 2)
    strengths = [c["strength"] for c in out["contributors"]]
    assert strengths == sorted(strengths, reverse=True)
    ankle = next(c for c in out["contributors"] if c["id"] == "ankle_dorsiflexion_limit")
    assert "self_tests.knee_to_wall_cm.right = 7" in ankle["why"]
    assert ankle["strength"] == 0.76


def test_table_output_shows_the_chain_by_region_and_the_patterns(examples_dir: Path) -> None:
    result = run_cli("assess", "--answers", str(example(examples_dir, "hiker-downhill-front-pain")))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for words in (
        "What may be loading your knee",
        "Foot and ankle",
        "Hip",
        "Stiff ankle",
        "Patterns your answers fit",
        "fit a pattern often called",
        "█",
    ):
        assert words in text, words
    assert "pain.worse_with = [stairs, squatting]" in text  # answers are not eaten as markup


def test_table_output_tells_to_get_care_first(examples_dir: Path) -> None:
    result = run_cli("assess", "--answers", str(example(examples_dir, "hot-knee-fever")))
    assert result.exit_code == 0
    assert "Get help now" in result.stdout
    assert "What may be loading your knee" not in result.stdout
    urgent = run_cli("assess", "--answers", str(example(examples_dir, "tackle-pop-swelling")))
    assert "Get care first" in urgent.stdout
    assert "What to tell the doctor or physio" in urgent.stdout
    assert "What usually helps" not in urgent.stdout, "no exercise advice at urgent"


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("assess", "--answers", str(tmp_path / "nope.json"), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --answers:")


def test_an_unknown_field_is_named_in_one_line(tmp_path: Path) -> None:
    bad = {**QUIET, "self_tests": {"knee_to_wall_cm": {"middle": 5}}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = run_cli("assess", "--answers", str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: self_tests.knee_to_wall_cm.middle: is not a field kneecoach knows "
        "(check the spelling)"
    ]


def test_a_wrong_value_type_is_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**QUIET, "self_tests": {"bridge_hold_s": "long"}}))
    result = run_cli("assess", "--answers", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: self_tests.bridge_hold_s:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_selftest_list_and_show() -> None:
    listed = run_cli("selftest", "list", "--format", "json")
    assert listed.exit_code == 0
    ids = [t["id"] for t in json.loads(listed.stdout)]
    assert "knee_to_wall_cm" in ids and len(ids) == 12
    shown = run_cli("selftest", "show", "knee_to_wall_cm")
    assert shown.exit_code == 0
    for words in ("Steps", "1.", "Pass:", "Safety", "Norms", "Chisholm", "product"):
        assert words in shown.stdout, words
    table = run_cli("selftest", "list")
    assert table.exit_code == 0 and "chair_stand_30s" in table.stdout
    chair = run_cli("selftest", "show", "chair_stand_30s", "--format", "json")
    assert json.loads(chair.stdout)["percentile_25"]["bands"][0]["female"] == 12


def test_selftest_show_timed_up_and_go_prints_the_steps_and_the_fall_risk_line() -> None:
    shown = run_cli("selftest", "show", "timed_up_and_go_s")
    assert shown.exit_code == 0, shown.stderr
    text = " ".join(shown.stdout.replace("│", " ").split())
    for words in (
        "1. Put a firm chair with arms against a wall",
        "3 metres (10 feet)",
        "7. Your helper stops the timer",
        "12 seconds or more: A sign of a higher risk of a fall.",
        "CDC STEADI",
        "8.1 seconds on average",
        "Bohannon",
    ):
        assert words in text, words


def test_selftest_show_says_plainly_when_a_test_has_no_norms() -> None:
    shown = run_cli("selftest", "show", "stair_climb_s")
    assert shown.exit_code == 0, shown.stderr
    text = " ".join(shown.stdout.replace("│", " ").split())
    assert "No norms: No norms have been published for this test." in text
    assert "Dobson" in text and "9 steps" in text
    walk = json.loads(run_cli("selftest", "show", "fast_walk_40m_s", "--format", "json").stdout)
    assert walk["norms"] == [] and "Dobson" in walk["no_norm"]["source"]


def test_selftest_show_unknown_id_is_one_line_and_exit_2() -> None:
    result = run_cli("selftest", "show", "hop_test")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ID: no self-test called 'hop_test'")
    assert len(result.stderr.strip().splitlines()) == 1
