"""A red flag in a daily check-in stops the plan in the browser, as at intake: a self-care
plan, then a check-in with warmth, fever and moderate swelling; Today shows the stop and
`/api/v1/today` says `stopped: true` (decisions.md: "Red flag in a daily check-in")."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import make_plan
from tests.e2e.test_pages_audit import serious_violations

pytestmark = pytest.mark.browser


def test_a_hot_swollen_knee_with_fever_in_a_check_in_stops_today(
    live_server: LiveServer, phone: Any
) -> None:
    make_plan(phone, live_server.url)
    assert phone.locator("article.card.exercise").count() > 0

    phone.goto(f"{live_server.url}/checkin")
    phone.locator('input[name="pain"][value="5"]').check()
    phone.get_by_label("Moderate").check()
    phone.locator('input[name="flags"][value="warm"]').check()
    phone.locator('input[name="flags"][value="fever"]').check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save today's check-in").click()
    phone.wait_for_url("**/checkin/done*")
    assert phone.locator(".safety-message [role=alert]").first.is_visible()
    assert phone.locator(".notice.ok").count() == 0
    assert phone.get_by_text("Your knee felt hot").first.is_visible()
    assert serious_violations(phone) == []

    phone.goto(f"{live_server.url}/today")
    assert phone.locator(".safety-message").is_visible()
    assert phone.locator("article.card.exercise").count() == 0
    assert phone.get_by_role("button", name="Save today's session").count() == 0
    assert serious_violations(phone) == []

    api = phone.request.get(f"{live_server.url}/api/v1/today")
    today = json.loads(api.text())
    assert today["stopped"] is True and today["exercises"] == []
    assert today["stop"]["level"] in ("emergency", "urgent")
    assert "Your knee felt hot" in today["stop"]["answers"]
    assert phone.get_by_text(today["stop"]["title"]).first.is_visible()
