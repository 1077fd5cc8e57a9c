"""The instrument files: the official item bank, valid references, the HSS table, no total."""

from __future__ import annotations

import copy
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from kneecoach.cli.score import InstrumentName
from kneecoach.core.outcomes import KOOS_CODES
from kneecoach.data.files import read_yaml
from kneecoach.data.instruments import (
    INSTRUMENT_IDS,
    InstrumentFile,
    _build,
    load_instrument,
    load_instruments,
)


def build(raw: dict[str, Any]) -> object:
    return _build(InstrumentFile.model_validate(raw))


def raw(instrument_id: str) -> dict[str, Any]:
    return copy.deepcopy(read_yaml(f"instruments/{instrument_id}.yaml"))


def test_every_instrument_loads_and_the_cli_offers_exactly_these() -> None:
    assert [i.id for i in load_instruments()] == list(INSTRUMENT_IDS)
    assert [name.value for name in InstrumentName] == list(INSTRUMENT_IDS)


def test_every_file_has_a_version_and_sources() -> None:
    for instrument_id in INSTRUMENT_IDS:
        data = raw(instrument_id)
        assert isinstance(data["version"], int)
        assert data["sources"]
        for scale in data["scales"]:
            assert scale["source"]


def test_koos_has_the_42_official_codes_in_order_with_five_labels_each() -> None:
    koos = load_instrument("koos")
    assert tuple(item.code for item in koos.items) == KOOS_CODES
    assert len(KOOS_CODES) == 42
    assert all(len(item.labels) == 5 for item in koos.items)


def test_answer_labels_are_in_0_to_4_order_with_s4_s5_reversed() -> None:
    labels = {item.code: item.labels for item in load_instrument("koos").items}
    assert labels["S1"] == ("Never", "Rarely", "Sometimes", "Often", "Always")
    assert labels["S4"] == ("Always", "Often", "Sometimes", "Rarely", "Never")
    assert labels["S5"] == ("Always", "Often", "Sometimes", "Rarely", "Never")
    assert labels["P1"] == ("Never", "Monthly", "Weekly", "Daily", "Always")
    assert labels["Q1"][-1] == "Constantly"
    assert labels["Q2"] == ("Not at all", "Mildly", "Moderately", "Severely", "Totally")
    assert labels["Q3"][-1] == "Extremely"
    assert labels["A1"] == ("None", "Mild", "Moderate", "Severe", "Extreme")


def test_koos_wording_matches_the_evidence_table(shared_dir: Path) -> None:
    evidence = (shared_dir / "clinical" / "evidence.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ((?:SP|[SPAQ])\d+) \| ([^|]+?) \|", evidence, flags=re.M))
    wording = {item.code: item.wording for item in load_instrument("koos").items}
    assert set(rows) == set(KOOS_CODES)
    for code, text in rows.items():
        # P2, A1 and SP1 carry the section stem in brackets in the evidence table
        assert wording[code] == re.sub(r"^\([^)]*\) ", "", text.strip()), code
    assert wording["P2"] == "Twisting/pivoting on your knee"
    assert wording["A1"] == "Descending stairs"


def test_subscales_have_their_items_and_the_2012_minimum() -> None:
    koos = load_instrument("koos")
    got = {scale.id: (len(scale.items), scale.min_answered) for scale in koos.scales}
    assert got == {
        "symptoms": (7, 4),
        "pain": (9, 5),
        "adl": (17, 9),
        "sport_rec": (5, 3),
        "qol": (4, 2),
    }


def test_koos12_uses_the_gandek_items() -> None:
    koos12 = load_instrument("koos12")
    assert {s.id: s.items for s in koos12.scales} == {
        "pain": ("P1", "P8", "P5", "P6"),
        "function": ("A4", "A3", "A7", "SP4"),
        "qol": ("Q1", "Q2", "Q3", "Q4"),
    }
    assert raw("koos12")["code_mapping"] == "DERIVED"
    assert koos12.summary is not None and koos12.summary.of == ("pain", "function", "qol")


