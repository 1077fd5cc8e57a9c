"""Where each ladder starts in a plan: one table test per kind of person, then hypothesis over
drawn people (a frail sign never raises a rung, no rung above the person's level, no condition
broken), and the level and the one-line reasons in the CLI, the JSON, the API and Today."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecoach.core.exercises import dose_changes, left_out_because
from kneecoach.core.intake import parse_intake
from kneecoach.core.planning import Plan, situation_of
from kneecoach.core.starting_level import rank_of
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.starting_levels import load_starting_levels
from kneecoach.services.assessment import assess_intake
from kneecoach.services.plan import plan_for
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.plan.intakes import HIKER, OLDER_WALKER, example, self_care_intakes, with_changes

CATALOGUE = load_catalogue()
LEVELS = load_starting_levels()


def plan_of(doc: dict[str, Any]) -> Plan:
    return in_session(plan_for, parse_intake(doc))


def rung(exercise_id: str) -> int:
    """The place of an exercise on its ladder: 0 is the first rung."""
    return [e.id for e in CATALOGUE.chain(exercise_id)].index(exercise_id)


def start_levels(plan: Plan) -> set[str]:
    return {CATALOGUE.get(e.id).start_level for e in plan.exercises}  # type: ignore[union-attr]


def broken_conditions(doc: dict[str, Any], plan: Plan) -> list[str]:
    """Planned exercises that a condition leaves out, or whose caution asks for the easier
    step while the plan climbed past it."""
    intake = parse_intake(doc)
    report = in_session(assess_intake, intake)
    situation = situation_of(intake, report.triage, report.assessment, CATALOGUE)
    broken = []
    for planned in plan.exercises:
        exercise = CATALOGUE.get(planned.id)
        assert exercise is not None
        if left_out_because(exercise, situation):
            broken.append(planned.id)
        climbed = "skip" in planned.start_reason
        if climbed and "easier_variant" in dose_changes(exercise, situation):
            broken.append(planned.id)
    return broken


# ── The people ────────────────────────────────────────────────────────────────────────────

CYCLIST = with_changes(
    example(HIKER),
    {
        "person.age": 40,
        "person.sex": "male",
        "history.activities": ["cycling"],
        "activity_level": 7,
        "pain.now": 2,
        "pain.worst_last_week": 3,
        "self_tests": {
            "chair_stand_30s": 20.0,
            "single_leg_stance_s": {"left": 45.0, "right": 44.0},
        },
        "equipment": [],
    },
)
PFP_RUNNER = with_changes(
    example(HIKER),
    {
        "person.age": 28,
        "history.activities": ["running"],
        "activity_level": 8,
        "pain.worse_with": ["stairs", "squatting", "running", "sitting_long"],
        "pain.location": ["front", "behind_kneecap"],
    },
)
OA_NO_KIT = with_changes(
    example(OLDER_WALKER),
    {"person.age": 68, "equipment": ["chair"], "minutes_per_day": 30},
)
TENDON_JUMPER = with_changes(
    example(HIKER),
    {
        "person.age": 22,
        "history.activities": ["volleyball"],
        "activity_level": 9,
        "pain.now": 2,
        "pain.worst_last_week": 4,
        "pain.location": ["below_kneecap"],
        "pain.worse_with": ["jumping", "stairs"],
        "equipment": ["wall", "chair", "resistance_band", "step"],
    },
)
GROWING_TEEN = with_changes(
    example(HIKER),
    {
        "person.age": 13,
        "person.height_cm": 160,
        "person.weight_kg": 48,
        "history.activities": ["football"],
        "activity_level": 10,
        "pain.now": 2,
        "pain.worst_last_week": 4,
        "pain.location": ["below_kneecap"],
        "pain.worse_with": ["running", "jumping", "kneeling"],
    },
)
FRAIL_82 = with_changes(
    example(OLDER_WALKER),
    {
        "person.age": 82,
        "self_tests": {"timed_up_and_go_s": 14.0, "chair_stand_30s": 7.0},
        "minutes_per_day": 30,
    },
)
NO_TESTS = with_changes(
    example(HIKER),
    {"person.age": 50, "history.activities": [], "self_tests": None},
)


def test_a_fit_cyclist_starts_above_the_lying_thigh_squeeze() -> None:
    plan = plan_of(CYCLIST)
    assert plan.starting_level is not None and plan.starting_level.level == "active"
    assert any("cycling" in r for r in plan.starting_level.reasons)
    ids = {e.id for e in plan.exercises}
    # the thigh ladder climbs past the plain leg lift to the weighted one (active, a bag will
    # do), so a fit cyclist starts with load
    assert "quad_set" not in ids and "straight_leg_raise" not in ids
    assert "straight_leg_raise_weighted" in ids
    assert {"bridge_march", "glute_bridge"} & ids <= {"bridge_march"}
    assert max(rung(e.id) for e in plan.exercises) >= 1
    leg_lift = next(e for e in plan.exercises if e.id == "straight_leg_raise_weighted")
    assert leg_lift.start_reason == (
        "You rated your activity 7 out of 10, so you skip 2 easier steps and start here."
    )
    assert leg_lift.load is not None
    assert not broken_conditions(CYCLIST, plan)


def test_a_front_of_knee_runner_gets_hip_and_knee_work_a_step_up() -> None:
    plan = plan_of(PFP_RUNNER)
    assert plan.starting_level is not None and plan.starting_level.level == "active"
    needs = [e.need for e in plan.exercises]
    assert "front_knee_hip_work" in needs or "core_hip_strength" in needs
    hip = [e for e in plan.exercises if e.targets[0] in ("hip_abductor_weakness",)]
    thigh = [e for e in plan.exercises if e.targets[0] == "quadriceps_weakness"]
    assert hip and thigh
    climbed = [e for e in plan.exercises if "skip" in e.start_reason]
    assert climbed, [e.start_reason for e in plan.exercises]
    assert all(e.start_reason for e in plan.exercises)
    assert not broken_conditions(PFP_RUNNER, plan)


def test_an_older_person_with_arthritis_and_only_a_chair_gets_supported_work() -> None:
    """No exercise kit, only a chair at home (the plan assumes nothing, not even a chair, so
    the chair is listed): stands from the chair, balance and walking, nothing above general."""
    plan = plan_of(OA_NO_KIT)
    assert plan.starting_level is not None and plan.starting_level.level == "general"
    ids = {e.id for e in plan.exercises}
    assert ids & {"sit_to_stand", "sit_to_stand_hands"}, "stands from a chair"
    assert "single_leg_squat_box" not in ids, "no squats"
    assert any(e.kind == "balance" for e in plan.exercises), "balance at 60 and over"
    assert all(rank_of(level) <= rank_of("general") for level in start_levels(plan))
    assert not broken_conditions(OA_NO_KIT, plan)


def test_a_jumper_with_tendon_pain_starts_at_the_wall_hold() -> None:
    plan = plan_of(TENDON_JUMPER)
    assert plan.starting_level is not None and plan.starting_level.level == "athletic"
    holds = {e.id: e for e in plan.exercises if e.need == "tendon_holds"}
    assert set(holds) == {"tendon_wall_sit_hold"}
    assert "seated thigh hold" in holds["tendon_wall_sit_hold"].start_reason
    assert not broken_conditions(TENDON_JUMPER, plan)


def test_a_growing_teen_is_held_below_athletic_and_never_kneels() -> None:
    report = in_session(assess_intake, parse_intake(GROWING_TEEN))
    assert "adolescent_growth_plate" in [p.id for p in report.assessment.patterns]
    plan = plan_of(GROWING_TEEN)
    assert plan.starting_level is not None and plan.starting_level.level == "active"
    assert any("still growing" in r for r in plan.starting_level.reasons)
    assert "athletic" not in start_levels(plan)
    assert "hip_flexor_stretch_kneeling" not in {e.id for e in plan.exercises}
    assert not broken_conditions(GROWING_TEEN, plan)


def test_a_frail_82_year_old_gets_supported_rungs_only() -> None:
    plan = plan_of(FRAIL_82)
    assert plan.starting_level is not None and plan.starting_level.level == "frail"
    assert plan.starting_level.reasons[0].startswith("You took 14 seconds")
    assert start_levels(plan) == {"frail"}
    assert plan.exercises and all(e.start_reason for e in plan.exercises)
    squeeze = next(e for e in plan.exercises if e.id == "quad_set")
    assert squeeze.start_reason == (
        "You took 14 seconds to stand up, walk 3 metres and back, and sit down, so you start "
        "at this step of the ladder."
    )
    assert not broken_conditions(FRAIL_82, plan)


def test_no_self_tests_is_not_the_bottom_rung() -> None:
    plan = plan_of(NO_TESTS)
    assert plan.starting_level is not None and plan.starting_level.level == "general"
    assert plan.starting_level.reasons == (
        "You are 50, and no answer calls for supported work, so you start at the general level.",
    )
    assert any(rung(e.id) >= 1 for e in plan.exercises)
    assert "quad_set" not in {e.id for e in plan.exercises}


def test_a_gentle_plan_stays_on_the_first_rungs() -> None:
    """Triage `soon` (an unanswered safety question) keeps every ladder low, and says why."""
    soon = with_changes(CYCLIST, {"pain.at_night": None})
    plan = plan_of(soon)
    assert plan.gentle and plan.starting_level is not None
    assert plan.starting_level.level == "active", "the level is still worked out and shown"
    assert not any("skip" in e.start_reason for e in plan.exercises)
    assert any("gentle start" in e.start_reason for e in plan.exercises)


def test_without_levels_the_plan_starts_at_the_easy_end() -> None:
    from kneecoach.core.planning import make_plan
    from kneecoach.data.planning import load_advice, load_plan_rules

    intake = parse_intake(CYCLIST)
    report = in_session(assess_intake, intake)
    plan = make_plan(
        intake, report.triage, report.assessment, CATALOGUE, load_plan_rules(), load_advice()
    )
    assert plan.starting_level is None and "quad_set" in {e.id for e in plan.exercises}
    assert all(e.start_reason == "" for e in plan.exercises)


# ── Hypothesis over drawn people ────────────────────────────────────────────────────────


def chain_rungs(plan: Plan) -> dict[str, int]:
    return {CATALOGUE.chain(e.id)[0].id: rung(e.id) for e in plan.exercises}


def held_for_time(plan: Plan) -> set[str]:
    """The ladders whose level rung did not fit the day, so a lower one was taken."""
    held = LEVELS.rung_texts["held_back_time"]
    return {CATALOGUE.chain(e.id)[0].id for e in plan.exercises if e.start_reason == held}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    self_care_intakes(),
    st.integers(1, 10),
    st.sampled_from(
        [
            {"self_tests.timed_up_and_go_s": 15.0},
            {"self_tests.chair_stand_30s": 5.0},
            {"activity_level": 2},
            {"self_tests.single_leg_stance_s": {"left": 1.0, "right": 2.0}},
        ]
    ),
)
def test_a_frail_sign_never_raises_a_rung_and_no_rung_is_above_the_level(
    doc: dict[str, Any], activity: int, frail_sign: dict[str, Any]
) -> None:
    doc = with_changes(doc, {"activity_level": activity})
    plan = plan_of(doc)
    frail_doc = with_changes(doc, frail_sign)
    frail = plan_of(frail_doc)
    for made, made_doc in ((plan, doc), (frail, frail_doc)):
        if made.refused:
            continue
        assert made.starting_level is not None
        for level in start_levels(made):
            assert rank_of(level) <= rank_of(made.starting_level.level)
        assert not broken_conditions(made_doc, made)
    if plan.refused or frail.refused:
        return
    assert frail.starting_level is not None and frail.starting_level.level == "frail"
    # a ladder the day's minutes held below its level's rung (daily tendon holds take time
    # every day) is not the level's doing: a frail plan that leaves a need out may have room
    before = {
        ladder: place
        for ladder, place in chain_rungs(plan).items()
        if ladder not in held_for_time(plan)
    }
    for ladder, place in chain_rungs(frail).items():
        if ladder in before:
            assert place <= before[ladder], ladder


# ── Shown to the person ───────────────────────────────────────────────────────────────────


def write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_the_cli_prints_the_level_first_and_a_reason_per_exercise(tmp_path: Path) -> None:
    result = run_cli("plan", "--answers", str(write(tmp_path, CYCLIST)))
    assert result.exit_code == 0, result.stdout
    flat = " ".join(result.stdout.split())
    assert flat.index("Where you start: the active level") < flat.index("Your week")
    assert "Your activities include cycling, so you start at the active level." in flat
    assert flat.count("Why this step:") == len(plan_of(CYCLIST).exercises)


def test_the_json_carries_the_level_and_each_start_reason(tmp_path: Path) -> None:
    result = run_cli("plan", "--answers", str(write(tmp_path, FRAIL_82)), "--format", "json")
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["starting_level"]["level"] == "frail"
    assert doc["starting_level"]["reasons"][0].startswith("You took 14 seconds")
    entries = [e for s in doc["sessions"] for e in s["exercises"]]
    assert entries and all(e["start_reason"] for e in entries)


def test_a_refused_plan_has_no_level(tmp_path: Path) -> None:
    hot = with_changes(CYCLIST, {"signs.warm": True, "signs.red": True, "general.fever": True})
    result = run_cli("plan", "--answers", str(write(tmp_path, hot)), "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["refused"] is True and doc["starting_level"] is None


def test_plan_show_repeats_the_saved_level(tmp_path: Path) -> None:
    answers = str(write(tmp_path, CYCLIST))
    saved = run_cli("plan", "--answers", answers, "--save", "--start", "2025-03-03")
    assert saved.exit_code == 0, saved.stderr
    shown = json.loads(run_cli("plan", "show", "--date", "2025-03-03", "--format", "json").stdout)
    assert shown["starting_level"]["level"] == "active"
    table = " ".join(run_cli("plan", "show", "--date", "2025-03-03").stdout.split())
    assert table.index("Where you start: the active level") < table.index("Your week")


def test_the_level_and_reasons_are_kept_with_the_saved_plan_and_older_plans_still_load(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite and PostgreSQL: saved and read back as shown; a plan saved before starting
    levels (no `starting_level`, no `start_reason`) still gives today's doses."""
    from datetime import date

    from sqlalchemy import select

    from kneecoach.services.database import transaction
    from kneecoach.services.plan import current_plan, save_plan
    from kneecoach.services.sessions import todays_doses
    from kneecoach.settings import reset_settings
    from kneecoach.storage.models.plans import SavedPlan

    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    intake = parse_intake(FRAIL_82)
    plan = in_session(plan_for, intake)
    start = date(2025, 3, 3)
    in_session(save_plan, intake, plan, start)
    again = in_session(current_plan)
    assert again.plan["starting_level"] == plan.starting_level.as_json()  # type: ignore[union-attr]
    first = plan.exercises[0]
    assert again.exercise(first.id)["start_reason"] == first.start_reason  # type: ignore[index]
    assert "starting_levels" in again.rules_version
    with transaction() as session:
        record = session.scalars(select(SavedPlan)).one()
        old = json.loads(json.dumps(record.plan))
        del old["starting_level"]
        for day in old["sessions"]:
            for entry in day["exercises"]:
                del entry["start_reason"]
        record.plan = old
    older = in_session(current_plan)
    assert "starting_level" not in older.plan
    today = in_session(todays_doses, start, older)
    assert [e.slot for e in today.exercises] == [e["id"] for e in older.session_on_day(1)]


