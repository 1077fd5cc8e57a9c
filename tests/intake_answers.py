"""Sections of an intake document where every answer is known and raises nothing.

The triage and assessment tests build their calm people from these, then change one answer.
"""

from __future__ import annotations

import copy
from typing import Any

SAFE_SECTIONS: dict[str, Any] = {
    "signs": {
        "swelling": 0,
        "warm": False,
        "red": False,
        "morning_stiffness_min": 5,
        "clicking": False,
        "catching": False,
        "locking": False,
        "cannot_fully_straighten": False,
        "cannot_bend_to_90": False,
        "giving_way": False,
        "weakness": False,
        "can_walk_4_steps_now": True,
        "can_straight_leg_raise": True,
        "tender_kneecap": False,
        "tender_fibula_head": False,
        "looks_deformed": False,
        "lump": False,
        "clicking_painful": False,
    },
    "general": {
        "fever": False,
        "feels_unwell": False,
        "unexplained_weight_loss": False,
        "cancer_history": False,
        "immunosuppressed": False,
        "other_swollen_joints": 0,
        "calf_pain_or_swelling": False,
        "short_of_breath_or_chest_pain": False,
        "numbness_or_tingling": False,
        "foot_cold_pale_or_blue": False,
        "anticoagulants_or_bleeding_disorder": False,
        "rapidly_worsening": False,
        "wound_or_skin_infection_near_knee": False,
        "tight_painful_calf_or_shin_after_injury": False,
        "diabetes": False,
    },
    "hip": {"groin_or_hip_pain": False, "hip_stiff": False, "limp": False},
    "back": {
        "low_back_pain": False,
        "leg_pain_below_knee": False,
        "pain_changes_with_back_movement": False,
        "saddle_numbness_or_bladder_bowel_change": False,
    },
    "foot": {"flat_feet": False, "ankle_rolls_in": False, "foot_or_heel_pain": False},
}


DELETE = object()


def changed(base: dict[str, Any], answers: dict[str, Any], remove: Any = DELETE) -> dict[str, Any]:
    """A copy of `base` with answers set by path (``signs.warm``); `remove` leaves one unknown."""
    document = copy.deepcopy(base)
    for path, value in answers.items():
        *parents, leaf = path.split(".")
        node = document
        for name in parents:
            node = node.setdefault(name, {})
        if value is remove:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return document


def safe_sections() -> dict[str, Any]:
    """A fresh copy, so a test may change it freely."""
    return copy.deepcopy(SAFE_SECTIONS)
