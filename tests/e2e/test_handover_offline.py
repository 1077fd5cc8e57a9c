"""The handover letter in a real browser: one request and nothing more, so it still shows
with the network gone; it prints without its buttons and form; the emergency advice comes
first on the emergency page, with the letter linked below it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import answer_safety_questions
from tests.e2e.test_pages_audit import serious_violations

pytestmark = pytest.mark.browser


def test_the_letter_loads_in_one_request_and_reads_offline(
    live_server: LiveServer, phone: Any, shared_dir: Path
) -> None:
    url = live_server.url
    document = json.loads((shared_dir / "examples" / "hot-knee-fever.json").read_text())
    assert phone.request.post(f"{url}/api/v1/intakes", data=document).ok
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(f"{url}/handover")
    phone.wait_for_load_state("networkidle")
    assert asked == [f"{url}/handover"], asked  # no stylesheet, script, image or font
    assert serious_violations(phone) == []

    phone.context.set_offline(True)
    letter = phone.locator("article.letter").first
    assert letter.get_by_text("Why they need to be seen").is_visible()
    assert letter.get_by_text("Clinical terms").is_visible()
    # the letter fits a phone's width: nothing wider than the screen
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, width
    phone.emulate_media(media="print")
    assert not phone.locator(".noprint").first.is_visible()
    assert letter.is_visible()
    phone.context.set_offline(False)


def test_the_emergency_advice_shows_first_and_the_letter_is_below(
    live_server: LiveServer, phone: Any
) -> None:
    answer_safety_questions(phone, live_server.url, {"general.foot_cold_pale_or_blue": "yes"})
    advice = phone.get_by_role("heading", name="Get help now")
    assert advice.is_visible()
    link = phone.get_by_role("link", name="Open a letter for the doctor")
    assert link.is_visible()
    advice_box = advice.bounding_box()
    link_box = link.bounding_box()
    assert advice_box is not None and link_box is not None
    assert advice_box["y"] < link_box["y"]
    with phone.expect_navigation():
        link.click()
    assert phone.get_by_text("Cold, pale or cyanosed foot").first.is_visible()
