"""countries.yaml: every country has every field and a source, and its words read well."""

from __future__ import annotations

from typing import Any

import pytest
import textstat
from pydantic import ValidationError

from kneecoach.core.country import PLACEHOLDERS, fill
from kneecoach.data.countries import load_countries, parse_countries
from kneecoach.data.files import read_yaml

REQUIRED = {"GB", "IE", "US", "CA", "AU", "NZ"}
SENTENCES = (
    "Call {emergency_number} now, or go to {emergency_department}.",
    "Go to {urgent_care} today for an X-ray.",
    "Call {same_day} or {doctor} today.",
    "Ask {pharmacist} about pain relief.",
)


def all_words() -> list[Any]:
    file = load_countries()
    return [entry.words(code) for code, entry in file.countries.items()] + [
        file.generic.words("generic")
    ]


def test_the_six_countries_and_generic_are_there() -> None:
    file = load_countries()
    assert set(file.countries) >= REQUIRED
    assert file.generic.emergency_number.startswith("112")


@pytest.mark.parametrize("words", all_words(), ids=lambda w: w.code)
def test_every_entry_has_every_field_and_a_source(words: Any) -> None:
    for name in (*PLACEHOLDERS, "name"):
        assert getattr(words, name).strip(), name
    assert len(words.source) >= 10


@pytest.mark.parametrize("words", all_words(), ids=lambda w: w.code)
def test_the_words_read_well_inside_sentences(words: Any) -> None:
    text = " ".join(fill(sentence, words) for sentence in SENTENCES)
    assert "{" not in text
    assert textstat.flesch_kincaid_grade(text) <= 8.0, text
    # "Call your GP or the out-of-hours GP service or your GP today" would say it twice
    assert words.doctor not in words.same_day
    for value in (words.emergency_department, words.urgent_care, words.doctor, words.pharmacist):
        assert value[0].islower() or value.startswith(("A&E", "NHS")), value


def test_known_numbers() -> None:
    countries = load_countries().countries
    assert countries["GB"].emergency_number == "999"
    assert countries["GB"].same_day == "NHS 111"
    assert countries["US"].emergency_number == "911"
    assert countries["CA"].emergency_number == "911"
    assert countries["AU"].emergency_number == "000"
    assert countries["NZ"].emergency_number == "111"
    assert "112" in countries["IE"].emergency_number
    assert "1800 022 222" in countries["AU"].same_day
    assert "0800 611 116" in countries["NZ"].same_day
    assert "811" in countries["CA"].same_day


def good_document() -> dict[str, Any]:
    return dict(read_yaml("countries.yaml"))


def test_a_missing_field_is_named() -> None:
    document = good_document()
    gb = dict(document["countries"]["GB"])
    del gb["doctor"]
    document["countries"] = {**document["countries"], "GB": gb}
    with pytest.raises(ValidationError, match=r"countries\.GB\.doctor"):
        parse_countries(document)


def test_an_empty_value_or_a_missing_source_is_named() -> None:
    document = good_document()
    ie = {**document["countries"]["IE"], "emergency_number": "  "}
    document["countries"] = {**document["countries"], "IE": ie}
    with pytest.raises(ValidationError, match=r"countries\.IE\.emergency_number"):
        parse_countries(document)
    document = good_document()
    document["generic"] = {k: v for k, v in document["generic"].items() if k != "source"}
    with pytest.raises(ValidationError, match=r"generic\.source"):
        parse_countries(document)


def test_a_bad_code_or_a_missing_generic_entry_fails() -> None:
    document = good_document()
    document["countries"] = {**document["countries"], "gbr": document["countries"]["GB"]}
    with pytest.raises(ValidationError, match="gbr"):
        parse_countries(document)
    document = good_document()
    del document["generic"]
    with pytest.raises(ValidationError, match="generic"):
        parse_countries(document)


def test_an_unknown_field_fails() -> None:
    document = good_document()
    document["countries"] = {
        **document["countries"],
        "US": {**document["countries"]["US"], "ambulance": "911"},
    }
    with pytest.raises(ValidationError, match=r"countries\.US\.ambulance"):
        parse_countries(document)
