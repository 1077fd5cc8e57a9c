"""Small things a newcomer tripped over (issue 13, item 7 and the error summary of item 5):
each checked for the whole class, not the one page it was found on."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.test_readability import user_facing_text
from tests.web_client import BrowserClient

SRC = Path(__file__).resolve().parents[2] / "src" / "kneecoach"
DANGLING = re.compile(r"\b(table|list|answers?|marked|see|shown) below\b", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/", "/welcome", "/today", "/checkin", "/progress", "/shoes"])
def test_every_page_answers_head_like_get_without_a_body(client: BrowserClient, path: str) -> None:
    got = client.get(path, follow_redirects=False)
    head = client.head(path, follow_redirects=False)
    assert head.status_code == got.status_code != 405
    assert head.content == b""
    assert head.headers.get("content-security-policy") == got.headers.get("content-security-policy")


def test_no_text_points_to_something_below_that_may_not_be_there() -> None:
    """'The table below' in a self-test's how-to, 'marked below' in an error two screens
    away: words a person reads never point to a place on the page."""
    found = []
    for file in sorted((SRC / "data").rglob("*.yaml")):
        for text in user_facing_text(yaml.safe_load(file.read_text())):
            if DANGLING.search(text):
                found.append(f"{file.name}: {text[:80]}")
    for file in sorted((SRC / "web" / "templates").rglob("*.html")):
        for line in file.read_text().splitlines():
            if DANGLING.search(line) and "{#" not in line:
                found.append(f"{file.name}: {line.strip()[:80]}")
    assert found == []


def test_the_error_summary_lists_each_problem_with_a_link_to_its_field(
    client: BrowserClient,
) -> None:
    page = client.post("/shoes", data={"name": "", "start_km": "lots"})
    assert page.status_code == 422
    summary = re.search(r'<div class="notice warn error-summary".*?</div>', page.text, re.S)
    assert summary is not None
    targets = re.findall(r'href="#([\w-]+)"', summary.group(0))
    assert targets  # each problem links to its field, which is on the page
    for target in targets:
        assert f'id="{target}"' in page.text, target


def test_a_self_test_page_shows_the_norms_its_pass_mark_points_to(
    client: BrowserClient,
) -> None:
    """The chair stand's pass mark says 'the norms say what it is': they are on its page."""
    from kneecoach.data.self_tests import find_self_test

    test = find_self_test("chair_stand_30s")
    assert "norms" in test.pass_.text and test.norms
    page = client.get("/improve/chair_stand_30s")
    assert "The norms" in page.text
    for norm in test.norms:
        assert norm.explanation.split(".")[0] in html.unescape(page.text)


TERMINAL_WORDS = re.compile(r"press enter|ctrl\+c|type the number|--\w", re.IGNORECASE)


def test_no_intake_page_speaks_of_keys_or_commands(client: BrowserClient) -> None:
    """The web intake never says 'press Enter' (the CLI's words): not in a question, its help,
    or an error, on any screen an example person sees, nor in the templates, nor on the
    self-test pages. The services name no keys; each interface adds its own next step."""
    from kneecoach.data.self_tests import load_self_tests
    from kneecoach.services.intake_screens import intake_screens
    from kneecoach.web.templating import TEMPLATES_DIR
    from tests.conftest import EXAMPLES
    from tests.web import wizard

    def words(page: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", " ", page))

    for template in TEMPLATES_DIR.rglob("*.html"):
        assert not TERMINAL_WORDS.search(template.read_text()), template
    for screen in intake_screens().screens:
        for row in screen.rows:
            said = f"{row.question.question} {row.question.help or ''}"
            assert not TERMINAL_WORDS.search(said), row.key
    pages = [client.get("/intake").text, client.get("/improve").text]
    pages += [client.get(f"/improve/{test.id}").text for test in load_self_tests()]
    for name in ("hiker-downhill-front-pain", "older-walker-stiff-mornings"):
        document = json.loads((EXAMPLES / f"{name}.json").read_text())
        page = wizard.start(client)
        while (shown := wizard.current_screen(page)) is not None:
            pages.append(page.text)
            page = wizard.submit(client, page, wizard.fields_for(document, shown))
    wrong = wizard.submit(client, wizard.start(client), {"person.age": "forty"})
    assert wrong.status_code == 422 and "leave it empty if you are not sure" in wrong.text
    pages.append(wrong.text)
    assert [p[:80] for p in pages if TERMINAL_WORDS.search(words(p))] == []


def test_the_check_in_button_names_the_day_it_saves(client: BrowserClient) -> None:
    """Back-filling a past day does not say 'Save today's check-in'."""
    from datetime import date, timedelta

    assert "Save today's check-in" in html.unescape(client.get("/checkin").text)
    past = (date.today() - timedelta(days=3)).isoformat()
    page = html.unescape(client.get(f"/checkin?day={past}").text)
    assert f"Save the check-in for {past}" in page and "Save today's check-in" not in page


@pytest.mark.parametrize("path", ["/", "/today", "/checkin", "/progress", "/shoes", "/course"])
def test_every_page_leads_with_one_next_step_but_its_own(client: BrowserClient, path: str) -> None:
    page = client.get(path).text
    steps = re.findall(r'href="([^"]+)" data-next-step="(\w+)"', page)
    assert len(steps) <= 1
    if steps:
        assert steps[0][0] != path
        main = page.split('<main id="main"', 1)[1]
        assert main.index("data-next-step") < main.index("<h1")  # at the top
    if path == "/":
        assert steps == [("/intake", "answer_questions")]
