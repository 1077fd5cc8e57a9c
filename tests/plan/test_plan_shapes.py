"""The plan's shape for five kinds of person, checked against the protocols
(../shared/clinical/evidence-plan.md), and the ladders a strong person can climb.

- a runner with front-of-knee pain: hip plus knee work (PFP consensus);
- a 68-year-old with osteoarthritis and no kit: sit-to-stand, balance, walking (GLA:D);
- a jumper with tendon pain: daily isometrics, then heavy slow resistance (Breda 2021);
- a cyclist with pain on the outer knee: side-hip strength, outer-thigh care, bike fit;
- a teenager with growth-plate pain: load management, no deep loaded bending.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kneecoach.core.exercises import Exercise
from kneecoach.core.intake import parse_intake
from kneecoach.core.planning import Plan, primary_target, uncovered
from kneecoach.data.exercises import load_catalogue
from kneecoach.services.plan import allowed_variants, plan_for
from tests.db import in_session
from tests.plan.intakes import (
    HIKER,
    OLDER_WALKER,
    example,
    self_care_intakes,
    volleyball_jumper,
    with_changes,
)
from tests.plan.test_planning import check_week

CATALOGUE = load_catalogue()
DEEP_LOADED = frozenset(
    {
        "goblet_squat", "split_squat", "rear_foot_elevated_split_squat", "reverse_lunge",
        "walking_lunge", "heavy_slow_squat", "decline_squat",
    }
)  # fmt: skip
HOPS = frozenset(e.id for e in CATALOGUE.exercises if e.stage == "energy_storage")

PFP_RUNNER = with_changes(
    example(HIKER),
    {
        "person.age": 29,
        "history.activities": ["running"],
        "pain.location": ["front", "behind_kneecap"],
        "pain.worse_with": ["stairs", "squatting", "running"],
        "equipment": ["resistance_band", "step"],
        "minutes_per_day": 30,
    },
)
OA_68_NO_KIT = with_changes(example(OLDER_WALKER), {"person.age": 68, "equipment": []})
JUMPER = volleyball_jumper()
CYCLIST_ITB = with_changes(
    example(HIKER),
    {
        "person.age": 41,
        "pain.location": ["outer"],
        "pain.worse_with": ["running", "stairs"],
        "history.activities": ["cycling"],
        "equipment": ["foam_roller", "resistance_band"],
        "minutes_per_day": 25,
    },
)
TEEN_GROWTH_PLATE = with_changes(
    example(HIKER),
    {
        "person.age": 13,
        "pain.location": ["below_kneecap"],
        "pain.worse_with": ["jumping", "running", "kneeling"],
        "history.activities": ["football"],
        "equipment": [],
    },
)


def plan_of(doc: dict[str, Any]) -> Plan:
    return in_session(plan_for, parse_intake(doc))


def ladder_of(exercise_id: str, allowed: Callable[[str], bool]) -> list[Exercise]:
    """The rungs progression can climb from an exercise: up while the next is allowed."""
    current = CATALOGUE.get(exercise_id)
    rungs = []
    while current is not None:
        rungs.append(current)
        nxt = CATALOGUE.get(current.harder) if current.harder else None
        current = nxt if nxt is not None and allowed(nxt.id) else None
    return rungs


def reachable(doc: dict[str, Any], plan: Plan) -> set[str]:
    allowed = in_session(allowed_variants, parse_intake(doc))
    return {r.id for e in plan.exercises for r in ladder_of(e.id, allowed)}


def primaries(plan: Plan, kind: str = "strength") -> set[str | None]:
    found = set()
    for planned in plan.exercises:
        exercise = CATALOGUE.get(planned.id)
        if exercise is not None and exercise.kind == kind:
            found.add(primary_target(exercise))
    return found


class TestShapes:
    def test_front_of_knee_pain_in_a_runner_gets_hip_plus_knee_work(self) -> None:
        plan = plan_of(PFP_RUNNER)
        check_week(PFP_RUNNER, plan)
        assert {"hip_abductor_weakness", "quadriceps_weakness"} <= primaries(plan)
        hip = [e for e in plan.exercises if e.need in ("core_hip_strength", "front_knee_hip_work")]
        assert len(hip) >= 2  # hip and knee together, hip work first (Collins 2018)
        assert not {e.id for e in plan.exercises} & (HOPS | DEEP_LOADED)
        # a step is listed, so the knee work can climb to a loaded step-up and lunges
        assert {"loaded_step_up", "reverse_lunge"} <= reachable(PFP_RUNNER, plan)

    def test_an_older_person_with_arthritis_and_no_kit_gets_sit_to_stand_balance_walking(
        self,
    ) -> None:
        plan = plan_of(OA_68_NO_KIT)
        check_week(OA_68_NO_KIT, plan)
        ids = {e.id for e in plan.exercises}
        assert ids & {"sit_to_stand_hands", "sit_to_stand", "box_squat"}
        balance = [e for e in plan.exercises if e.kind == "balance"]
        assert balance and balance[0].id == "tandem_stance"  # GLA:D level 2 at 60–74
        assert "level 2" in balance[0].why
        walking_ladder = {"marching_on_the_spot", "walking", "brisk_walking"}
        assert ids & walking_ladder
        assert not ids & (HOPS | DEEP_LOADED)

    def test_a_jumper_with_tendon_pain_starts_with_daily_holds_then_heavy_slow(self) -> None:
        plan = plan_of(JUMPER)
        check_week(JUMPER, plan)
        holds = [e for e in plan.exercises if CATALOGUE.get(e.id).stage == "isometric"]  # type: ignore[union-attr]
        assert holds and all(h.daily for h in holds)
        assert all(any(h.id in (x.id for x in s.exercises) for s in plan.sessions) for h in holds)
        assert len(plan.sessions) == 7  # the holds are every day
        ladder = reachable(JUMPER, plan)
        assert {"spanish_squat", "heavy_slow_squat", "decline_squat", "pogo_hops"} <= ladder
        assert any(a.id == "tendon_load" for a in plan.advice)

    def test_a_cyclist_with_outer_knee_pain_gets_side_hip_work_and_bike_fit(self) -> None:
        plan = plan_of(CYCLIST_ITB)
        check_week(CYCLIST_ITB, plan)
        assert "hip_abductor_weakness" in primaries(plan)
        assert any(e.kind == "foam_roll" for e in plan.exercises)
        assert any(a.id == "bike_fit_outer_knee" for a in plan.advice)
        assert not {e.id for e in plan.exercises} & (HOPS | DEEP_LOADED)

    def test_a_teenager_with_growth_plate_pain_gets_no_deep_loaded_bending(self) -> None:
        plan = plan_of(TEEN_GROWTH_PLATE)
        check_week(TEEN_GROWTH_PLATE, plan)
        assert {"hip_abductor_weakness", "quadriceps_weakness"} <= primaries(plan)
        # not in the plan, and progression can never climb to it in the painful phase
        assert not reachable(TEEN_GROWTH_PLATE, plan) & (DEEP_LOADED | HOPS)
        assert any(a.topic == "load" for a in plan.advice)


STRONG = {
    "self_tests.chair_stand_30s": 20,
    "self_tests.bridge_hold_s": 60,
    "signs.swelling": 0,
    "signs.catching": False,
    "signs.locking": False,
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=self_care_intakes(), age=st.integers(18, 59))
def test_a_strong_person_can_climb_the_thigh_ladder_above_body_weight(
    doc: dict[str, Any], age: int
) -> None:
    """Many chair stands and a long bridge: some thigh ladder of the plan ends at loaded work
    (a weight, a band, an effort or a machine) or at sport work (hops), never capped at
    body-weight strength work."""
    doc = with_changes(doc, {**STRONG, "person.age": age})
    # a wall and a band, the kit of a home programme: a ladder held at a seated hold only
    # because the next rung needs kit the person did not tick (a strap squat needs a band) is
    # a question of kit, not of strength (a rung is never skipped: see docs/plan.md)
    doc["equipment"] = sorted({*(doc.get("equipment") or ()), "wall", "resistance_band"})
    plan = plan_of(doc)
    assume(not plan.refused and not plan.gentle)
    check_week(doc, plan)
    assert uncovered(plan) == ()
    allowed = in_session(allowed_variants, parse_intake(doc))
    thigh = [
        e.id
        for e in plan.exercises
        if primary_target(CATALOGUE.get(e.id)) == "quadriceps_weakness"  # type: ignore[arg-type]
    ]
    assume(thigh)
    tops = [ladder_of(i, allowed)[-1] for i in thigh]
    above = [t for t in tops if t.dose.load is not None or t.stage == "energy_storage"]
    assert above, ([t.id for t in tops], json.dumps(doc))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    doc=self_care_intakes(),
    pains=st.lists(st.integers(0, 10), min_size=4, max_size=24),
    worse=st.lists(st.booleans(), min_size=24, max_size=24),
)
def test_progression_never_moves_anyone_to_a_rung_their_condition_forbids(
    doc: dict[str, Any], pains: list[int], worse: list[bool]
) -> None:
    """Random people and session logs: whatever the log, every dose progression asks for is
    an exercise allowed for the person (kit they have, nothing left out for them)."""
    from datetime import date, timedelta

    from kneecoach.core.planning import variants_of
    from kneecoach.core.progression import LoggedSession, next_dose
    from kneecoach.data.planning import load_progression_rules

    plan = plan_of(doc)
    assume(not plan.refused)
    check_week(doc, plan)
    allowed = in_session(allowed_variants, parse_intake(doc))
    chain, rules = variants_of(CATALOGUE), load_progression_rules()
    for planned in plan.exercises:
        current, history = planned.dose(), []
        for n, pain in enumerate(pains):
            history.append(
                LoggedSession(
                    date(2026, 1, 1) + timedelta(days=n), current, current, pain, worse[n]
                )
            )
            current = next_dose(current, history, chain, rules, allowed).after
            assert current.exercise_id == planned.id or allowed(current.exercise_id)
