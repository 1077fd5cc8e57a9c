"""The footwear file validates, every entry names its source, and the numbers match decisions.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from kneecoach.data.files import read_yaml
from kneecoach.data.footwear import FILE, Footwear, load_footwear


def test_the_file_validates_and_carries_a_version() -> None:
    footwear = load_footwear()
    assert footwear.version
    assert footwear.thresholds.watch_from_km == 500
    assert footwear.thresholds.replace_by_km == 800
    assert footwear.thresholds.replace_after_months == 12


def _sourced_entries(node: Any) -> list[dict[str, Any]]:
    """Every mapping that holds a rule, a sign or advice (anything with user text or a number)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "source" in node or "basis" in node:
            found.append(node)
        for value in node.values():
            found += _sourced_entries(value)
    elif isinstance(node, list):
        for item in node:
            found += _sourced_entries(item)
    return found


def test_every_sign_advice_and_threshold_names_its_source() -> None:
    raw = read_yaml(FILE)
    entries = [
        raw["replacement"]["distance"],
        raw["replacement"]["age"],
        raw["replacement"]["honest_note"],
        raw["stride"],
        raw["wear_advice"]["any_sign"],
        raw["wear_advice"]["no_sign"],
        *raw["wear_signs"],
        *raw["support_advice"],
    ]
    assert all(len(str(entry.get("source", ""))) > 10 for entry in entries)
    assert len(_sourced_entries(raw)) == len(entries)


def test_thresholds_are_labelled_as_product_decisions_and_guidance() -> None:
    raw = read_yaml(FILE)
    assert raw["replacement"]["distance"]["basis"] == "product-decision"
    assert raw["replacement"]["age"]["basis"] == "product-decision"
    assert raw["stride"]["basis"] == "product-decision"
    note = load_footwear().replacement.honest_note.text
    assert "not proof" in note and "guide" in note


def test_support_advice_cites_the_guidelines_and_advises_against_wedges() -> None:
    advice = {item.id: item for item in load_footwear().support_advice}
    assert "ACR 2019" in advice["no_lateral_wedges"].source
    assert "AAOS" in advice["no_lateral_wedges"].source
    assert "not advised" in advice["no_lateral_wedges"].advice
    assert "short term" in advice["insoles_front_knee"].source


def test_the_wear_signs_cover_the_evidence_list() -> None:
    ids = {sign.id for sign in load_footwear().wear_signs}
    assert ids == {
        "midsole_creased",
        "outsole_worn",
        "soft_heel_or_twists",
        "leans_on_table",
        "holes",
        "new_aches",
    }
    assert all(sign.question.rstrip().endswith("?") for sign in load_footwear().wear_signs)


def test_message_templates_use_only_the_fields_the_core_fills() -> None:
    messages = load_footwear().message_templates
    messages.distance_watch.format(distance="1 km", watch="2 km")
    messages.distance_replace.format(distance="1 km", replace="2 km")
    messages.age_replace.format(months=1, limit=2)
    messages.wear_sign.format(date="2026-01-01", sign="holes")
    messages.ok.format(distance="1 km")


def _raw_copy() -> dict[str, Any]:
    return dict(
        yaml.safe_load(Path(__file__).parents[2].joinpath("src/kneecoach/data", FILE).read_text())
    )


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["replacement"]["distance"].pop("source"),
        lambda d: d["replacement"]["distance"].update(watch_from_km=900),
        lambda d: d["wear_signs"][0].update(colour="red"),
        lambda d: d["wear_signs"].append(dict(d["wear_signs"][0])),
        lambda d: d["replacement"]["age"].update(basis="trial"),
    ],
    ids=["no source", "watch after replace", "unknown key", "id twice", "bad basis"],
)
def test_a_spoiled_file_is_rejected(spoil: Any) -> None:
    raw = _raw_copy()
    spoil(raw)
    with pytest.raises(ValidationError):
        Footwear.model_validate(raw)
