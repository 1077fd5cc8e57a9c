"""The course and goal services on a real database (SQLite and PostgreSQL): marking a session
done twice is one record, the answer is kept, a goal changed stays in the history, one review
per goal week (a second updates it, even at the same moment), bad input names its field and
stores nothing, and export and erase see it all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from kneecoach.core.errors import ConflictError, InputError, NotFoundError
from kneecoach.core.intake import parse_intake
from kneecoach.services import course as course_service
from kneecoach.services import goal as goal_service
from kneecoach.services.personal_data import erase_everything, export_everything
from kneecoach.services.plan import plan_for, save_plan
from tests.db import in_session
from tests.safety_stop.cases import hiker

TODAY = date(2026, 3, 2)


def save_a_plan(start: date) -> None:
    intake = parse_intake(hiker())
    in_session(save_plan, intake, in_session(plan_for, intake), start)


def overview(on: date = TODAY) -> course_service.CourseOverview:
    return in_session(course_service.course_overview, on)


def test_marking_done_twice_is_one_record_and_keeps_the_answer(database: str) -> None:
    state, answer = in_session(
        course_service.mark_done, "hurt_and_harm", " I want to walk to the shops.\n", on=TODAY
    )
    assert state.done_on == TODAY and answer == "I want to walk to the shops."
    again, kept = in_session(course_service.mark_done, "hurt_and_harm", None, on=TODAY + 1 * DAY)
    assert again.done_on == TODAY and kept == "I want to walk to the shops."
    _, changed = in_session(course_service.mark_done, "hurt_and_harm", "Dance.", on=TODAY + DAY)
    assert changed == "Dance."
    exported = in_session(export_everything)["course"]["sessions_done"]
    assert exported == [
        {
            "session_id": "hurt_and_harm",
            "done_on": TODAY.isoformat(),
            "answer": "Dance.",
            "course_version": "1",
        }
    ]


def test_with_no_plan_the_course_starts_with_the_first_session_done(database: str) -> None:
    assert overview().started_by == "today"
    assert [s.id for s in overview().state.due] == ["hurt_and_harm", "your_goal"]
    in_session(course_service.mark_done, "hurt_and_harm", on=TODAY)
    with pytest.raises(ConflictError, match="opens in week 2") as locked:
        in_session(course_service.mark_done, "pacing", on=TODAY + 6 * DAY)
    assert locked.value.field == "session_id"
    later = overview(TODAY + 7 * DAY)
    assert later.started_by == "course" and later.state.start == TODAY
    assert later.state.week == 2
    assert [s.id for s in later.state.this_week] == ["pacing", "exercise_works"]
    in_session(course_service.mark_done, "pacing", on=TODAY + 7 * DAY)
    assert overview(TODAY + 7 * DAY).state.done_count == 2


def test_with_a_plan_the_course_runs_from_the_first_plans_start(database: str) -> None:
    save_a_plan(TODAY - 15 * DAY)
    state = overview().state
    assert overview().started_by == "plan" and state.week == 3
    assert [s.id for s in state.sessions if s.unlocked][-1] == "sleep_and_rest"
    save_a_plan(TODAY)  # the plan made again (new kit, say): no week locks again
    assert overview().state.start == TODAY - 15 * DAY


def test_an_unknown_session_and_a_bad_answer_name_their_field(database: str) -> None:
    with pytest.raises(NotFoundError) as unknown:
        in_session(course_service.mark_done, "astrology", on=TODAY)
    assert unknown.value.field == "session_id" and unknown.value.hint == "list_course"
    for bad, problem in (("x" * 2001, "2,001 characters"), ("a\x00b", "control"), (3, "text")):
        with pytest.raises(InputError, match=problem) as caught:
            in_session(course_service.mark_done, "hurt_and_harm", bad, on=TODAY)
        assert caught.value.field == "answer"
    assert overview().state.done_count == 0


def set_walk_goal(on: date = TODAY, what: str = "Walk to the park and back") -> None:
    in_session(
        goal_service.set_goal,
        what,
        "30 minutes without a stop",
        "12w",
        "Walk 10 min, 3 days",
        on=on,
    )


def test_changing_the_goal_keeps_the_old_one_in_the_history(database: str) -> None:
    set_walk_goal()
    in_session(goal_service.review_goal, 4, "Walk 15 min, 3 days", on=TODAY + 7 * DAY)
    set_walk_goal(TODAY + 10 * DAY, "Climb the stairs at home")
    shown = in_session(goal_service.goal_overview, TODAY + 10 * DAY)
    assert shown.goal is not None and shown.goal.number == 2
    assert shown.goal.what == "Climb the stairs at home" and shown.goal.reviews == ()
    assert shown.step == "Walk 10 min, 3 days" and shown.week == 1
    assert [g.what for g in shown.earlier] == ["Walk to the park and back"]
    assert shown.earlier[0].reviews[0].rating == 4
    goals = in_session(export_everything)["goals"]
    assert [g["number"] for g in goals] == [1, 2] and len(goals[0]["reviews"]) == 1


def test_one_review_per_goal_week_a_second_updates_it(database: str) -> None:
    set_walk_goal()
    assert not in_session(goal_service.goal_overview, TODAY + 6 * DAY).review_due
    assert in_session(goal_service.goal_overview, TODAY + 7 * DAY).review_due
    status, first = in_session(
        goal_service.review_goal, 2, "Walk 5 min, 3 days", "Too much.", on=TODAY + 7 * DAY
    )
    assert status == "added" and first.week == 2 and first.step == "Walk 10 min, 3 days"
    status, second = in_session(goal_service.review_goal, "3", on=TODAY + 9 * DAY)
    assert status == "updated"
    assert (second.week, second.rating, second.next_step) == (2, 3, "Walk 5 min, 3 days")
    shown = in_session(goal_service.goal_overview, TODAY + 9 * DAY)
    assert shown.goal is not None and len(shown.goal.reviews) == 1
    assert shown.goal.reviews[0].reviewed_on == TODAY + 9 * DAY
    assert not shown.review_due and shown.step == "Walk 5 min, 3 days"
    third = in_session(goal_service.review_goal, 5, "Walk 8 min", on=TODAY + 14 * DAY)
    assert third[0] == "added" and third[1].step == "Walk 5 min, 3 days"


def test_reviews_at_the_same_moment_make_one(database: str) -> None:
    set_walk_goal()
    on = TODAY + 8 * DAY

    def review(rating: int) -> str:
        return in_session(goal_service.review_goal, rating, f"Step {rating}", on=on)[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(review, [1, 2, 3, 4, 5, 1]))
    assert statuses.count("added") == 1 and statuses.count("updated") == 5
    shown = in_session(goal_service.goal_overview, on)
    assert shown.goal is not None and len(shown.goal.reviews) == 1


def test_marks_at_the_same_moment_make_one(database: str) -> None:
    assert overview().state.done_count == 0  # the database is made before the threads start

    def mark(answer: str) -> None:
        in_session(course_service.mark_done, "your_goal", answer, on=TODAY)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(mark, [f"answer {n}" for n in range(6)]))
    assert in_session(export_everything)["course"]["sessions_done"][0]["session_id"] == "your_goal"
    assert len(in_session(export_everything)["course"]["sessions_done"]) == 1


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        (("", "30 min", "12w", "step"), "what"),
        (("walk", "  ", "12w", "step"), "how_much"),
        (("walk", "30 min", "2020-01-01", "step"), "by_when"),
        (("walk", "30 min", "12w", "x" * 201), "first_step"),
    ],
)
def test_a_bad_goal_names_its_field_and_stores_nothing(
    database: str, parts: tuple[str, str, str, str], field: str
) -> None:
    set_walk_goal()
    with pytest.raises(InputError) as caught:
        in_session(goal_service.set_goal, *parts, on=TODAY)
    assert caught.value.field == field
    shown = in_session(goal_service.goal_overview, TODAY)
    assert shown.goal is not None and shown.goal.number == 1 and not shown.earlier


def test_a_bad_review_names_its_field_and_a_review_needs_a_goal(database: str) -> None:
    with pytest.raises(NotFoundError) as none:
        in_session(goal_service.review_goal, 3, on=TODAY)
    assert none.value.field == "goal" and none.value.hint == "set_goal"
    set_walk_goal()
    for args, field in (((7,), "rating"), ((3, "x" * 201), "next_step"), ((3, None, 5), "note")):
        with pytest.raises(InputError) as caught:
            in_session(goal_service.review_goal, *args, on=TODAY + 7 * DAY)
        assert caught.value.field == field
    shown = in_session(goal_service.goal_overview, TODAY + 7 * DAY)
    assert shown.goal is not None and shown.goal.reviews == ()


def test_erase_removes_the_course_and_the_goals(database: str) -> None:
    in_session(course_service.mark_done, "hurt_and_harm", "private words", on=TODAY)
    set_walk_goal()
    in_session(goal_service.review_goal, 3, None, "a private note", on=TODAY + 7 * DAY)
    in_session(erase_everything)
    everything = in_session(export_everything)
    assert everything["course"] == {"sessions_done": []} and everything["goals"] == []
    assert in_session(goal_service.goal_overview, TODAY).goal is None


DAY = timedelta(days=1)
