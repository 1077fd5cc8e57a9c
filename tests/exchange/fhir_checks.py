"""Checks fhir.resources does not make: coded values against their value sets, LOINC codes
against the data file, UCUM units, and references that resolve inside the bundle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kneecoach.data.exchange import exchange_codes

# FHIR R4B required value sets (the codes each element may take)
BUNDLE_TYPES = {
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
}
OBSERVATION_STATUS = {
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
}
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
CODESYSTEM_CONTENT = {"not-present", "example", "fragment", "complete", "supplement"}
GENDER = {"male", "female", "other", "unknown"}
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
              "string", "text", "url", "choice", "open-choice", "attachment", "reference",
              "quantity"}  # fmt: skip
UCUM = "http://unitsofmeasure.org"
UNITS = {"{score}", "min", "{steps}"}
LOINC = "http://loinc.org"


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def problems(bundle: dict[str, Any]) -> list[str]:
    """Every problem found; empty when the bundle is right."""
    found: list[str] = []
    if bundle.get("type") not in BUNDLE_TYPES:
        found.append(f"Bundle.type {bundle.get('type')!r}")
    entries = bundle.get("entry", [])
    urls = [e.get("fullUrl", "") for e in entries]
    if len(set(urls)) != len(urls):
        found.append("a fullUrl is used twice")
    found += [f"fullUrl {u!r} is not a urn:uuid" for u in urls if not u.startswith("urn:uuid:")]
    for reference in references(bundle):
        if reference not in urls:
            found.append(f"reference {reference!r} does not resolve in the bundle")
    codes = {c.code: c.display for c in exchange_codes().loinc.codes}
    concepts = {c.code: c.display for c in exchange_codes().code_system.concepts}
    system_url = exchange_codes().code_system.url
    questionnaires = {}
    for entry in entries:
        resource = entry["resource"]
        kind = resource["resourceType"]
        if kind == "Patient" and resource.get("gender", "unknown") not in GENDER:
            found.append(f"Patient.gender {resource.get('gender')!r}")
        if kind == "CodeSystem":
            if resource.get("status") not in PUBLICATION_STATUS:
                found.append(f"CodeSystem.status {resource.get('status')!r}")
            if resource.get("content") not in CODESYSTEM_CONTENT:
                found.append(f"CodeSystem.content {resource.get('content')!r}")
        if kind == "Questionnaire":
            if resource.get("status") not in PUBLICATION_STATUS:
                found.append(f"Questionnaire.status {resource.get('status')!r}")
            questionnaires[resource["url"]] = resource
            for group in resource.get("item", []):
                for item in [group, *group.get("item", [])]:
                    if item.get("type") not in ITEM_TYPES:
                        found.append(f"Questionnaire item type {item.get('type')!r}")
        if kind == "QuestionnaireResponse" and resource.get("status") not in RESPONSE_STATUS:
            found.append(f"QuestionnaireResponse.status {resource.get('status')!r}")
        if kind == "Observation":
            if resource.get("status") not in OBSERVATION_STATUS:
                found.append(f"Observation.status {resource.get('status')!r}")
            for coding in resource["code"]["coding"]:
                if coding.get("system") == LOINC:
                    if codes.get(coding.get("code")) != coding.get("display"):
                        found.append(f"LOINC {coding.get('code')} not as in exchange.yaml")
                elif coding.get("system") == system_url:
                    if concepts.get(coding.get("code")) != coding.get("display"):
                        found.append(f"kneecoach code {coding.get('code')} not in the code system")
                else:
                    found.append(f"unknown code system {coding.get('system')!r}")
            quantity = resource.get("valueQuantity")
            if quantity is not None and (
                quantity.get("system") != UCUM or quantity.get("code") not in UNITS
            ):
                found.append(f"unit {quantity!r} is not UCUM")
            if quantity is None and "valueBoolean" not in resource:
                found.append("an Observation without a value")
    for entry in entries:
        resource = entry["resource"]
        if resource["resourceType"] != "QuestionnaireResponse":
            continue
        questionnaire = questionnaires.get(resource["questionnaire"])
        if questionnaire is None:
            found.append(f"{resource['questionnaire']} is not in the bundle")
            continue
        options = {
            (item["linkId"], option["valueCoding"]["code"])
            for group in questionnaire["item"]
            for item in group["item"]
            for option in item["answerOption"]
        }
        for group in resource["item"]:
            for item in group["item"]:
                for answer in item["answer"]:
                    if (item["linkId"], answer["valueCoding"]["code"]) not in options:
                        found.append(f"answer {item['linkId']} is not an option")
    return found
