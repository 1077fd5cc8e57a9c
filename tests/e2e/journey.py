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


def current_path(page: Any) -> str | None:
    hidden = page.locator('input[type="hidden"][name="path"]')
    return hidden.get_attribute("value") if hidden.count() else None


def answer_question(page: Any, answers: dict[str, str]) -> str:
    """Answer the question on screen like a person would (tap or type), then tap Next."""
    path = current_path(page)
    assert path is not None, "no question on this page"
    wanted = answers.get(path, SAFE_ANSWERS.get(path))
    number = page.locator('input#answer[type="number"]')
    radios = page.locator('input[type="radio"][name="answer"]')
    boxes = page.locator('input[type="checkbox"][name="answer"]')
    if number.count():
        number.fill(wanted if wanted is not None else "0")
    elif radios.count():
        value = wanted if wanted is not None else "no"
        choice = page.locator(f'input[type="radio"][name="answer"][value="{value}"]')
        if not choice.count():
            offered = [radio.get_attribute("value") for radio in radios.all()]
            raise AssertionError(f"question {path}: no answer {value!r} among {offered}")
        choice.check()
    elif boxes.count():
        none = page.locator('input[type="checkbox"][name="answer"][value="__none__"]')
        if not none.count():
            offered = [box.get_attribute("value") for box in boxes.all()]
            raise AssertionError(f"question {path}: no 'none of these' among {offered}")
        none.check()
    # wait for the next page: reading the old one while the form posts would race
    with page.expect_navigation():
        page.get_by_role("button", name="Next", exact=True).click()
    return path


def answer_safety_questions(
    page: Any, base_url: str, answers: dict[str, str] | None = None
) -> None:
    """Start the wizard and answer every safety question (all clear unless told otherwise)."""
    page.goto(f"{base_url}/intake")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the questions").click()
    for _ in range(60):
        if (
            current_path(page) is None
            or "Part 1 of" not in page.locator(".progress-steps").inner_text()
        ):
            return
        answer_question(page, answers or {})
    raise AssertionError("the safety questions never ended")


def finish_intake(page: Any, base_url: str) -> None:
    answer_safety_questions(page, base_url)
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
