"""Check-in controls in Chromium at 360 px: every focusable control shows a focus ring when
reached with the keyboard (the date field included), the 0 to 10 scales show the right number
with JavaScript off, and several bad answers come back together at the top of the page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PHONE, WIDTHS, LiveServer, window
from tests.e2e.journey import make_plan
from tests.e2e.test_pages_audit import populate

pytestmark = pytest.mark.browser

RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  const ring = style.outlineStyle !== 'none' && width >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName, type: el.type || '', id: el.id || el.name || el.textContent.trim().slice(0, 30),
          ring: Boolean(ring || shadow), width, colour: style.outlineColor};
}"""

PAGES_TO_WALK = ("/checkin", "/settings", "/shoes", "/today", "/progress")


def walk_focus(page: Any, limit: int = 400) -> list[dict[str, Any]]:
    """Tab through the page from the top, noting how each focused control looks."""
    page.locator("body").focus()
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(RING)
        if state["tag"] == "BODY" or (seen and state == seen[0]):
            break
        seen.append(state)
    return seen


def test_every_focusable_control_shows_a_focus_ring(
    live_server: LiveServer, phone: Any, examples_dir: Path
) -> None:
    populate(phone, live_server.url, examples_dir)
    for path in PAGES_TO_WALK:
        phone.goto(live_server.url + path)
        for details in phone.locator("details").all():  # reach what "More" hides too
            details.evaluate("d => d.open = true")
        walked = walk_focus(phone)
        assert len(walked) > 3, path
        missing = [f"{s['tag']} {s['type']} {s['id']}" for s in walked if not s["ring"]]
        assert missing == [], f"{path}: no visible focus ring on {missing}"
        if path == "/checkin":
            dates = [s for s in walked if s["type"] == "date"]
            assert dates and dates[0]["width"] >= 3


