"""flare_plan.yaml: it loads, every rule says where it comes from, what the evidence leaves
open is labelled a product decision, and a broken file is refused with its place named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kneecoach.data.exercises import load_catalogue
from kneecoach.data.files import read_yaml
from kneecoach.data.flare import FILE, FlareDataError, build_flare_rules, load_flare_rules
from kneecoach.data.red_flags import load_red_flags
from kneecoach.services.knowledge import product_decisions

RAW: dict[str, Any] = read_yaml(FILE)
RULE_SECTIONS = ("exercise_groups", "activities", "comfort", "pain_relief")
SINGLE_RULES = ("intro", "general_note", "on_hold", "timeline", "start", "build_back")


def broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


def test_the_file_loads_with_a_version() -> None:
    rules = load_flare_rules()
    assert rules.version == str(RAW["version"]) and rules.version.strip()
    assert rules.ease_days == 3
    assert [g.id for g in rules.groups][-1] == "other_exercises"


@pytest.mark.parametrize("section", RULE_SECTIONS)
def test_every_rule_in_a_list_has_a_source(section: str) -> None:
    for rule in RAW[section]:
        assert str(rule.get("source", "")).strip(), f"{section}.{rule['id']}"
        assert rule.get("basis") in (None, "product-decision")


def test_every_single_rule_has_a_source() -> None:
    for name in SINGLE_RULES:
        assert str(RAW[name].get("source", "")).strip(), name
    for name, rule in RAW["see_someone"].items():
        assert str(rule.get("source", "")).strip(), f"see_someone.{name}"


def test_the_unconfirmed_relative_rest_is_a_product_decision_and_listed() -> None:
    assert RAW["timeline"]["basis"] == "product-decision"
    assert "UNCONFIRMED" in RAW["timeline"]["source"]
    listed = {(d.file, d.where) for d in product_decisions()}
    assert (FILE, "timeline") in listed
    assert (FILE, "build_back") in listed
    assert (FILE, "exercise_groups › loaded_bending") in listed


def test_every_exercise_named_is_in_the_catalogue_and_every_exercise_finds_a_group() -> None:
    catalogue = load_catalogue()
    rules = load_flare_rules()
    for group in rules.groups:
        assert all(catalogue.get(i) is not None for i in group.exercises), group.id
    for exercise in catalogue.exercises:
        assert rules.group_for(exercise.id, exercise.kind, {}) is not None


def test_the_red_flag_line_names_real_rules_and_repeats_none() -> None:
    known = {rule.id for rule in load_red_flags().rules}
    rules = load_flare_rules()
    assert set(rules.red_flag_rules) <= known
    assert "{emergency_number}" in rules.red_flags.text


def test_pain_relief_never_names_a_dose() -> None:
    for item in load_flare_rules().pain_relief:
        assert " mg" not in item.text and "tablet" not in item.text
        assert "{pharmacist}" in item.text or "pharmacist" in item.text


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["exercise_groups"][1]["exercises"].append("moon_jump"), "moon_jump"),
        (lambda r: r["exercise_groups"][-1].update(kinds=["cardio"]), "last group"),
        (lambda r: r["activities"][0].pop("source"), "source"),
        (lambda r: r["comfort"][0].update(text="Call {nurse}."), "nurse"),
        (lambda r: r["see_someone"]["red_flags"]["rules"].append("made_up"), "made_up"),
        (lambda r: r["start"].update(alerts=["red_flag"]), "red_flag"),
        (lambda r: r["activities"][1].update(when={"history.hobby": "running"}), "history.hobby"),
        (lambda r: r["build_back"]["text"].update(up="{fast}"), "fast"),
        (lambda r: r["exercise_groups"][0].update(action="rest"), "action"),
        (lambda r: r["timeline"].update(ease_days=0), "ease_days"),
    ],
)
def test_a_broken_file_is_refused_naming_the_place(change: Any, problem: str) -> None:
    with pytest.raises(FlareDataError, match=problem):
        build_flare_rules(broken(change))


def test_not_settling_means_the_same_two_weeks_as_the_pain_flare_alert() -> None:
    from kneecoach.data.signals import load_signal_thresholds

    flare = load_signal_thresholds().flare
    assert load_flare_rules().not_settling.after_days == flare.not_settling_days
