"""What tripped a newcomer on a 360 px phone: the header's home link, the KOOS-12 results
tables, and the handover letter's controls and landmark."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.journey import answer_safety_questions, make_plan
from tests.e2e.test_pages_audit import axe_violations

pytestmark = pytest.mark.browser

TAP = 44
"""The smallest tap target, in CSS pixels, each way."""

SIZES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.getBoundingClientRect().width > 0)
  .map(e => [e.textContent.trim(), e.getBoundingClientRect().width,
    e.getBoundingClientRect().height])"""


def too_small(page: Any, selector: str) -> list[Any]:
    return [size for size in page.evaluate(SIZES, selector) if min(size[1:]) < TAP]


def answer_with(phone: Any, url: str, example: Path) -> None:
    """Save an example's answers through the API, as the intake wizard would."""
    assert phone.request.post(f"{url}/api/v1/intakes", data=json.loads(example.read_text())).ok


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_home_link_in_the_header_is_big_enough_to_tap(
    live_server: LiveServer, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/")
    assert too_small(phone, "header a.brand") == []


def test_koos12_results_fit_a_phone_and_a_zero_change_is_not_called_a_change(
    live_server: LiveServer, phone: Any
) -> None:
    url = live_server.url
    codes = ("P1", "P8", "P5", "P6", "A4", "A3", "A7", "SP4", "Q1", "Q2", "Q3", "Q4")
    for days in (35, 0):
        body = {
            "answers": dict.fromkeys(codes, 1),
            "save": True,
            "date": (date.today() - timedelta(days=days)).isoformat(),
        }
        assert phone.request.post(f"{url}/api/v1/outcomes/koos12/score", data=body).ok
    phone.goto(f"{url}/questionnaires/koos12/results")
    assert phone.get_by_role("columnheader", name="Since first").count() == 1
    assert fits(phone), phone.evaluate("document.documentElement.scrollWidth")
    assert axe_violations(phone) == []
    meanings = phone.locator("main table").first.locator("tbody td:last-child").all_inner_texts()
    assert meanings and not any(m.startswith("Changed") for m in meanings), meanings


def test_the_handover_letter_has_a_main_part_and_controls_big_enough_to_tap(
    live_server: LiveServer, phone: Any, examples_dir: Path
) -> None:
    url = live_server.url
    answer_with(phone, url, examples_dir / "hot-knee-fever.json")
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.goto(f"{url}/handover")
    assert phone.locator("main").count() == 1
    assert phone.locator("main article.letter").count() == 1
    assert too_small(phone, ".noprint a, .noprint button") == []
    assert fits(phone)
    assert axe_violations(phone) == []
    # the page names no icon, so the browser asks for /favicon.ico: that is not "not found"
    phone.wait_for_load_state("networkidle")
    assert errors == []


def test_a_red_flag_in_new_answers_hides_the_old_plans_exercises(
    live_server: LiveServer, phone: Any
) -> None:
    """A person with a plan answers the questions again and one answer means "get help now":
    Today no longer offers the old plan's exercises, it says to get care first."""
    url = live_server.url
    make_plan(phone, url)
    assert phone.locator('input[name^="sets_"]').count() > 0  # the plan's exercises
    answer_safety_questions(phone, url, {"general.foot_cold_pale_or_blue": "yes"})
    assert phone.get_by_role("heading", name="Get help now", exact=True).count() == 1
    phone.goto(f"{url}/today")
    assert phone.locator('input[name^="sets_"]').count() == 0
    assert phone.get_by_role("button", name="Save today's session").count() == 0
    assert phone.get_by_role("heading", name="Get care first").is_visible()
    with phone.expect_navigation():
        phone.locator("main").get_by_role("link", name="See your results").click()
    assert phone.url.endswith("/results")
    assert phone.get_by_text("Get help now").count() > 0
    phone.goto(f"{url}/today")
    assert fits(phone)
    assert axe_violations(phone) == []


def test_the_self_tests_and_the_movement_check_say_to_see_someone_first(
    live_server: LiveServer, phone: Any
) -> None:
    """The list of self-tests already asked a person told to get help to leave the tests; a
    test's own page and the movement check (reached from a link or a bookmark) now say so too."""
    url = live_server.url
    answer_safety_questions(phone, url, {"general.foot_cold_pale_or_blue": "yes"})
    for path in ("/improve", "/improve/knee_to_wall_cm", "/movement"):
        phone.goto(f"{url}{path}")
        note = phone.locator("main p.notice.warn", has_text="see someone first")
        assert note.is_visible(), path
        assert fits(phone), path


def test_the_handover_page_with_no_letter_has_a_heading_and_a_way_back(
    live_server: LiveServer, phone: Any, examples_dir: Path
) -> None:
    url = live_server.url
    answer_with(phone, url, examples_dir / "hiker-downhill-front-pain.json")
    phone.goto(f"{url}/handover")
    assert phone.locator("main h1").count() == 1
    assert phone.get_by_text("Nothing in the answers needs a handover letter now").is_visible()
    assert too_small(phone, "main a") == []
    assert axe_violations(phone) == []


def test_a_habit_named_in_everyday_words_is_added(live_server: LiveServer, phone: Any) -> None:
    """The short name is a key nobody sees again: "Sat a lot?" is taken as it is, rather than
    refused for not being "letters, digits and _"."""
    url = live_server.url
    for name, question in (("Sat a lot?", "Did you sit a lot?"), ("10 min walk", "Did you walk?")):
        phone.goto(f"{url}/settings")
        phone.get_by_label("Short name").fill(name)
        phone.get_by_label("The question to ask each day").fill(question)
        with phone.expect_navigation():
            phone.get_by_role("button", name="Add the habit").click()
        assert phone.get_by_text("The habit is added to your daily check-in.").is_visible(), name
        assert phone.locator('section[aria-labelledby="habits"] li', has_text=question).count() == 1
    phone.goto(f"{url}/checkin")
    assert phone.get_by_text("Did you sit a lot?").count() == 1


def test_a_check_in_for_yesterday_says_which_day_it_is_for(
    live_server: LiveServer, phone: Any
) -> None:
    """The questions say "today": a check-in for another day says plainly which day it is."""
    url = live_server.url
    yesterday = date.today() - timedelta(days=1)
    phone.goto(f"{url}/checkin?day={yesterday.isoformat()}")
    note = phone.locator("main [data-other-day]")
    assert note.is_visible()
    assert yesterday.strftime("%A %d %B %Y") in note.inner_text()
    assert fits(phone)
    phone.goto(f"{url}/checkin")
    assert phone.locator("main [data-other-day]").count() == 0


@pytest.mark.parametrize(("country", "dial"), [("GB", "999"), ("IE", "112"), ("other", "112")])
def test_the_emergency_stop_offers_a_call_button_on_a_phone(
    live_server: LiveServer, phone: Any, country: str, dial: str
) -> None:
    """ "Call 999 now" on a phone: one tap dials it (a tel: link), big enough to hit."""
    url = live_server.url
    phone.goto(f"{url}/")
    phone.select_option("#country", country)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save the country").click()
    answer_safety_questions(phone, url, {"general.foot_cold_pale_or_blue": "yes"})
    call = phone.get_by_role("link", name=f"Call {dial}", exact=True)
    assert call.get_attribute("href") == f"tel:{dial}"
    assert call.is_visible()
    assert too_small(phone, "main a[data-call]") == []
    assert fits(phone)
    assert axe_violations(phone) == []


def test_retiring_a_pair_of_shoes_asks_first(live_server: LiveServer, phone: Any) -> None:
    """'Retire this pair' sat next to 'Check for wear' and retired the pair at one tap, with
    no way back: now it opens a short note and a button naming the pair."""
    url = live_server.url
    pair = {"name": "Blue trainers", "type": "walking", "start_km": 100}
    assert phone.request.post(f"{url}/api/v1/shoes", data=pair).ok
    phone.goto(f"{url}/shoes")
    phone.get_by_text("Retire this pair", exact=True).click()
    assert phone.url == f"{url}/shoes"
    assert phone.locator(".pill", has_text="retired").count() == 0
    confirm = phone.get_by_role("button", name="Yes, retire Blue trainers")
    assert confirm.is_visible()
    assert too_small(phone, "details.retire summary, details.retire button") == []
    assert fits(phone)
    with phone.expect_navigation():
        confirm.click()
    assert phone.locator(".pill", has_text="retired").count() == 1
