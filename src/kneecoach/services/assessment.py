"""The look beyond the knee as a use case: triage first, then contributors and patterns.

No advice before care: when triage says `urgent` or `emergency` there is no plan and no
exercise advice. At `urgent` and `soon` the contributors and patterns are still worked out and
shown after the safety message, as what to tell the clinician: the hip or the back is often the
explanation they need. Only at `emergency` is the assessment left out, so nothing distracts
from getting help now. Nothing is stored here; the intake service saves answers and results
when a person goes through the interactive intake.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from kneecoach.core.assessment import (
    NOTHING,
    Assessment,
    ContributorFinding,
    PatternFinding,
    assess,
)
from kneecoach.core.country import ServiceWords, fill
from kneecoach.core.intake import Intake, parse_intake
from kneecoach.core.triage import TriageResult
from kneecoach.data.assessment import load_assessment_knowledge
from kneecoach.services.country import country_words
from kneecoach.services.triage import triage_intake

if TYPE_CHECKING:  # the database layer loads only for a call that has a session
    from sqlalchemy.orm import Session

#: Triage levels at which kneecoach gives no home advice: the person should get care first.
CARE_FIRST: Final = frozenset({"urgent", "emergency"})

#: Levels at which the assessment is shown as what to tell the clinician, not as home advice.
FOR_THE_CLINICIAN: Final = frozenset({"urgent", "soon"})


@dataclass(frozen=True)
class AssessmentReport:
    triage: TriageResult
    assessment: Assessment

    @property
    def withheld(self) -> bool:
        """True when the assessment was left out: at `emergency` only the emergency advice."""
        return self.triage.level == "emergency"

    @property
    def care_first(self) -> bool:
        """True when no home advice or exercise is given (urgent and emergency)."""
        return self.triage.level in CARE_FIRST

    @property
    def for_the_clinician(self) -> bool:
        """True when the findings are shown as what to tell the doctor or physio."""
        return self.triage.level in FOR_THE_CLINICIAN

    def as_json(self) -> dict[str, Any]:
        """The `kneecoach assess --format json` document (shared/spec/intake.md)."""
        return {
            "triage": self.triage.as_json(),
            "patterns": [pattern_as_json(p) for p in self.assessment.patterns],
            "contributors": [contributor_as_json(c) for c in self.assessment.contributors],
        }


def assess_intake(intake: Intake, *, session: Session | None) -> AssessmentReport:
    """Triage, then contributors and patterns (left out only at `emergency`)."""
    result = triage_intake(intake, session=session)
    if result.level == "emergency":
        return AssessmentReport(triage=result, assessment=NOTHING)
    found = assess(intake, load_assessment_knowledge())
    words = country_words(intake.country, session=session)
    return AssessmentReport(triage=result, assessment=in_local_words(found, words))


def in_local_words(assessment: Assessment, words: ServiceWords) -> Assessment:
    """The patterns' "when to see someone" texts with the country's service names filled in."""
    patterns = tuple(replace(p, safety=fill(p.safety, words)) for p in assessment.patterns)
    return replace(assessment, patterns=patterns)


def assess_document(raw: Any, *, session: Session | None) -> AssessmentReport:
    """Validate a `kneecoach-intake/1` document and assess it; bad input raises InputError."""
    return assess_intake(parse_intake(raw), session=session)


def pattern_as_json(pattern: PatternFinding) -> dict[str, Any]:
    return {
        "id": pattern.id,
        "fit": round(pattern.fit, 2),
        "why": list(pattern.why),
        "against": list(pattern.against),
        "evidence": list(pattern.evidence),
        "title": pattern.title,
        "summary": pattern.summary,
        "advice": pattern.advice,
        "see_someone": pattern.safety,
    }


def contributor_as_json(contributor: ContributorFinding) -> dict[str, Any]:
    return {
        "id": contributor.id,
        "region": contributor.region,
        "strength": round(contributor.strength, 2),
        "why": list(contributor.why),
        "evidence": list(contributor.evidence),
        "title": contributor.title,
        "explanation": contributor.explanation,
    }
