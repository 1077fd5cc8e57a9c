"""Today: make the plan, see the cards, tick sets with the pain slider, the next morning."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from tests.db import in_session


def with_plan(client: TestClient, examples_dir: Path, start: date | None = None) -> None:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    saved = in_session(intake_service.import_intake, document)
    intake = saved.intake()
    in_session(
        plan_service.save_plan, intake, in_session(plan_service.plan_for, intake), start=start
    )


def test_today_offers_to_make_the_plan_after_the_intake(
    client: TestClient, examples_dir: Path
) -> None:
    assert 'href="/intake"' in client.get("/today").text
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    assert "Make my plan" in client.get("/today").text
    made = client.post("/today/plan", follow_redirects=False)
    assert made.status_code == 303 and in_session(plan_service.latest_plan) is not None


def test_cards_show_illustration_dose_timer_sets_and_pain_slider(
    client: TestClient, examples_dir: Path
) -> None:
    with_plan(client, examples_dir, start=date.today())  # day 1 of a plan is a training day
    today = in_session(session_service.todays_doses, date.today())
    assert not today.rest_day and today.exercises, "day 1 of the plan should have exercises"
    page = client.get("/today").text
    first = today.exercises[0]
    assert f'id="ex-{first.slot}"' in page
    assert '<div class="illustration"><svg' in page
    assert len(re.findall(rf'name="sets_{first.slot}"', page)) == first.dose.sets
    # the pain during is a 0 to 10 row of radio buttons: its number is right without a script
    assert len(re.findall(rf'type="radio" name="pain_{first.slot}" value="\d+"', page)) == 11


def test_logging_ticked_sets_stores_done_against_prescribed(
    client: TestClient, examples_dir: Path
) -> None:
    with_plan(client, examples_dir)
    today = in_session(session_service.todays_doses, date.today())
    assert not today.rest_day  # day 1 of a plan starting today has exercise
    first = today.exercises[0]
    nothing = client.post("/today/log", data={})
    assert nothing.status_code == 422 and "Tick the sets you did" in nothing.text
    logged = client.post(
        "/today/log",
        data={f"sets_{first.slot}": ["1"], f"pain_{first.slot}": "3"},
        follow_redirects=False,
    )
    assert logged.status_code == 303
    (entry,) = in_session(session_service.session_log)
    assert entry["slot"] == first.slot and entry["pain_during"] == 3
    assert "Done today" in client.get("/today").text


def test_the_next_morning_question_comes_the_day_after(
    client: TestClient, examples_dir: Path
) -> None:
    yesterday = date.today() - timedelta(days=1)
    with_plan(client, examples_dir, start=yesterday)
    plan = in_session(plan_service.current_plan)
    slot = plan.session_on_day(1)[0]["id"]
    in_session(
        session_service.log_session,
        [session_service.DoneExercise(id=slot, pain_during=2)],
        on=yesterday,
        plan=plan,
    )
    page = client.get("/today").text
    assert 'name="session_date" value="' + yesterday.isoformat() in page
    answered = client.post(
        "/today/next-morning", data={"session_date": yesterday.isoformat(), "worse": "no"}
    )
    assert answered.status_code == 200
    assert in_session(session_service.session_log)[0]["next_morning_worse"] is False


def test_api_today_and_sessions(client: TestClient, examples_dir: Path) -> None:
    with_plan(client, examples_dir)
    today = client.get("/api/v1/today").json()
    slot = today["exercises"][0]["slot"]
    bad = client.post("/api/v1/sessions", json={"exercises": [{"id": slot, "pain_during": 12}]})
    assert bad.status_code == 422 and "pain_during" in bad.json()["error"]["field"]
    ok = client.post("/api/v1/sessions", json={"exercises": [{"id": slot, "pain_during": 2}]})
    assert ok.status_code == 201
    assert len(client.get("/api/v1/sessions").json()["sessions"]) == 1


def test_progress_shows_sessions_done_against_asked(client: TestClient, examples_dir: Path) -> None:
    with_plan(client, examples_dir, start=date.today() - timedelta(days=2))
    plan = in_session(plan_service.current_plan)
    slot = plan.session_on_day(1)[0]["id"]
    in_session(
        session_service.log_session,
        [session_service.DoneExercise(id=slot, pain_during=2)],
        on=date.today() - timedelta(days=2),
        plan=plan,
    )
    page = client.get("/progress").text
    assert 'id="chart-sessions-title"' in page
    assert 'data-label="Done"' in page and 'data-label="Asked"' in page


def test_each_card_says_the_units_the_leg_and_what_the_timer_times(
    client: TestClient, examples_dir: Path
) -> None:
    """'3 × 10' says reps, the card says which leg (as the CLI's Side column does), and a
    timer for a rep exercise is labelled as the rest between sets, not a bare 'Timer'."""
    from kneecoach.core.progression import show_dose
    from kneecoach.data.exercises import load_catalogue

    with_plan(client, examples_dir, start=date.today())
    today = in_session(session_service.todays_doses, date.today())
    page = client.get("/today").text
    one_leg = 0
    for item in today.exercises:
        card = page.split(f'id="ex-{item.slot}"', 1)[1].split("</article>", 1)[0]
        dose = item.dose
        assert show_dose(dose, units=True) in card  # load, tempo and sore-leg sets included
        exercise = load_catalogue().get(dose.exercise_id)
        assert exercise is not None
        if exercise.dose.side == "each":  # one-leg work trains both legs (issue 12 item 4)
            assert "on each leg" in card
            one_leg += 1
        if 'class="timer-phase"' in card:
            assert ("Hold" if dose.hold_s else "Rest between sets") in card
    assert ">Timer<" not in page
    assert one_leg
