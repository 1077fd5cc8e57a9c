"""The course in Debian's Chromium at phone width against a real server: open the course,
read week 1's first session, answer its question, mark it done, and see it done on Today."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import do_course_session

pytestmark = pytest.mark.browser


def test_read_week_one_answer_mark_done_and_see_it_on_today(
    live_server: LiveServer, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/today")
    card = phone.locator("#course")
    assert card.get_by_text("To do this week").first.is_visible()
    do_course_session(phone, live_server.url, "How pain works", "Walk to the shops again.")
    assert phone.get_by_text("This session is done, and your answer is saved").is_visible()
    assert phone.locator("textarea#answer").input_value() == "Walk to the shops again."
    phone.goto(f"{live_server.url}/today")
    card = phone.locator("#course")
    assert card.get_by_text("You have done 1 of 8 sessions").is_visible()
    done = card.locator("li", has_text="How pain works")
    assert done.get_by_text("Done", exact=True).is_visible()
    with phone.expect_navigation():
        card.get_by_role("link", name="Set a goal").click()
    assert phone.get_by_role("heading", name="Set your goal").is_visible()
