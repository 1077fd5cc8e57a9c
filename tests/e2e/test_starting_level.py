"""Where you start, in the browser: after the intake and "Make my plan", Today names the
person's starting level; opening it shows the answers that set it, each exercise card says why
it starts on its step, and the page still fits a 360 px phone and passes axe. Results show the
level too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import make_plan
from tests.e2e.test_pages_audit import serious_violations

pytestmark = pytest.mark.browser


def test_today_names_the_starting_level_and_why_each_step(
    live_server: LiveServer, phone: Any
) -> None:
    make_plan(phone, live_server.url)
    phone.wait_for_url("**/today")
    level = phone.locator("details#starting-level")
    summary = level.locator("summary")
    assert summary.is_visible() and summary.inner_text().startswith("Where you start: the ")
    reasons = level.locator("li")
    assert not reasons.first.is_visible(), "closed until opened"
    summary.click()
    assert reasons.first.is_visible() and "so you start" in reasons.first.inner_text()
    assert phone.locator("article.exercise").count() > 0, "day 1 of a new plan has exercises"
    assert phone.locator("article.exercise .start-reason").count() > 0
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "Today is wider than a 360 px phone"
    assert serious_violations(phone) == []

    phone.goto(f"{live_server.url}/results")
    card = phone.locator("section#starting-level")
    assert card.get_by_role("heading", level=2).inner_text().startswith("Where you start: the ")
    assert card.locator("li").first.is_visible()
    assert serious_violations(phone) == []
