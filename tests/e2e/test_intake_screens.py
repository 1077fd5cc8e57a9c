"""The intake in Chromium at 360 px and 1280 px (issue 13): the example people finish in at
most 15 screens, counted as form submissions from Start to Results, and the emergency example
stops on the emergency page, with every page state no wider than the window and free of axe
violations at any impact; and a person using only the keyboard can finish it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import WIDTHS, LiveServer, window
from tests.e2e.journey import check_in, current_screen, screen_rows
from tests.e2e.test_pages_audit import axe_violations, serious_violations
from tests.web.wizard import QUESTIONS, as_text, value_for

pytestmark = pytest.mark.browser

MEASURED = ("hiker-downhill-front-pain", "older-walker-stiff-mornings")
EMERGENCY = ("hot-knee-fever",)
JOURNEYS = (*MEASURED, *EMERGENCY)
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


def wanted_answers(document: dict[str, Any], rows: list[str]) -> dict[str, str]:
    """The example's answer to each row as form text ('' = not sure; lists with commas)."""
    wanted: dict[str, str] = {}
    for key in rows:
        value = value_for(document, key)
        if isinstance(value, list):
            wanted[key] = ",".join(value) if value else "__none__"
        else:
            wanted[key] = as_text(value)
    return wanted


def fill_by_tapping(page: Any, answers: dict[str, str]) -> None:
    for key, value in answers.items():
        kind = page.locator(f'[name="{key}"]').first.get_attribute("type")
        if kind in ("number", "text"):
            page.locator(f'[name="{key}"]').fill(value.replace("_", " ").replace(",", ", "))
        elif kind == "radio":
            page.locator(f'input[name="{key}"][value="{value}"]').check()
        elif value:
            for picked in value.split(","):
                page.locator(f'input[name="{key}"][value="{picked}"]').check()


def page_state_checked(page: Any, state: str, width: int) -> None:
    """No sideways scroll and no axe violation of any impact on this page state."""
    assert not page.evaluate(OVERFLOW), f"{state} is wider than {width} px"
    assert axe_violations(page) == [], f"{state} at {width} px"


@WIDTHS
@pytest.mark.parametrize("name", JOURNEYS)
def test_an_example_person_walks_the_intake_at_both_widths(
    live_server: LiveServer, browser: Any, examples_dir: Path, name: str, width: dict[str, int]
) -> None:
    """The self-care runner and the older walker reach Results in at most 15 screens (form
    submissions from Start), then make their plan on Today and check in; the person with a
    hot knee and fever stops on the emergency page. Every page state on the way fits the
    width and is axe-clean at any impact."""
    document = json.loads((examples_dir / f"{name}.json").read_text())
    with window(browser, width) as page:
        page.goto(f"{live_server.url}/intake")
        page_state_checked(page, "the start page", width["width"])
        submissions, fields, inputs = 0, 0, 0
        with page.expect_navigation():
            page.get_by_role("button", name="Start the questions").click()
        submissions += 1
        while current_screen(page) is not None:
            rows = screen_rows(page)
            fields += len(rows)
            inputs += page.locator("form.screen input:not([type=hidden])").count()
            page_state_checked(page, str(current_screen(page)), width["width"])
            assert (
                page.locator("#progress").inner_text().startswith(f"Screen {submissions} of about")
            )
            fill_by_tapping(page, wanted_answers(document, rows))
            with page.expect_navigation():
                page.get_by_role("button", name="Next", exact=True).click()
            submissions += 1
            assert submissions <= 15, "more than 15 screens"
        print(
            f"\n{name} at {width['width']} px: {submissions} form submissions, {fields} questions, {inputs} inputs"
        )
        if name in EMERGENCY:
            assert page.get_by_role("heading", name="Get help now").is_visible()
            page_state_checked(page, "the emergency page", width["width"])
            return
        page.wait_for_url("**/results*")
        assert page.get_by_text("Your answers are saved").is_visible()
        assert page.get_by_text("Safe to care for at home").first.is_visible()
        page_state_checked(page, "the results", width["width"])
        assert submissions <= 15 and fields <= 75
        # on to the next steps: the plan on Today, and a check-in
        with page.expect_navigation():
            page.get_by_role("link", name="See today's exercises").first.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Make my plan").click()
        page_state_checked(page, "today", width["width"])
        page.goto(f"{live_server.url}/checkin")
        page_state_checked(page, "the check-in", width["width"])
        check_in(page, live_server.url, pain=3)
        assert page.get_by_text("pain 3 out of 10").is_visible()
        page_state_checked(page, "the check-in, saved", width["width"])


