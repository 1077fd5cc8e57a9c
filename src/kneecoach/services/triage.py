"""Safety triage as a use case: an intake document in, whom to see and how soon out.

The advice names the services of the person's country (the intake's `country`, else the
stored setting, else `KNEECOACH_COUNTRY`, else 112 and generic names), so a person in Dublin is
told 112 and a person in Leeds 999, from the same rules.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from kneecoach.core.country import ServiceWords
from kneecoach.core.intake import Intake, parse_intake
from kneecoach.core.triage import Level, RedFlagRules, TriageResult, triage
from kneecoach.data.red_flags import load_red_flags
from kneecoach.services.country import country_words

if TYPE_CHECKING:  # the database layer loads only for a call that has a session
    from sqlalchemy.orm import Session


@cache
def _rules_in(words: ServiceWords) -> RedFlagRules:
    return load_red_flags().in_words_of(words)


def red_flag_rules(country: str | None = None, *, session: Session | None) -> RedFlagRules:
    """The validated red-flag rules, in the words of the person's country."""
    return _rules_in(country_words(country, session=session))


def triage_intake(intake: Intake, *, session: Session | None) -> TriageResult:
    return triage(intake, red_flag_rules(intake.country, session=session))


def triage_document(raw: Any, *, session: Session | None) -> TriageResult:
    """Validate a `kneecoach-intake/1` document and triage it; bad input raises InputError."""
    return triage_intake(parse_intake(raw), session=session)


def level_meaning(level: str, country: str | None = None, *, session: Session | None) -> Level:
    """What a level means for the person: whom to contact and how soon."""
    return red_flag_rules(country, session=session).level(level)


def message_of(result: TriageResult, *, session: Session | None) -> Level:
    """The headline and actions for a result: its own, or (for one stored before results
    carried them) the level's in the words of the stored country."""
    return result.message or level_meaning(result.level, session=session)


def question_for(path: str) -> str:
    """The plain question behind a red-flag answer path (the path itself if none)."""
    return load_red_flags().question_for(path) or path
