"""`kneecoach export fhir`: a FHIR R4B Bundle that validates, with the codes, units and
references checked here (fhir.resources checks none of them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from kneecoach.data.exchange import exchange_codes, loinc, loinc_check_digit
from kneecoach.services import outcomes as outcome_service
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.exchange.fhir_checks import LOINC, problems
from tests.exchange.seed import DAYS, seed_month


@pytest.fixture
def bundle(tmp_path: Path) -> dict[str, Any]:
    seed_month()
    out = tmp_path / "bundle.json"
    result = run_cli("export", "fhir", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Saved a FHIR R4B Bundle with" in result.stdout
    Bundle.model_validate_json(out.read_text(encoding="utf-8"))  # the library reads it back
    return json.loads(out.read_text(encoding="utf-8"))


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_validates_and_passes_the_coded_value_checks(bundle: dict[str, Any]) -> None:
    assert bundle["type"] == "collection"
    assert problems(bundle) == []


def test_the_checks_catch_what_the_library_lets_through(bundle: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(bundle))
    observation = of_type(broken, "Observation")[0]
    observation["status"] = "bogus"
    observation["valueQuantity"]["system"] = "http://example.org/units"
    observation["subject"]["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    observation["code"]["coding"][0]["display"] = "Something else"
    Bundle.model_validate(broken)  # fhir.resources accepts all of this
    found = problems(broken)
    assert any("bogus" in p for p in found)
    assert any("UCUM" in p for p in found)
    assert any("does not resolve" in p for p in found)
    assert any("exchange.yaml" in p or "code system" in p for p in found)


def test_the_patient_holds_only_what_the_person_entered(bundle: dict[str, Any]) -> None:
    (patient,) = of_type(bundle, "Patient")
    assert patient == {"resourceType": "Patient", "gender": "female"}


def test_scores_and_pain_carry_their_loinc_codes_and_values(bundle: dict[str, Any]) -> None:
    observations = of_type(bundle, "Observation")
    by_code: dict[str, list[dict[str, Any]]] = {}
    for observation in observations:
        coding = observation["code"]["coding"][0]
        by_code.setdefault(coding["code"], []).append(observation)
    koos = in_session(outcome_service.saved_results, "koos")
    for scale in ("symptoms", "pain", "adl", "sport_rec", "qol"):
        code = loinc(f"koos.{scale}")
        assert code is not None
        values = [o["valueQuantity"]["value"] for o in by_code[code.code]]
        assert values == [float(r.scores[scale]) for r in koos], scale
    jr = in_session(outcome_service.saved_results, "koosjr")
    interval = loinc("koosjr.interval")
    assert interval is not None
    assert [o["valueQuantity"]["value"] for o in by_code[interval.code]] == [
        float(r.scores["interval"]) for r in jr
    ]
    pain = loinc("checkin.pain")
    assert pain is not None
    assert len(by_code[pain.code]) == DAYS
    assert all(o["valueQuantity"]["code"] == "{score}" for o in by_code[pain.code])
    stiffness = by_code["stiffness_min"][0]["valueQuantity"]
    assert (stiffness["system"], stiffness["code"]) == ("http://unitsofmeasure.org", "min")
    assert isinstance(by_code["clicking"][0]["valueBoolean"], bool)


def test_questionnaires_come_from_the_instrument_data(bundle: dict[str, Any]) -> None:
    questionnaires = {q["name"]: q for q in of_type(bundle, "Questionnaire")}
    assert set(questionnaires) == {"KOOS", "KOOSJR"}
    items = [i for g in questionnaires["KOOS"]["item"] for i in g["item"]]
    assert len(items) == 42 and items[0]["linkId"] == "S1"
    assert all(len(i["answerOption"]) == 5 for i in items)
    assert len([i for g in questionnaires["KOOSJR"]["item"] for i in g["item"]]) == 7
    responses = of_type(bundle, "QuestionnaireResponse")
    assert len(responses) == 4
    assert {r["status"] for r in responses} == {"completed"}


def test_the_code_system_is_in_the_bundle(bundle: dict[str, Any]) -> None:
    (system,) = of_type(bundle, "CodeSystem")
    assert system["url"] == exchange_codes().code_system.url
    used = {
        o["code"]["coding"][0]["code"]
        for o in of_type(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == system["url"]
    }
    assert used <= {c["code"] for c in system["concept"]}
    assert {"swelling", "stiffness_min", "clicking", "steps"} <= used


def test_the_same_data_gives_the_same_ids(bundle: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    assert run_cli("export", "fhir", "--out", str(out)).exit_code == 0
    again = json.loads(out.read_text(encoding="utf-8"))
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


def test_an_empty_install_gives_a_valid_bundle(tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    assert run_cli("export", "fhir", "--out", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    Bundle.model_validate(document)
    assert problems(document) == []
    assert {e["resource"]["resourceType"] for e in document["entry"]} == {
        "Patient",
        "CodeSystem",
        "Questionnaire",
    }


def test_an_unwritable_out_is_one_line(tmp_path: Path) -> None:
    result = run_cli("export", "fhir", "--out", str(tmp_path / "no" / "such" / "b.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --out: cannot write") and result.stderr.count("\n") == 1


def test_every_loinc_code_has_a_display_a_source_and_a_valid_check_digit() -> None:
    codes = exchange_codes().loinc
    assert codes.system == LOINC
    for code in codes.codes:
        body, check = code.code.split("-")
        assert loinc_check_digit(body) == int(check), code.code
        assert code.source and code.display


def test_the_codes_are_the_ones_the_clinical_notes_list(shared_dir: Path) -> None:
    notes = (shared_dir / "clinical" / "movement-and-codes.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\|\s*(\d{5}-\d)\s*\|", notes))
    assert listed == {c.code for c in exchange_codes().loinc.codes}
