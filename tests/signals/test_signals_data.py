"""signals.yaml: valid, sourced, every id and answer path it names exists, mistakes caught."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kneecoach.core.checkins import COLUMNS
from kneecoach.core.intake import answer_paths
from kneecoach.core.signals.registry import ALERT_IDS
from kneecoach.data.files import read_yaml
from kneecoach.data.signals import build_thresholds, parse_signals_file

SPEC_IDS = {
    "swelling_rising",
    "stiffness_rising",
    "mechanical_symptoms",
    "weakness_rising",
    "pain_flare",
    "red_flag",
}


def raw() -> Any:
    return copy.deepcopy(read_yaml("signals.yaml"))


def test_the_file_loads_and_covers_every_detector() -> None:
    parsed = parse_signals_file(raw())
    thresholds = build_thresholds(parsed)
    assert set(ALERT_IDS) == SPEC_IDS
    assert set(thresholds.rising) | set(thresholds.events) | {"pain_flare", "red_flag"} == SPEC_IDS
    assert parsed.version


def test_every_entry_has_a_source_or_a_product_decision_basis() -> None:
    data = raw()
    entries = [
        *data["rising"].values(),
        *data["events"].values(),
        data["pain_flare"],
        data["red_flag"],
        data["insights"],
    ]
    for entry in entries:
        assert entry.get("source") or entry.get("basis") == "product-decision"


def test_red_flag_facts_name_real_columns_and_intake_paths() -> None:
    facts = raw()["red_flag"]["facts"]
    assert set(facts) <= set(COLUMNS)
    assert set(facts.values()) <= answer_paths()
    assert (
        facts["locking"] == "signs.locking"
        and facts["calf_pain"] == "general.calf_pain_or_swelling"
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d["rising"]["swelling_rising"].update(column="swollen"),
            "not a check-in column",
        ),
        (lambda d: d["rising"]["swelling_rising"].update(message="{nope}"), "unknown placeholders"),
        (lambda d: d["events"]["mechanical_symptoms"].update(columns=["pain"]), "not a yes/no"),
        (
            lambda d: d["red_flag"]["facts"].update(locking="signs.lockd"),
            "not an intake answer path",
        ),
        (
            lambda d: d["pain_flare"].pop("source") and d["pain_flare"].pop("basis"),
            "needs a `source`",
        ),
        (lambda d: d["pain_flare"].update(extra=1), "Extra inputs"),
        (lambda d: d["checkin_questions"].pop("note"), "checkin_questions must ask"),
    ],
)
def test_mistakes_in_the_file_are_caught(change: Any, problem: str) -> None:
    data = raw()
    change(data)
    with pytest.raises(ValueError, match=problem):
        parse_signals_file(data)
