"""The FHIR export: one FHIR R4B Bundle (type `collection`) built with the `fhir.resources`
R4B models, for a clinic's software.

It holds a Patient with only what the person entered (the sex they gave; no name, no birth
date: kneecoach never asks), the Questionnaires and QuestionnaireResponses for KOOS and KOOS JR
built from the instrument data, an Observation for each KOOS subscale score, each KOOS JR score
and each day's pain rating with the LOINC codes of `data/exchange.yaml`, and the other check-in
signs as Observations coded in kneecoach's own CodeSystem (included in the bundle). Every
resource has a `urn:uuid` full URL, made from stable keys, so the same data gives the same ids
and every reference points inside the bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from kneecoach.core.checkins import CheckIn
from kneecoach.core.outcomes import Instrument
from kneecoach.data.exchange import exchange_codes, loinc
from kneecoach.data.instruments import load_instrument
from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes as outcome_service

__all__ = [
    "FHIR_INSTRUMENTS",
    "QUESTIONNAIRE_URL",
    "UCUM",
    "build_bundle",
    "bundle_json",
]

UCUM: Final = "http://unitsofmeasure.org"
QUESTIONNAIRE_URL: Final = "urn:kneecoach:fhir:Questionnaire:{id}"
ANSWER_SYSTEM: Final = "urn:kneecoach:fhir:CodeSystem:{instrument}-{item}-answers"
ORDINAL: Final = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CATEGORY: Final = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
FHIR_INSTRUMENTS: Final = ("koos", "koosjr")
"""The instruments sent: KOOS (five subscale scores) and KOOS JR (the interval score)."""
SCORED: Final = {"koos": ("symptoms", "pain", "adl", "sport_rec", "qol"), "koosjr": ("interval",)}
GENDERS: Final = {"female": "female", "male": "male", "other": "other"}
NAMESPACE: Final = uuid.UUID("5b0c6f0e-8f7e-4a53-9a1b-6b6e6b2f4c11")

Progress = Callable[[str, int, int], None]


def _no_progress(_what: str, _done: int, _total: int) -> None:
    return None


def urn(*key: object) -> str:
    """A stable `urn:uuid` for a resource, from what it is and which record it comes from."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ':'.join(map(str, key)))}"


@dataclass
class _Entries:
    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, full_url: str, resource: dict[str, Any]) -> str:
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return full_url


def _quantity(value: float, kind: str) -> dict[str, Any]:
    score = exchange_codes().score_unit
    units = {
        "score": (score.unit, score.code),
        "minutes": ("min", "min"),
        "steps": ("steps", "{steps}"),
    }
    unit, code = units[kind]
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _loinc_coding(key: str) -> dict[str, str]:
    found = loinc(key)
    if found is None:  # the data file and this module disagree: a programming error
        raise KeyError(f"exchange.yaml has no LOINC code for {key!r}")
    return {"system": exchange_codes().loinc.system, "code": found.code, "display": found.display}


def patient_resource(sex: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if sex in GENDERS:
        resource["gender"] = GENDERS[sex]
    return resource


def code_system_resource() -> dict[str, Any]:
    system = exchange_codes().code_system
    return {
        "resourceType": "CodeSystem",
        "url": system.url,
        "name": system.name,
        "title": "kneecoach daily check-in signs",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(system.concepts),
        "concept": [{"code": c.code, "display": c.display} for c in system.concepts],
    }


def _answer_options(instrument_id: str, code: str, labels: Iterable[str]) -> list[dict[str, Any]]:
    return [
        {"valueCoding": _answer_coding(instrument_id, code, value, label)}
        for value, label in enumerate(labels)
    ]


def _answer_coding(instrument_id: str, code: str, value: int, label: str) -> dict[str, Any]:
    return {
        "extension": [{"url": ORDINAL, "valueDecimal": value}],
        "system": ANSWER_SYSTEM.format(instrument=instrument_id, item=code.lower()),
        "code": str(value),
        "display": label,
    }


def questionnaire_resource(instrument: Instrument) -> dict[str, Any]:
    panel = "koos" if instrument.id == "koos" else "koosjr.interval"
    groups = []
    for index, section in enumerate(instrument.sections, start=1):
        group: dict[str, Any] = {
            "linkId": f"section-{index}",
            "text": section.heading,
            "type": "group",
            "item": [
                {
                    "linkId": item.code,
                    "prefix": item.code,
                    "text": item.wording,
                    "type": "choice",
                    "answerOption": _answer_options(instrument.id, item.code, item.labels),
                }
                for item in section.items
            ],
        }
        groups.append(group)
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL.format(id=instrument.id),
        "version": instrument.version,
        "name": instrument.id.upper(),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "code": [_loinc_coding(panel)],
        "item": groups,
    }


