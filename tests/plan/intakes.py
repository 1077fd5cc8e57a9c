"""Intakes for the plan tests: the shared examples and hypothesis strategies around them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from kneecoach.core.intake import EQUIPMENT
from tests.conftest import EXAMPLES
from tests.intake_answers import changed


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


HIKER = "hiker-downhill-front-pain.json"
OLDER_WALKER = "older-walker-stiff-mornings.json"
TACKLE = "tackle-pop-swelling.json"
HOT_KNEE = "hot-knee-fever.json"


def with_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of `base` with dotted paths set (None removes the answer)."""
    return changed(base, changes, remove=None)


equipment_lists = st.lists(st.sampled_from(EQUIPMENT), unique=True, max_size=len(EQUIPMENT))
sides = st.dictionaries(st.sampled_from(["left", "right"]), st.booleans(), max_size=2)


def volleyball_jumper() -> dict[str, Any]:
    """A 22-year-old volleyball player whose pain is below the kneecap, worse with jumps and
    stairs (the tendon pattern), with a wall, a chair and a band."""
    return with_changes(
        example(HIKER),
        {
            "person.age": 22,
            "pain.location": ["below_kneecap"],
            "pain.worse_with": ["jumping", "stairs"],
            "history.activities": ["volleyball"],
            "equipment": ["wall", "chair", "resistance_band"],
        },
    )


@st.composite
def self_care_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """The hiker's answers with the contributors' answers drawn at random: self tests,
    shoes, load, weight, hip, back and foot, pain pattern, equipment, time and side."""
    base = example(HIKER)
    age = draw(st.integers(12, 85))
    changes: dict[str, Any] = {
        "person.age": age,
        "person.height_cm": draw(st.integers(140, 200)),
        "person.weight_kg": draw(st.integers(40, 140)),
        "knee.side": draw(st.sampled_from(["left", "right", "both"])),
        "equipment": draw(equipment_lists),
        "minutes_per_day": draw(st.none() | st.integers(5, 60)),
        "history.training_change_last_4_weeks": draw(
            st.sampled_from(["increase", "same", "decrease"])
        ),
        "history.activities": draw(
            st.lists(st.sampled_from(["running", "hiking", "football", "cycling"]), unique=True)
        ),
        "pain.location": draw(
            st.lists(
                st.sampled_from(["front", "behind_kneecap", "below_kneecap", "inner", "outer"]),
                min_size=1,
                unique=True,
            )
        ),
        "pain.worse_with": draw(
            st.lists(
                st.sampled_from(
                    [
                        "stairs",
                        "squatting",
                        "kneeling",
                        "sitting_long",
                        "running",
                        "jumping",
                        "walking",
                        "standing",
                        "twisting",
                    ]
                ),
                unique=True,
            )
        ),
        "signs.morning_stiffness_min": draw(st.integers(0, 30)),
        # an unanswered safety question makes triage `soon`; a limping child makes it `urgent`
        "pain.at_night": draw(st.sampled_from([False, False, None])),
        "hip.limp": draw(st.booleans()) if age < 16 else False,
        "signs.clicking": draw(st.booleans()),
        "hip.hip_stiff": draw(st.booleans()),
        "hip.groin_or_hip_pain": draw(st.booleans()) if age >= 16 else False,
        "back.low_back_pain": draw(st.booleans()),
        "back.pain_changes_with_back_movement": draw(st.booleans()),
        "foot.flat_feet": draw(st.booleans()),
        "foot.ankle_rolls_in": draw(st.booleans()),
        "shoes.main_pair_months": draw(st.integers(0, 30)),
        "shoes.main_pair_km": draw(st.integers(0, 1500)),
        "shoes.midsole_creased": draw(st.booleans()),
        "shoes.uneven_heel_wear": draw(st.booleans()),
        "self_tests": {
            "knee_to_wall_cm": {
                "left": draw(st.integers(0, 15)),
                "right": draw(st.integers(0, 15)),
            },
            "single_leg_squat_knee_caves_in": draw(sides),
            "single_leg_squat_pelvis_drops": draw(sides),
            "bridge_hold_s": draw(st.integers(0, 60)),
            "chair_stand_30s": draw(st.integers(3, 25)),
            "thomas_test_positive": draw(sides),
        },
    }
    return with_changes(base, changes)
