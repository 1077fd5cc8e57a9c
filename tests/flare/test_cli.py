"""`kneecoach flare` in the terminal (table and JSON, one-line errors), and the hint under the
alerts of `kneecoach signals` and `kneecoach checkin`: never under a red flag."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from kneecoach.cli.flare import FLARE_HINT
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES

TODAY = date.today()


def creep_csv(path: Path, last: date, swelling: tuple[int, ...] = (1, 1, 2, 2, 2, 2)) -> Path:
    """21 calm days, then swelling creeping up to `last` (swelling_rising: watch on the third
    day up, act on the fourth)."""
    swelling = (0,) * 21 + swelling
    first = last - timedelta(days=len(swelling) - 1)
    rows = ["date,pain,swelling"]
    rows += [f"{first + timedelta(days=n)},2,{v}" for n, v in enumerate(swelling)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def save_a_plan() -> None:
    walker = EXAMPLES / "older-walker-stiff-mornings.json"
    assert run_cli("plan", "--answers", str(walker), "--save").exit_code == 0


def test_without_a_plan_the_general_flare_plan_says_so() -> None:
    result = run_cli("flare")
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "no saved plan yet, so this is the general flare plan" in flat
    assert "What to keep and what to pause" in flat and "Work on one leg" in flat
    assert "day 1 is today" in flat and "Jumping and hopping" in flat


def test_the_json_has_the_plan_the_stop_and_the_caution() -> None:
    save_a_plan()
    since = (TODAY - timedelta(days=4)).isoformat()
    result = run_cli("flare", "--since", since, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["personal"] is True and document["day"] == 5
    assert document["phase"] == "build_back" and document["start"]["source"] == "given"
    assert document["stop"] is None and document["caution"] is None
    exercise = document["exercises"][0]
    assert set(exercise) == {
        "slot", "id", "name", "kind", "group", "action", "label", "why", "usual",
        "days_1_to_3", "build_back",
    }  # fmt: skip
    assert {a["id"] for a in document["see_someone"]} == {"red_flags", "not_settling"}


def test_a_personal_plan_in_the_terminal_names_the_exercises() -> None:
    save_a_plan()
    result = run_cli("flare")
    flat = " ".join(result.stdout.split())
    assert result.exit_code == 0 and "Your exercises in this flare" in flat
    assert "Straight leg lift" in flat and "(usual)" in flat
    assert "general flare plan" not in flat


def test_bad_input_is_one_line_naming_the_option() -> None:
    bad = run_cli("flare", "--since", "last week")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: --since:") and bad.stderr.count("\n") == 1
    future = run_cli("flare", "--since", (TODAY + timedelta(days=2)).isoformat())
    assert future.exit_code == 2 and "is in the future" in future.stderr
    assert future.stderr.count("\n") == 1 and "Traceback" not in future.stderr
    wrong = run_cli("flare", "--format", "yaml")
    assert wrong.exit_code == 2 and "Traceback" not in wrong.stderr


def test_signals_and_checkin_point_to_the_flare_plan_under_a_flare_alert(tmp_path: Path) -> None:
    csv = creep_csv(tmp_path / "knee.csv", TODAY - timedelta(days=1))
    shown = run_cli("signals", "--checkins", str(csv))
    assert shown.exit_code == 0 and FLARE_HINT in shown.stdout
    as_json = run_cli("signals", "--checkins", str(csv), "--format", "json")
    assert FLARE_HINT not in as_json.stdout and json.loads(as_json.stdout)["alerts"]
    two_days_up = creep_csv(tmp_path / "start.csv", TODAY - timedelta(days=1), (1, 1))
    assert run_cli("checkins", "import", str(two_days_up)).exit_code == 0
    checkin = run_cli("checkin", "--pain", "2", "--swelling", "2")
    assert checkin.exit_code == 0 and "Swelling" in checkin.stdout
    assert FLARE_HINT in checkin.stdout


def test_no_flare_hint_under_a_red_flag() -> None:
    calm = run_cli("checkin", "--pain", "2")
    assert calm.exit_code == 0 and FLARE_HINT not in calm.stdout
    red = run_cli("checkin", "--pain", "5", "--swelling", "2", "--warm", "1", "--fever", "1")
    assert red.exit_code == 0 and FLARE_HINT not in red.stdout
    signals = run_cli("signals")
    assert "red flag" in signals.stdout.lower() and FLARE_HINT not in signals.stdout
