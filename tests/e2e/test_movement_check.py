"""The movement check in a real browser at 360 px: a real server (`kneecoach serve`, whose own
worker thread runs the job), Sports2D's real demo clip (fetched with pip at test time), the
upload with its progress bar, the job page's bar fed by the JSON endpoint, then the results
with the annotated strip. Waits are Playwright's waits for an element, up to a deadline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.test_pages_audit import serious_violations
from tests.video.clips import CACHE_NAME, demo_clip

ANALYSIS_DEADLINE_MS = 900_000  # MediaPipe on a busy 2-core machine; the clip is 8 s long
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture(scope="module")
def demo(pytestconfig: pytest.Config) -> Path:
    assert pytestconfig.cache is not None
    return demo_clip(pytestconfig.cache.mkdir(CACHE_NAME))


def test_a_filmed_squat_is_uploaded_measured_and_shown_on_a_phone(
    live_server: LiveServer, phone: Any, demo: Path
) -> None:
    phone.goto(f"{live_server.url}/improve")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Movement check").click()
    assert phone.get_by_role("heading", name="How to film your squats").is_visible()
    assert not phone.evaluate(OVERFLOW), "the movement page is wider than a 360 px phone"
    assert serious_violations(phone) == []
    phone.get_by_label("One-leg squat").check()
    phone.get_by_label("Left").check()
    phone.locator("#video").set_input_files(str(demo))
    with phone.expect_navigation(url="**/movement/jobs/*", timeout=120_000):
        phone.get_by_role("button", name="Upload and measure").click()
    job_page = phone.url
    results = phone.get_by_role("heading", name="Each squat")
    if not results.is_visible():  # still running: the bar is there and moves by itself
        bar = phone.locator("progress#job-progress")
        assert bar.is_visible() and 0 <= int(bar.get_attribute("value") or "0") <= 100
    results.wait_for(timeout=ANALYSIS_DEADLINE_MS)
    assert phone.url == job_page
    assert "frames" in phone.locator("[data-job-done]").inner_text()
    strip = phone.locator("figure.strip img")
    strip.wait_for()
    assert phone.evaluate("(img) => img.complete && img.naturalWidth > 0", strip.element_handle())
    assert phone.evaluate(
        "(img) => img.getBoundingClientRect().width <= window.innerWidth", strip.element_handle()
    ), "the strip fits the phone's width"
    assert not phone.evaluate(OVERFLOW), "the results page is wider than a 360 px phone"
    assert serious_violations(phone) == []
    phone.goto(f"{live_server.url}/movement")
    assert phone.get_by_role("heading", name="Your checks").is_visible()
