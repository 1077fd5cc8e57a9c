"""Which country's words are used, and storing the choice (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.services import country as service
from kneecoach.services.personal_data import erase_everything, export_everything
from kneecoach.settings import reset_settings


def test_nothing_set_gives_the_generic_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNEECOACH_COUNTRY", raising=False)
    reset_settings()
    words = service.country_words()
    assert words.code == "generic"
    assert words.emergency_number.startswith("112")
    assert service.current_country().origin == "none"
    assert service.needs_asking()


def test_resolution_order_given_then_stored_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "us")
    reset_settings()
    assert service.country_words().emergency_number == "911"
    assert service.current_country().origin == "environment"
    assert not service.needs_asking()
    service.set_country("ie")
    assert service.country_words().code == "IE"
    assert service.current_country().origin == "stored"
    assert service.country_words("nz").emergency_number == "111"
    assert service.current_country("nz").origin == "given"
    assert service.country_words("  ").code == "IE"  # blank is "not given"


def test_an_unknown_code_gives_generic_words_never_another_countrys() -> None:
    service.set_country("GB")
    for code in ("FR", "xx", "XX1", "other"):
        assert service.country_words(code).code == "generic", code


def test_codes_are_case_insensitive() -> None:
    assert service.country_words("gB") == service.country_words("GB")
    assert service.set_country(" au ").code == "AU"
    assert service.stored_country() == "AU"


def test_an_unknown_environment_value_gives_generic_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "Ireland")
    reset_settings()
    assert service.country_words().code == "generic"


@pytest.mark.parametrize("bad", ["XX1", "", "G", "GBR", "1E", "Éi"])
def test_bad_codes_are_refused_naming_the_field_and_the_supported_codes(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        service.set_country(bad)
    assert caught.value.field == "country"
    for code in ("GB", "IE", "US", "CA", "AU", "NZ"):
        assert code in caught.value.problem
    assert service.stored_country() is None


def test_a_well_formed_unsupported_code_is_kept_with_generic_words() -> None:
    setting = service.set_country("fr")
    assert setting.code == "FR" and not setting.supported
    assert service.stored_country() == "FR"
    assert service.country_words().code == "generic"
    assert not service.needs_asking()


def test_other_is_kept_so_the_person_is_not_asked_again() -> None:
    assert service.set_country("Other").code == "other"
    assert service.country_words().code == "generic"
    assert not service.needs_asking()


def test_supported_countries_for_pickers() -> None:
    choices = service.supported_countries()
    assert {c.code for c in choices} >= {"GB", "IE", "US", "CA", "AU", "NZ"}
    assert [c.name for c in choices] == sorted(c.name for c in choices)


def test_checking_an_answers_file_creates_no_database(data_dir: Path) -> None:
    assert service.stored_country() is None
    assert service.country_words().code == "generic"
    assert not (data_dir / "kneecoach.db").exists()


def test_stored_country_round_trip_export_and_erase(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    assert service.stored_country() is None
    service.set_country("NZ")
    service.set_country("ca")  # a change updates the one row
    assert service.stored_country() == "CA"
    assert service.list_preferences() == {"country": "CA"}
    document = export_everything()
    assert document["preferences"] == {"country": "CA"}
    json.dumps(document)
    erase_everything()
    assert service.stored_country() is None
    service.set_country("GB")
    service.clear_country()
    assert service.stored_country() is None


def test_a_broken_database_still_shows_an_emergency_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", "nonsense://")
    monkeypatch.setenv("KNEECOACH_COUNTRY", "AU")
    reset_settings()
    assert service.words_to_show().emergency_number == "000"
