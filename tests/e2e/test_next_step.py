"""One clear next step, on the first screen of a phone (issue 13, item 2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import PHONE, LiveServer

pytestmark = pytest.mark.browser


def test_the_welcome_pages_next_step_is_on_the_first_phone_screen(
    live_server: LiveServer, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/")
    step = phone.locator("[data-next-step]")
    assert step.count() == 1
    box = step.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    assert step.get_attribute("data-next-step") == "answer_questions"
    with phone.expect_navigation():
        step.click()
    assert phone.url.endswith("/intake")
