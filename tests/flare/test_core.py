"""The flare plan's rules, walked by core/flare.py: who keeps what, who pauses what, the
build-back one step at a time, the see-someone rules, and the general plan without a plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.flare import (
    CurrentExercise,
    FlarePlan,
    FlareStart,
    build_back_doses,
    flare_exercise,
    flare_plan,
    start_from_alerts,
    step_toward,
)
from kneecoach.core.planning import variants_of
from kneecoach.core.progression import Dose, Variant, gentlest_dose
from kneecoach.core.signals.alerts import Alert, Level
from kneecoach.core.vocabulary import PATTERNS
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.flare import load_flare_rules
from kneecoach.data.planning import load_progression_rules
from kneecoach.data.signals import load_signal_thresholds

RULES = load_flare_rules()
PROGRESSION = load_progression_rules()
CATALOGUE = load_catalogue()
CHAIN = variants_of(CATALOGUE)
STEPS = PROGRESSION.steps
NOT_SETTLING = load_signal_thresholds().flare.not_settling_days
TODAY = date(2026, 3, 10)
OA = {"pattern.knee_osteoarthritis": 0.7}
TENDON = {"pattern.patellar_tendinopathy": 0.6}
STEP_SIZE = {"reps": STEPS.reps, "hold_s": STEPS.hold_s, "minutes": STEPS.minutes, "sets": 1}


def current(*ids: str) -> list[CurrentExercise]:
    """Plan exercises at their catalogue starting doses."""
    return [CurrentExercise(i, CHAIN[i].name, CATALOGUE.get(i).kind, CHAIN[i].start) for i in ids]  # type: ignore[union-attr]


def plan_for(
    exercises: Sequence[CurrentExercise] = (),
    facts: Mapping[str, Any] | None = None,
    start: date = TODAY,
    *,
    has_plan: bool = True,
    on_hold: bool = False,
    level: str | None = None,
) -> FlarePlan:
    source = "today" if level is None else "alert"
    return flare_plan(
        RULES,
        FlareStart(start, source, None if level is None else "pain_flare", level),  # type: ignore[arg-type]
        TODAY,
        exercises,
        facts,
        CHAIN,
        STEPS,
        PROGRESSION.zones,
        has_plan=has_plan,
        on_hold=on_hold,
    )


def actions(plan: FlarePlan) -> dict[str, str]:
    return {e.slot: e.action for e in plan.exercises}


def test_a_person_with_knee_arthritis_keeps_walking_and_holds_and_pauses_loaded_bending() -> None:
    plan = plan_for(current("walking", "quad_set", "heel_slide", "sit_to_stand", "step_up"), OA)
    assert actions(plan) == {
        "walking": "shorter",
        "quad_set": "keep",
        "heel_slide": "keep",
        "sit_to_stand": "pause",
        "step_up": "pause",
    }
    walking = next(e for e in plan.exercises if e.slot == "walking")
    assert walking.easy is not None and walking.easy.minutes == CHAIN["walking"].minutes_range[0]  # type: ignore[index]
    assert {a.id for a in plan.pain_relief} >= {"gel_for_arthritis", "ask_a_pharmacist"}


def test_a_person_with_tendon_pain_keeps_the_holds_others_pause() -> None:
    ids = ("isometric_knee_extension", "wall_sit", "tendon_wall_sit_hold", "step_down_low")
    tendon = actions(plan_for(current(*ids), TENDON))
    assert tendon == {
        "isometric_knee_extension": "keep",
        "wall_sit": "keep",
        "tendon_wall_sit_hold": "keep",
        "step_down_low": "pause",
    }
    others = actions(plan_for(current(*ids), OA))
    assert others["wall_sit"] == "pause" and others["tendon_wall_sit_hold"] == "pause"
    assert others["isometric_knee_extension"] == "keep"
    assert "gel_for_arthritis" not in {a.id for a in plan_for(current(*ids), TENDON).pain_relief}


def test_a_runner_pauses_running_and_a_walker_is_not_told_about_it() -> None:
    runner = plan_for(current("walking"), {"history.activities": ["running", "hiking"]})
    assert "running" in {a.id for a in runner.activities}
    sore_when_running = plan_for(current("walking"), {"pain.worse_with": ["running"]})
    assert "running" in {a.id for a in sore_when_running.activities}
    walker = plan_for(current("walking"), {"history.activities": ["hiking"]})
    assert "running" not in {a.id for a in walker.activities}


pattern_fits = st.dictionaries(
    st.sampled_from([f"pattern.{p}" for p in PATTERNS]), st.floats(0, 1), max_size=4
)
answers = st.fixed_dictionaries(
    {},
    optional={
        "history.activities": st.lists(st.sampled_from(["running", "football", "hiking"])),
        "pain.worse_with": st.lists(st.sampled_from(["running", "jumping", "stairs"])),
        "general.anticoagulants_or_bleeding_disorder": st.booleans(),
    },
)
plans = st.lists(st.sampled_from([e.id for e in CATALOGUE.exercises]), unique=True, max_size=12)


@given(plans, pattern_fits, answers, st.booleans())
def test_nobody_jumps_during_a_flare(
    ids: list[str], fits: dict[str, float], said: dict[str, Any], has_plan: bool
) -> None:
    facts = {**fits, **said}
    plan = plan_for(current(*ids) if has_plan else [], facts, has_plan=has_plan)
    assert "jumping" in {a.id for a in plan.activities}
    jumps = [e for e in plan.exercises if "hop" in e.slot or "jump" in e.slot]
    assert all(e.paused for e in jumps)
    assert all(e.action == "pause" for e in plan.exercises if e.group == "loaded_bending")
    assert {s.id for s in plan.see_someone} == {"red_flags", "not_settling"}


def usual_doses() -> st.SearchStrategy[tuple[Variant, Dose]]:
    """A catalogue exercise at any dose within its ranges."""

    def within(bounds: tuple[int, int] | None) -> st.SearchStrategy[int | None]:
        return st.none() if bounds is None else st.integers(*bounds)

    def dose_of(variant: Variant) -> st.SearchStrategy[tuple[Variant, Dose]]:
        low, high = variant.sets_range or (1, 3)
        dose = st.builds(
            Dose,
            st.just(variant.id),
            st.integers(max(low, STEPS.min_sets), min(high, STEPS.max_sets)),
            within(variant.reps_range),
            within(variant.hold_range),
            within(variant.minutes_range),
        )
        return dose.map(lambda d: (variant, d))

    return st.sampled_from(list(CHAIN.values())).flatmap(dose_of)


def one_step_apart(before: Dose, after: Dose) -> bool:
    """Exactly one part went up, by no more than its step size."""
    changed = [f.name for f in fields(Dose) if getattr(before, f.name) != getattr(after, f.name)]
    if len(changed) != 1 or changed[0] == "exercise_id":
        return False
    part = changed[0]
    rise = getattr(after, part) - getattr(before, part)
    return 0 < rise <= STEP_SIZE[part]


@given(usual_doses())
def test_the_build_back_never_jumps_more_than_one_step_a_day(case: tuple[Variant, Dose]) -> None:
    _variant, usual = case
    easy = gentlest_dose(usual, CHAIN, STEPS)
    doses = build_back_doses(easy, usual, RULES.build_back.ladder, STEPS)
    assert (doses[-1] if doses else easy) == usual
    for before, after in pairwise((easy, *doses)):
        assert one_step_apart(before, after), (before, after)
    for kind in ("keep", "pause"):
        group = next(g for g in RULES.groups if g.action == kind)
        made = flare_exercise(
            CurrentExercise("x", "X", "strength", usual), group, RULES, CHAIN, STEPS
        )
        steps = made.build_back if made.easy is None else (made.easy, *made.build_back)
        assert steps[0] == easy and steps[-1] == usual
        assert all(one_step_apart(a, b) for a, b in pairwise(steps))


def test_a_step_goes_reps_first_and_stops_at_the_usual_dose() -> None:
    usual = Dose("quad_set", 3, 11, 10)
    first = step_toward(Dose("quad_set", 1, 8, 5), usual, RULES.build_back.ladder, STEPS)
    assert first == Dose("quad_set", 1, 10, 5)
    assert step_toward(first, usual, RULES.build_back.ladder, STEPS) == Dose("quad_set", 1, 11, 5)
    assert build_back_doses(usual, usual, RULES.build_back.ladder, STEPS) == ()


def test_the_days_run_from_the_start_ease_then_build_back() -> None:
    plan = plan_for(current("quad_set"), OA, start=TODAY - timedelta(days=1))
    assert plan.day == 2 and plan.phase == "ease"
    ease, back = plan.phases
    assert (ease.first_date, ease.last_date) == (TODAY - timedelta(days=1), TODAY + timedelta(1))
    assert back.first_day == 4 and back.first_date == TODAY + timedelta(days=2)
    later = plan_for(current("quad_set"), OA, start=TODAY - timedelta(days=3))
    assert later.day == 4 and later.phase == "build_back"
    assert plan.check_by == TODAY - timedelta(days=1) + timedelta(days=14)


def test_the_see_someone_rules_appear_and_lead_once_the_flare_has_not_settled() -> None:
    fresh = plan_for(current("quad_set"), OA)
    assert [s.id for s in fresh.see_someone] == ["red_flags", "not_settling"]
    assert not fresh.not_settling
    long = plan_for(current("quad_set"), OA, start=TODAY - timedelta(days=15))
    assert long.not_settling and long.see_someone[0].id == "not_settling"
    assert long.see_someone[0].text == RULES.not_settling.message
    told = plan_for(current("quad_set"), OA, level="see_professional")
    assert told.not_settling and told.day == 1


def test_without_a_plan_the_general_flare_plan_is_given_and_says_so() -> None:
    plan = plan_for([], None, has_plan=False)
    assert not plan.personal and plan.exercises == ()
    assert plan.note == RULES.general_note
    assert [g.id for g in plan.groups] == [g.id for g in RULES.groups]
    given_ids = {a.id for a in plan.activities}
    assert {"jumping", "running", "stairs"} <= given_ids
    assert "blood_thinners" not in {a.id for a in plan.pain_relief}
    assert "gel_for_arthritis" not in {a.id for a in plan.pain_relief}
    assert plan.build_back and plan.see_someone


def test_on_hold_only_the_see_someone_rules_are_given() -> None:
    plan = plan_for(current("walking", "quad_set"), OA, on_hold=True)
    assert plan.on_hold and plan.note == RULES.on_hold
    assert plan.exercises == () and plan.groups == () and plan.activities == ()
    assert plan.comfort == () and plan.pain_relief == () and plan.build_back == ()
    assert {s.id for s in plan.see_someone} == {"red_flags", "not_settling"}


def test_the_resume_rule_uses_the_plans_pain_zones() -> None:
    safe, ok = PROGRESSION.zones[0].max_pain, PROGRESSION.zones[1].max_pain
    lines = plan_for(current("quad_set"), OA).build_back
    assert f"{safe} or less" in lines[0] and f"over {ok}" in lines[2]
    assert "{" not in " ".join(lines)


def test_the_json_names_each_rule() -> None:
    document = plan_for(current("walking", "step_up"), OA).as_json()
    step_up = next(e for e in document["exercises"] if e["slot"] == "step_up")
    assert step_up["group"] == "loaded_bending" and step_up["days_1_to_3"] is None
    assert step_up["build_back"][0]["dose"] and step_up["usual"]["sets"] == 2
    assert {a["id"] for a in document["activities"]} >= {"jumping", "deep_bends"}
    assert document["start"] == {
        "date": TODAY.isoformat(),
        "source": "today",
        "alert": None,
        "level": None,
    }


def alert(name: str, days_ago: int, level: Level = Level.act) -> Alert:
    return Alert(name, TODAY - timedelta(days=days_ago), level, "why")


def start_of(*alerts: Alert) -> FlareStart:
    return start_from_alerts(alerts, RULES.start, TODAY, NOT_SETTLING)


def test_day_1_is_today_without_a_flare_alert() -> None:
    assert start_of() == FlareStart(TODAY, "today")
    assert start_of(alert("swelling_rising", 1, Level.watch)).source == "today"
    assert start_of(alert("red_flag", 1, Level.see_professional)).source == "today"
    assert start_of(alert("mechanical_symptoms", 1)).source == "today"
    assert start_of(alert("pain_flare", RULES.start.look_back_days)).source == "today"


def test_alerts_close_together_are_one_flare_from_its_first_day() -> None:
    start = start_of(alert("pain_flare", 2), alert("swelling_rising", 0))
    assert start == FlareStart(TODAY - timedelta(days=2), "alert", "pain_flare", "act")
    worse = start_of(alert("swelling_rising", 4), alert("pain_flare", 0, Level.see_professional))
    assert worse.alert == "pain_flare" and worse.level == "see_professional"
    apart = RULES.start.same_flare_within_days + 1
    later = start_of(alert("pain_flare", apart + 3), alert("stiffness_rising", 3))
    assert later.on == TODAY - timedelta(days=3) and later.alert == "stiffness_rising"


def test_a_pain_flare_that_has_not_settled_counts_from_its_first_day() -> None:
    start = start_of(alert("pain_flare", 0, Level.see_professional))
    assert start.on == TODAY - timedelta(days=NOT_SETTLING - 1)
    plan = plan_for(current("quad_set"), OA, start=start.on, level=start.level)
    assert plan.day == NOT_SETTLING and plan.not_settling


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["pain_flare", "swelling_rising", "weakness_rising", "red_flag"]),
            st.integers(0, 30),
            st.sampled_from(list(Level)),
        ),
        max_size=8,
    )
)
def test_day_1_is_never_after_today_nor_after_the_latest_alert(
    drawn: list[tuple[str, int, Level]],
) -> None:
    alerts = [alert(name, ago, level) for name, ago, level in drawn]
    start = start_of(*alerts)
    assert start.on <= TODAY
    if start.source == "alert":
        named = [a for a in alerts if a.id == start.alert]
        assert named and start.on <= max(a.day for a in named)
        assert start.alert != "red_flag" and start.level != "watch"


def test_care_first_gives_no_flare_plan_only_whom_to_see() -> None:
    plan = flare_plan(
        RULES, FlareStart(TODAY, "today"), TODAY, [], OA, CHAIN, STEPS, PROGRESSION.zones,
        has_plan=False, care_first=True,
    )  # fmt: skip
    assert plan.on_hold and plan.note == RULES.care_first and plan.groups == ()
