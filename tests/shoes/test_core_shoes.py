"""Distance, age and wear judged at each threshold; steps, slugs and the choice of pair."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.errors import CHOOSE_OR_SET_DEFAULT_SHOE, CHOOSE_SHOE_OR_ACTIVITY, InputError
from kneecoach.core.shoes import (
    CountedDistance,
    Pair,
    WearCheck,
    assess_pair,
    choose_pair,
    distance_from_steps_km,
    distance_on_pair_km,
    full_months_between,
    replacement_alerts,
    slug_for,
    stride_length_m,
    unique_slug,
)
from kneecoach.data.footwear import load_footwear

TODAY = date(2026, 6, 15)
FOOTWEAR = load_footwear()
SIGNS = [sign.id for sign in FOOTWEAR.wear_signs]


def judge(
    km: float = 0, start: date = TODAY, check: WearCheck | None = None, retired: bool = False
):  # type: ignore[no-untyped-def]
    pair = Pair("trail_runner", "Trail runner", "running", start, 0.0, retired=retired)
    return assess_pair(
        pair, km, TODAY, check, FOOTWEAR.thresholds, FOOTWEAR.message_templates, FOOTWEAR.sign_names
    )


@pytest.mark.parametrize(
    ("km", "level"),
    [
        (0, "ok"),
        (499, "ok"),
        (499.9, "ok"),
        (500, "watch"),
        (799, "watch"),
        (799.9, "watch"),
        (800, "replace"),
        (1200, "replace"),
    ],
)
def test_distance_thresholds(km: float, level: str) -> None:
    assert judge(km).level == level


def test_the_reason_says_the_distance_and_the_range() -> None:
    status = judge(612)
    assert status.summary(FOOTWEAR.message_templates) == (
        "Trail runner: 612 km — over 500 km, the start of the replace range."
    )
    assert "past 800 km" in judge(800).reasons[0].text


@pytest.mark.parametrize(
    ("months", "level"), [(0, "ok"), (11, "ok"), (12, "replace"), (30, "replace")]
)
def test_age_thresholds(months: int, level: str) -> None:
    total = TODAY.year * 12 + TODAY.month - 1 - months
    start = date(total // 12, total % 12 + 1, TODAY.day)
    assert full_months_between(start, TODAY) == months
    status = judge(0, start)
    assert status.level == level
    assert status.age_months == months
    if level == "replace":
        assert f"{months} months old" in status.reasons[0].text


def test_a_day_short_of_twelve_months_is_still_eleven() -> None:
    assert judge(0, date(2025, 6, 16)).level == "ok"
    assert judge(0, date(2025, 6, 15)).level == "replace"


@pytest.mark.parametrize("sign", SIGNS)
def test_each_wear_sign_alone_means_replace(sign: str) -> None:
    answers = {s: s == sign for s in SIGNS}
    status = judge(10, check=WearCheck(TODAY, answers))
    assert status.level == "replace"
    assert [r.kind for r in status.reasons] == ["wear"]
    assert FOOTWEAR.sign_names[sign].lower() in status.reasons[0].text


def test_no_wear_sign_leaves_a_new_pair_fine() -> None:
    status = judge(10, check=WearCheck(TODAY, dict.fromkeys(SIGNS, False)))
    assert status.level == "ok" and status.reasons == ()


def test_whichever_comes_first_wins_and_all_reasons_are_given() -> None:
    status = judge(650, date(2025, 1, 1), WearCheck(TODAY, {"holes": True}))
    assert status.level == "replace"
    assert [r.kind for r in status.reasons] == ["distance", "age", "wear"]


def test_retired_pairs_raise_no_alert() -> None:
    retired = judge(900, date(2020, 1, 1), retired=True)
    assert retired.level == "ok" and not retired.needs_attention
    assert replacement_alerts([retired, judge(100)]) == ()
    due = replacement_alerts([judge(100), judge(900), judge(550)])
    assert [s.distance_km for s in due] == [900, 550]


@given(st.dates(max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=3000))
def test_months_grow_with_time_and_never_go_negative(start: date, days: int) -> None:
    later = start + timedelta(days=days)
    months = full_months_between(start, later)
    assert 0 <= months <= days / 28 + 1
    assert full_months_between(start, later + timedelta(days=31)) >= months
    assert full_months_between(later, start) == 0 or later == start


@given(st.lists(st.tuples(st.integers(0, 30), st.floats(0, 50), st.booleans()), max_size=30))
def test_a_day_counts_its_recorded_outings_or_its_steps_never_both(
    entries: list[tuple[int, float, bool]],
) -> None:
    pair = Pair("p", "P", start_km=100.0)
    counted = [CountedDistance(date(2026, 1, 1) + timedelta(days=d), km, s) for d, km, s in entries]
    total = distance_on_pair_km(pair, counted)
    recorded = sum(km for _, km, s in entries if not s)
    steps = sum(km for _, km, s in entries if s)
    assert max(recorded, steps) + 100 - 1e-6 <= total <= recorded + steps + 100 + 1e-6


def test_steps_on_a_day_with_a_recorded_walk_add_only_the_extra() -> None:
    pair = Pair("p", "P")
    day = date(2026, 1, 1)
    entries = [CountedDistance(day, 3.0), CountedDistance(day, 7.0, from_steps=True)]
    assert distance_on_pair_km(pair, entries) == pytest.approx(7.0)
    assert distance_on_pair_km(pair, [*entries[:1], CountedDistance(day, 2.0, True)]) == 3.0


def test_stride_from_height_or_the_default() -> None:
    assert stride_length_m(180, 0.415, 0.75) == pytest.approx(0.747)
    assert stride_length_m(None, 0.415, 0.75) == 0.75
    assert distance_from_steps_km(10_000, 0.75) == pytest.approx(7.5)


def test_slugs_are_short_snake_case_and_unique() -> None:
    assert slug_for("Trail Runner 2!") == "trail_runner_2"
    assert slug_for("Açaí Flyers") == "acai_flyers"
    assert slug_for("!!!") == "pair"
    assert unique_slug("Trail runner", ["trail_runner", "trail_runner_2"]) == "trail_runner_3"


def test_the_chosen_pair_wins_then_the_default_then_a_clear_error() -> None:
    defaults = {"running": "trail_runner"}
    assert choose_pair("running", "walkers", defaults, "a.gpx") == "walkers"
    assert choose_pair("running", None, defaults, "a.gpx") == "trail_runner"
    with pytest.raises(InputError, match="no default pair for walking") as error:
        choose_pair("walking", None, defaults, "a.gpx")
    assert error.value.field == "a.gpx"
    assert error.value.hint == CHOOSE_OR_SET_DEFAULT_SHOE
    assert error.value.details == {"activity_type": "walking"}
    with pytest.raises(InputError, match="activity type is not in the file") as missing:
        choose_pair(None, None, defaults, "a.gpx")
    assert (
        missing.value.hint == CHOOSE_SHOE_OR_ACTIVITY
    )  # the CLI says --activity, the web "Activity"


@given(st.floats(min_value=0, max_value=5000, allow_nan=False))
def test_the_distance_level_follows_the_range_everywhere(km: float) -> None:
    expected = "ok" if km < 500 else "watch" if km < 800 else "replace"
    assert judge(km).level == expected
