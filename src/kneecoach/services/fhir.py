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

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session

from kneecoach.core.checkins import CheckIn
from kneecoach.core.outcomes import Instrument
from kneecoach.data.exchange import exchange_codes, loinc
from kneecoach.data.instruments import load_instrument
from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes as outcome_service

if TYPE_CHECKING:
    from fhir_core.fhirabstractmodel import FHIRAbstractModel

__all__ = [
    "FHIR_INSTRUMENTS",
    "MEDIA_TYPE",
    "QUESTIONNAIRE_URL",
    "UCUM",
    "BundleStream",
    "InvalidResourceError",
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

MEDIA_TYPE: Final = "application/fhir+json"
CHUNK_CHARS: Final = 64 * 1024
"""About how much text each piece of the stream holds (one write, one network send)."""
PROGRESS_EVERY: Final = 100

Progress = Callable[[str, int, int], None]
Entry = tuple[str, dict[str, Any]]


def _no_progress(_what: str, _done: int, _total: int) -> None:
    return None


def urn(*key: object) -> str:
    """A stable `urn:uuid` for a resource, from what it is and which record it comes from."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ':'.join(map(str, key)))}"


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


def bundle_entries(*, session: Session, progress: Progress = _no_progress) -> Iterator[Entry]:
    """Each entry of the Bundle as (full URL, resource), in the bundle's order, read from the
    database in batches: the patient, the code system, the questionnaires, each saved response
    with its scores, then each day's check-in signs."""
    latest = intake_service.latest_intake(session=session)
    sex = None
    if latest is not None:
        person = latest.answers.get("person")
        sex = person.get("sex") if isinstance(person, dict) else None
    patient = urn("patient")
    yield patient, patient_resource(sex)
    yield urn("codesystem", "checkin-signs"), code_system_resource()
    for instrument_id in FHIR_INSTRUMENTS:
        yield (
            urn("questionnaire", instrument_id),
            questionnaire_resource(load_instrument(instrument_id)),
        )
    for result in outcome_service.each_saved_result(FHIR_INSTRUMENTS, session=session):
        instrument = load_instrument(result.instrument)
        response = urn("response", result.id)
        yield response, response_resource(instrument, result, patient)
        for scale in SCORED[result.instrument]:
            value = result.scores.get(scale)
            if value is None:
                continue
            yield (
                urn("score", result.id, scale),
                score_observation(
                    f"{result.instrument}.{scale}",
                    float(value),
                    result.answered_on.isoformat(),
                    patient,
                    response,
                ),
            )
    total = checkin_service.checkin_count(session=session)
    done = 0
    for done, checkin in enumerate(checkin_service.each_checkin(session=session), start=1):
        yield from checkin_observations(checkin, patient)
        if done % PROGRESS_EVERY == 0:
            progress("check-ins", done, total)
    if done:
        progress("check-ins", done, total)


def bundle_head(now: datetime | None = None) -> dict[str, Any]:
    """The Bundle's own fields (everything but its entries), validated."""
    from fhir.resources.R4B.bundle import Bundle

    now = now or datetime.now(UTC)
    head = {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": urn("bundle", now.isoformat())},
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
        "meta": {"tag": [{"system": "urn:kneecoach:fhir:tag", "code": "kneecoach-export"}]},
    }
    Bundle.model_validate(head)
    return head


def validated_entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    """One entry, once the R4B models have read it (a field they reject raises
    `InvalidResourceError`): the resource by its own model, found once per kind (quicker than
    letting `BundleEntry` look the model up for every resource), and the entry's full URL."""
    from fhir.resources.R4B.bundle import BundleEntry
    from pydantic import ValidationError

    try:
        _model_of(str(resource.get("resourceType"))).model_validate(resource)
        BundleEntry.model_validate({"fullUrl": full_url})
    except (ValidationError, KeyError, ValueError) as error:
        raise InvalidResourceError(full_url, resource.get("resourceType"), error) from None
    return {"fullUrl": full_url, "resource": resource}


@cache
def _model_of(resource_type: str) -> type[FHIRAbstractModel]:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


class InvalidResourceError(Exception):
    """A stored record gave a resource the FHIR R4B models reject: a bug or a damaged
    database, never the person's doing. The export stops; what was written is thrown away."""

    def __init__(self, full_url: str, kind: object, error: Exception) -> None:
        first = str(error).splitlines()[1:3]
        super().__init__(f"the {kind} {full_url} is not valid FHIR R4B ({' '.join(first)})")


class BundleStream:
    """The Bundle as JSON text, written as it is read: the opening fields, each entry validated
    and serialized one at a time, then the closing. Iterate for pieces of about `chunk` bytes;
    memory stays the same however long the history is. `entries` counts what was written."""

    def __init__(
        self,
        *,
        session: Session,
        progress: Progress = _no_progress,
        chunk: int = CHUNK_CHARS,
        now: datetime | None = None,
    ) -> None:
        self._session = session
        self._progress = progress
        self._chunk = chunk
        self._now = now
        self.entries = 0

    def __iter__(self) -> Iterator[str]:
        head = json.dumps(bundle_head(self._now), ensure_ascii=False)
        pieces = [head[:-1], ',\n"entry":[\n']
        size = 0
        for full_url, resource in bundle_entries(session=self._session, progress=self._progress):
            text = _dumps(validated_entry(full_url, resource))
            if self.entries:
                pieces.append(",\n")
            pieces.append(text)
            self.entries += 1
            size += len(text)
            if size >= self._chunk:
                yield "".join(pieces)
                pieces, size = [], 0
        pieces.append("\n]}\n")
        yield "".join(pieces)


def _dumps(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
