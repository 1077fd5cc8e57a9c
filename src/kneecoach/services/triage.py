"""Safety triage as a use case: an intake document in, whom to see and how soon out."""

from __future__ import annotations

from typing import Any

from kneecoach.core.intake import Intake, parse_intake
from kneecoach.core.triage import Level, RedFlagRules, TriageResult, triage
from kneecoach.data.red_flags import load_red_flags


def red_flag_rules() -> RedFlagRules:
    """The validated red-flag rules (loaded once per process)."""
    return load_red_flags()


def triage_intake(intake: Intake) -> TriageResult:
    return triage(intake, red_flag_rules())


def triage_document(raw: Any) -> TriageResult:
    """Validate a `kneecoach-intake/1` document and triage it; bad input raises InputError."""
    return triage_intake(parse_intake(raw))


def level_meaning(level: str) -> Level:
    """What a level means for the person: whom to contact and how soon."""
    return red_flag_rules().level(level)


def question_for(path: str) -> str:
    """The plain question behind a red-flag answer path (the path itself if none)."""
    return red_flag_rules().question_for(path) or path
