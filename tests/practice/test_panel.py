"""The clinician's panel read from each person's own store (SQLite and PostgreSQL): the worst
score change (against its MIC) first, then better ones, then people with none; each line has
the latest pain and last check-in."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import FastAPI
from sqlalchemy import insert

from kneecoach.services.database import store_of, transaction
from kneecoach.services.outcomes import save_answers
from kneecoach.storage.models.checkins import CheckInRow
from tests.history import checkin_rows
from tests.outcomes.answers import worked_example
from tests.practice import make_clinician, make_person, sign_in
from tests.web_client import BrowserClient


def _scores(person_id: str, later: dict[str, int]) -> None:
    today = date.today()
    with transaction(store_of(person_id)) as session:
        save_answers("koos", worked_example(), today - timedelta(days=30), session=session)
        save_answers("koos", later, today, session=session)


def _share(app: FastAPI, username: str, lee: BrowserClient) -> None:
    person = BrowserClient(app)
    sign_in(person, username)
    code = person.post("/api/v1/sharing/codes", json={}).json()["code"]
    assert lee.post("/api/v1/clinic/links", json={"code": code}).status_code == 201


def test_the_panel_puts_the_worst_change_first(practice: FastAPI) -> None:
    quiet = make_person("quiet").id
    better = make_person("better").id
    worse = make_person("worse").id
    make_clinician("drlee")
    lee = BrowserClient(practice)
    sign_in(lee, "drlee")
    for name in ("quiet", "better", "worse"):
        _share(practice, name, lee)
    _scores(better, {code: 0 for code in worked_example()})
    _scores(worse, {code: 4 for code in worked_example()})
    with transaction(store_of(quiet)) as session:
        session.execute(insert(CheckInRow), checkin_rows(3, date.today() - timedelta(days=1)))

    rows = lee.get("/api/v1/clinic/people").json()
    assert [row["person_id"] for row in rows] == [worse, better, quiet]
    assert rows[0]["change"] < 0 and rows[0]["change_in_mics"] < -1
    assert rows[1]["change"] > 0
    assert rows[2]["change"] is None
    assert rows[2]["last_checkin"] == (date.today() - timedelta(days=1)).isoformat()
    assert isinstance(rows[2]["latest_pain"], int)
    page = lee.get("/clinic").text
    assert page.index('data-person="' + worse) < page.index('data-person="' + quiet)
