"""Every page: no serious or critical axe-core violations, and a screenshot at 360 and 1280 px.

Screenshots go to a temporary folder, or to KNEECOACH_SCREENSHOTS_DIR when set
(`KNEECOACH_SCREENSHOTS_DIR=docs/screenshots pytest tests/e2e` refreshes the docs).
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, LiveServer
from tests.e2e.journey import check_in, log_first_set

pytestmark = pytest.mark.browser

PAGES = (
    ("welcome", "/"),
    ("intake", "/intake"),
    ("results", "/results"),
    ("today", "/today"),
    ("checkin", "/checkin"),
    ("progress", "/progress"),
    ("flare", "/flare"),
    ("course", "/course"),
    ("course-session", "/course/hurt_and_harm"),
    ("goal", "/goal"),
    ("shoes", "/shoes"),
    ("questionnaires", "/questionnaires"),
    ("questionnaire-koos", "/questionnaires/koos"),
    ("learn", "/learn"),
    ("lesson", "/learn/beyond_the_knee"),
    ("settings", "/settings"),
    ("improve", "/improve"),
    ("improve-test", "/improve/knee_to_wall_cm"),
    ("movement", "/movement"),
)


def populate(page: Any, base_url: str, examples_dir: Path) -> None:
    """A person two weeks in: intake, a plan, check-ins (one alert), questionnaires, shoes, a
    course session done and a goal with a review.

    The data goes in through the JSON API (the same services as the pages); the pages that
    have their own journey tests are exercised there.
    """
    api = page.request
    hiker = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    assert api.post(f"{base_url}/api/v1/intakes", data=hiker).ok
    today = date.today()
    for n in range(14, 0, -1):
        day = today - timedelta(days=n)
        row: dict[str, Any] = {
            "date": day.isoformat(),
            "pain": 4 - (14 - n) // 5,
            "swelling": 1 if n > 4 else 2,
            "stiffness_min": 15 - (14 - n) // 2 + (10 if n <= 4 else 0),
            "clicking": n % 3 == 0,
        }
        assert api.post(f"{base_url}/api/v1/checkins", data=row).ok
    koosjr = {code: 2 for code in ("S6", "P2", "P3", "P6", "P9", "A3", "A5")}
    first = {"answers": koosjr, "save": True, "date": (today - timedelta(days=28)).isoformat()}
    assert api.post(f"{base_url}/api/v1/outcomes/koosjr/score", data=first).ok
    koos = {f"P{i}": 2 for i in range(1, 10)} | {f"S{i}": 1 for i in range(1, 8)}
    for days, value in ((28, 2), (0, 1)):
        answers = {code: value for code in koos}
        body = {
            "answers": answers,
            "save": True,
            "date": (today - timedelta(days=days)).isoformat(),
        }
        assert api.post(f"{base_url}/api/v1/outcomes/koos/score", data=body).ok
    assert api.post(
        f"{base_url}/api/v1/shoes",
        data={"name": "Everyday trainers", "type": "walking", "start_km": 560},
    ).ok
    done = {"answer": "Walk to the shops and back again."}
    assert api.post(f"{base_url}/api/v1/course/hurt_and_harm/done", data=done).ok
    goal = {
        "what": "Walk to the park and back",
        "how_much": "30 minutes without a stop",
        "by_when": (today + timedelta(weeks=12)).isoformat(),
        "first_step": "Walk for 10 minutes on 3 days",
    }
    assert api.post(f"{base_url}/api/v1/goal", data=goal).ok
    review = {"rating": 4, "note": "Day 2 was hard.", "next_step": "Walk for 15 minutes on 3 days"}
    assert api.post(f"{base_url}/api/v1/goal/reviews", data=review).ok
    page.goto(f"{base_url}/today")
    with page.expect_navigation():
        page.get_by_role("button", name="Make my plan").click()


SMALL_CHART_TEXT = """[...document.querySelectorAll('svg.chart text')]
  .filter(t => t.getBoundingClientRect().height > 0)
  .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)
    * t.ownerSVGElement.getScreenCTM().a])
  .filter(([_, px]) => px < 12)"""
"""Chart text smaller than 12 px as drawn (its font size times the SVG's scale)."""

UNTITLED_CHARTS = """[...document.querySelectorAll('svg.chart')]
  .filter(svg => !svg.querySelector('text.chart-title')
    && !svg.closest('figure')?.querySelector('figcaption strong'))
  .map(svg => svg.id || svg.getAttribute('aria-labelledby'))"""
"""Charts with neither a title drawn in them nor a caption heading over them."""


def serious_violations(page: Any) -> list[str]:
    return axe_violations(page, impacts=("serious", "critical"))


def axe_violations(page: Any, impacts: tuple[str, ...] | None = None) -> list[str]:
    """axe-core's violations on the page: all of them (any impact), or those of `impacts`."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if impacts is None or v.get("impact") in impacts
    ]


def test_every_page_passes_axe_and_is_photographed(
    live_server: LiveServer, browser: Any, tmp_path: Path, examples_dir: Path
) -> None:
    out = Path(os.environ.get("KNEECOACH_SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    populate(page, live_server.url, examples_dir)
    problems: dict[str, list[str]] = {}
    pages = list(PAGES)
    pages.insert(pages.index(("today", "/today")) + 1, ("today-done", "/today"))
    for name, path in pages:
        if name == "today-done":
            log_first_set(page, live_server.url)
            check_in(page, live_server.url)
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{path}")
            assert page.locator("main h1").count() >= 1, path
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{path} is wider than the window at {viewport['width']} px"
            if width_name == "phone":
                found = serious_violations(page)
                if found:
                    problems[path] = found
                small = page.evaluate(SMALL_CHART_TEXT)
                assert small == [], f"{path}: chart text under 12 px on a phone: {small[:3]}"
                untitled = page.evaluate(UNTITLED_CHARTS)
                assert untitled == [], f"{path}: charts without a visible title: {untitled}"
            shot = out / f"{name}-{viewport['width']}.png"
            long_form = name == "questionnaire-koos"
            page.screenshot(path=str(shot), full_page=width_name == "phone" and not long_form)
            assert shot.stat().st_size > 1000
    context.close()
    assert problems == {}, problems


def test_the_emergency_page_passes_axe(live_server: LiveServer, phone: Any, tmp_path: Path) -> None:
    from tests.e2e.journey import answer_safety_questions

    answer_safety_questions(phone, live_server.url, {"general.foot_cold_pale_or_blue": "yes"})
    assert serious_violations(phone) == []
    out = Path(os.environ.get("KNEECOACH_SCREENSHOTS_DIR") or tmp_path)
    phone.screenshot(path=str(out / "emergency-360.png"), full_page=True)


def test_the_audit_would_catch_a_field_without_a_label(live_server: LiveServer, phone: Any) -> None:
    phone.goto(f"{live_server.url}/")
    phone.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    assert any(problem.startswith("label") for problem in serious_violations(phone))
