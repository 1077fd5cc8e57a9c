"""Intake documents for the assessment tests: a quiet base that fires nothing, plus changes."""

from __future__ import annotations

import copy
from typing import Any

from kneecoach.core.assessment import Assessment, ContributorFinding, PatternFinding, assess
from kneecoach.core.intake import parse_intake
from kneecoach.data.assessment import load_assessment_knowledge
from tests.intake_answers import safe_sections

# Every answer known and unremarkable: a 40-year-old man, normal weight, inner knee ache on
# walking, new shoes, no self-tests. No contributor fires on it (checked by a test).
QUIET: dict[str, Any] = {
    **safe_sections(),
    "spec": "kneecoach-intake/1",
    "person": {"age": 40, "sex": "male", "height_cm": 180, "weight_kg": 70},
    "knee": {"side": "right"},
    "history": {
        "onset": "gradual",
        "weeks_since_onset": 6,
        "immobilised_last_4_weeks": False,
        "knee_injection_or_surgery_last_6_weeks": False,
        "knee_replacement": False,
        "kneecap_dislocation": "never",
        "training_change_last_4_weeks": "same",
        "activities": [],
    },
    "pain": {
        "now": 2,
        "worst_last_week": 3,
        "location": ["inner"],
        "at_night": False,
        "at_rest": False,
        "worse_with": ["walking"],
    },
    "shoes": {
        "main_pair_months": 3,
        "main_pair_km": 100,
        "uneven_heel_wear": False,
        "midsole_creased": False,
        "heel_counter_soft": False,
        "type": "walking",
    },
    "self_tests": {},
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `changes` laid over it (a None value removes the key)."""
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def quiet(**changes: Any) -> dict[str, Any]:
    return merge(QUIET, changes)


def assessed(document: dict[str, Any]) -> Assessment:
    return assess(parse_intake(document), load_assessment_knowledge())


def contributor(document: dict[str, Any], contributor_id: str) -> ContributorFinding | None:
    found = [c for c in assessed(document).contributors if c.id == contributor_id]
    return found[0] if found else None


def pattern(document: dict[str, Any], pattern_id: str) -> PatternFinding | None:
    found = [p for p in assessed(document).patterns if p.id == pattern_id]
    return found[0] if found else None


def fired(document: dict[str, Any], contributor_id: str) -> tuple[str, ...]:
    """The evidence ids that fired for one contributor (empty when it is not listed)."""
    found = contributor(document, contributor_id)
    return found.evidence if found else ()
