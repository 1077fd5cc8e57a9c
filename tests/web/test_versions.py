"""Lost updates: a check-in or a plan saved by someone who saw an older version is refused in
every interface (API 409, the form again with what was typed, CLI one line with exit 2), and
nothing is written. Without a version, saving merges or replaces as before.

The races themselves (writers at the same moment, on SQLite and PostgreSQL) are in
tests/web/test_concurrency.py."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path

import textstat
from fastapi.testclient import TestClient

from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.test_readability import MAX_GRADE

DAY = (date.today() - timedelta(days=1)).isoformat()


def stored(day: str = DAY) -> checkin_service.StoredCheckIn | None:
    return in_session(checkin_service.stored_checkin_on, date.fromisoformat(day))


def revisions(day: str = DAY) -> int:
    return len(in_session(checkin_service.revisions_of, date.fromisoformat(day)))


def test_the_api_counts_versions_and_refuses_a_stale_one(client: TestClient) -> None:
    first = client.post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    assert first.status_code == 201 and first.json()["checkin"]["version"] == 1
    second = client.post("/api/v1/checkins", json={"date": DAY, "pain": 4, "version": 1})
    assert second.status_code == 201 and second.json()["checkin"]["version"] == 2
    assert client.get("/api/v1/checkins").json()["checkins"] == [
        {"date": DAY, "pain": 4, "version": 2}
    ]

    stale = client.post("/api/v1/checkins", json={"date": DAY, "pain": 7, "version": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["field"], error["pointer"]) == ("version", "/version")
    assert error["problem"].startswith(f"someone changed the check-in for {DAY} since you opened")
    assert "you saw version 1; it is now version 2" in error["problem"]
    assert "reload" in error["problem"]
    now = stored()
    assert now is not None and (now.checkin.pain, now.version) == (4, 2)
    assert revisions() == 1  # the refused save wrote no revision either

    # the same answers as stored lose nothing: not a conflict
    same = client.post("/api/v1/checkins", json={"date": DAY, "pain": 4, "version": 1})
    assert same.status_code == 201 and same.json()["status"] == "unchanged"
    # without a version, the old rule: merge (or replace)
    merged = client.post("/api/v1/checkins", json={"date": DAY, "pain": 4, "swelling": 1})
    assert merged.json()["checkin"] == {"date": DAY, "pain": 4, "swelling": 1, "version": 3}


def test_version_0_means_the_day_had_no_checkin(client: TestClient) -> None:
    new = client.post("/api/v1/checkins", json={"date": DAY, "pain": 2, "version": 0})
    assert new.status_code == 201 and new.json()["status"] == "added"
    again = client.post("/api/v1/checkins", json={"date": DAY, "pain": 5, "version": 0})
    assert again.status_code == 409
    assert "you saw no check-in; it is now version 1" in again.json()["error"]["problem"]
    negative = client.post("/api/v1/checkins", json={"date": DAY, "pain": 5, "version": -1})
    assert negative.status_code == 422 and negative.json()["error"]["field"] == "version"


def form_of(page: str) -> dict[str, str]:
    """The hidden fields of the check-in form, as a browser would send them back."""
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name in ("version", "version_day")
    }


def test_a_stale_form_comes_back_with_what_was_typed_and_saves_nothing(
    client: TestClient,
) -> None:
    client.post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    opened = client.get(f"/checkin?day={DAY}")
    hidden = form_of(opened.text)
    assert hidden == {"version": "1", "version_day": DAY}
    # meanwhile, in another tab (or the CLI): the day changes
    client.post("/api/v1/checkins", json={"date": DAY, "pain": 6, "note": "from the other tab"})

    typed = {**hidden, "date": DAY, "pain": "2", "note": "my own words", "flags": ["clicking"]}
    answer = client.post("/checkin", data=typed, follow_redirects=False)
    assert answer.status_code == 409
    assert 'id="conflict"' in answer.text and "So we did not save it yet." in answer.text
    assert "my own words" in answer.text and 'value="2"' in answer.text  # kept what was typed
    assert 'value="clicking" checked' in answer.text
    now = stored()
    assert now is not None and (now.checkin.pain, now.checkin.note) == (6, "from the other tab")

    # The page now carries the version stored: saving again keeps the person's answers.
    assert form_of(answer.text) == {"version": "2", "version_day": DAY}
    again = client.post("/checkin", data={**typed, **form_of(answer.text)}, follow_redirects=False)
    assert again.status_code == 303
    now = stored()
    assert now is not None and (now.checkin.pain, now.checkin.note, now.version) == (
        2,
        "my own words",
        3,
    )


def test_the_conflict_notes_read_at_grade_8_or_below(
    client: TestClient, examples_dir: Path
) -> None:
    client.post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    page = client.post(
        "/checkin", data={"date": DAY, "pain": "2", "version": "0", "version_day": DAY}
    ).text
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    assert client.post("/today/plan", data={"version": "0"}).status_code == 200
    today = client.post("/today/plan", data={"version": "0"})
    assert today.status_code == 409
    for text in (page, today.text):
        note = re.search(
            r'<(div|p) class="notice warn" role="alert" id="conflict">(.*?)</\1>', text, re.S
        )
        assert note is not None
        words = " ".join(re.sub(r"<[^>]+>", " ", note.group(2)).split())
        assert len(words.split()) > 15 and "opened this page" in words
        assert textstat.flesch_kincaid_grade(words) <= MAX_GRADE, words


def test_a_form_for_another_day_than_it_showed_carries_no_version(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    other = (date.today() - timedelta(days=2)).isoformat()
    sent = {"date": other, "pain": "4", "version": "0", "version_day": DAY}
    assert client.post("/checkin", data=sent, follow_redirects=False).status_code == 303


def test_the_cli_refuses_a_stale_version_in_one_line() -> None:
    assert run_cli("checkin", "--date", DAY, "--pain", "3").exit_code == 0
    assert run_cli("checkin", "--date", DAY, "--pain", "4").exit_code == 0
    listed = json.loads(run_cli("checkins", "list", "--format", "json").stdout)["checkins"]
    assert listed == [{"date": DAY, "pain": 4, "version": 2}]

    stale = run_cli("checkin", "--date", DAY, "--pain", "8", "--version", "1")
    assert stale.exit_code == 2
    lines = stale.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stale.stderr
    assert lines[0].startswith(f"error: --version: someone changed the check-in for {DAY}")
    now = stored()
    assert now is not None and (now.checkin.pain, now.version) == (4, 2)

    fresh = run_cli("checkin", "--date", DAY, "--pain", "8", "--version", "2", "--format", "json")
    assert fresh.exit_code == 0, fresh.stderr
    assert json.loads(fresh.stdout)["checkin"] == {"date": DAY, "pain": 8, "version": 3}


def hiker(examples_dir: Path) -> dict[str, object]:
    return dict(json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text()))


def newest_plan_version() -> int | None:
    plan = in_session(plan_service.latest_plan)
    return None if plan is None else plan.version


def test_plans_saved_through_the_api_carry_and_check_versions(
    client: TestClient, examples_dir: Path
) -> None:
    body = hiker(examples_dir)
    first = client.post("/api/v1/plan", params={"save": "true", "version": 0}, json=body)
    assert first.status_code == 200 and first.json()["saved"]["version"] == 1
    stale = client.post("/api/v1/plan", params={"save": "true", "version": 0}, json=body)
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["field"], error["pointer"]) == ("version", "/version")
    assert "you saw no plan; the newest is version 1" in error["problem"]
    assert newest_plan_version() == 1
    second = client.post("/api/v1/plan", params={"save": "true", "version": 1}, json=body)
    assert second.json()["saved"]["version"] == 2
    assert client.get("/api/v1/plan").json()["version"] == 2
    unchecked = client.post("/api/v1/plan", params={"save": "true"}, json=body)
    assert unchecked.json()["saved"]["version"] == 3


def test_make_my_plan_twice_makes_one(client: TestClient, examples_dir: Path) -> None:
    in_session(intake_service.import_intake, hiker(examples_dir))
    page = client.get("/today").text
    assert '<input type="hidden" name="version" value="0">' in page
    first = client.post("/today/plan", data={"version": "0"}, follow_redirects=False)
    assert first.status_code == 303
    second = client.post("/today/plan", data={"version": "0"}, follow_redirects=False)
    assert second.status_code == 409 and 'id="conflict"' in second.text
    assert "we did not make a second one" in second.text
    assert newest_plan_version() == 1


def test_plan_save_in_the_cli_refuses_a_stale_version(tmp_path: Path, examples_dir: Path) -> None:
    answers = str(examples_dir / "hiker-downhill-front-pain.json")
    made = run_cli("plan", "--answers", answers, "--save", "--version", "0", "--format", "json")
    assert made.exit_code == 0 and json.loads(made.stdout)["saved"]["version"] == 1
    stale = run_cli("plan", "--answers", answers, "--save", "--version", "0")
    assert stale.exit_code == 2
    lines = stale.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: --version: someone saved a new plan since you opened yours"
    )
    assert newest_plan_version() == 1
    shown = json.loads(run_cli("plan", "show", "--format", "json").stdout)
    assert shown["version"] == 1
