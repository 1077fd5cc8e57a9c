"""The check-in asks nothing twice and shows every problem at once (issue 13, check-in).

What Today already collected with the session (the pain during the exercises, the answer
about this morning) is shown as recorded, with a link to change it, and saved with the day;
a form, a body or a command with several bad answers gets every problem in one go.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.services import checkins as checkin_service
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.web.test_today import with_plan

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def sessions_logged(client: TestClient, examples_dir: Path, pain_today: int = 4) -> None:
    """A session yesterday (its next-morning answer given today: no worse) and one today."""
    with_plan(client, examples_dir, start=YESTERDAY)
    plan = in_session(plan_service.current_plan)
    slot = plan.session_on_day(1)[0]["id"]
    done = session_service.DoneExercise
    in_session(session_service.log_session, [done(id=slot, pain_during=2)], on=YESTERDAY)
    in_session(session_service.record_next_morning, YESTERDAY, False)
    in_session(session_service.log_session, [done(id=slot, pain_during=pain_today)], on=TODAY)


def test_what_today_collected_is_shown_as_recorded_not_asked_again(
    client: TestClient, examples_dir: Path
) -> None:
    sessions_logged(client, examples_dir, pain_today=4)
    page = client.get("/checkin").text
    assert "Already recorded from your session" in page
    assert 'type="number" id="exercise_pain"' not in page  # not asked again
    assert 'name="next_morning_worse" value="yes"' not in page  # no yes/no radios either
    assert re.search(r"Pain during your exercises: <strong>4 out of 10</strong>", page)
    assert "no worse than usual" in page
    assert 'href="/checkin?day=' + TODAY.isoformat() + "&amp;change=exercise_pain" in page
    saved = client.post("/checkin", data={"pain": "3", **hidden(page)}, follow_redirects=False)
    assert saved.status_code == 303
    stored = in_session(checkin_service.checkin_on, TODAY)
    assert stored is not None
    assert (stored.exercise_pain, stored.next_morning_worse) == (4, False)


def test_the_change_link_asks_again_and_the_new_answer_wins(
    client: TestClient, examples_dir: Path
) -> None:
    sessions_logged(client, examples_dir, pain_today=4)
    page = client.get("/checkin", params={"change": "exercise_pain"}).text
    assert 'type="number" id="exercise_pain"' in page
    assert 'value="4"' in page  # filled in with what the session recorded
    form = hidden(page) | {"pain": "3", "exercise_pain": "6"}
    assert client.post("/checkin", data=form, follow_redirects=False).status_code == 303
    assert in_session(checkin_service.checkin_on, TODAY).exercise_pain == 6  # type: ignore[union-attr]
    again = client.get("/checkin").text  # shown as recorded again, with the changed answer
    assert "Pain during your exercises: <strong>6 out of 10</strong>" in again


def test_moving_the_form_to_another_day_takes_that_days_session_answers(
    client: TestClient, examples_dir: Path
) -> None:
    sessions_logged(client, examples_dir, pain_today=4)
    page = client.get("/checkin").text  # today's: pain 4 during, this morning no worse
    form = hidden(page) | {"pain": "3", "date": YESTERDAY.isoformat()}
    assert client.post("/checkin", data=form, follow_redirects=False).status_code == 303
    moved = in_session(checkin_service.checkin_on, YESTERDAY)
    assert moved is not None
    assert (moved.exercise_pain, moved.next_morning_worse) == (2, None)  # yesterday's own
    assert in_session(checkin_service.checkin_on, TODAY) is None


def test_a_day_without_a_session_asks_as_before(client: TestClient) -> None:
    page = client.get("/checkin").text
    assert "Already recorded" not in page
    assert 'id="exercise_pain"' in page and 'name="next_morning_worse"' in page


def test_the_cli_says_what_is_already_recorded_and_keeps_it(
    client: TestClient, examples_dir: Path
) -> None:
    sessions_logged(client, examples_dir, pain_today=5)
    answers = "\n".join(["3"] + [""] * 30) + "\n"
    result = run_cli("checkin", "--ask", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "already recorded from your session" in result.stdout
    assert "Worst pain in your exercises" not in result.stdout  # not asked twice
    assert "after yesterday's exercise? (1/0)" not in result.stdout
    stored = in_session(checkin_service.checkin_on, TODAY)
    assert stored is not None
    assert (stored.pain, stored.exercise_pain, stored.next_morning_worse) == (3, 5, False)


def test_a_quick_cli_check_in_keeps_the_session_answers_and_says_so(
    client: TestClient, examples_dir: Path
) -> None:
    sessions_logged(client, examples_dir, pain_today=6)
    result = run_cli("checkin", "--pain", "2")
    assert result.exit_code == 0, result.stderr
    assert "Pain during your exercises (0 to 10): 6 (already recorded from your session" in (
        result.stdout
    )
    stored = in_session(checkin_service.checkin_on, TODAY)
    assert stored is not None and (stored.exercise_pain, stored.next_morning_worse) == (6, False)
    changed = run_cli("checkin", "--pain", "2", "--exercise-pain", "3")  # given: it wins
    assert changed.exit_code == 0 and "Pain during your exercises" not in changed.stdout
    assert in_session(checkin_service.checkin_on, TODAY).exercise_pain == 3  # type: ignore[union-attr]


BAD = {"date": (TODAY + timedelta(days=3)).isoformat(), "pain": "11", "swelling": "7"}
BAD_FIELDS = ["date", "pain", "swelling", "steps"]


def test_the_form_lists_every_problem_at_the_top_each_linked_and_marked_in_place(
    client: TestClient,
) -> None:
    answer = client.post("/checkin", data=BAD | {"steps": "-4"})
    assert answer.status_code == 422
    page = answer.text
    summary = re.search(r'<div class="notice warn error-summary".*?</div>', page, re.S)
    assert summary, page
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary.group(0))
    assert [name for name, _ in links] == BAD_FIELDS
    assert "these 4 answers" in summary.group(0)
    for name, words in links:
        assert f'id="{name}"' in page  # the link lands on the field
        error = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page)
        assert error, name  # and the problem is shown next to it too
        assert html.unescape(error.group(1)) in html.unescape(words)
        assert re.search(rf'id="{name}"[^>]*aria-invalid="true"', page) or re.search(
            rf'aria-invalid="true"[^>]*id="{name}"', page
        ), name
    assert "<details open>" in page  # the day and the steps are in "More": it opens
    assert page.index("error-summary") < page.index("<form")


def test_the_api_answers_every_problem_in_one_422(client: TestClient) -> None:
    body = {"date": BAD["date"], "pain": 11, "swelling": 7, "steps": -4}
    answer = client.post("/api/v1/checkins", json=body)
    assert answer.status_code == 422
    found = answer.json()
    assert [e["field"] for e in found["errors"]] == BAD_FIELDS
    assert [e["pointer"] for e in found["errors"]] == ["/" + f for f in BAD_FIELDS]
    assert found["error"] == found["errors"][0]
    assert in_session(checkin_service.list_checkins) == []


def test_the_api_lists_every_bad_factor_name_too(client: TestClient) -> None:
    body = {"date": YESTERDAY.isoformat(), "pain": 2, "factor:<b>": True, "factor:a b!": True}
    found = client.post("/api/v1/checkins", json=body).json()
    assert [e["field"] for e in found["errors"]] == ["factor:<b>", "factor:a b!"]
    body |= {"pain": 11, "factor:ok": "maybe"}  # the columns' and the factors' together
    found = client.post("/api/v1/checkins", json=body).json()
    fields = [e["field"] for e in found["errors"]]
    assert fields == ["pain", "factor:<b>", "factor:a b!", "factor:ok"]
    assert found["errors"][0]["problem"] == "11 is out of range 0–10"


def test_the_cli_lists_every_problem_one_line_each() -> None:
    result = run_cli(
        "checkin", "--date", BAD["date"], "--pain", "11", "--swelling", "7", "--steps", "-4"
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "--date",
        "--pain",
        "--swelling",
        "--steps",
    ]
    assert all(line.startswith("error: ") for line in lines)


def hidden(page: str) -> dict[str, str | list[str]]:
    """The form's hidden fields (the version, the answers shown as recorded), as a browser
    posts them: a name that repeats sends each value."""
    fields: dict[str, str | list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        known = fields.get(name)
        fields[name] = (
            value if known is None else [*([known] if isinstance(known, str) else known), value]
        )
    return fields