def test_a_need_with_no_step_at_the_level_is_left_out_for_safety() -> None:
    """Foam rolling starts at general: for the supported level the need is left out, and the
    plan says it was for safety (not for time or kit)."""
    from kneecoach.core.planning import Need, Select, Softening, StartRung, choose_exercises
    from kneecoach.data.planning import load_plan_rules

    need = Need("roll", "Roll the thigh", "Rolling helps.", Select(kind="foam_roll"), 1, "test")
    intake = parse_intake(with_changes(FRAIL_82, {"equipment": ["foam_roller"]}))
    frail = StartRung(level="frail", level_name="supported", texts=LEVELS.rung_texts)
    choice = choose_exercises(
        [need], intake, CATALOGUE, frozenset(), (), 30, Softening(), load_plan_rules(), frail
    )
    assert choice.exercises == () and [x.reason for x in choice.left_out] == ["safety"]
    general = StartRung(level="general", level_name="general", texts=LEVELS.rung_texts)
    choice = choose_exercises(
        [need], intake, CATALOGUE, frozenset(), (), 30, Softening(), load_plan_rules(), general
    )
    assert [e.kind for e in choice.exercises] == ["foam_roll"]


def test_the_level_and_step_reasons_read_at_grade_8_or_below() -> None:
    """What a person reads about their start, for each kind of person, judged as a whole."""
    import textstat

    for doc in (CYCLIST, PFP_RUNNER, OA_NO_KIT, TENDON_JUMPER, GROWING_TEEN, FRAIL_82, NO_TESTS):
        plan = plan_of(doc)
        assert plan.starting_level is not None
        texts = [*plan.starting_level.reasons, *sorted({e.start_reason for e in plan.exercises})]
        assert textstat.flesch_kincaid_grade(" ".join(texts)) <= 8.0, texts
