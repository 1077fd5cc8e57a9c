"""Intake documents for the triage tests: a calm baseline and a way to change single answers."""

from __future__ import annotations

import copy
import json
from typing import Any

from kneecoach.core.intake import parse_intake
from kneecoach.core.triage import TriageResult
from kneecoach.services.triage import triage_intake
from tests.conftest import EXAMPLES
from tests.db import in_session
from tests.intake_answers import DELETE as DELETE
from tests.intake_answers import changed as changed
from tests.intake_answers import safe_sections

# Every red-flag question answered with the safe answer: a 45-year-old, slow-onset front-knee
# pain (the hiker example without its self-tests).
CALM: dict[str, Any] = {
    **safe_sections(),
    "spec": "kneecoach-intake/1",
    "person": {"age": 45, "sex": "female", "height_cm": 168, "weight_kg": 66},
    "knee": {"side": "right"},
    "history": {
        "onset": "gradual",
        "weeks_since_onset": 8,
        "immobilised_last_4_weeks": False,
        "knee_injection_or_surgery_last_6_weeks": False,
        "knee_replacement": False,
        "kneecap_dislocation": "never",
        "training_change_last_4_weeks": "same",
        "activities": ["hiking"],
    },
    "pain": {
        "now": 3,
        "worst_last_week": 5,
        "location": ["front"],
        "at_night": False,
        "at_rest": False,
        "worse_with": ["stairs", "squatting"],
    },
    "shoes": {"main_pair_months": 4, "main_pair_km": 150, "type": "walking"},
    "equipment": ["chair", "wall"],
    "minutes_per_day": 20,
}

# The same person, but it started with a twist 3 days ago; every injury question answered safe.
INJURED: dict[str, Any] = copy.deepcopy(CALM)
INJURED["person"]["age"] = 30
INJURED["history"]["onset"] = "injury"
INJURED["history"]["weeks_since_onset"] = 0.5
INJURED["history"]["injury"] = {
    "mechanism": "twist",
    "days_ago": 3,
    "high_energy": False,
    "heard_pop": False,
    "could_walk_4_steps_right_after": True,
}


def triage_of(document: dict[str, Any]) -> TriageResult:
    """Triage as a person sees it: the rules in the words of their country."""
    return in_session(triage_intake, parse_intake(document))


def flag_ids(document: dict[str, Any]) -> set[str]:
    return {flag.id for flag in triage_of(document).flags}


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return data