def test_koosjr_items_and_its_table_is_the_hss_table_of_the_evidence(shared_dir: Path) -> None:
    jr = load_instrument("koosjr")
    assert [item.code for item in jr.items] == ["S6", "P2", "P3", "P6", "P9", "A3", "A5"]
    evidence = (shared_dir / "clinical" / "evidence.md").read_text(encoding="utf-8")
    section = evidence[evidence.index("### 1.6") : evidence.index("### 1.7")]
    pairs = re.findall(r"\|\s*(\d{1,2})\s*\|\s*(\d+\.\d{3})\s*", section)
    table = {int(r): float(v) for r, v in pairs}
    assert sorted(table) == list(range(29))
    assert jr.conversion is not None
    assert jr.conversion.table == tuple(table[r] for r in range(29))
    yaml_text = resources.files("kneecoach.data").joinpath("instruments/koosjr.yaml").read_text()
    assert "awell" in yaml_text and "must not be used" in yaml_text  # the warning stays


def test_there_is_no_total_score_anywhere() -> None:
    for instrument in load_instruments():
        assert "total" not in instrument.score_ids


def test_the_mic_default_is_the_non_surgical_oa_row_and_the_others_are_kept() -> None:
    koos = load_instrument("koos")
    pain = koos.threshold_for("pain")
    assert pain is not None and pain.points == 11.3 and pain.source == "PubMed 41367621 (2025)"
    rows = raw("koos")["important_change"]["populations"]
    assert {row["id"] for row in rows} >= {
        "oa_non_surgical",
        "tka_rehab",
        "oa_physiotherapy_persian",
    }
    assert all(row["source"] for row in rows)
    monticone = next(row for row in rows if row["id"] == "tka_rehab")
    assert monticone["points"] == {
        "pain": 16.7, "symptoms": 10.7, "adl": 18.4, "sport_rec": 12.5, "qol": 15.6
    }  # fmt: skip
    assert koos.measurement_error is not None
    assert (koos.measurement_error.low, koos.measurement_error.high) == (10.9, 20.2)


def test_koos12_qol_borrows_the_koos_threshold_as_derived_and_the_rest_say_none() -> None:
    koos12 = load_instrument("koos12")
    qol = koos12.threshold_for("qol")
    assert qol is not None and qol.derived and qol.points == 13.2
    for scale in ("pain", "function", "summary"):
        threshold = koos12.threshold_for(scale)
        assert threshold is not None and threshold.points is None and threshold.note
    jr = load_instrument("koosjr").threshold_for("interval")
    assert jr is not None and jr.points is None


# --- the loader rejects broken files -------------------------------------------------------


def test_a_table_that_does_not_decrease_is_rejected() -> None:
    data = raw("koosjr")
    data["conversion"]["table"][5], data["conversion"]["table"][6] = 70.704, 73.342
    with pytest.raises(ValidationError, match="strictly decreasing"):
        build(data)


def test_a_table_of_the_wrong_length_is_rejected() -> None:
    data = raw("koosjr")
    data["conversion"]["table"].pop()
    with pytest.raises(ValidationError, match="29 values"):
        build(data)


def test_a_scale_naming_an_unknown_code_is_rejected() -> None:
    data = raw("koos12")
    data["scales"][0]["items"][0] = "P10"
    with pytest.raises(ValueError, match="P10"):
        build(data)


def test_a_section_borrowing_an_unknown_koos_section_is_rejected() -> None:
    data = raw("koos12")
    data["sections"][0]["from"] = "knees"
    with pytest.raises(ValueError, match="knees"):
        build(data)


def test_a_minimum_above_the_item_count_is_rejected() -> None:
    data = raw("koos")
    data["scales"][4]["min_answered"] = 5
    with pytest.raises(ValueError, match="min"):
        build(data)


def test_an_unknown_field_is_rejected() -> None:
    data = raw("koos")
    data["scales"][0]["weight"] = 2
    with pytest.raises(ValidationError, match="weight"):
        build(data)


def test_a_mic_for_an_unknown_scale_is_rejected() -> None:
    data = raw("koos")
    data["important_change"]["populations"][0]["points"]["total"] = 10.0
    with pytest.raises(ValueError, match="total"):
        build(data)


def test_a_total_score_is_rejected() -> None:
    data = raw("koos12")
    data["summary_score"]["id"] = "total"
    data["important_change"]["scales"]["total"] = data["important_change"]["scales"].pop("summary")
    with pytest.raises(ValueError, match="no total"):
        build(data)
