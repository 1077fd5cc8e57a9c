"""The intake as grouped screens (issue 13): few screens, only what is relevant, unknown stays
unknown, every applicable red-flag question still asked, all errors at once, Back keeps
answers, and a half-done intake can be carried on."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kneecoach.core.intake import parse_intake
from kneecoach.core.triage import questions_that_apply
from kneecoach.data.red_flags import load_red_flags
from kneecoach.services import intake as intake_service
from kneecoach.services.assessment import assess_document
from kneecoach.services.intake_screens import intake_screens
from kneecoach.web.pages.intake import DRAFT_COOKIE
from tests.db import in_session
from tests.web import wizard

EXAMPLE_NAMES = (
    "hiker-downhill-front-pain",
    "older-walker-stiff-mornings",
    "tackle-pop-swelling",
    "hot-knee-fever",
)
MEASURED = ("hiker-downhill-front-pain", "older-walker-stiff-mornings")


def example(examples_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((examples_dir / f"{name}.json").read_text())


def state_of(page: Any) -> dict[str, Any]:
    shown = wizard.current_screen(page)
    assert shown is not None
    return json.loads(shown.state)


def without_self_tests(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "self_tests"}


@pytest.mark.parametrize("name", MEASURED)
def test_the_examples_finish_in_at_most_15_screens(
    client: TestClient, examples_dir: Path, name: str
) -> None:
    walk = wizard.walk(client, example(examples_dir, name))
    assert walk.last.status_code == 303, "the intake did not reach the results"
    assert len(walk.screens) + 1 <= 15  # + 1: the Start button is a form too
    estimate = intake_screens().estimate  # what the start page promises
    assert len(walk.screens) <= estimate.screens
    rows = sum(len(screen.rows) for screen in walk.screens)
    assert rows * estimate.seconds_per_row <= estimate.minutes * 60
    page = client.get("/intake").text
    assert f"about {estimate.minutes} minutes: about {estimate.screens} short screens" in page


def test_walking_the_screens_saves_the_intake_the_cli_would_assess(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    walk = wizard.walk(client, document)
    assert walk.last.headers["location"].startswith("/results")
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    asked = without_self_tests(document)
    # asked only when they apply: a painful click after a click, tenderness after an injury
    only_when = {"clicking_painful", "tender_kneecap", "tender_fibula_head"}
    asked["signs"] = {k: v for k, v in asked["signs"].items() if k not in only_when}
    assert parse_intake(saved.answers).facts() == parse_intake(asked).facts()
    expected = in_session(assess_document, asked).as_json()
    assert saved.triage == expected["triage"]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_red_flag_question_that_applies_is_shown(
    client: TestClient, examples_dir: Path, name: str
) -> None:
    """Both editions of decisions.md: each red-flag question that applies to the person is on
    a screen they saw, unless an emergency answer stopped the questions first (then the
    person is sent for help, which is what every remaining answer could lead to)."""
    document = example(examples_dir, name)
    walk = wizard.walk(client, document)
    shown = {key for screen in walk.screens for key in screen.rows}
    applies = {
        q.path for q in questions_that_apply(parse_intake(document).facts(), load_red_flags())
    }
    if walk.last.status_code == 200:
        assert "Get help now" in walk.last.text
        saved = in_session(intake_service.latest_intake)
        assert saved is not None and saved.triage["level"] == "emergency"
        screens = intake_screens()
        passed = {s.screen for s in walk.screens[:-1]}  # the last one stopped the questions
        for screen in screens.screens:
            if screen.id in passed:
                for row in screen.rows:
                    if row.key in applies:
                        assert row.key in shown, (name, row.key)
        return
    missing = applies - shown
    assert not missing, (name, sorted(missing))


def test_after_an_injury_the_injury_red_flags_of_both_editions_are_asked(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    document["history"] = {**document["history"], "onset": "injury"}
    document["history"]["injury"] = {
        "mechanism": "twist", "days_ago": 20, "high_energy": False, "heard_pop": False,
        "could_walk_4_steps_right_after": True,
    }  # fmt: skip
    document["general"] = {**document["general"], "tight_painful_calf_or_shin_after_injury": False}
    walk = wizard.walk(client, document)
    shown = {key for screen in walk.screens for key in screen.rows}
    facts = parse_intake(document).facts()
    applies = {q.path for q in questions_that_apply(facts, load_red_flags())}
    assert (
        "history.injury.days_ago" in applies
        and "general.tight_painful_calf_or_shin_after_injury" in applies
    )
    assert applies <= shown
    assert len(walk.screens) + 1 <= 15


def test_an_empty_row_stays_unknown_never_no(client: TestClient) -> None:
    page = wizard.start(client)
    page = wizard.submit(client, page, {"person.age": "45", "history.onset": "gradual"})
    shown = wizard.current_screen(page)
    assert shown is not None and shown.screen == "safety_leg"
    # every row left empty but one
    after = wizard.submit(client, page, {"signs.warm": "", "general.fever": "no"})
    document = {k: v for k, v in state_of(after)["answers"].items() if v is not None}
    assert "knee.side" not in document and "person.age" in document
    assert "signs.can_walk_4_steps_now" not in document
    # "Not sure" ticked is the same as empty
    walk_page = wizard.submit(client, after, {"signs.swelling": "", "signs.warm": ""})
    answers = state_of(walk_page)["answers"]
    assert answers["signs.swelling"] is None and answers["signs.warm"] is None


def test_unknown_red_flags_are_listed_as_missing_never_as_no(client: TestClient) -> None:
    page = wizard.start(client)
    for _ in range(20):
        shown = wizard.current_screen(page)
        if shown is None:
            break
        fields = (
            {"person.age": "45", "history.onset": "gradual"}
            if shown.screen == "you_and_your_knee"
            else {}
        )
        page = wizard.submit(client, page, fields)
    assert page.status_code == 303
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    assert saved.triage["level"] != "self_care"
    assert "signs.warm" in saved.triage["missing"] and "general.fever" in saved.triage["missing"]
    assert "warm" not in saved.answers.get("signs", {})


def test_the_swelling_row_has_worded_choices(client: TestClient) -> None:
    page = wizard.submit(
        client, wizard.start(client), {"person.age": "45", "history.onset": "gradual"}
    )
    page = wizard.submit(client, page, {})
    assert wizard.current_screen(page).screen == "safety_swelling"  # type: ignore[union-attr]
    for words in (
        "None",
        "Mild: a bit swollen",
        "Moderate: clearly swollen",
        "Severe: very swollen",
    ):
        assert f"> {words}</label>" in page.text
    assert not re.search(r'type="number"[^>]*name="signs.swelling"', page.text)
    follow_up = wizard.submit(client, page, {"signs.swelling": "2", "signs.warm": "no"})
    shown = wizard.current_screen(follow_up)
    assert shown is not None and shown.rows == ("signs.swelling_started_days_ago",)
    assert shown.screen == "safety_swelling" and "One more thing" in follow_up.text
    assert state_of(follow_up)["answers"]["signs.swelling"] == 2


def test_surgery_is_yes_no_not_sure_and_the_weeks_come_only_after_yes(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    page = wizard.start(client)
    for _ in range(12):
        shown = wizard.current_screen(page)
        assert shown is not None
        if shown.screen == "history":
            break
        page = wizard.submit(client, page, wizard.fields_for(document, shown))
    assert shown.rows[0] == "gate.recent_operation"
    assert "history.recent_surgery_weeks" not in shown.rows
    assert 'name="gate.recent_operation" value=""' in page.text  # "Not sure"
    unsure = wizard.submit(client, page, {"gate.recent_operation": ""})
    assert wizard.current_screen(unsure).screen != "history"  # type: ignore[union-attr]
    yes = wizard.submit(client, page, {"gate.recent_operation": "yes"})
    shown = wizard.current_screen(yes)
    assert shown is not None and shown.screen == "history"
    assert shown.rows == ("history.recent_surgery_weeks", "history.knee_surgery_type")


def test_injury_screens_come_only_after_an_injury(client: TestClient) -> None:
    gradual = wizard.submit(
        client, wizard.start(client), {"person.age": "45", "history.onset": "gradual"}
    )
    assert wizard.current_screen(gradual).screen == "safety_leg"  # type: ignore[union-attr]
    injured = wizard.submit(
        client, wizard.start(client), {"person.age": "45", "history.onset": "injury"}
    )
    assert wizard.current_screen(injured).screen == "the_injury"  # type: ignore[union-attr]


def test_all_errors_of_a_screen_are_listed_at_once_with_links(client: TestClient) -> None:
    page = wizard.start(client)
    bad = wizard.submit(
        client, page, {"person.age": "old", "history.weeks_since_onset": "-3", "knee.side": "up"}
    )
    assert bad.status_code == 422
    summary = re.search(r'<div class="notice warn error-summary".*?</div>', bad.text, re.S)
    assert summary is not None
    targets = re.findall(r'href="#([\w-]+)"', summary.group(0))
    assert len(targets) == 3
    for target in targets:
        assert f'id="{target}"' in bad.text and f'id="{target}-error"' in bad.text
    assert 'value="old"' in bad.text  # what was typed is kept
    assert state_of(bad)["visits"] == []  # nothing kept from a screen with errors


def test_progress_counts_the_screens_still_relevant_and_never_jumps_back(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    page = wizard.start(client)
    seen: list[tuple[int, int]] = []
    while (shown := wizard.current_screen(page)) is not None:
        found = re.search(r"Screen (\d+) of about (\d+)", page.text)
        assert found is not None
        seen.append((int(found.group(1)), int(found.group(2))))
        page = wizard.submit(client, page, wizard.fields_for(document, shown))
    numbers = [n for n, _ in seen]
    assert numbers == list(range(1, len(seen) + 1))
    assert all(about >= number for number, about in seen)
    assert seen[-1][1] == len(seen)  # the last screen is "n of about n"
    assert max(a for _, a in seen) - min(a for _, a in seen) <= 2


def test_back_and_forward_keep_the_answers(client: TestClient) -> None:
    first = wizard.start(client)
    second = wizard.submit(
        client, first, {"person.age": "45", "knee.side": "left", "history.onset": "gradual"}
    )
    third = wizard.submit(client, second, {"signs.can_walk_4_steps_now": "yes"})
    back = wizard.submit(client, third, {}, action="back")
    assert wizard.current_screen(back).screen == "safety_leg"  # type: ignore[union-attr]
    assert re.search(r'name="signs.can_walk_4_steps_now" value="yes"[^>]*checked', back.text)
    back_again = wizard.submit(client, back, {}, action="back")
    assert wizard.current_screen(back_again).screen == "you_and_your_knee"  # type: ignore[union-attr]
    assert 'value="45"' in back_again.text
    assert re.search(r'name="knee.side" value="left"[^>]*checked', back_again.text)
    forward = wizard.submit(
        client, back_again, {"person.age": "46", "knee.side": "left", "history.onset": "gradual"}
    )
    assert re.search(r'name="signs.can_walk_4_steps_now" value="yes"[^>]*checked', forward.text)


def test_a_partial_intake_can_be_carried_on_later(client: TestClient) -> None:
    wizard.submit(client, wizard.start(client), {"person.age": "45", "history.onset": "gradual"})
    assert client.cookies.get(DRAFT_COOKIE)
    welcome = client.get("/").text  # every page's next step says to carry on
    assert 'href="/intake" data-next-step="continue_questions"' in welcome
    later = client.get("/intake")  # another day: the same browser
    assert "Carry on where I stopped" in later.text and "answered 1 screen" in later.text
    state = re.search(r'name="state" value="([^"]+)"', later.text)
    assert state is not None
    resumed = client.post(
        "/intake", data={"state": html.unescape(state.group(1)), "action": "resume"}
    )
    shown = wizard.current_screen(resumed)
    assert shown is not None and shown.screen == "safety_leg"
    assert json.loads(shown.state)["answers"]["person.age"] == 45


def test_a_damaged_draft_is_ignored_and_a_finished_one_is_forgotten(
    client: TestClient, examples_dir: Path
) -> None:
    client.cookies.set(DRAFT_COOKIE, "not-a-draft", path="/intake")
    assert "Carry on" not in client.get("/intake").text
    client.cookies.clear()
    wizard.walk(client, example(examples_dir, "hiker-downhill-front-pain"))
    assert not client.cookies.get(DRAFT_COOKIE)
    assert "Carry on" not in client.get("/intake").text
    assert "continue_questions" not in client.get("/").text


def test_an_emergency_answer_stops_and_the_way_back_keeps_the_screen(client: TestClient) -> None:
    page = wizard.submit(
        client, wizard.start(client), {"person.age": "45", "history.onset": "gradual"}
    )
    stop = wizard.submit(
        client, page, {"signs.can_walk_4_steps_now": "yes", "general.foot_cold_pale_or_blue": "yes"}
    )
    assert stop.status_code == 200 and wizard.current_screen(stop) is None
    assert "Get help now" in stop.text and "Cold, pale or blue foot" in stop.text
    assert "I am 45 years old" in stop.text and "Go back to that question" in stop.text
    saved = in_session(intake_service.latest_intake)
    assert saved is not None and saved.triage["level"] == "emergency"
    state = re.search(r'name="state" value="([^"]*)"', stop.text)
    assert state is not None
    back = client.post("/intake", data={"state": html.unescape(state.group(1)), "action": "back"})
    shown = wizard.current_screen(back)
    assert shown is not None and shown.screen == "safety_leg"
    assert re.search(r'name="general.foot_cold_pale_or_blue" value="yes"[^>]*checked', back.text)
    onward = wizard.submit(
        client, back, {"signs.can_walk_4_steps_now": "yes", "general.foot_cold_pale_or_blue": "no"}
    )
    assert "Get help now" not in onward.text and wizard.current_screen(onward) is not None


def test_finish_is_offered_only_once_the_safety_questions_are_done(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    page = wizard.start(client)
    offered: list[str] = []
    while (shown := wizard.current_screen(page)) is not None:
        if "Finish and see my results" in page.text:
            offered.append(shown.screen)
        page = wizard.submit(client, page, wizard.fields_for(document, shown))
    screens = [s.id for s in intake_screens().screens]
    assert offered and screens.index(offered[0]) >= screens.index("pain")


def test_a_damaged_form_says_so_without_a_traceback(client: TestClient) -> None:
    page = client.post("/intake", data={"state": "{broken", "action": "next"})
    assert page.status_code == 422 and "damaged" in page.text
    odd = client.post(
        "/intake", data={"state": "", "action": "next", "screen": "pain", "rows": "person.nope"}
    )
    assert odd.status_code == 422 and "not on the screen" in odd.text


def test_the_activity_scale_is_asked_in_words_and_sets_where_the_plan_starts(
    client: TestClient, examples_dir: Path
) -> None:
    document = {**example(examples_dir, "hiker-downhill-front-pain"), "activity_level": 8}
    walk = wizard.walk(client, document)
    shown = [row for screen in walk.screens for row in screen.rows]
    assert "activity_level" in shown
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    assert saved.answers["activity_level"] == 8
    results = client.get(walk.last.headers["location"]).text
    assert "You rated your activity 8 out of 10" in html.unescape(results)


def test_weight_and_shoe_distance_are_asked_in_the_persons_units_and_stored_metric(
    client: TestClient, examples_dir: Path
) -> None:
    """With lb and miles chosen, the screens ask "in lb" and "miles" and keep kg and km: 154 lb
    is 69.9 kg, 590 miles is 949.5 km (to 0.1, as the CLI stores them)."""
    units = {"weight": "lb", "distance": "miles"}
    assert client.put("/api/v1/settings/units", json=units).status_code == 200
    document = example(examples_dir, "hiker-downhill-front-pain")
    typed = {"person.weight_kg": "154", "shoes.main_pair_km": "590"}
    labels: dict[str, str] = {}
    page = wizard.start(client)
    for _ in range(30):
        shown = wizard.current_screen(page)
        if shown is None:
            break
        for key in typed.keys() & set(shown.rows):
            label = re.search(
                rf'<label for="f-{key.replace(".", "-").replace("_", "-")}">([^<]*)<', page.text
            )
            assert label is not None, key
            labels[key] = html.unescape(label.group(1))
            if key == "person.weight_kg":  # the range is in lb too: 10 to 400 kg
                assert 'min="22"' in page.text and 'max="882"' in page.text
        fields = {
            **wizard.fields_for(document, shown),
            **{k: typed[k] for k in typed.keys() & set(shown.rows)},
        }
        page = wizard.submit(client, page, fields)
        assert page.status_code in (200, 303), page.text[:800]
        if page.status_code == 303:
            break
    assert labels == {
        "person.weight_kg": "How much do you weigh, in lb?",
        "shoes.main_pair_km": "About how many miles have you walked or run in them?",
    }
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    assert saved.answers["person"]["weight_kg"] == 69.9
    assert saved.answers["shoes"]["main_pair_km"] == 949.5


def test_weight_out_of_range_in_lb_is_named_in_lb(client: TestClient) -> None:
    assert client.put("/api/v1/settings/units", json={"weight": "lb"}).status_code == 200
    page = wizard.start(client)
    for _ in range(20):
        shown = wizard.current_screen(page)
        assert shown is not None
        if "person.weight_kg" in shown.rows:
            break
        page = wizard.submit(client, page, {})
    wrong = wizard.submit(client, page, {"person.weight_kg": "900"})
    assert wrong.status_code == 422
    assert "22" in wrong.text and "882" in wrong.text  # the range in lb, not 10–400 kg
