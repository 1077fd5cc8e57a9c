"""The `kneecoach shoes` commands end to end: inventory, defaults, alerts, wear checks, steps."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kneecoach.data.footwear import load_footwear
from tests.cli_helpers import run_cli

SIGNS = [sign.id for sign in load_footwear().wear_signs]


def ok(*args: str, input: str | None = None) -> str:
    result = run_cli(*args, input=input)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def as_json(*args: str, input: str | None = None) -> Any:
    return json.loads(ok(*args, "--format", "json", input=input))


def error_line(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def months_ago(months: int) -> str:
    today = date.today()
    total = today.year * 12 + today.month - 1 - months
    day = min(today.day, 28)
    start = date(total // 12, total % 12 + 1, day)
    return start.isoformat()


def test_add_then_list_shows_the_pair() -> None:
    added = as_json(
        "shoes", "add", "--name", "Trail runner", "--brand", "Salomon", "--model", "Speedcross",
        "--type", "running", "--start-date", "2026-01-10", "--start-km", "120", "--default-for", "running",
    )  # fmt: skip
    assert added["id"] == "trail_runner"
    assert added["default_for"] == ["running"]
    listed = as_json("shoes", "list")["shoes"]
    assert [(p["id"], p["brand"], p["model"], p["distance_km"], p["status"]) for p in listed] == [
        ("trail_runner", "Salomon", "Speedcross", 120.0, "ok")
    ]
    table = ok("shoes", "list")
    assert "Trail runner" in table and "500–800 km" in table and "not proof" in table


def test_a_second_pair_with_the_same_name_gets_its_own_id() -> None:
    ok("shoes", "add", "--name", "Walkers")
    assert as_json("shoes", "add", "--name", "Walkers")["id"] == "walkers_2"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--name", "X", "--type", "sandals"], "error: --type: 'sandals' is not a shoe type"),
        (["--name", "X", "--start-km", "-5"], "error: --start-km: must be between 0 and 5000 km"),
        (["--name", "  "], "error: --name: give the pair a name"),
        (["--name", "X", "--default-for", "cycling"], "error: --default-for: 'cycling' is not an activity type"),
        (["--name", "X", "--start-date", (date.today() + timedelta(days=3)).isoformat()], "error: --start-date:"),
    ],
)  # fmt: skip
def test_bad_inventory_input_is_one_line(args: list[str], expected: str) -> None:
    assert error_line("shoes", "add", *args).startswith(expected)
    assert as_json("shoes", "list")["shoes"] == []


@pytest.mark.parametrize(
    ("start_km", "level"), [(499, "ok"), (500, "watch"), (799, "watch"), (800, "replace")]
)
def test_distance_alerts_at_each_threshold(start_km: int, level: str) -> None:
    ok("shoes", "add", "--name", "Trail runner", "--start-km", str(start_km))
    alerts = as_json("shoes", "alerts")["alerts"]
    if level == "ok":
        assert alerts == []
        assert "No pair needs a change yet." in ok("shoes", "alerts")
        return
    assert [a["level"] for a in alerts] == [level]
    word = "over 500 km" if level == "watch" else "past 800 km"
    assert alerts[0]["why"].startswith(f"Trail runner: {start_km} km — {word}")
    assert alerts[0]["why"] in " ".join(ok("shoes", "alerts").split())


@pytest.mark.parametrize(("months", "level"), [(11, "ok"), (12, "replace")])
def test_age_alerts_at_twelve_months(months: int, level: str) -> None:
    ok("shoes", "add", "--name", "Old pair", "--start-date", months_ago(months))
    pair = as_json("shoes", "list")["shoes"][0]
    assert pair["age_months"] == months
    assert pair["status"] == level


def test_retired_pairs_leave_the_alerts_and_the_defaults(tmp_path: Path) -> None:
    ok("shoes", "add", "--name", "Old runner", "--start-km", "900", "--default-for", "running")
    assert len(as_json("shoes", "alerts")["alerts"]) == 1
    assert "Retired Old runner after 900 km" in ok("shoes", "retire", "old_runner")
    assert as_json("shoes", "alerts")["alerts"] == []
    assert as_json("shoes", "list")["shoes"] == []
    retired = as_json("shoes", "list", "--all")["shoes"][0]
    assert retired["retired"] is True and retired["default_for"] == []
    assert retired["retired_on"] == date.today().isoformat()
    assert error_line("shoes", "default", "old_runner", "--activity", "running").startswith(
        "error: ID: Old runner is retired"
    )


def test_default_per_activity_moves_from_pair_to_pair() -> None:
    ok("shoes", "add", "--name", "A", "--default-for", "running")
    ok("shoes", "add", "--name", "B")
    assert "B is now the default pair for running." in ok(
        "shoes", "default", "b", "--activity", "running"
    )
    defaults = {p["id"]: p["default_for"] for p in as_json("shoes", "list")["shoes"]}
    assert defaults == {"a": [], "b": ["running"]}
    assert error_line("shoes", "default", "zzz", "--activity", "running").startswith(
        "error: ID: no pair with id or name 'zzz'"
    )
    assert error_line("shoes", "default", "b", "--activity", "rowing").startswith(
        "error: --activity: 'rowing' is not an activity type"
    )


def test_interactive_wear_check_asks_each_sign_and_stores_the_answers() -> None:
    ok("shoes", "add", "--name", "Walkers")
    answers = "n\nn\nn\ny\nn\nn\n"  # only: leans on the table
    out = ok("shoes", "wear-check", "walkers", input=answers)
    for question in load_footwear().wear_signs:
        assert question.question.split()[0] in out
    assert "Signs of wear: leans on a flat table." in out
    assert "Plan a new pair soon" in out
    assert "not advised" in out  # the support advice: no wedge insoles for arthritis
    pair = as_json("shoes", "list")["shoes"][0]
    assert pair["status"] == "replace"
    assert pair["last_wear_check"] == date.today().isoformat()
    assert "leans on a flat table" in pair["reasons"][0]["text"]


@pytest.mark.parametrize("sign", SIGNS)
def test_each_wear_sign_by_flag_raises_a_replace_alert(sign: str) -> None:
    ok("shoes", "add", "--name", "Walkers")
    flags = [f"--answer={s}={'yes' if s == sign else 'no'}" for s in SIGNS]
    result = as_json("shoes", "wear-check", "walkers", *flags)
    assert result["signs_present"] == [sign]
    alerts = as_json("shoes", "alerts")["alerts"]
    assert [a["level"] for a in alerts] == ["replace"]


def test_a_later_clean_wear_check_clears_the_wear_alert(tmp_path: Path) -> None:
    ok("shoes", "add", "--name", "Walkers", "--start-date", months_ago(2))
    answers = tmp_path / "wear.json"
    answers.write_text(json.dumps({**dict.fromkeys(SIGNS, False), "holes": True}))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ok("shoes", "wear-check", "walkers", "--answers", str(answers), "--date", yesterday)
    assert len(as_json("shoes", "alerts")["alerts"]) == 1
    answers.write_text(json.dumps(dict.fromkeys(SIGNS, False)))
    result = as_json("shoes", "wear-check", "walkers", "--answers", str(answers))
    assert result["signs_present"] == [] and "No wear signs today" in result["advice"][0]
    assert as_json("shoes", "alerts")["alerts"] == []


def test_bad_wear_check_input_is_one_line(tmp_path: Path) -> None:
    ok("shoes", "add", "--name", "Walkers")
    all_no = [f"--answer={s}=no" for s in SIGNS]
    assert error_line(
        "shoes", "wear-check", "walkers", *all_no, "--answer", "laces=yes"
    ).startswith("error: --answer: 'laces' is not a wear sign")
    assert error_line(
        "shoes", "wear-check", "walkers", *all_no[:-1], "--answer", "new_aches=maybe"
    ).startswith("error: --answer: 'new_aches=maybe' should look like")
    bad = tmp_path / "a.json"
    bad.write_text('{"holes": "yes"}')
    assert error_line("shoes", "wear-check", "walkers", "--answers", str(bad)) == (
        f"error: --answers: {bad}: holes must be true or false"
    )
    assert error_line("shoes", "wear-check", "nope", *all_no).startswith("error: ID: no pair")


def test_steps_are_counted_on_the_pair_as_an_estimate() -> None:
    ok("shoes", "add", "--name", "Walkers")
    out = ok(
        "shoes",
        "steps",
        "--steps",
        "10000",
        "--shoe",
        "walkers",
        "--date",
        "2026-03-01",
        "--height-cm",
        "180",
    )
    assert "10000 steps × 0.75 m = 7.5 km on walkers" in out
    ok("shoes", "steps", "--steps", "8000", "--shoe", "Walkers", "--date", "2026-03-01")
    assert as_json("shoes", "list")["shoes"][0]["distance_km"] == 6.0  # replaced, not added
    assert error_line("shoes", "steps", "--steps", "-3", "--shoe", "walkers").startswith(
        "error: steps on"
    )
    assert error_line("shoes", "steps", "--steps", "30", "--shoe", "x").startswith("error: shoe on")