KEYBOARD_STEP = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, type: e.type || null, name: e.name || null, value: e.value ?? null,
          checked: !!e.checked, text: e.innerText || null};
}"""


@WIDTHS
def test_the_intake_can_be_finished_with_the_keyboard_alone(
    live_server: LiveServer, browser: Any, examples_dir: Path, width: dict[str, int]
) -> None:
    """Tab to each row; arrows pick a radio; digits fill a number; Space ticks a box; Enter on
    Next. No mouse, no tap."""
    with window(browser, width) as phone:
        finish_with_the_keyboard(phone, live_server.url, examples_dir)


def finish_with_the_keyboard(phone: Any, base_url: str, examples_dir: Path) -> None:
    document = json.loads((examples_dir / "older-walker-stiff-mornings.json").read_text())
    phone.goto(f"{base_url}/intake")
    for _ in range(40):  # from the top of the page: Tab to the Start button
        phone.keyboard.press("Tab")
        if (phone.evaluate(KEYBOARD_STEP)["text"] or "").strip() == "Start the questions":
            break
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    for _ in range(16):
        if current_screen(phone) is None:
            break
        wanted = wanted_answers(document, screen_rows(phone))
        done: set[str] = set()
        for _ in range(200):
            phone.keyboard.press("Tab")
            focus = phone.evaluate(KEYBOARD_STEP)
            name, kind = focus["name"], focus["type"]
            if focus["tag"] == "BUTTON" and (focus["text"] or "").strip() == "Next":
                with phone.expect_navigation():
                    phone.keyboard.press("Enter")
                break
            if name not in wanted:
                continue
            if kind == "radio" and name not in done:
                for _ in range(8):
                    focus = phone.evaluate(KEYBOARD_STEP)
                    if focus["value"] == wanted[name]:
                        break
                    phone.keyboard.press("ArrowRight")
                if not phone.evaluate(KEYBOARD_STEP)["checked"]:
                    phone.keyboard.press("Space")
                done.add(name)
            elif kind in ("number", "text") and wanted[name]:
                phone.keyboard.type(wanted[name].replace("_", " "))
            elif kind == "checkbox" and focus["value"] in wanted[name].split(","):
                phone.keyboard.press("Space")
        else:
            raise AssertionError(f"never reached Next on {current_screen(phone)}")
    phone.wait_for_url("**/results*")
    assert phone.get_by_text("Safe to care for at home").first.is_visible()


def test_every_row_says_not_sure_is_fine(live_server: LiveServer, phone: Any) -> None:
    phone.goto(f"{live_server.url}/intake")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Start the questions").click()
    with phone.expect_navigation():  # nothing filled in: every answer stays "not sure"
        phone.get_by_role("button", name="Next", exact=True).click()
    assert current_screen(phone) == "safety_leg"
    for key in screen_rows(phone):
        if QUESTIONS[key].kind == "yes_no":
            assert phone.locator(f'input[name="{key}"][value=""]').count() == 1, key
    assert phone.get_by_text("We never count it as no").is_visible()


def test_the_intake_screens_are_photographed(
    live_server: LiveServer, phone: Any, tmp_path: Path
) -> None:
    """Screenshots for docs/web.md (`KNEECOACH_SCREENSHOTS_DIR=docs/screenshots`)."""
    out = Path(os.environ.get("KNEECOACH_SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    phone.goto(f"{live_server.url}/intake")
    phone.screenshot(path=str(out / "intake-360.png"), full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Start the questions").click()
    fill_by_tapping(phone, {"person.age": "45", "knee.side": "right", "history.onset": "gradual"})
    with phone.expect_navigation():
        phone.get_by_role("button", name="Next", exact=True).click()
    assert current_screen(phone) == "safety_leg"
    phone.locator('input[name="signs.can_walk_4_steps_now"][value="yes"]').check()
    phone.locator('input[name="signs.looks_deformed"][value="no"]').check()
    phone.screenshot(path=str(out / "intake-screen-360.png"), full_page=True)
    phone.goto(f"{live_server.url}/improve/knee_to_wall_cm")
    phone.screenshot(path=str(out / "improve-360.png"), full_page=True)
    assert serious_violations(phone) == []
