"""The journeys that exist, walked in Debian's Chromium at phone width against a real server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import answer_safety_questions, check_in, finish_intake, log_first_set

pytestmark = pytest.mark.browser


def test_a_koos_jr_questionnaire_to_its_results(live_server: LiveServer, phone: Any) -> None:
    phone.goto(f"{live_server.url}/questionnaires")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Answer KOOS JR").click()
    for fieldset in phone.locator("fieldset.choices-set").all():
        fieldset.get_by_label("Moderate").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save my answers").click()
    phone.wait_for_url("**/questionnaires/koosjr/results*")
    assert phone.get_by_text("Your answers are saved").is_visible()
    # seven items, each "Moderate" (2): raw 14, which the HSS table turns into 52.465
    latest = phone.locator("table").first
    raw = latest.locator("tbody tr", has_text="Raw score").locator("td").first
    interval = latest.locator("tbody tr", has_text="Interval score").locator("td").first
    assert raw.inner_text().strip() == "14"
    assert interval.inner_text().strip() == "52.5"


def test_the_intake_stops_at_an_emergency_answer(live_server: LiveServer, phone: Any) -> None:
    answer_safety_questions(phone, live_server.url, {"general.foot_cold_pale_or_blue": "yes"})
    assert phone.get_by_role("heading", name="Get help now").is_visible()
    assert phone.get_by_text("Cold, pale or blue foot").first.is_visible()
    assert phone.locator('input[name="path"]').count() == 0  # no more questions


def test_intake_to_results_to_a_logged_session_to_progress(
    live_server: LiveServer, phone: Any
) -> None:
    finish_intake(phone, live_server.url)
    assert phone.get_by_text("Your answers are saved").is_visible()
    assert phone.get_by_text("Safe to care for at home").first.is_visible()
    log_first_set(phone, live_server.url, pain=3)
    assert phone.get_by_text("Your session is saved").is_visible()
    assert phone.get_by_role("heading", name="Done today").is_visible()
    check_in(phone, live_server.url, pain=4)
    assert phone.get_by_text("pain 4 out of 10").is_visible()
    with phone.expect_navigation():
        phone.get_by_role("link", name="See your progress").click()
    assert phone.get_by_text("1 check-in,").is_visible()
    assert phone.locator("svg.chart circle").count() >= 1


def test_a_form_error_appears_next_to_its_field(live_server: LiveServer, phone: Any) -> None:
    phone.goto(f"{live_server.url}/checkin")
    phone.locator("details summary").click()
    phone.locator("#stiffness_min").fill("")
    phone.locator("#pain_worst").fill("12")
    phone.locator("#note").fill("kept after the error")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save today's check-in").click()
    error = phone.locator("#pain_worst-error")
    assert error.is_visible() and "out of range" in error.inner_text()
    assert phone.locator("#note").input_value() == "kept after the error"
    assert phone.locator("#pain_worst").get_attribute("aria-describedby") == "pain_worst-error"


def test_the_server_stops_cleanly_on_sigterm(live_server: LiveServer) -> None:
    assert live_server.stop() == 0
    output = live_server.process.stdout.read() if live_server.process.stdout else ""
    assert f"running at {live_server.url}" in output
    assert "kneecoach stopped." in output
