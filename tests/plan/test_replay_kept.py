"""A ladder with a load replays its whole log (the load follows from it). The replay of each
plan's exercise is kept in the process (services/sessions.REPLAYS), so the next request works
out only the sessions logged since. The answers are always the ones a full replay gives: after
new sessions, and after an old session is changed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select, update

from kneecoach.core.intake import parse_intake
from kneecoach.core.progression import replay
from kneecoach.services import sessions as session_service
from kneecoach.services.database import transaction
from kneecoach.services.plan import plan_for, save_plan
from kneecoach.services.sessions import REPLAYS, session_log, todays_doses
from kneecoach.storage.models.plans import SessionLog
from tests.db import in_session
from tests.history import seed_sessions
from tests.plan.intakes import OLDER_WALKER, example, with_changes

START = date(2025, 3, 3)
GYM = with_changes(example(OLDER_WALKER), {"person.age": 52, "equipment": ["gym"]})


def fresh_and_kept(call: Any, *args: Any) -> tuple[Any, Any]:
    """The answer with nothing kept (a full replay), then again from the kept replays."""
    REPLAYS.clear()
    fresh = in_session(call, *args)
    kept = in_session(call, *args)
    return fresh, kept


def test_the_kept_replay_gives_the_full_replays_answer_as_the_log_changes(
    database: str,
) -> None:
    intake = parse_intake(GYM)
    plan = in_session(save_plan, intake, in_session(plan_for, intake), START)
    seed_sessions(plan, START, START + timedelta(days=120))
    day = START + timedelta(days=121)
    REPLAYS.clear()
    first_log = in_session(session_log)
    assert any(row["prescribed_load"] for row in first_log)  # a ladder with a load

    seed_sessions(plan, START + timedelta(days=121), START + timedelta(days=200))
    later = START + timedelta(days=201)
    kept_log = in_session(session_log)  # goes on from the kept replay
    assert kept_log[: len(first_log)] == first_log
    fresh_log, again = fresh_and_kept(session_log)
    assert kept_log == fresh_log == again
    fresh_today, kept_today = fresh_and_kept(todays_doses, later)
    assert fresh_today.as_json() == kept_today.as_json()

    with transaction() as session:  # an early session turns out to have hurt
        first_id = session.scalars(
            select_first_loaded(plan.id, [row["slot"] for row in first_log])
        ).one()
        session.execute(update(SessionLog).where(SessionLog.id == first_id).values(pain_during=8))
    changed = in_session(session_log)  # the kept replay no longer matches from there
    REPLAYS.clear()
    assert changed == in_session(session_log)
    assert changed != fresh_log
    assert in_session(todays_doses, day).as_json() == fresh_and_kept(todays_doses, day)[0].as_json()


def select_first_loaded(plan_id: int, slots: list[str]) -> Select[tuple[int]]:
    return (
        select(SessionLog.id)
        .where(SessionLog.plan_id == plan_id, SessionLog.slot.in_(slots))
        .order_by(SessionLog.session_date, SessionLog.id)
        .limit(1)
    )


def test_core_replay_goes_on_from_an_earlier_answer(database: str) -> None:
    intake = parse_intake(GYM)
    plan = in_session(save_plan, intake, in_session(plan_for, intake), START)
    seed_sessions(plan, START, START + timedelta(days=90))
    with transaction() as session:
        ctx = session_service._context(plan, session)
        logs = session_service._latest_logs(
            session, plan.id, ["leg_extension"], START + timedelta(days=91), 10**6
        )["leg_extension"]
    start = session_service._planned_dose(plan.exercise("leg_extension") or {})
    whole = replay(start, logs, ctx.chain, ctx.rules, ctx.allowed)
    half = replay(start, logs[:20], ctx.chain, ctx.rules, ctx.allowed)
    assert replay(start, logs, ctx.chain, ctx.rules, ctx.allowed, half) == whole
    assert whole[:20] == half
