"""The course's calendar and the goal's weeks (core/course.py): pure, property-tested."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.course import (
    course_start,
    course_state,
    goal_week,
    is_unlocked,
    opens_on,
    parse_by_when,
    parse_rating,
    review_due,
    short_text,
    step_before,
)
from kneecoach.core.errors import InputError

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
offsets = st.integers(min_value=-30, max_value=400)
weeks = st.integers(min_value=1, max_value=6)
SESSIONS = [("a", 1), ("b", 1), ("c", 2), ("d", 3), ("e", 4), ("f", 5), ("g", 6)]


@given(start=days, offset=offsets, week=weeks)
def test_a_week_is_open_iff_enough_days_have_passed(start: date, offset: int, week: int) -> None:
    on = start + timedelta(days=offset)
    expected = week == 1 or offset >= 7 * (week - 1)
    assert is_unlocked(week, start, on) is expected
    if week > 1:
        assert is_unlocked(week, start, on) is (on >= opens_on(week, start))


@given(start=days, offset=st.integers(min_value=0, max_value=400), week=weeks)
def test_from_day_one_the_rule_is_exactly_days_since_start(
    start: date, offset: int, week: int
) -> None:
    on = start + timedelta(days=offset)
    assert is_unlocked(week, start, on) is ((on - start).days >= 7 * (week - 1))


@given(plan_start=days, offset=offsets)
def test_with_a_plan_the_course_runs_from_the_plan_start(plan_start: date, offset: int) -> None:
    on = plan_start + timedelta(days=offset)
    start = course_start(plan_start, None, on)
    assert start == plan_start
    state = course_state(SESSIONS, {}, start, on, 6)
    for entry in state.sessions:
        assert entry.unlocked is (entry.week == 1 or offset >= 7 * (entry.week - 1))


@given(today=days, first_done=st.one_of(st.none(), days))
def test_with_no_plan_the_course_runs_from_its_own_start(
    today: date, first_done: date | None
) -> None:
    start = course_start(None, first_done, today)
    assert start == (first_done if first_done is not None else today)
    state = course_state(SESSIONS, {}, start, today, 6)
    if first_done is None:  # nothing done yet: the course starts today, only week 1 open
        assert [s.id for s in state.sessions if s.unlocked] == ["a", "b"]


@given(plan_start=days, first_done=days)
def test_the_earlier_start_wins_so_a_new_plan_never_locks_an_open_week(
    plan_start: date, first_done: date
) -> None:
    assert course_start(plan_start, first_done, date(2100, 1, 2)) == min(plan_start, first_done)


def test_what_is_due_and_this_week() -> None:
    start = date(2026, 3, 2)
    on = start + timedelta(days=8)  # week 2
    state = course_state(SESSIONS, {"a": start}, start, on, 6)
    assert state.week == 2
    assert [s.id for s in state.this_week] == ["c"]
    assert [s.id for s in state.due] == ["b", "c"]
    assert state.done_count == 1 and not state.complete
    later = course_state(SESSIONS, {}, start, start + timedelta(days=400), 6)
    assert later.week == 6 and later.all_open and all(s.unlocked for s in later.sessions)


@given(set_on=days, offset=st.integers(min_value=0, max_value=400))
def test_goal_weeks_count_from_the_day_it_was_set(set_on: date, offset: int) -> None:
    assert goal_week(set_on, set_on + timedelta(days=offset)) == offset // 7 + 1


@given(set_on=days, offset=st.integers(min_value=0, max_value=100))
def test_a_review_is_due_once_a_week_has_passed_and_none_this_week(
    set_on: date, offset: int
) -> None:
    on = set_on + timedelta(days=offset)
    week = offset // 7 + 1
    assert review_due(set_on, on, []) is (offset >= 7)
    assert review_due(set_on, on, [week]) is False


def test_the_step_in_force_is_the_latest_earlier_reviews_next_step() -> None:
    reviews = [(2, "walk 15 min"), (3, "walk 20 min")]
    assert step_before("walk 10 min", reviews, 1) == "walk 10 min"
    assert step_before("walk 10 min", reviews, 2) == "walk 10 min"
    assert step_before("walk 10 min", reviews, 3) == "walk 15 min"
    assert step_before("walk 10 min", reviews, 9) == "walk 20 min"


TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12w", date(2026, 5, 25)), ("12 weeks", date(2026, 5, 25)), ("2026-04-01", date(2026, 4, 1))],
)
def test_by_when_is_a_date_or_weeks_ahead(raw: str, expected: date) -> None:
    assert parse_by_when(raw, TODAY, 52) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("2026-03-02", "not after today"),
        ("2025-01-01", "not after today"),
        ("60w", "more than 52 weeks"),
        ("soon", "not a date"),
        ("", "is required"),
        (None, "is required"),
    ],
)
def test_a_bad_by_when_names_the_field(raw: object, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        parse_by_when(raw, TODAY, 52)
    assert caught.value.field == "by_when"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("0", "out of range"), (6, "out of range"), ("three", "not a whole number"), (True, "whole")],
)
def test_a_bad_rating_names_the_field(raw: object, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        parse_rating(raw, 5)
    assert caught.value.field == "rating"


def test_short_texts_are_folded_and_checked() -> None:
    assert short_text("  walk\n to   the park ", "what", 200) == "walk to the park"
    for raw, problem in (("   ", "is empty"), ("x" * 201, "201 characters"), ("a\x00b", "control")):
        with pytest.raises(InputError, match=problem) as caught:
            short_text(raw, "what", 200)
        assert caught.value.field == "what"
