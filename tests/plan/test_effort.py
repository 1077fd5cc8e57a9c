"""The effort a person rates for a logged session (0010_session_effort): stored on SQLite and
PostgreSQL, read by the load rules (too hard steps back, easy at the top of the reps loads up
one rung), named in the reason; asked by `kneecoach session`; kept NULL for sessions logged
before the upgrade."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from kneecoach.core.intake import parse_intake
from kneecoach.services.database import transaction
from kneecoach.services.plan import plan_for, save_plan
from kneecoach.services.sessions import (
    DoneExercise,
    log_session,
    record_next_morning,
    session_log,
    todays_doses,
)
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.storage.models.plans import SessionLog
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.plan.intakes import HIKER, OLDER_WALKER, example, with_changes
from tests.test_migrations import FIXTURES

START = date(2025, 3, 3)  # day 1: strength on days 1, 3 and 5
GYM = with_changes(example(OLDER_WALKER), {"person.age": 52, "equipment": ["gym"]})
SLOT = "leg_extension"


def gym_plan() -> None:
    intake = parse_intake(GYM)
    in_session(save_plan, intake, in_session(plan_for, intake), START)


def log(on: date, effort: int | None, pain: int = 1) -> None:
    in_session(log_session, [DoneExercise(id=SLOT, pain_during=pain, effort=effort)], on)
    in_session(record_next_morning, on, False)


def dose_on(on: date) -> tuple[str, str]:
    (item,) = [e for e in in_session(todays_doses, on).exercises if e.slot == SLOT]
    return item.decision.rule_id, item.decision.reason


def test_the_effort_is_stored_and_shown_in_the_log(database: str) -> None:
    gym_plan()
    in_session(
        log_session,
        [
            DoneExercise(id=SLOT, pain_during=2, effort=7),
            DoneExercise(id="sit_to_stand", pain_during=1),
        ],
        START,
    )
    with transaction() as session:
        stored = {row.slot: row.effort for row in session.scalars(select(SessionLog))}
    assert stored[SLOT] == 7 and stored["sit_to_stand"] is None
    rows = {row["slot"]: row for row in in_session(session_log)}
    assert rows[SLOT]["effort"] == 7 and rows["sit_to_stand"]["effort"] is None


def test_a_rating_of_9_steps_the_load_back_and_says_why(database: str) -> None:
    gym_plan()
    log(START, 9)
    rule, reason = dose_on(START + timedelta(days=2))
    assert rule == "too_hard"
    assert reason.startswith("You rated it 9 out of 10, which is too hard, so")


def test_an_easy_session_at_the_top_of_the_reps_loads_up_one_rung(database: str) -> None:
    """Reps climb 10 → 12 → 14 → 15 two sessions at a time (effort 7: not easy); at 15, one
    session rated 5 moves the load one rung, 10 kg to 12.5 kg, and the reps start low."""
    gym_plan()
    days = [START + timedelta(days=7 * week + d) for week in range(4) for d in (0, 2, 4)]
    seen = []
    for day in days:
        item = next(e for e in in_session(todays_doses, day).exercises if e.slot == SLOT)
        seen.append((item.dose.reps, item.dose.load.value if item.dose.load else None))
        if item.dose.reps == 15:
            log(day, 5)
            break
        log(day, 7)
    assert seen[-1] == (15, 10.0)
    nxt = days[len(seen)]
    item = next(e for e in in_session(todays_doses, nxt).exercises if e.slot == SLOT)
    assert item.decision.rule_id == "easy_at_top"
    assert item.dose.load is not None and item.dose.load.value == 12.5 and item.dose.reps == 10
    assert item.decision.reason.startswith(
        "You did all the reps and rated it 5 out of 10, which is easy (pain 1/10), so leg "
        "extension machine goes from 10 kg to 12.5 kg"
    )
    # the log's reasons are worked out again from the log, effort and all
    last = [row for row in in_session(session_log) if row["slot"] == SLOT][-1]
    assert last["effort"] == 5 and last["prescribed"].startswith("2 × 15")


def test_a_session_file_carries_the_effort_and_the_cli_shows_it(tmp_path: Path) -> None:
    answers = tmp_path / "hiker.json"
    answers.write_text(json.dumps(example(HIKER)), encoding="utf-8")
    assert (
        run_cli("plan", "--answers", str(answers), "--save", "--start", "2025-03-03").exit_code == 0
    )
    shown = json.loads(run_cli("plan", "show", "--date", "2025-03-03", "--format", "json").stdout)
    slot = shown["today"]["exercises"][0]["slot"]
    document = {"date": "2025-03-03", "exercises": [{"id": slot, "pain_during": 1, "effort": 9}]}
    path = tmp_path / "s1.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    table = run_cli("session", "--file", str(path))
    assert table.exit_code == 0, table.stderr
    assert "Effort" in table.stdout and "9/10" in table.stdout
    later = json.loads(run_cli("plan", "show", "--date", "2025-03-05", "--format", "json").stdout)
    first = next(e for e in later["today"]["exercises"] if e["slot"] == slot)
    assert first["rule"] == "too_hard" and "You rated it 9 out of 10" in first["reason"]
    document["exercises"][0]["effort"] = 11
    document["date"] = "2025-03-04"
    path.write_text(json.dumps(document), encoding="utf-8")
    bad = run_cli("session", "--file", str(path))
    assert bad.exit_code == 2 and "effort" in bad.stderr


def test_the_interactive_session_asks_the_effort_and_enter_skips_it(tmp_path: Path) -> None:
    answers = tmp_path / "hiker.json"
    answers.write_text(
        json.dumps(with_changes(example(HIKER), {"minutes_per_day": 8})), encoding="utf-8"
    )
    assert (
        run_cli("plan", "--answers", str(answers), "--save", "--start", "2025-03-03").exit_code == 0
    )
    shown = json.loads(run_cli("plan", "show", "--date", "2025-03-03", "--format", "json").stdout)
    exercises = shown["today"]["exercises"]
    typed = []
    for n, exercise in enumerate(exercises):
        typed.append("")  # sets as prescribed
        typed += [""] * sum(exercise[k] is not None for k in ("reps", "hold_s", "minutes"))
        typed.append("2")  # pain during
        typed += ["12", "4"] if n == 0 else [""]  # effort: out of range asks again; Enter skips
    typed += ["n"] * 5  # no warning signs
    result = run_cli("session", "--date", "2025-03-03", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "How hard was it? 0 = nothing, 10 = as hard as you can" in result.stdout
    assert "or press Enter to skip" in result.stdout
    rows = in_session(session_log)
    assert [row["effort"] for row in rows] == [4] + [None] * (len(rows) - 1)


def test_upgrading_from_0009_keeps_the_logged_sessions_without_an_effort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "0009.db"
    target.write_bytes((FIXTURES / "0009-idempotency.db").read_bytes())
    url = f"sqlite:///{target}"
    engine = create_engine(url)
    with engine.connect() as connection:
        before = connection.execute(text("SELECT * FROM session_logs ORDER BY id")).mappings().all()
    engine.dispose()
    assert before and "effort" not in before[0]
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    reset_settings()
    upgraded = run_cli("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    db.dispose_engines()
    engine = create_engine(url)
    with engine.connect() as connection:
        after = connection.execute(text("SELECT * FROM session_logs ORDER BY id")).mappings().all()
    engine.dispose()
    assert [{k: row[k] for k in before[0]} for row in after] == [dict(row) for row in before]
    assert [row["effort"] for row in after] == [None] * len(before)
    # the old rows still explain their doses, with no effort named
    rows = in_session(session_log)
    assert len(rows) == len(before) and all(row["effort"] is None for row in rows)
    assert all("out of 10" not in (row["reason"] or "") for row in rows)
