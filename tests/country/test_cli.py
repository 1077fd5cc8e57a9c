"""`kneecoach settings` and the country question at the start of `kneecoach start`."""

from __future__ import annotations

import json

import pytest

from kneecoach.services.country import stored_country
from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli
from tests.db import in_session


def flat(text: str) -> str:
    return " ".join(text.split())


def test_set_and_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNEECOACH_COUNTRY", raising=False)
    reset_settings()
    before = run_cli("settings", "show")
    assert before.exit_code == 0
    assert "not set" in before.stdout and "112" in before.stdout
    result = run_cli("settings", "country", "gb")
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "United Kingdom (GB, chosen in kneecoach)" in out
    assert "999" in out and "NHS 111" in out and "A&E" in out
    shown = json.loads(run_cli("settings", "show", "--format", "json").stdout)
    assert shown["country"] == "GB" and shown["origin"] == "stored"
    assert shown["words"]["emergency_number"] == "999"
    assert "nhs.uk" in shown["source"]


def test_bad_input_is_one_line_exit_2_and_changes_nothing() -> None:
    run_cli("settings", "country", "IE")
    result = run_cli("settings", "country", "XX1")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: country: 'XX1' is not a country code")
    assert "GB" in lines[0] and "NZ" in lines[0]
    assert in_session(stored_country) == "IE"


def test_an_unsupported_country_says_general_words_are_used() -> None:
    result = run_cli("settings", "country", "fr")
    assert result.exit_code == 0
    assert "no words for it yet" in flat(result.stdout)
    assert "112" in result.stdout


def test_the_environment_setting_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "AU")
    reset_settings()
    out = flat(run_cli("settings", "show").stdout)
    assert "Australia (AU, from KNEECOACH_COUNTRY)" in out and "000" in out


def test_countries_lists_the_supported_ones_and_other() -> None:
    out = run_cli("settings", "countries").stdout
    for code in ("GB", "IE", "US", "CA", "AU", "NZ", "other"):
        assert code in out


def test_start_asks_the_country_first_and_the_warning_uses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KNEECOACH_COUNTRY", raising=False)
    reset_settings()
    result = run_cli("start", input="XX1\nIreland\nn\nn\n")
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert out.index("Which country are you in?") < out.index("does not diagnose")
    assert "is not a country code" in out  # asked again after a bad answer
    assert "call 112 or 999 now" in out
    assert "999, 911" not in out
    assert in_session(stored_country) == "IE"


def test_start_does_not_ask_again_once_stored() -> None:
    run_cli("settings", "country", "NZ")
    result = run_cli("start", input="n\nn\n")
    assert result.exit_code == 0, result.stderr
    assert "Which country" not in result.stdout
    assert "call 111 now" in flat(result.stdout)


def test_start_does_not_ask_when_the_environment_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "US")
    reset_settings()
    result = run_cli("start", input="n\nn\n")
    assert result.exit_code == 0, result.stderr
    assert "Which country" not in result.stdout
    assert "call 911 now" in flat(result.stdout)
    assert in_session(stored_country) is None


def test_enter_at_the_question_means_other() -> None:
    result = run_cli("start", input="\nn\nn\n")
    assert result.exit_code == 0, result.stderr
    assert in_session(stored_country) == "other"
    assert "call 112 (or your local emergency" in flat(result.stdout)
