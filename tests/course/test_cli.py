"""`kneecoach course` and `kneecoach goal`: list, show, done with --answer; set, show, review;
every mistake one line naming the option, exit status 2, nothing stored."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.cli_helpers import Result, run_cli
from tests.conftest import EXAMPLES

TODAY = date.today()
HIKER = EXAMPLES / "hiker-downhill-front-pain.json"


def one_error_line(result: Result, starts: str) -> None:
    assert result.exit_code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(starts), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def course_json() -> dict[str, object]:
    result = run_cli("course", "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def test_the_list_shows_week_one_open_and_when_the_rest_open() -> None:
    result = run_cli("course")
    assert result.exit_code == 0, result.stderr
    assert "week 1 of 6" in result.stdout and "Done: 0 of 8" in result.stdout
    assert "to do, this week" in result.stdout
    opens = (TODAY + timedelta(days=7)).isoformat()
    assert f"opens {opens}" in result.stdout
    assert "Next: kneecoach course show hurt_and_harm" in result.stdout
    shown = course_json()
    assert shown["due"] == ["hurt_and_harm", "your_goal"] and shown["started_by"] == "today"


def test_show_then_done_with_an_answer_and_again() -> None:
    shown = run_cli("course", "show", "hurt_and_harm")
    assert shown.exit_code == 0
    assert "Good and bad pain when you exercise" in shown.stdout  # the Learn lesson, by id
    assert "Your question: What does your knee stop you doing now?" in shown.stdout
    assert "Sources:" in shown.stdout
    done = run_cli("course", "done", "hurt_and_harm", "--answer", "Walk to the shops.")
    assert done.exit_code == 0, done.stderr
    assert "Your answer is saved" in done.stdout and "Done: 1 of 8" in done.stdout
    again = run_cli("course", "done", "hurt_and_harm")
    assert again.exit_code == 0 and "Done: 1 of 8" in again.stdout
    assert "Your answer: Walk to the shops." in run_cli("course", "show", "hurt_and_harm").stdout
    exported = json.loads(run_cli("export").stdout)
    assert exported["course"]["sessions_done"][0]["answer"] == "Walk to the shops."


def test_a_locked_session_shows_when_it_opens_and_cannot_be_done() -> None:
    shown = run_cli("course", "show", "flares", "--format", "json")
    entry = json.loads(shown.stdout)
    assert entry["unlocked"] is False and entry["parts"] == [] and entry["week"] == 5
    refused = run_cli("course", "done", "flares", "--answer", "x")
    one_error_line(refused, "error: SESSION: 'When your knee flares up' opens in week 5")
    assert course_json()["done"] == 0
    start = (TODAY - timedelta(days=28)).isoformat()
    saved = run_cli("plan", "--answers", str(HIKER), "--save", "--start", start)
    assert saved.exit_code == 0, saved.stderr
    opened = run_cli("course", "show", "flares")
    assert "kneecoach flare (or /flare in the web app)" in opened.stdout
    assert "When you are ready: kneecoach course done flares" in opened.stdout
    assert course_json()["week"] == 5


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (("course", "show", "astrology"), "error: SESSION: there is no course session"),
        (("course", "done", "nope"), "error: SESSION: there is no course session"),
        (("course", "done", "your_goal", "--answer", "x" * 2001), "error: --answer: is 2,001"),
        (("course", "--date", "tomorrow"), "error: --date: use a date like"),
        (("goal", "review", "--rating", "3"), "error: goal: there is no goal to review yet"),
        (("goal", "show", "--date", "2999-01-01"), "error: --date: 2999-01-01 is in the future"),
    ],
)
def test_mistakes_are_one_line(args: tuple[str, ...], starts: str) -> None:
    one_error_line(run_cli(*args), starts)


GOAL = ("--what", "Walk to the park", "--how-much", "30 minutes", "--step", "Walk 10 min")


def test_goal_set_show_review_and_change() -> None:
    start = (TODAY - timedelta(days=8)).isoformat()
    made = run_cli("goal", "set", *GOAL, "--by-when", "12w", "--date", start)
    assert made.exit_code == 0, made.stderr
    assert "This week's step: Walk 10 min" in made.stdout
    shown = run_cli("goal", "show")
    assert "Goal week 2" in shown.stdout and "A week has passed" in shown.stdout
    reviewed = run_cli("goal", "review", "--rating", "4", "--next-step", "Walk 15 min")
    assert reviewed.exit_code == 0 and "Saved your review of goal week 2" in reviewed.stdout
    again = run_cli("goal", "review", "--rating", "5", "--note", "Felt good")
    assert "Updated your review of goal week 2: 5 (I did all of it)" in again.stdout
    assert "Next week's step: Walk 15 min" in again.stdout
    state = json.loads(run_cli("goal", "show", "--format", "json").stdout)
    assert [r["rating"] for r in state["goal"]["reviews"]] == [5]
    assert state["step"] == "Walk 15 min" and state["review_due"] is False
    changed = run_cli("goal", "set", *GOAL[:1], "Climb stairs", *GOAL[2:], "--by-when", "10w")
    assert "is kept in your history" in changed.stdout
    state = json.loads(run_cli("goal", "show", "--format", "json").stdout)
    assert state["goal"]["what"] == "Climb stairs" and len(state["earlier"]) == 1


def test_goal_set_asks_for_what_is_missing() -> None:
    typed = "Walk to the park\n30 minutes\n12w\nWalk 10 min\n"
    asked = run_cli("goal", "set", input=typed)
    assert asked.exit_code == 0, asked.stderr
    assert "What do you want to be able to do" in asked.stdout
    assert "by " + (TODAY + timedelta(weeks=12)).isoformat() in asked.stdout


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (("--what", " ", "--how-much", "x", "--by-when", "12w", "--step", "y"), "error: --what:"),
        (
            ("--what", "a", "--how-much", "x", "--by-when", "soon", "--step", "y"),
            "error: --by-when:",
        ),
        (
            ("--what", "a", "--how-much", "x", "--by-when", "99w", "--step", "y"),
            "error: --by-when:",
        ),
        (
            ("--what", "a", "--how-much", "x", "--by-when", "9w", "--step", "y" * 201),
            "error: --step:",
        ),
    ],
)
def test_a_bad_goal_is_one_line_and_stores_nothing(args: tuple[str, ...], starts: str) -> None:
    one_error_line(run_cli("goal", "set", *args), starts)
    assert json.loads(run_cli("goal", "show", "--format", "json").stdout)["goal"] is None


def test_a_bad_review_is_one_line() -> None:
    assert run_cli("goal", "set", *GOAL, "--by-when", "12w").exit_code == 0
    one_error_line(run_cli("goal", "review", "--rating", "6"), "error: --rating: 6 is out of range")
    one_error_line(run_cli("goal", "review", "--rating", "lots"), "error: --rating: 'lots'")
    assert json.loads(run_cli("goal", "show", "--format", "json").stdout)["goal"]["reviews"] == []


def test_export_holds_them_and_erase_removes_them() -> None:
    assert run_cli("course", "done", "your_goal", "--answer", "Private words").exit_code == 0
    assert run_cli("goal", "set", *GOAL, "--by-when", "12w").exit_code == 0
    assert run_cli("goal", "review", "--rating", "2", "--note", "A private note").exit_code == 0
    exported = json.loads(run_cli("export").stdout)
    assert exported["course"]["sessions_done"][0]["answer"] == "Private words"
    assert exported["goals"][0]["reviews"][0]["note"] == "A private note"
    asked = run_cli("erase", input="n\n")
    assert "course answers and goals" in asked.stdout
    assert run_cli("erase", "--yes").exit_code == 0
    after = json.loads(run_cli("export").stdout)
    assert after["course"] == {"sessions_done": []} and after["goals"] == []
