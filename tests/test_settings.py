"""Settings from the environment: KNEECOACH_* names in any letter case, other names ignored."""

from __future__ import annotations

from pathlib import Path

from kneecoach.settings import settings_from


def test_the_variables_are_read_in_any_letter_case(tmp_path: Path) -> None:
    settings = settings_from(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path),
            "kneecoach_country": "IE",
            "Kneecoach_Allowed_Hosts": "a.home, b.home",
            "KNEECOACH_CACHE_DIR": "not a setting",
            "HOME": "/elsewhere",
        }
    )
    assert settings.data_dir == tmp_path
    assert settings.country == "IE"
    assert settings.allowed_host_names == ("a.home", "b.home")
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'kneecoach.db'}"


def test_unset_values_take_their_defaults() -> None:
    settings = settings_from({})
    assert settings.database_url is None and settings.country is None
    assert settings.data_dir.name == "kneecoach"


def test_a_server_database_is_used_as_given() -> None:
    url = "postgresql+psycopg://kc@localhost/kc"
    assert settings_from({"KNEECOACH_DATABASE_URL": url}).resolved_database_url == url
