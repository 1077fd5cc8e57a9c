"""The Course and Goal pages through the browser's own forms (with the form token): read a
session, answer, mark it done; set a goal, review it, change it; mistakes next to their field
with what was typed kept; Today's card and Progress show it; every page reads at grade 8."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import textstat
from fastapi.testclient import TestClient

from kneecoach.core.intake import parse_intake
from kneecoach.services import goal as goal_service
from kneecoach.services.plan import plan_for, save_plan
from kneecoach.web.security import CSRF_FIELD
from tests.db import in_session
from tests.safety_stop.cases import hiker
from tests.test_readability import MAX_GRADE
from tests.web.test_security import raw

TODAY = date.today()


def main_text(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    shown = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", found.group(0), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", shown).replace("&#39;", "'").split())


def test_course_is_in_the_navigation_and_lists_six_weeks(client: TestClient) -> None:
    page = client.get("/course")
    assert page.status_code == 200
    assert '<a href="/course" aria-current="page">Course</a>' in page.text
    assert "Your goal</a>" in page.text
    for week in range(1, 7):
        assert f'id="week-{week}"' in page.text
    assert 'href="/course/hurt_and_harm"' in page.text
    assert 'href="/course/flares"' not in page.text  # locked: no link yet
    opens = (TODAY + timedelta(days=28)).strftime("%d %B")
    assert f"Opens on {(TODAY + timedelta(days=28)).strftime('%A')} {opens}" in page.text


def test_read_answer_and_mark_done_then_change_the_answer(client: TestClient) -> None:
    page = client.get("/course/hurt_and_harm")
    assert "Good and bad pain when you exercise" in page.text  # the Learn lesson, by id
    assert 'href="/learn/exercise_pain"' in page.text
    assert "What does your knee stop you doing now?" in page.text
    done = client.post(
        "/course/hurt_and_harm/done", data={"answer": "Walk to the shops"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/course/hurt_and_harm?done=1"
    shown = client.get(done.headers["location"])
    assert "This session is done, and your answer is saved" in shown.text
    assert ">Walk to the shops</textarea>" in shown.text and "Save my answer" in shown.text
    client.post("/course/hurt_and_harm/done", data={"answer": "Dance at the wedding"})
    assert client.get("/api/v1/course").json()["sessions"][0]["answer"] == "Dance at the wedding"
    assert client.get("/api/v1/course").json()["done"] == 1


def test_a_too_long_answer_comes_back_next_to_the_field_and_nothing_is_stored(
    client: TestClient,
) -> None:
    typed = "word " * 500
    page = client.post("/course/your_goal/done", data={"answer": typed})
    assert page.status_code == 422
    assert 'id="answer-error"' in page.text and 'aria-invalid="true"' in page.text
    assert typed.strip()[:40] in page.text
    assert client.get("/api/v1/course").json()["done"] == 0


def test_a_locked_session_says_when_it_opens_and_cannot_be_marked(client: TestClient) -> None:
    page = client.get("/course/flares")
    assert page.status_code == 200 and 'id="locked"' in page.text
    assert "Scale back, but do not stop" not in page.text
    refused = client.post("/course/flares/done", data={"answer": "x"})
    assert refused.status_code == 409
    assert client.get("/api/v1/course").json()["done"] == 0
    assert client.get("/course/astrology").status_code == 404


def test_the_flare_session_links_to_the_flare_plan_once_open(client: TestClient) -> None:
    intake = parse_intake(hiker())
    in_session(save_plan, intake, in_session(plan_for, intake), TODAY - timedelta(days=29))
    page = client.get("/course/flares")
    assert 'href="/flare"' in page.text and "kneecoach flare" in page.text
    assert "Scale back, but do not stop" in page.text


def test_set_review_and_change_the_goal(client: TestClient) -> None:
    empty = client.get("/goal")
    assert "Set my goal" in empty.text
    suggested = (TODAY + timedelta(weeks=12)).isoformat()
    assert f'value="{suggested}"' in empty.text
    goal = {
        "what": "Walk to the park",
        "how_much": "30 minutes",
        "by_when": suggested,
        "first_step": "Walk 10 minutes on 3 days",
    }
    made = client.post("/goal", data=goal, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/goal?set=1"
    page = client.get("/goal?set=1")
    assert "Your goal is saved" in page.text and "This week's step:" in page.text
    review = {"rating": "2", "note": "Too busy", "next_step": "Walk 5 minutes on 3 days"}
    reviewed = client.post("/goal/review", data=review, follow_redirects=False)
    assert reviewed.headers["location"] == "/goal?reviewed=added#reviews"
    again = client.post("/goal/review", data=review | {"rating": "3"}, follow_redirects=False)
    assert again.headers["location"] == "/goal?reviewed=updated#reviews"
    page = client.get("/goal")
    assert "I did about half of it" in page.text and "Too busy" in page.text
    # the form opens with this week's review: its step, rating, note and next step
    assert 'How much of the step "Walk 10 minutes on 3 days" did you do?' in page.text
    assert 'value="3" checked' in page.text and ">Too busy</textarea>" in page.text
    assert 'value="Walk 5 minutes on 3 days"' in page.text
    assert page.text.count('<tr><th scope="row">') == 1
    changed = client.post("/goal", data=goal | {"what": "Climb the stairs"})
    assert changed.status_code == 200  # followed to the page
    assert "Earlier goals" in changed.text and "Walk to the park, 30 minutes" in changed.text


def test_goal_mistakes_come_back_next_to_the_field_keeping_what_was_typed(
    client: TestClient,
) -> None:
    typed = {"what": "Walk to the park", "how_much": "30 minutes", "first_step": "10 minutes"}
    past = client.post("/goal", data=typed | {"by_when": "2001-01-01"})
    assert past.status_code == 422 and 'id="by_when-error"' in past.text
    assert 'value="Walk to the park"' in past.text and 'value="2001-01-01"' in past.text
    empty = client.post("/goal", data=typed | {"what": " ", "by_when": "2099-01-01"})
    assert empty.status_code == 422 and 'id="what-error"' in empty.text
    assert in_session(goal_service.goal_overview, TODAY).goal is None
    no_goal = client.post("/goal/review", data={"rating": "3"})
    assert no_goal.status_code == 404 and "set one on the Goal page" in no_goal.text
    soon = (TODAY + timedelta(weeks=8)).isoformat()
    assert client.post("/goal", data=typed | {"by_when": soon}).status_code == 200
    unrated = client.post("/goal/review", data={"note": "kept note"})
    assert unrated.status_code == 422 and 'id="rating-error"' in unrated.text
    assert ">kept note</textarea>" in unrated.text


def test_today_shows_this_weeks_session_and_the_goal_with_a_review_prompt(
    client: TestClient,
) -> None:
    today = client.get("/today")
    assert 'id="course-card"' in today.text and 'href="/course/hurt_and_harm"' in today.text
    assert "To do this week" in today.text and 'href="/goal">Set a goal' in today.text
    client.post("/course/hurt_and_harm/done", data={"answer": ""})
    in_session(
        goal_service.set_goal, "Walk", "30 min", "12w", "Walk 10 min", on=TODAY - timedelta(days=8)
    )
    today = client.get("/today")
    assert "You have done 1 of 8 sessions" in today.text
    assert "This week's step:</strong> Walk 10 min" in today.text
    assert 'id="review-prompt"' in today.text and 'href="/goal#review"' in today.text
    client.post("/goal/review", data={"rating": "4"})
    assert 'id="review-prompt"' not in client.get("/today").text


def test_progress_shows_sessions_done_and_the_reviews(client: TestClient) -> None:
    assert "Course and goal" not in client.get("/progress").text
    client.post("/course/hurt_and_harm/done", data={"answer": ""})
    in_session(goal_service.set_goal, "Walk", "30 min", "12w", "10 min", on=TODAY - timedelta(8))
    client.post("/goal/review", data={"rating": "4", "next_step": "15 min"})
    page = client.get("/progress")
    assert "You have done 1 of 8 course sessions" in page.text
    assert 'id="chart-goal-title"' in page.text and "I did most of it" in page.text


@pytest.mark.parametrize(
    "path", ["/course", "/course/hurt_and_harm", "/course/flares", "/goal", "/today", "/progress"]
)
def test_the_pages_read_at_grade_8_or_below(client: TestClient, path: str) -> None:
    client.post("/course/hurt_and_harm/done", data={"answer": "Walk to the shops again."})
    in_session(goal_service.set_goal, "Walk", "30 min", "12w", "10 min", on=TODAY - timedelta(8))
    client.post("/goal/review", data={"rating": "4", "note": "Good week.", "next_step": "15 min"})
    words = main_text(client.get(path).text)
    assert textstat.lexicon_count(words) > 40
    assert textstat.flesch_kincaid_grade(words) <= MAX_GRADE, (path, words)


def test_the_templates_are_in_the_package() -> None:
    from kneecoach.web.templating import TEMPLATES_DIR

    for name in ("course/list.html", "course/session.html", "goal.html", "_course_card.html"):
        assert (TEMPLATES_DIR / name).is_file()


def test_settings_export_holds_the_answers_and_goals_and_delete_removes_them(
    client: TestClient,
) -> None:
    client.post("/course/hurt_and_harm/done", data={"answer": "A private answer."})
    in_session(goal_service.set_goal, "Walk", "30 min", "12w", "10 min", on=TODAY - timedelta(8))
    client.post("/goal/review", data={"rating": "4", "note": "A private note."})
    exported = client.get("/settings/export.json").json()
    assert exported["course"]["sessions_done"][0]["answer"] == "A private answer."
    assert exported["goals"][0]["reviews"][0]["note"] == "A private note."
    assert "course answers and goals" in client.get("/settings").text
    gone = client.post("/settings/delete", data={"confirm": "DELETE"}, follow_redirects=False)
    assert gone.status_code == 303
    after = client.get("/settings/export.json").json()
    assert after["course"] == {"sessions_done": []} and after["goals"] == []


def test_the_forms_need_this_browsers_token(client: TestClient) -> None:
    stranger = raw()  # a browser without this kneecoach's form token
    for path, data in (
        ("/course/hurt_and_harm/done", {"answer": "forged"}),
        ("/goal", {"what": "x", "how_much": "y", "by_when": "2099-01-01", "first_step": "z"}),
        ("/goal/review", {"rating": "1"}),
    ):
        assert stranger.post(path, data=data).status_code == 403, path
    page = client.get("/course/hurt_and_harm")
    assert f'name="{CSRF_FIELD}" value="' in page.text
    assert client.get("/api/v1/course").json()["done"] == 0
    assert in_session(goal_service.goal_overview, TODAY).goal is None
