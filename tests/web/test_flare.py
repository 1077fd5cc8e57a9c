"""The flare plan page and `GET /api/v1/flare-plan`: general without a plan, personal with
one, linked from every alert but a red flag (on the check-in page, Progress and Today), on
hold while a red flag stops the plan, and one clear error for a bad day."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import textstat
from fastapi.testclient import TestClient

from kneecoach.data.flare import load_flare_rules
from kneecoach.web.alert_views import FLARE_PAGE
from tests.conftest import EXAMPLES
from tests.test_readability import MAX_GRADE

TODAY = date.today()
FLARE_LINK = re.compile(r'<a class="flare-link" href="(/flare[^"]*)"')


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def words(html: str) -> str:
    """The page's text as a person reads it (tags dropped, spaces joined)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def creep(client: TestClient, upto: int = 1) -> None:
    """21 calm days, then two days of mild swelling, the last `upto` days ago."""
    for n, swelling in enumerate([0] * 21 + [1, 1]):
        day = days_ago(upto + 22 - n)
        assert (
            client.post(
                "/api/v1/checkins", json={"date": day, "pain": 2, "swelling": swelling}
            ).status_code
            == 201
        )


def save_plan(client: TestClient) -> None:
    body = json.loads((EXAMPLES / "older-walker-stiff-mornings.json").read_text())
    assert client.post("/api/v1/plan?save=true", json=body).status_code == 200


def test_without_a_plan_the_page_gives_the_general_flare_plan(client: TestClient) -> None:
    page = client.get("/flare")
    assert page.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    text = words(page.text)
    assert "no saved plan yet, so this is the general flare plan" in text
    assert "Deep or loaded knee bends, kneeling and steps Pause until day 4" in text
    assert "Jumping and hopping" in text and "When to see someone" in text
    assert "<table" not in page.text, "cards, not a wide table, on a phone"
    assert "{" not in text


def test_with_a_plan_the_page_names_the_persons_exercises(client: TestClient) -> None:
    save_plan(client)
    page = client.get(f"/flare?since={days_ago(4)}")
    text = words(page.text)
    assert page.status_code == 200 and "Today is day 5 of your flare" in text
    assert "Your exercises in this flare" in text and "(your usual dose)" in text
    assert "Straight leg lift" in text and "general flare plan" not in text
    assert 'aria-current="step"' in page.text


def test_a_bad_or_future_day_is_one_clear_error_naming_since(client: TestClient) -> None:
    bad = client.get("/flare?since=soon")
    assert bad.status_code == 422 and "since: &#39;soon&#39; is not a date" in bad.text
    future = client.get(f"/flare?since={(TODAY + timedelta(days=3)).isoformat()}")
    assert future.status_code == 422 and "is in the future" in future.text
    assert "Traceback" not in bad.text + future.text


def test_a_flare_alert_on_the_check_in_page_links_to_the_flare_plan(client: TestClient) -> None:
    creep(client)
    done = client.post("/checkin", data={"pain": "2", "swelling": "2"})
    assert done.status_code == 200 and "Swelling is creeping up" in done.text
    (link,) = FLARE_LINK.findall(done.text)
    assert link == f"{FLARE_PAGE}?since={TODAY.isoformat()}"
    plan = client.get(link)
    assert plan.status_code == 200
    assert "Today is day 1 of your flare. It started on" in words(plan.text)


def test_a_red_flag_never_links_to_the_flare_plan(client: TestClient) -> None:
    done = client.post("/checkin", data={"pain": "3", "flags": ["calf_pain"]})
    assert 'class="safety-message' in done.text
    assert FLARE_LINK.findall(done.text) == []
    progress = client.get("/progress")
    assert "A red flag" in progress.text
    assert FLARE_LINK.findall(progress.text) == []


def test_progress_links_each_alert_but_a_red_flag(client: TestClient) -> None:
    creep(client, upto=3)
    client.post("/checkin", data={"date": days_ago(2), "pain": "2", "swelling": "2"})
    client.post("/checkin", data={"date": days_ago(1), "pain": "3", "flags": ["calf_pain"]})
    page = client.get("/progress")
    items = re.findall(r"<li><strong>\d{4}-\d\d-\d\d</strong>.*?</li>", page.text)
    red = [item for item in items if "A red flag" in item]
    other = [item for item in items if "A red flag" not in item]
    assert red and other
    assert all("flare-link" not in item for item in red)
    assert all("flare-link" in item for item in other)


def test_today_links_to_the_flare_plan_unless_stopped(client: TestClient) -> None:
    save_plan(client)
    assert FLARE_LINK.findall(client.get("/today").text) == [FLARE_PAGE]
    client.post("/checkin", data={"pain": "5", "swelling": "2", "flags": ["warm", "fever"]})
    stopped = client.get("/today")
    assert 'class="safety-message' in stopped.text and FLARE_LINK.findall(stopped.text) == []
    on_hold = client.get("/flare")
    assert 'class="safety-message' in on_hold.text
    assert load_flare_rules().on_hold in words(on_hold.text)
    assert "Your exercises in this flare" not in on_hold.text
    assert load_flare_rules().summary not in words(on_hold.text), "no 'keep moving' beside a stop"


def test_the_api_gives_the_same_plan_and_one_error_naming_since(client: TestClient) -> None:
    answer = client.get("/api/v1/flare-plan")
    assert answer.status_code == 200
    document = answer.json()
    assert document["personal"] is False and document["groups"] and document["stop"] is None
    assert document["start"]["source"] == "today" and document["day"] == 1
    save_plan(client)
    mine = client.get(f"/api/v1/flare-plan?since={days_ago(2)}").json()
    assert mine["personal"] is True and mine["day"] == 3 and mine["exercises"]
    assert {"usual", "days_1_to_3", "build_back"} <= set(mine["exercises"][0])
    bad = client.get("/api/v1/flare-plan?since=tuesday")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"
    future = client.get(f"/api/v1/flare-plan?since={(TODAY + timedelta(days=1)).isoformat()}")
    assert future.status_code == 422
    assert future.json()["error"] == {
        "field": "since",
        "pointer": "/since",
        "problem": f"{(TODAY + timedelta(days=1)).isoformat()} is in the future",
    }


def main_text(html: str) -> str:
    """The words of the page's main part (the layout's nav and footer are graded elsewhere)."""
    found = re.search(r'<main id="main"[^>]*>(.*)</main>', html, re.S)
    assert found is not None
    return words(found.group(1))


def test_the_page_reads_at_grade_8_or_below_with_and_without_a_plan(client: TestClient) -> None:
    general = main_text(client.get("/flare").text)
    save_plan(client)
    personal = main_text(client.get(f"/flare?since={days_ago(5)}").text)
    for text in (general, personal):
        assert textstat.lexicon_count(text) > 300
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= MAX_GRADE, f"the flare page reads at grade {grade:.1f}"
