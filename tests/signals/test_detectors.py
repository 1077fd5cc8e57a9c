"""Each detector on small hand-made series: it fires on the right day, at the right level."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals import Level, find_alerts
from kneecoach.core.signals.red_flag import RedFlag, checkin_facts
from kneecoach.data.red_flags import load_red_flags
from kneecoach.data.signals import load_signal_thresholds
from tests.db import in_session

START = date(2026, 2, 1)


def day(i: int) -> date:
    return START + timedelta(days=i)


def series(n: int, **columns: Any) -> list[CheckIn]:
    """n days; each column is a constant or a list (one value per day) or a dict {day: value}."""
    out = []
    for i in range(n):
        values: dict[str, Any] = {"pain": 2.0}
        for name, spec in columns.items():
            if isinstance(spec, list):
                values[name] = spec[i]
            elif isinstance(spec, dict):
                values[name] = spec.get(i, spec.get("else"))
            else:
                values[name] = spec
        out.append(CheckIn(day=day(i), **values))
    return out


def alerts(checkins: list[CheckIn], only: str | None = None, red: bool = False) -> list[Any]:
    found = find_alerts(
        checkins,
        load_signal_thresholds(),
        RedFlag(load_red_flags()) if red else None,
        only=None if only is None else [only],
    )
    return [(a.id, a.day, a.level) for a in found]


def test_swelling_rising_fires_watch_then_act_on_the_days_the_data_justify() -> None:
    swelling = [0] * 21 + [1, 1, 2, 2, 2, 2]
    found = alerts(series(27, swelling=swelling), "swelling_rising")
    assert found == [
        ("swelling_rising", day(23), Level.watch),
        ("swelling_rising", day(24), Level.act),
    ]


def test_the_why_line_carries_the_numbers() -> None:
    swelling = [0] * 21 + [1, 1, 2]
    (alert,) = find_alerts(
        series(24, swelling=swelling), load_signal_thresholds(), only=["swelling_rising"]
    )
    assert alert.why == (
        "Swelling averaged 0.8 over the last 5 days, against your usual 0 (0 = none, 3 = severe)."
    )
    assert alert.as_json()["value"] == 0.8 and alert.as_json()["baseline"] == 0
    assert "\n" not in alert.why


def test_a_steady_swelling_is_the_persons_normal_not_a_warning() -> None:
    assert alerts(series(60, swelling=2), "swelling_rising") == []


def test_no_trend_alert_before_the_baseline_has_enough_days() -> None:
    swelling = [0] * 5 + [3] * 5
    assert [a for a in alerts(series(10, swelling=swelling)) if a[0] != "pain_flare"] == []


def test_stiffness_rising_and_the_30_minute_ceiling() -> None:
    stiffness = [10.0] * 21 + [15, 20, 25, 30, 35, 40] + [45.0] * 14
    found = alerts(series(len(stiffness), stiffness_min=stiffness), "stiffness_rising")
    assert [level for _, _, level in found] == [Level.watch, Level.act, Level.see_professional]
    assert found[0][1] == day(24)  # the 5-day mean reaches 20 minutes, 10 over the usual
    # the ceiling needs the median of the last 14 days over 30 minutes
    assert found[2][1] == day(31)


def test_mechanical_symptoms_a_new_catch_is_watch_and_repeats_are_act() -> None:
    catching = {14: True, 16: True, 17: True, 19: True, "else": False}
    found = alerts(series(21, catching=catching), "mechanical_symptoms")
    assert found == [
        ("mechanical_symptoms", day(14), Level.watch),
        ("mechanical_symptoms", day(19), Level.act),
    ]


def test_mechanical_symptoms_ignore_what_the_person_always_has_and_clicking() -> None:
    always = {i: True for i in range(0, 40, 3)} | {"else": False}
    assert alerts(series(40, giving_way=always, clicking=True), "mechanical_symptoms") == []


def test_weakness_rising_needs_more_weak_days_than_usual() -> None:
    weakness = [False] * 21 + [True, False, True, True, True, True]
    found = alerts(series(27, weakness=weakness), "weakness_rising")
    assert [level for _, _, level in found] == [Level.watch, Level.act]
    assert found[0][1] == day(23)


def test_pain_flare_is_dated_the_second_raised_day() -> None:
    pain = [2.0] * 21 + [6, 6, 5, 2, 2]
    found = alerts(series(26, pain=pain), "pain_flare")
    assert found == [("pain_flare", day(22), Level.act)]


@pytest.mark.parametrize(
    ("usual", "flare", "fires"),
    [(2, 4, True), (2, 3, False), (6, 8, True), (6, 7, False), (0, 2, True), (0, 1, False)],
)
def test_pain_flare_needs_about_two_points(usual: float, flare: float, fires: bool) -> None:
    pain = [float(usual)] * 21 + [float(flare)] * 3
    assert bool(alerts(series(24, pain=pain), "pain_flare")) is fires


def test_one_bad_day_is_not_a_flare() -> None:
    pain = [2.0] * 21 + [8, 2, 2, 2]
    assert alerts(series(25, pain=pain), "pain_flare") == []


def test_a_flare_that_does_not_settle_in_two_weeks_needs_a_professional() -> None:
    pain = [2.0] * 21 + [6.0] * 16
    found = alerts(series(37, pain=pain), "pain_flare")
    assert found == [
        ("pain_flare", day(22), Level.act),
        ("pain_flare", day(34), Level.see_professional),
    ]


def test_a_new_flare_after_calm_days_is_news_again() -> None:
    pain = [2.0] * 21 + [6, 6, 2, 2, 2, 2, 6, 6]
    found = alerts(series(29, pain=pain), "pain_flare")
    assert [d for _, d, _ in found] == [day(22), day(28)]


def test_unsorted_input_with_gaps_and_unknowns_gives_the_same_alerts() -> None:
    swelling = [0] * 21 + [1, 1, 2, 2, 2, 2]
    ordered = series(27, swelling=swelling)
    shuffled = ordered[::-1]
    assert alerts(shuffled) == alerts(ordered)
    gappy = [c for i, c in enumerate(ordered) if i % 4 != 1]
    assert [a for a in alerts(gappy) if a[0] == "swelling_rising"]
    unknown = [CheckIn(day=c.day, pain=c.pain) for c in ordered]
    assert alerts(unknown) == []


def test_alerts_come_in_date_order() -> None:
    swelling = [0] * 21 + [1, 1, 2, 2, 2, 2]
    pain = [2.0] * 21 + [2, 2, 2, 2, 6, 6]
    found = alerts(
        series(27, swelling=swelling, pain=pain, locking={22: True, "else": False}), red=True
    )
    assert [d for _, d, _ in found] == sorted(d for _, d, _ in found)
    assert ("red_flag", day(22), Level.see_professional) in found


@pytest.mark.parametrize(
    ("answers", "flag"),
    [
        ({"locking": True}, "locked_knee"),
        ({"calf_pain": True}, None),
        ({"warm": True, "fever": True}, None),
        ({"warm": True, "swelling": 3}, None),
    ],
)
def test_red_flag_answers_are_see_professional_the_same_day(
    answers: dict[str, Any], flag: str | None
) -> None:
    checkins = series(3, **{k: {1: v, "else": None} for k, v in answers.items()})
    found = find_alerts(checkins, load_signal_thresholds(), RedFlag(load_red_flags()))
    red = [a for a in found if a.id == "red_flag"]
    assert [(a.day, a.level) for a in red] == [(day(1), Level.see_professional)]
    assert red[0].flags and red[0].advice
    if flag:
        assert flag in red[0].flags


@pytest.mark.parametrize(
    "answers",
    [{"warm": True}, {"giving_way": True}, {"weakness": True}, {"swelling": 1}, {"fever": False}],
)
def test_answers_triage_does_not_escalate_raise_no_red_flag(answers: dict[str, Any]) -> None:
    checkins = series(3, **{k: {1: v, "else": None} for k, v in answers.items()})
    assert [a for a in alerts(checkins, red=True) if a[0] == "red_flag"] == []


def test_checkin_facts_map_columns_to_triage_paths_and_leave_unknowns_out() -> None:
    mapping = load_signal_thresholds().red_flag.facts
    facts = checkin_facts(
        CheckIn(day=START, pain=3, locking=True, fever=False, swelling=2), mapping
    )
    assert facts == {"signs.locking": True, "general.fever": False, "signs.swelling": 2}


def test_red_flags_fire_even_on_a_short_series() -> None:
    found = alerts([CheckIn(day=START, pain=2, calf_pain=True)], red=True)
    assert found == [("red_flag", START, Level.see_professional)]


def test_a_red_flag_alert_gives_one_set_of_orders_in_the_countrys_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Warm, fever and swelling fire an emergency and an urgent rule; only the emergency's
    orders are given, never "call your GP today" beside "call 999 now"."""
    from kneecoach.services.signals import alerts_for

    monkeypatch.setenv("KNEECOACH_COUNTRY", "GB")
    answers = {"warm": True, "fever": True, "swelling": 2}
    checkins = series(3, **{k: {1: v, "else": None} for k, v in answers.items()})
    red = [a for a in in_session(alerts_for, checkins) if a.id == "red_flag"]
    assert len(red) == 1
    assert {"hot_swollen_knee_at_risk_of_infection", "hot_swollen_knee"} <= set(red[0].flags)
    assert "999" in red[0].advice
    assert "today" not in red[0].advice and "{" not in red[0].advice