def response_resource(
    instrument: Instrument, result: outcome_service.SavedResult, patient: str
) -> dict[str, Any]:
    groups = []
    for index, section in enumerate(instrument.sections, start=1):
        answered = [
            {
                "linkId": item.code,
                "text": item.wording,
                "answer": [
                    {
                        "valueCoding": _answer_coding(
                            instrument.id,
                            item.code,
                            result.answers[item.code],
                            item.labels[result.answers[item.code]],
                        )
                    }
                ],
            }
            for item in section.items
            if item.code in result.answers
        ]
        if answered:
            groups.append({"linkId": f"section-{index}", "text": section.heading, "item": answered})
    return {
        "resourceType": "QuestionnaireResponse",
        # the canonical URL alone: the version text has spaces, which a URI cannot hold
        "questionnaire": QUESTIONNAIRE_URL.format(id=instrument.id),
        "status": "completed",
        "subject": {"reference": patient},
        "author": {"reference": patient},
        "source": {"reference": patient},
        "authored": result.answered_on.isoformat(),
        "item": groups,
    }


def score_observation(
    key: str, value: float, when: str, patient: str, response: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [CATEGORY],
        "code": {"coding": [_loinc_coding(key)]},
        "subject": {"reference": patient},
        "effectiveDateTime": when,
        "valueQuantity": _quantity(value, "score"),
        "derivedFrom": [{"reference": response}],
    }


def checkin_observations(checkin: CheckIn, patient: str) -> list[tuple[str, dict[str, Any]]]:
    """The day's pain (LOINC) and each answered sign (kneecoach's code system)."""
    when = checkin.day.isoformat()
    base = {
        "resourceType": "Observation",
        "status": "final",
        "category": [CATEGORY],
        "subject": {"reference": patient},
        "effectiveDateTime": when,
    }
    found = [
        (
            urn("checkin", when, "pain"),
            {
                **base,
                "code": {"coding": [_loinc_coding("checkin.pain")]},
                "valueQuantity": _quantity(checkin.pain, "score"),
            },
        )
    ]
    system = exchange_codes().code_system
    for concept in system.concepts:
        value = checkin.value(concept.code)
        if value is None:
            continue
        coding = {"system": system.url, "code": concept.code, "display": concept.display}
        observation: dict[str, Any] = {**base, "code": {"coding": [coding]}}
        if concept.kind == "yes_no":
            observation["valueBoolean"] = bool(value)
        else:
            observation["valueQuantity"] = _quantity(value, concept.kind)
        found.append((urn("checkin", when, concept.code), observation))
    return found


def build_bundle(*, session: Session, progress: Progress = _no_progress) -> dict[str, Any]:
    """The FHIR R4B Bundle of everything coded, as a JSON-ready dict validated by the
    `fhir.resources` R4B models."""
    entries = _Entries()
    latest = intake_service.latest_intake(session=session)
    sex = None
    if latest is not None:
        person = latest.answers.get("person")
        sex = person.get("sex") if isinstance(person, dict) else None
    patient = entries.add(urn("patient"), patient_resource(sex))
    entries.add(urn("codesystem", "checkin-signs"), code_system_resource())
    for instrument_id in FHIR_INSTRUMENTS:
        entries.add(
            urn("questionnaire", instrument_id),
            questionnaire_resource(load_instrument(instrument_id)),
        )
    results = [
        r
        for r in outcome_service.saved_results(session=session)
        if r.instrument in FHIR_INSTRUMENTS
    ]
    for result in results:
        instrument = load_instrument(result.instrument)
        response = entries.add(
            urn("response", result.id), response_resource(instrument, result, patient)
        )
        for scale in SCORED[result.instrument]:
            value = result.scores.get(scale)
            if value is None:
                continue
            entries.add(
                urn("score", result.id, scale),
                score_observation(
                    f"{result.instrument}.{scale}",
                    float(value),
                    result.answered_on.isoformat(),
                    patient,
                    response,
                ),
            )
    days = checkin_service.list_checkins(session=session)
    for done, checkin in enumerate(days, start=1):
        for full_url, observation in checkin_observations(checkin, patient):
            entries.add(full_url, observation)
        if done % 100 == 0 or done == len(days):
            progress("check-ins", done, len(days))
    document = {
        "resourceType": "Bundle",
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": urn("bundle", datetime.now(UTC).isoformat()),
        },
        "type": "collection",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "meta": {"tag": [{"system": "urn:kneecoach:fhir:tag", "code": "kneecoach-export"}]},
        "entry": entries.entries,
    }
    return validated(document)


def validated(document: dict[str, Any]) -> dict[str, Any]:
    """The document, once the R4B models have read all of it (a field they reject raises)."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(document)
    return document


def bundle_json(document: dict[str, Any]) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=1)
