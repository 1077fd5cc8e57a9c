"""Which country's words are used, and storing the choice (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.services import country as service
from kneecoach.services.personal_data import erase_everything, export_everything
from kneecoach.settings import reset_settings
from tests.db import in_session


def test_nothing_set_gives_the_generic_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNEECOACH_COUNTRY", raising=False)
    reset_settings()
    words = in_session(service.country_words)
    assert words.code == "generic"
    assert words.emergency_number.startswith("112")
    assert in_session(service.current_country).origin == "none"
    assert in_session(service.needs_asking)


def test_resolution_order_given_then_stored_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "us")
    reset_settings()
    assert in_session(service.country_words).emergency_number == "911"
    assert in_session(service.current_country).origin == "environment"
    assert not in_session(service.needs_asking)
    in_session(service.set_country, "ie")
    assert in_session(service.country_words).code == "IE"
    assert in_session(service.current_country).origin == "stored"
    assert in_session(service.country_words, "nz").emergency_number == "111"
    assert in_session(service.current_country, "nz").origin == "given"
    assert in_session(service.country_words, "  ").code == "IE"  # blank is "not given"


def test_an_unknown_code_gives_generic_words_never_another_countrys() -> None:
    in_session(service.set_country, "GB")
    for code in ("FR", "xx", "XX1", "other"):
        assert in_session(service.country_words, code).code == "generic", code


def test_codes_are_case_insensitive() -> None:
    assert in_session(service.country_words, "gB") == in_session(service.country_words, "GB")
    assert in_session(service.set_country, " au ").code == "AU"
    assert in_session(service.stored_country) == "AU"


def test_an_unknown_environment_value_gives_generic_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "Ireland")
    reset_settings()
    assert in_session(service.country_words).code == "generic"


@pytest.mark.parametrize("bad", ["XX1", "", "G", "GBR", "1E", "Éi"])
def test_bad_codes_are_refused_naming_the_field_and_the_supported_codes(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        in_session(service.set_country, bad)
    assert caught.value.field == "country"
    for code in ("GB", "IE", "US", "CA", "AU", "NZ"):
        assert code in caught.value.problem
    assert in_session(service.stored_country) is None


def test_a_well_formed_unsupported_code_is_kept_with_generic_words() -> None:
    setting = in_session(service.set_country, "fr")
    assert setting.code == "FR" and not setting.supported
    assert in_session(service.stored_country) == "FR"
    assert in_session(service.country_words).code == "generic"
    assert not in_session(service.needs_asking)


def test_other_is_kept_so_the_person_is_not_asked_again() -> None:
    assert in_session(service.set_country, "Other").code == "other"
    assert in_session(service.country_words).code == "generic"
    assert not in_session(service.needs_asking)


def test_supported_countries_for_pickers() -> None:
    choices = service.supported_countries()
    assert {c.code for c in choices} >= {"GB", "IE", "US", "CA", "AU", "NZ"}
    assert [c.name for c in choices] == sorted(c.name for c in choices)


def test_checking_an_answers_file_creates_no_database(data_dir: Path) -> None:
    assert in_session(service.stored_country) is None
    assert in_session(service.country_words).code == "generic"
    assert not (data_dir / "kneecoach.db").exists()


def test_stored_country_round_trip_export_and_erase(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    assert in_session(service.stored_country) is None
    in_session(service.set_country, "NZ")
    in_session(service.set_country, "ca")  # a change updates the one row
    assert in_session(service.stored_country) == "CA"
    assert in_session(service.list_preferences) == {"country": "CA"}
    document = in_session(export_everything)
    assert document["preferences"] == {"country": "CA"}
    json.dumps(document)
    in_session(erase_everything)
    assert in_session(service.stored_country) is None
    in_session(service.set_country, "GB")
    in_session(service.clear_country)
    assert in_session(service.stored_country) is None


def test_a_broken_database_still_shows_an_emergency_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", "nonsense://")
    monkeypatch.setenv("KNEECOACH_COUNTRY", "AU")
    reset_settings()
    assert in_session(service.words_to_show).emergency_number == "000"


def test_a_unit_of_work_reads_the_choice_once_and_sees_its_own_changes() -> None:
    """The stored choice is read once per unit of work; a change or an erase in it is seen."""
    from kneecoach.services.database import transaction

    in_session(service.set_country, "IE")
    with transaction() as session:
        assert service.stored_country(session=session) == "IE"
        service.set_country("NZ", session=session)
        assert service.stored_country(session=session) == "NZ"
        erase_everything(session=session)
        assert service.stored_country(session=session) is None
    assert in_session(service.stored_country) is None
    in_session(service.set_country, "AU")  # the write queue was let go: writing works again
    assert in_session(service.stored_country) == "AU"
