"""Steps a person takes in the browser, shared by the journeys, the audit and the screenshots."""

from __future__ import annotations

from typing import Any

SAFE_ANSWERS = {
    "person.age": "45",
    "history.onset": "gradual",
    "signs.can_walk_4_steps_now": "yes",
    "signs.can_straight_leg_raise": "yes",
    "signs.swelling": "0",
    "general.other_swollen_joints": "0",
}


def current_screen(page: Any) -> str | None:
    hidden = page.locator('input[type="hidden"][name="screen"]')
    return hidden.get_attribute("value") if hidden.count() else None


def screen_rows(page: Any) -> list[str]:
    hidden = page.locator('input[type="hidden"][name="rows"]')
    value = hidden.get_attribute("value") if hidden.count() else ""
    return [key for key in (value or "").split(",") if key]


def fill_screen(page: Any, answers: dict[str, str]) -> list[str]:
    """Fill every row on the screen like a person would (tap or type): `answers` by row,
    else the all-clear answer, else "no" (a choice with no "no" is left as not sure)."""
    rows = screen_rows(page)
    assert rows, "no screen on this page"
    for key in rows:
        wanted = answers.get(key, SAFE_ANSWERS.get(key))
        field = page.locator(f'[name="{key}"]')
        kind = field.first.get_attribute("type")
        if kind == "number":
            field.fill(wanted if wanted is not None else "0")
        elif kind == "text":
            field.fill(wanted or "")
        elif kind == "radio":
            choice = page.locator(f'input[name="{key}"][value="{wanted or "no"}"]')
            if not choice.count() and wanted is None:
                choice = page.locator(f'input[name="{key}"][value=""]')
            if not choice.count():
                offered = [radio.get_attribute("value") for radio in field.all()]
                raise AssertionError(f"row {key}: no answer {wanted!r} among {offered}")
            choice.check()
        elif kind == "checkbox":
            for value in (wanted or "__none__").split(","):
                page.locator(f'input[name="{key}"][value="{value}"]').check()
    return rows


def answer_screen(page: Any, answers: dict[str, str]) -> list[str]:
    """Fill the screen, then tap Next and wait for the next page."""
    rows = fill_screen(page, answers)
    # wait for the next page: reading the old one while the form posts would race
    with page.expect_navigation():
        page.get_by_role("button", name="Next", exact=True).click()
    return rows


def answer_safety_questions(
    page: Any, base_url: str, answers: dict[str, str] | None = None
) -> None:
    """Start the intake and answer the screens (all clear unless told otherwise) until the
    safety questions are done (the Finish button shows) or the questions stop."""
    page.goto(f"{base_url}/intake")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the questions").click()
    finish = page.get_by_role("button", name="Finish and see my results")
    for _ in range(20):
        if current_screen(page) is None or finish.count():
            return
        answer_screen(page, answers or {})
    raise AssertionError("the safety questions never ended")


def finish_intake(page: Any, base_url: str) -> None:
    answer_safety_questions(page, base_url)
    fill_screen(page, {})
    with page.expect_navigation():
        page.get_by_role("button", name="Finish and see my results").click()
    page.wait_for_url("**/results*")


def make_plan(page: Any, base_url: str) -> None:
    """Answer the knee questions (all clear), then make the plan on Today."""
    finish_intake(page, base_url)
    page.goto(f"{base_url}/today")
    with page.expect_navigation():
        page.get_by_role("button", name="Make my plan").click()


def log_first_set(page: Any, base_url: str, pain: int = 3) -> None:
    page.goto(f"{base_url}/today")
    if page.get_by_role("button", name="Make my plan").count():
        with page.expect_navigation():
            page.get_by_role("button", name="Make my plan").click()
    page.locator('input[type="checkbox"][name^="sets_"]').first.check()
    page.locator(f'input[type="radio"][name^="pain_"][value="{pain}"]').first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save today's session").click()


def check_in(page: Any, base_url: str, pain: int = 3) -> None:
    page.goto(f"{base_url}/checkin")
    page.locator(f'input[name="pain"][value="{pain}"]').check()
    page.get_by_label("Mild").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save today's check-in").click()
    page.wait_for_url("**/checkin/done*")


def do_course_session(page: Any, base_url: str, title: str, answer: str) -> None:
    """Open the course, read a session by its title, answer its question, mark it done."""
    page.goto(f"{base_url}/course")
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).click()
    page.locator("textarea#answer").fill(answer)
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url("**/course/*?done=1")