def test_the_date_field_shows_its_ring_when_clicked_too(
    live_server: LiveServer, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/checkin")
    phone.locator("details summary").click()
    phone.locator("#date").click()
    assert phone.evaluate(RING)["ring"]


def test_the_scales_show_the_right_number_without_javascript(
    live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        make_plan(page, live_server.url)
        page.goto(f"{live_server.url}/today")
        assert page.locator('input[type="range"]').count() == 0
        scale = page.locator("fieldset.scale").first
        scale.get_by_label("6", exact=True).check()
        chosen = scale.locator("label:has(input:checked)")
        assert chosen.inner_text().strip() == "6"  # the number shown is the one chosen
        assert scale.locator("input:checked").get_attribute("value") == "6"
        page.locator('input[type="checkbox"][name^="sets_"]').first.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's session").click()
        assert page.get_by_text("pain during 6/10").first.is_visible()

        page.goto(f"{live_server.url}/checkin")
        pain = page.locator("fieldset#pain")
        assert pain.locator("input:checked").get_attribute("value") == "0"
        pain.get_by_label("7", exact=True).check()
        assert pain.locator("label:has(input:checked)").inner_text().strip() == "7"
        # the pain during the session is shown as recorded, not asked again
        assert page.get_by_text("Already recorded from your session").is_visible()
        assert (
            page.locator("#exercise_pain")
            .inner_text()
            .startswith("Pain during your exercises: 6 out of 10")
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        assert page.get_by_text("pain 7 out of 10").is_visible()
    finally:
        context.close()


def test_several_bad_answers_are_listed_together_at_the_top(
    live_server: LiveServer, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/checkin")
    phone.locator("details summary").click()
    future = (date.today() + timedelta(days=5)).isoformat()
    phone.locator("#date").evaluate(
        f"(el) => {{ el.removeAttribute('max'); el.value = '{future}'; }}"
    )
    phone.locator("#pain_worst").fill("12")
    phone.locator("#steps").fill("-3")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save today's check-in").click()
    summary = phone.locator(".error-summary")
    assert summary.is_visible()
    assert summary.bounding_box()["y"] < PHONE["height"]  # on the first screen
    links = summary.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#date",
        "#pain_worst",
        "#steps",
    ]
    for name in ("date", "pain_worst", "steps"):
        assert phone.locator(f"#{name}-error").is_visible()  # marked in place, "More" open
    links.nth(2).click()
    assert phone.locator("#steps").bounding_box()["y"] < PHONE["height"]


def test_the_new_page_states_pass_axe_and_fit_a_phone(
    live_server: LiveServer, phone: Any, examples_dir: Path
) -> None:
    """The check-in with answers already recorded and with several errors, the strip chart on
    Progress, and the units in Settings and Shoes: axe-clean, no sideways scroll, chart text
    at least 12 px, every chart titled."""
    from tests.e2e.journey import log_first_set
    from tests.e2e.test_pages_audit import SMALL_CHART_TEXT, UNTITLED_CHARTS, serious_violations

    populate(phone, live_server.url, examples_dir)
    log_first_set(phone, live_server.url, pain=4)
    assert phone.request.put(
        f"{live_server.url}/api/v1/settings/units", data={"distance": "miles"}
    ).ok

    def errors_shown() -> None:
        phone.goto(f"{live_server.url}/checkin")
        phone.locator("details summary").click()
        phone.locator("#pain_worst").fill("12")
        phone.locator("#steps").fill("-3")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Save today's check-in").click()

    states = {
        "check-in, recorded": lambda: phone.goto(f"{live_server.url}/checkin"),
        "check-in, errors": errors_shown,
        "progress": lambda: phone.goto(f"{live_server.url}/progress"),
        "settings": lambda: phone.goto(f"{live_server.url}/settings"),
        "shoes": lambda: phone.goto(f"{live_server.url}/shoes"),
    }
    problems: dict[str, list[str]] = {}
    for name, open_state in states.items():
        open_state()
        found = serious_violations(phone)
        if found:
            problems[name] = found
        assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
        assert phone.evaluate(SMALL_CHART_TEXT) == [], name
        assert phone.evaluate(UNTITLED_CHARTS) == [], name
    assert problems == {}, problems
    phone.goto(f"{live_server.url}/checkin")
    assert phone.get_by_text("Already recorded from your session").is_visible()
    phone.goto(f"{live_server.url}/progress")
    assert phone.locator('svg.chart[data-kind="strip"] g.lane').count() == 4
    phone.goto(f"{live_server.url}/shoes")
    assert phone.get_by_text("348 miles").first.is_visible()  # 560 km, shown in miles


FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, type: e.type || null, name: e.name || null, value: e.value ?? null,
          checked: !!e.checked, text: (e.innerText || '').trim()};
}"""


@WIDTHS
def test_the_checkin_can_be_done_with_the_keyboard_alone(
    live_server: LiveServer, browser: Any, width: dict[str, int]
) -> None:
    """Tab from the top of the page; arrow keys pick the pain (5) and the swelling (Mild);
    digits fill the stiffness; Space ticks clicking; Enter on the save button. No mouse."""
    with window(browser, width) as phone:
        check_in_with_the_keyboard(phone, live_server)


def check_in_with_the_keyboard(phone: Any, live_server: LiveServer) -> None:
    phone.goto(f"{live_server.url}/checkin")
    phone.locator("body").focus()
    done: set[str] = set()
    for _ in range(120):
        phone.keyboard.press("Tab")
        focus = phone.evaluate(FOCUSED)
        name = focus["name"]
        if focus["tag"] == "BUTTON" and focus["text"] == "Save today's check-in":
            assert done == {"pain", "swelling", "stiffness_min", "flags"}, done
            with phone.expect_navigation():
                phone.keyboard.press("Enter")
            break
        if name in done:
            continue
        if name in ("pain", "swelling"):
            wanted = "5" if name == "pain" else "1"
            for _ in range(12):
                if phone.evaluate(FOCUSED)["value"] == wanted:
                    break
                phone.keyboard.press("ArrowRight")
            if not phone.evaluate(FOCUSED)["checked"]:
                phone.keyboard.press("Space")
            done.add(name)
        elif name == "stiffness_min":
            phone.keyboard.type("10")
            done.add(name)
        elif name == "flags" and focus["value"] == "clicking":
            phone.keyboard.press("Space")
            done.add(name)
    else:
        raise AssertionError("the save button was never reached with Tab")
    phone.wait_for_url("**/checkin/done*")
    assert phone.get_by_text("pain 5 out of 10").is_visible()
    saved = phone.request.get(f"{live_server.url}/api/v1/checkins").json()["checkins"]
    assert len(saved) == 1
    assert (saved[0]["pain"], saved[0]["swelling"], saved[0]["stiffness_min"]) == (5, 1, 10)
    assert saved[0]["clicking"] is True
