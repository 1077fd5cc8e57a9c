"""The country question on the welcome page, the settings form, and the words on pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.services.country import set_country, stored_country
from kneecoach.settings import reset_settings
from tests.db import in_session


def footer(html: str) -> str:
    return " ".join(html.split("<footer", 1)[1].split())


def test_the_welcome_page_asks_until_answered(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KNEECOACH_COUNTRY", raising=False)
    reset_settings()
    page = client.get("/").text
    assert "Which country are you in?" in page
    for code in ("GB", "IE", "US", "CA", "AU", "NZ", "other"):
        assert f'value="{code}"' in page
    assert "112" in footer(page)
    saved = client.post("/welcome/country", data={"country": "AU"}, follow_redirects=True)
    assert saved.status_code == 200
    assert in_session(stored_country) == "AU"
    assert "Which country are you in?" not in saved.text
    assert "call 000 or go to the hospital emergency department" in " ".join(saved.text.split())
    assert "call 000" in footer(saved.text)


def test_the_welcome_page_does_not_ask_when_the_environment_says(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "CA")
    reset_settings()
    page = client.get("/").text
    assert "Which country are you in?" not in page
    assert "call 811 (health advice line) or your family doctor today" in " ".join(page.split())


def test_a_bad_answer_on_the_welcome_page_names_the_field(client: TestClient) -> None:
    for bad in ("XX1", ""):
        response = client.post("/welcome/country", data={"country": bad})
        assert response.status_code == 422
        assert 'id="country-error"' in response.text
        assert 'aria-invalid="true"' in response.text
    assert in_session(stored_country) is None


def test_settings_changes_the_country(client: TestClient) -> None:
    in_session(set_country, "GB")
    page = client.get("/settings").text
    assert re.search(r'<option value="GB" selected>United Kingdom</option>', page)
    response = client.post("/settings/country", data={"country": "us"}, follow_redirects=True)
    assert response.status_code == 200
    assert in_session(stored_country) == "US"
    assert "In an emergency, call 911." in response.text


def test_a_bad_value_in_settings_is_shown_and_nothing_is_lost(client: TestClient) -> None:
    in_session(set_country, "IE")
    client.post("/settings/habits", data={"habit_name": "long_sitting", "habit_question": ""})
    response = client.post("/settings/country", data={"country": "XX1"})
    assert response.status_code == 422
    assert "is not a country code" in response.text
    assert 'id="country-error"' in response.text
    assert "long_sitting" in response.text or "long sitting" in response.text.lower()
    assert in_session(stored_country) == "IE"
    assert "112 or 999" in footer(response.text)


def test_an_unsupported_stored_code_stays_selectable(client: TestClient) -> None:
    in_session(set_country, "FR")
    page = client.get("/settings").text
    assert '<option value="FR" selected>FR (general words)</option>' in page


def test_the_warning_signs_lesson_names_the_countrys_services(client: TestClient) -> None:
    in_session(set_country, "GB")
    page = " ".join(client.get("/learn/warning_signs").text.split())
    assert "call 999 for an ambulance" in page
    assert "call NHS 111 or your GP" in page
    assert "{" not in page.split("<main", 1)[1].split("</main>", 1)[0]
