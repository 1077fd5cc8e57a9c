"""The full ladders (issue 12 item 2): each rung is data with a dose, a load that fits its
kind, cautions, `suits`, a starting level and a picture; the loader refuses a load that does
not fit its kind or whose range is out of order."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kneecoach.core.exercises import BAND_COLOURS, Exercise
from kneecoach.data.exercises import (
    LADDER_FILES,
    CatalogueError,
    build_catalogue,
    catalogue_files,
    load_catalogue,
)
from kneecoach.render.illustration import draw
from tests.exercises.conftest import entry_in

CATALOGUE = load_catalogue()
NEW_IDS = sorted(
    entry["id"] for name in LADDER_FILES.values() for entry in catalogue_files()[name]["exercises"]
)
NEW = [CATALOGUE.get(i) for i in NEW_IDS]

LADDERS = {
    "squat": [
        "sit_to_stand_hands", "sit_to_stand", "box_squat", "goblet_squat", "split_squat",
        "rear_foot_elevated_split_squat",
    ],
    "step and lunge": [
        "step_up", "step_down_low", "step_down_high", "loaded_step_up", "reverse_lunge",
        "walking_lunge",
    ],
    "gym": ["leg_extension", "leg_press"],
    "thigh": [
        "quad_set", "straight_leg_raise", "straight_leg_raise_weighted", "seated_knee_extension",
    ],
    "tendon": [
        "isometric_knee_extension", "tendon_wall_sit_hold", "spanish_squat", "heavy_slow_squat",
        "decline_squat", "pogo_hops", "hops_forward_back", "hops_side_to_side",
        "single_leg_hops", "single_leg_broad_hop",
    ],
    "balance": [
        "supported_single_leg_stance", "tandem_stance", "single_leg_stance",
        "single_leg_stance_eyes_closed", "single_leg_stance_cushion", "single_leg_squat_box",
        "single_leg_ball_toss", "single_leg_perturbation",
    ],
    "running": [
        "marching_on_the_spot", "walking", "brisk_walking", "walk_jog_intervals",
        "run_walk_intervals", "continuous_run",
    ],
}  # fmt: skip


def _refused(files: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        build_catalogue(files)
    return str(caught.value)


@pytest.mark.parametrize("name", sorted(LADDERS))
def test_each_ladder_runs_from_supported_to_loaded_or_sport_in_order(name: str) -> None:
    ladder = LADDERS[name]
    assert [e.id for e in CATALOGUE.chain(ladder[0])] == ladder


def test_the_squat_ladder_ends_above_body_weight_and_starts_for_anyone() -> None:
    squat = [CATALOGUE.get(i) for i in LADDERS["squat"]]
    assert all(e is not None for e in squat)
    assert squat[0] is not None and squat[0].equipment == ()  # a seat is in every home
    assert squat[-1] is not None and squat[-1].dose.load is not None
    assert squat[-1].dose.load.kind == "kg" and squat[-1].dose.load.max >= 20


def test_a_gym_unlocks_machines_beyond_the_static_bike() -> None:
    gym = {e.id for e in CATALOGUE.exercises if "gym" in e.equipment}
    assert {"static_bike", "leg_extension", "leg_press"} <= gym
    assert all(CATALOGUE.get(i).dose.load is not None for i in ("leg_extension", "leg_press"))  # type: ignore[union-attr]


@pytest.mark.parametrize("exercise", NEW, ids=NEW_IDS)
def test_every_new_rung_is_complete_and_has_a_picture(exercise: Exercise) -> None:
    assert exercise.start_level in ("frail", "general", "active", "athletic")
    assert exercise.suits and exercise.source and exercise.feel
    assert len(exercise.steps) >= 2 and exercise.mistakes
    svg = draw(exercise.name, exercise.poses, exercise.feel)
    assert svg.startswith("<svg") and "<animate" in svg


@pytest.mark.parametrize("exercise", CATALOGUE.exercises, ids=[e.id for e in CATALOGUE.exercises])
def test_daily_in_the_text_means_daily_in_the_schedule(exercise: Exercise) -> None:
    """Isometrics are scheduled daily when their own text says daily, and only then."""
    text = " ".join((*exercise.steps, exercise.feel, *exercise.mistakes)).lower()
    says_daily = bool(re.search(r"\b(every day|daily|twice every day)\b", text))
    assert says_daily == (exercise.schedule == "daily"), exercise.id


def test_the_tendon_ladder_follows_its_stages_in_order() -> None:
    stages = [CATALOGUE.get(i).stage for i in LADDERS["tendon"]]  # type: ignore[union-attr]
    order = {"isometric": 0, "heavy_slow": 1, "energy_storage": 2}
    assert all(s is not None for s in stages)
    ranks = [order[s] for s in stages if s is not None]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    heavy = CATALOGUE.get("heavy_slow_squat")
    assert heavy is not None
    # Kongsgaard 2009: 4 sets, 15 RM → 6 RM, about 6 s a rep, 2–3 min rest, 3 times a week
    assert heavy.dose.rm_steps == (15, 12, 10, 8, 6) and heavy.dose.sets.start == 4
    assert heavy.dose.tempo == "3-0-3" and 120 <= heavy.dose.rest_s <= 180
    assert heavy.schedule is None  # the strength days: three a week
    decline = CATALOGUE.get("decline_squat")
    assert decline is not None and (decline.dose.sets.start, decline.dose.reps.start) == (3, 15)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("condition", "ids"),
    [
        # jumping or hopping with a swollen knee
        ("some_swelling", LADDERS["tendon"][5:] + LADDERS["running"][3:]),
        ("swollen_knee", LADDERS["tendon"][5:] + LADDERS["running"][3:]),
        # deep loaded bending with a knee that catches or locks
        ("catches_or_locks", ["rear_foot_elevated_split_squat", "walking_lunge", "decline_squat"]),
        # growing teens in the painful phase: no deep loaded bending
        (
            "adolescent_growth_plate",
            ["goblet_squat", "split_squat", "rear_foot_elevated_split_squat", "reverse_lunge",
             "walking_lunge", "heavy_slow_squat", "decline_squat", *LADDERS["tendon"][5:]],
        ),
    ],
)  # fmt: skip
def test_conditions_exclude_the_rungs_they_must(condition: str, ids: list[str]) -> None:
    for exercise_id in ids:
        exercise = CATALOGUE.get(exercise_id)
        assert exercise is not None and condition in exercise.contraindications, exercise_id


def test_front_of_knee_pain_keeps_the_leg_extension_to_the_90_to_45_arc() -> None:
    extension = CATALOGUE.get("leg_extension")
    assert extension is not None
    caution = next(c for c in extension.cautions if c.when == "patellofemoral_pain")
    assert "90 to 45" in caution.text
    goblet = CATALOGUE.get("goblet_squat")
    assert goblet is not None
    softer = [c for c in goblet.cautions if c.when == "catches_or_locks"]
    assert softer and "easier_variant" in softer[0].change


def test_one_leg_work_may_add_sets_on_the_sore_leg_only() -> None:
    extra = [e for e in CATALOGUE.exercises if e.dose.extra_sets_painful_side]
    assert extra and all(e.dose.side == "each" for e in extra)


def test_band_loads_read_as_colours_from_light_to_heavy(files: dict[str, Any]) -> None:
    entry_in(files, "clamshell_band")["dose"]["load"] = {
        "kind": "band", "start": "red", "min": "yellow", "max": "blue", "step": 1, "unit": "band",
    }  # fmt: skip
    band = build_catalogue(files).get("clamshell_band")
    assert band is not None and band.dose.load is not None
    assert [BAND_COLOURS[int(v)] for v in band.dose.load.rungs()] == [
        "yellow", "red", "green", "blue",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("load", "problem"),
    [
        ({"kind": "kg", "start": 4, "min": 2, "max": 24, "step": 2, "unit": "lb"},
         "unit 'lb' does not fit kind kg"),
        ({"kind": "kg", "start": 30, "min": 2, "max": 24, "step": 2, "unit": "kg"},
         "start 30"),
        ({"kind": "kg", "start": 4, "min": 2, "max": 25, "step": 2, "unit": "kg"},
         "max 25 is not min plus whole steps"),
        ({"kind": "kg", "start": 4, "min": 2, "max": 24, "step": 0, "unit": "kg"},
         "needs a step above 0"),
        ({"kind": "band", "start": "pink", "min": "yellow", "max": "black", "step": 1,
          "unit": "band"}, "'pink' is not a band colour"),
        ({"kind": "rpe", "start": 8, "min": 6, "max": 12, "step": 1, "unit": "RPE"},
         "within 0..10"),
        ({"kind": "rir", "start": 2, "min": 1, "max": 3, "step": 1, "unit": "kg"},
         "does not fit kind rir"),
    ],
)  # fmt: skip
def test_a_load_that_does_not_fit_is_refused_naming_the_entry(
    files: dict[str, Any], load: dict[str, Any], problem: str
) -> None:
    entry_in(files, "goblet_squat")["dose"]["load"] = load
    message = _refused(files)
    assert message.startswith("exercises/strength_ladders.yaml: goblet_squat.dose.load")
    assert problem in message


def test_tempo_and_rm_steps_are_checked(files: dict[str, Any]) -> None:
    entry_in(files, "goblet_squat")["dose"]["tempo"] = "slow"
    assert "goblet_squat.dose.tempo" in _refused(files)
    entry_in(files, "goblet_squat")["dose"]["tempo"] = "3-1-1"
    entry_in(files, "heavy_slow_squat")["dose"]["rm_steps"] = [6, 8, 10, 12, 15]
    assert "heavy_slow_squat.dose.rm_steps: must fall" in _refused(files)


def test_extra_sets_need_a_one_leg_exercise(files: dict[str, Any]) -> None:
    entry_in(files, "goblet_squat")["dose"]["extra_sets_painful_side"] = 1
    assert "goblet_squat.dose.extra_sets_painful_side: only a one-leg" in _refused(files)


def test_start_level_is_one_of_four(files: dict[str, Any]) -> None:
    entry_in(files, "goblet_squat")["start_level"] = "elite"
    assert "goblet_squat.start_level" in _refused(files)
