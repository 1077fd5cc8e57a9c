"""`kneecoach plan`, `kneecoach plan show` and `kneecoach session` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kneecoach.core.intake import EQUIPMENT
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.plan.intakes import HIKER, HOT_KNEE, OLDER_WALKER, TACKLE, example, with_changes

EXERCISE_KEYS = {"id", "name", "kind", "targets", "equipment", "sets", "reps", "hold_s", "side"}
ADVICE_KEYS = {"id", "topic", "text", "targets"}


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def plan_json(path: str, *extra: str) -> dict[str, Any]:
    result = run_cli("plan", "--answers", path, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("name", [HIKER, OLDER_WALKER, TACKLE, HOT_KNEE])
def test_plan_json_follows_the_spec(examples_dir: Path, name: str) -> None:
    data = plan_json(str(examples_dir / name))
    assert {"refused", "triage", "sessions", "advice"} <= set(data)
    assert {"level", "flags", "missing"} <= set(data["triage"])
    if data["triage"]["level"] in ("urgent", "emergency"):
        assert data["refused"] is True and data["sessions"] == []
        assert [a["topic"] for a in data["advice"]] == ["see_professional"] * len(data["advice"])
        return
    assert data["refused"] is False
    days = [s["day"] for s in data["sessions"]]
    assert days == sorted(set(days)) and all(1 <= d <= 7 for d in days)
    have = set(example(name)["equipment"])
    strength_days = set()
    for session in data["sessions"]:
        assert session["exercises"]
        for exercise in session["exercises"]:
            assert set(exercise) >= EXERCISE_KEYS
            assert exercise["kind"] in ("mobility", "strength", "foam_roll", "balance", "cardio")
            assert exercise["side"] in ("left", "right", "both")
            assert set(exercise["equipment"]) <= have
            assert isinstance(exercise["sets"], int) and exercise["sets"] >= 1
            assert exercise["reps"] is None or isinstance(exercise["reps"], int)
            assert exercise["hold_s"] is None or isinstance(exercise["hold_s"], int)
            if exercise["kind"] == "strength":
                strength_days.add(session["day"])
    assert len(strength_days) >= 2 and len(days) >= 3
    for item in data["advice"]:
        assert set(item) >= ADVICE_KEYS and item["text"]
    assess = run_cli("assess", "--answers", str(examples_dir / name), "--format", "json")
    contributors = [c["id"] for c in json.loads(assess.stdout)["contributors"]]
    targeted = {t for s in data["sessions"] for e in s["exercises"] for t in e["targets"]}
    targeted |= {t for a in data["advice"] for t in a["targets"]}
    assert set(contributors) <= targeted


def test_hiker_plan_has_hip_and_knee_work_and_shoe_advice(examples_dir: Path) -> None:
    data = plan_json(str(examples_dir / HIKER))
    exercises = [e for s in data["sessions"] for e in s["exercises"]]
    firsts = {e["targets"][0] for e in exercises if e["kind"] == "strength"}
    assert {"hip_abductor_weakness", "quadriceps_weakness"} <= firsts
    assert any(a["topic"] == "footwear" for a in data["advice"])


def test_soon_shows_the_referral_first_in_json_and_at_the_top(tmp_path: Path) -> None:
    path = write(tmp_path, "soon.json", with_changes(example(HIKER), {"pain.at_night": None}))
    data = plan_json(path)
    assert data["triage"]["level"] == "soon" and data["refused"] is False
    assert data["advice"][0]["topic"] == "see_professional"
    table = run_cli("plan", "--answers", path)
    assert table.exit_code == 0
    assert table.stdout.lstrip().splitlines()[0].find("see a professional") > 0
    assert table.stdout.index("see a professional") < table.stdout.index("Your week")


def test_refused_table_says_care_comes_first(examples_dir: Path) -> None:
    result = run_cli("plan", "--answers", str(examples_dir / HOT_KNEE))
    assert result.exit_code == 0
    assert "Care comes first" in result.stdout and "Your week" not in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("plan", "--answers", "/nonexistent/answers.json"), "--answers"),
        (("plan", "show"), "plan"),
        (("session", "--file", "x.json"), "plan"),
        (("plan", "--answers", "{bad}", "--start", "03/03/2025"), "--start"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], field: str
) -> None:
    good = write(tmp_path, "hiker.json", example(HIKER))
    args = tuple(good if a == "{bad}" else a for a in args)
    result = run_cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}")
    assert "Traceback" not in result.stderr


def test_an_invalid_intake_names_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", with_changes(example(HIKER), {"equipment": ["trampoline"]}))
    result = run_cli("plan", "--answers", path, "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: equipment") and result.stdout == ""


def test_plan_without_answers_uses_the_latest_saved_intake(tmp_path: Path) -> None:
    result = run_cli("plan")
    assert result.exit_code == 2 and "no saved intake" in result.stderr
    from kneecoach.services.intake import import_intake

    in_session(import_intake, example(OLDER_WALKER))
    data = json.loads(run_cli("plan", "--format", "json").stdout)
    assert data["triage"]["level"] == "self_care" and data["sessions"]


def test_save_log_and_show_the_progression(tmp_path: Path) -> None:
    answers = write(tmp_path, "hiker.json", example(HIKER))
    saved = run_cli(
        "plan", "--answers", answers, "--save", "--start", "2025-03-03", "--format", "json"
    )
    assert saved.exit_code == 0, saved.stderr
    assert json.loads(saved.stdout)["saved"]["start_date"] == "2025-03-03"
    shown = json.loads(run_cli("plan", "show", "--date", "2025-03-03", "--format", "json").stdout)
    assert shown["today"]["day"] == 1
    slots = [e["slot"] for e in shown["today"]["exercises"]]
    first, second = slots[0], slots[1]
    reps = {e["slot"]: e for e in shown["today"]["exercises"]}
    log = {
        "date": "2025-03-03",
        "exercises": [{"id": first, "pain_during": 2}, {"id": second, "pain_during": 7}],
    }
    result = run_cli("session", "--file", write(tmp_path, "s1.json", log), "--format", "json")
    assert result.exit_code == 0, result.stderr
    logged = json.loads(result.stdout)["logged"]
    assert logged[0]["prescribed"] == logged[0]["done"]
    log2 = {
        "date": "2025-03-05",
        "next_morning": {"date": "2025-03-03", "worse": False},
        "exercises": [{"id": first, "pain_during": 1}],
    }
    assert run_cli("session", "--file", write(tmp_path, "s2.json", log2)).exit_code == 0
    bad = run_cli("session", "--file", write(tmp_path, "s3.json", {"date": "2025-03-06"}))
    assert bad.exit_code == 2 and bad.stderr.startswith("error: exercises")
    morning = {"next_morning": {"date": "2025-03-05", "worse": False}}
    noted = run_cli("session", "--file", write(tmp_path, "s4.json", morning))
    assert noted.exit_code == 0 and "no worse" in noted.stdout
    later = json.loads(run_cli("plan", "show", "--date", "2025-03-07", "--format", "json").stdout)
    by_slot = {e["slot"]: e for e in later["today"]["exercises"]}
    assert by_slot[first]["action"] == "progress" and by_slot[first]["changed"]
    assert by_slot[first]["reason"].startswith("Last two sessions felt fine")
    assert by_slot[second]["action"] == "regress"
    assert "hurt too much (pain 7/10" in by_slot[second]["reason"]
    assert reps[first]["sets"] <= by_slot[first]["sets"]
    table = run_cli("plan", "show", "--date", "2025-03-07")
    assert table.exit_code == 0 and "◀ today" in table.stdout and "too much" in table.stdout


def test_interactive_session_asks_each_exercise_and_the_next_morning(tmp_path: Path) -> None:
    answers = write(tmp_path, "hiker.json", with_changes(example(HIKER), {"minutes_per_day": 8}))
    assert run_cli("plan", "--answers", answers, "--save", "--start", "2025-03-03").exit_code == 0
    shown = json.loads(run_cli("plan", "show", "--date", "2025-03-03", "--format", "json").stdout)
    exercises = shown["today"]["exercises"]
    typed = []
    for exercise in exercises:
        typed.append("")  # sets as prescribed
        typed += [""] * sum(exercise[k] is not None for k in ("reps", "hold_s", "minutes"))
        typed.append("2")  # pain during
        typed.append("")  # how hard it was: skipped
    typed += ["n"] * 5  # no warning signs
    first = run_cli("session", "--date", "2025-03-03", input="\n".join(typed) + "\n")
    assert first.exit_code == 0, first.stderr
    assert "Saved." in first.stdout
    # Two days later: first the next-morning question for 2025-03-03, then the session.
    second = run_cli("session", "--date", "2025-03-05", input="n\n" + "\n".join(typed) + "\n")
    assert second.exit_code == 0, second.stderr
    assert "The morning after your session on 2025-03-03" in second.stdout
    later = json.loads(run_cli("plan", "show", "--date", "2025-03-07", "--format", "json").stdout)
    actions = {e["rule"] for e in later["today"]["exercises"]}
    assert actions == {"wait_for_next_morning"}


def test_every_equipment_id_is_known_to_the_spec() -> None:
    assert set(EQUIPMENT) == {
        "resistance_band", "foam_roller", "step", "chair", "wall", "ankle_weight", "gym"
    }  # fmt: skip
