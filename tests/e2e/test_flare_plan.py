"""From a flare alert to the flare plan in the browser: a person with a plan checks in while
swelling creeps up; the alert's "Open your flare plan" link opens their own flare plan, dated
from the alert, which fits a 360 px phone and passes axe."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import check_in, make_plan
from tests.e2e.test_pages_audit import serious_violations

pytestmark = pytest.mark.browser


def seed_calm_weeks_then_swelling(page: Any, base_url: str) -> None:
    """21 calm days, then two days of mild swelling up to yesterday (through the JSON API)."""
    today = date.today()
    for n, swelling in enumerate([0] * 21 + [1, 1]):
        day = today - timedelta(days=23 - n)
        row = {"date": day.isoformat(), "pain": 2, "swelling": swelling}
        assert page.request.post(f"{base_url}/api/v1/checkins", data=row).ok


def test_the_alerts_flare_plan_link_opens_the_persons_flare_plan(
    live_server: LiveServer, phone: Any
) -> None:
    make_plan(phone, live_server.url)
    seed_calm_weeks_then_swelling(phone, live_server.url)

    check_in(phone, live_server.url)
    alert = phone.locator(".card.alert", has_text="Swelling is creeping up")
    assert alert.is_visible()
    link = alert.get_by_role("link", name="Open your flare plan")
    with phone.expect_navigation():
        link.click()
    phone.wait_for_url(f"**/flare?since={date.today().isoformat()}")

    assert phone.get_by_role("heading", name="Your flare plan", level=1).is_visible()
    assert phone.get_by_text("Today is day 1 of your flare.").is_visible()
    assert phone.get_by_role("heading", name="Your exercises in this flare").is_visible()
    assert phone.locator("article.flare-exercise").count() > 0
    assert phone.get_by_role("heading", name="When to see someone").is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the flare plan is wider than a 360 px phone"
    assert serious_violations(phone) == []
