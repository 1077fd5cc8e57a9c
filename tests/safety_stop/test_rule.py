"""The pure rule (core/safety_stop.py): when a check-in's red flag starts a stop or a caution,
how long it lasts, and what clears it. Real red-flag rules for robust cases; a small made-up
rule set where the point is the walk itself, not a clinical level."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.checkins import CheckIn
from kneecoach.core.rules import parse_condition
from kneecoach.core.safety_stop import (
    SafetyState,
    judge_checkin,
    paths_behind,
    safety_state,
)
from kneecoach.core.triage import RedFlagRule, fired_flags
from kneecoach.data.signals import load_signal_thresholds
from kneecoach.services.triage import red_flag_rules
from tests.db import in_session
from tests.safety_stop.cases import (
    RED_FLAG_ANSWERS,
    STOP_LEVELS,
    all_clear,
    day,
    facts_of,
    hiker,
    hiker_with,
    hot_knee,
    pain_only,
)

LIMITS = load_signal_thresholds().red_flag


def state_of(checkins: list[CheckIn], intake: dict[str, object] | None = None) -> SafetyState:
    return safety_state(checkins, facts_of(intake or hiker()), LIMITS, in_session(red_flag_rules))


def test_a_hot_swollen_knee_with_fever_starts_a_stop_in_the_persons_words() -> None:
    state = state_of([all_clear(day(0)), hot_knee(day(1))])
    assert state.stopped and state.caution is None
    stop = state.stop
    assert stop is not None
    assert stop.level in STOP_LEVELS and stop.since == day(1)
    assert stop.flag == stop.flags[0].id and stop.title and stop.advice
    assert set(stop.signs) >= {"warm", "fever"}
    for column, value in (("warm", True), ("fever", True)):
        assert LIMITS.said_for(column, value) in stop.answers
    assert not any("=" in answer for answer in stop.answers)


def test_the_stop_carries_over_the_following_days_from_its_first_date() -> None:
    state = state_of([hot_knee(day(1)), pain_only(day(2)), hot_knee(day(3)), pain_only(day(5))])
    assert state.stop is not None and state.stop.since == day(1)


def test_a_later_check_in_that_answers_the_signs_without_them_ends_the_stop() -> None:
    assert not state_of([hot_knee(day(1)), all_clear(day(2))]).stopped
    again = state_of([hot_knee(day(1)), all_clear(day(2)), hot_knee(day(4))])
    assert again.stop is not None and again.stop.since == day(4)


def test_answering_only_some_of_the_signs_does_not_end_the_stop() -> None:
    partly = CheckIn(day=day(2), pain=2, warm=False)
    assert state_of([hot_knee(day(1)), partly]).stopped


def test_the_intake_and_the_check_in_together_escalate_as_the_intake_would() -> None:
    replaced = hiker_with({"history.knee_replacement": True})
    warm = CheckIn(day=day(1), pain=3, warm=True)
    state = state_of([warm], replaced)
    assert state.stop is not None and state.stop.level in STOP_LEVELS
    assert "history.knee_replacement" in paths_behind(state.stop.flags[0])
    assert state.stop.answers == (LIMITS.said_for("warm", True),)


def test_the_intakes_own_flags_do_not_fire_from_every_check_in() -> None:
    replaced = facts_of(hiker_with({"history.knee_replacement": True}))
    assert fired_flags(
        replaced, in_session(red_flag_rules)
    )  # the intake itself has a flag (`soon`)
    verdict = judge_checkin(all_clear(day(1)), replaced, LIMITS, in_session(red_flag_rules))
    assert verdict.flags == ()


def test_weakness_with_back_pain_is_a_caution_not_a_stop() -> None:
    back = hiker_with({"back.low_back_pain": True})
    weak = CheckIn(day=day(1), pain=3, weakness=True)
    state = state_of([weak, pain_only(day(2))], back)
    assert not state.stopped
    assert state.caution is not None and state.caution.level == "soon"
    assert state.caution.since == day(1)
    assert state.caution.answers == (LIMITS.said_for("weakness", True),)
    assert state_of([weak, all_clear(day(2))], back) == SafetyState()


# ── The walk itself, on a made-up rule set (levels here are not clinical claims) ────────────


def rule(rule_id: str, level: str, when: dict[str, object]) -> RedFlagRule:
    return RedFlagRule(rule_id, rule_id.title(), level, parse_condition(when), "Advice.", "test")  # type: ignore[arg-type]


RULES = (
    rule("stop_rule", "urgent", {"general.fever": True}),
    rule("soon_rule", "soon", {"signs.swelling": {"ge": 1}}),
)


def made_up_state(checkins: list[CheckIn], intake_facts: dict[str, object]) -> SafetyState:
    return safety_state(checkins, intake_facts, LIMITS, RULES)


def test_a_soon_flag_gives_a_caution_until_a_check_in_without_it() -> None:
    swollen = CheckIn(day=day(1), pain=3, swelling=1)
    assert made_up_state([swollen], {}).caution is not None
    ended = made_up_state([swollen, CheckIn(day=day(2), pain=3, swelling=0)], {})
    assert ended == SafetyState()


def test_a_stop_outranks_a_caution_and_a_caution_follows_when_the_stop_ends() -> None:
    both = CheckIn(day=day(1), pain=3, swelling=1, fever=True)
    state = made_up_state([both], {})
    assert state.stopped and state.caution is None
    after = made_up_state([both, CheckIn(day=day(2), pain=3, swelling=2, fever=False)], {})
    assert not after.stopped and after.caution is not None and after.caution.since == day(2)


def test_an_intake_flag_repeated_with_the_same_answers_is_not_new() -> None:
    intake = {"signs.swelling": 1}
    assert made_up_state([CheckIn(day=day(1), pain=3, swelling=1)], intake) == SafetyState()
    worse = made_up_state([CheckIn(day=day(1), pain=3, swelling=2)], intake)
    assert worse.caution is not None


@given(st.lists(RED_FLAG_ANSWERS, max_size=8))
def test_the_latest_check_in_that_fires_a_stop_leaves_the_plan_stopped(
    days: list[dict[str, object]],
) -> None:
    checkins = [CheckIn(day=day(n), pain=3, **a) for n, a in enumerate(days)]  # type: ignore[arg-type]
    state = state_of(checkins)
    assert not (state.stop is not None and state.caution is not None)
    if checkins:
        last = judge_checkin(checkins[-1], facts_of(hiker()), LIMITS, in_session(red_flag_rules))
        assert state.stopped or not last.stops
        if state.stop is not None:
            assert state.stop.since <= checkins[-1].day and state.stop.level in STOP_LEVELS
    else:
        assert state == SafetyState()


def test_no_check_ins_no_stop() -> None:
    assert state_of([]) == SafetyState()


def test_the_readability_check_reads_the_new_words() -> None:
    """The answers, stop and caution words are graded with the rest of signals.yaml."""
    from tests.test_readability import DATA_ROOT, file_text

    graded = file_text(DATA_ROOT / "signals.yaml")
    words = load_signals_words()
    for text in (LIMITS.said_for("warm", True), LIMITS.said_for("swelling", 2), *words):
        assert text.split("{")[0].strip() in graded


def load_signals_words() -> tuple[str, ...]:
    from kneecoach.data.signals import safety_stop_words

    w = safety_stop_words()
    return (w.stop_title, w.stop_text, w.kept, w.caution_title, w.caution_message, w.caution_why)
