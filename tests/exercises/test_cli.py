"""`kneecoach exercise list|show`, run through the real entry point."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.cli_helpers import run_cli


def test_list_as_json_filters_by_kind() -> None:
    result = run_cli("exercise", "list", "--kind", "foam_roll", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {
        "foam_roll_quads",
        "foam_roll_lateral_thigh",
        "foam_roll_calves",
        "foam_roll_glutes",
    }
    assert all(r["kind"] == "foam_roll" and r["equipment"] == ["foam_roller"] for r in rows)


def test_list_filters_by_target() -> None:
    result = run_cli("exercise", "list", "--target", "hip_abductor_weakness", "--format", "json")
    rows = json.loads(result.stdout)
    assert "clamshell" in {r["id"] for r in rows}
    assert all("hip_abductor_weakness" in r["targets"] for r in rows)


def test_list_as_a_table() -> None:
    result = run_cli("exercise", "list", "--kind", "cardio")
    assert result.exit_code == 0
    assert "walking" in result.stdout and "7 exercises" in result.stdout


def test_unknown_target_is_one_line_and_exit_2() -> None:
    result = run_cli("exercise", "list", "--target", "weak_core")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --target: unknown contributor 'weak_core'")
    assert "Traceback" not in result.stderr


def test_show_prints_dose_steps_feel_mistakes_chain_and_source() -> None:
    result = run_cli("exercise", "show", "glute_bridge")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in ("Bridge", "2 × 10", "1. Lie on your back", "What you should feel",
                 "Common mistakes", "Harder: bridge_march", "Source: "):  # fmt: skip
        assert text in out, text


def test_show_as_json_has_the_full_entry() -> None:
    result = run_cli("exercise", "show", "step_down_low", "--format", "json")
    info = json.loads(result.stdout)
    assert info["dose"]["reps"] == {"start": 10, "min": 5, "max": 15}
    assert info["chain"][:3] == ["step_up", "step_down_low", "step_down_high"]
    assert info["chain"][3:] == ["loaded_step_up", "reverse_lunge", "walking_lunge"]
    assert info["cautions"][0]["when"] == "stairs_hurt"


def test_show_writes_the_animated_svg(tmp_path: Path) -> None:
    target = tmp_path / "bridge.svg"
    result = run_cli("exercise", "show", "glute_bridge", "--svg", str(target))
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Bridge"
    assert root.find(".//{http://www.w3.org/2000/svg}animate") is not None


def test_show_an_unknown_exercise() -> None:
    result = run_cli("exercise", "show", "moon_walk")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: exercise: no exercise called 'moon_walk'; `kneecoach exercise list` shows them"
    )


def test_svg_to_an_impossible_path_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("exercise", "show", "clamshell", "--svg", str(tmp_path / "no" / "x.svg"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --svg: cannot write")


def test_list_writes_every_listed_picture(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    result = run_cli("exercise", "list", "--kind", "balance", "--svg-dir", str(folder))
    assert result.exit_code == 0, result.stderr
    listed = run_cli("exercise", "list", "--kind", "balance", "--format", "json")
    ids = {e["id"] for e in json.loads(listed.stdout)}
    assert {p.stem for p in folder.glob("*.svg")} == ids
    for picture in folder.glob("*.svg"):
        root = ET.fromstring(picture.read_text(encoding="utf-8"))
        assert root.findtext("{http://www.w3.org/2000/svg}title")
    assert f"{len(ids)} pictures written to" in result.stdout


def test_svg_dir_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_cli("exercise", "list", "--svg-dir", str(blocker / "pictures"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --svg-dir: cannot write to")
    assert "Traceback" not in result.stderr
