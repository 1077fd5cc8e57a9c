"""The pain-monitoring model, rule by rule: progress, hold, regress, stop, and the chain ends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.progression import (
    Decision,
    Dose,
    LoadLevel,
    LoggedSession,
    Variant,
    next_dose,
    session_facts,
    show_dose,
)
from kneecoach.data.planning import load_progression_rules

RULES = load_progression_rules()

# A three-step chain: easy → middle → hard, reps 8–12 on the middle one.
CHAIN = {
    "easy_squat": Variant(
        "easy_squat", "Chair squat", Dose("easy_squat", 2, 10), (8, 15), None, None, (1, 3),
        harder="squat",
    ),
    "squat": Variant(
        "squat", "Squat", Dose("squat", 2, 8), (8, 12), None, None, (1, 3),
        easier="easy_squat", harder="split_squat",
    ),
    "split_squat": Variant(
        "split_squat", "Split squat", Dose("split_squat", 2, 8), (8, 12), None, None, (1, 3),
        easier="squat",
    ),
    "wall_sit": Variant("wall_sit", "Wall sit", Dose("wall_sit", 3, None, 30), None, (20, 45), None, (2, 4)),
}  # fmt: skip
DAY = date(2025, 3, 3)


def logged(
    dose: Dose,
    pain: int,
    *,
    days_ago: int,
    done: Dose | None = None,
    worse: bool | None = False,
    signs: tuple[str, ...] = (),
) -> LoggedSession:
    return LoggedSession(DAY - timedelta(days=days_ago), dose, done or dose, pain, worse, signs)


def decide(current: Dose, *history: LoggedSession, allowed: set[str] | None = None) -> Decision:
    ok = (lambda i: i in allowed) if allowed is not None else (lambda _i: True)
    return next_dose(current, list(history), CHAIN, RULES, ok)


def test_two_safe_sessions_in_full_add_reps_within_the_range() -> None:
    dose = Dose("squat", 2, 8)
    decision = decide(dose, logged(dose, 2, days_ago=4), logged(dose, 1, days_ago=2))
    assert decision.action == "progress"
    assert decision.after == Dose("squat", 2, 10)
    assert (
        decision.reason
        == "Last two sessions felt fine (pain 2/10), so squat goes from 8 to 10 reps."
    )


def test_progress_never_passes_the_top_of_the_range() -> None:
    dose = Dose("squat", 2, 11)
    decision = decide(dose, logged(dose, 0, days_ago=4), logged(dose, 0, days_ago=2))
    assert decision.after == Dose("squat", 2, 12)


def test_at_the_top_of_the_range_progress_moves_to_the_harder_variant() -> None:
    dose = Dose("squat", 2, 12)
    decision = decide(dose, logged(dose, 1, days_ago=4), logged(dose, 3, days_ago=2))
    assert decision.action == "progress"
    assert decision.after == Dose("split_squat", 2, 8)
    assert "split squat" in decision.reason and "(pain 3/10)" in decision.reason


def test_harder_variant_the_person_cannot_use_is_skipped_for_another_set() -> None:
    dose = Dose("squat", 2, 12)
    history = (logged(dose, 1, days_ago=4), logged(dose, 1, days_ago=2))
    decision = decide(dose, *history, allowed={"squat", "easy_squat"})
    assert decision.after == Dose("squat", 3, 12)
    assert "from 2 sets to 3" in decision.reason


def test_end_of_the_chain_holds_and_says_so() -> None:
    dose = Dose("split_squat", 3, 12)
    decision = decide(dose, logged(dose, 1, days_ago=4), logged(dose, 1, days_ago=2))
    assert decision.action == "hold" and decision.after == dose
    assert "already at the top" in decision.reason


def test_pain_over_5_regresses_reps_next_time() -> None:
    dose = Dose("squat", 2, 12)
    decision = decide(dose, logged(dose, 6, days_ago=1))
    assert decision.action == "regress"
    assert decision.after == Dose("squat", 2, 10)
    assert (
        decision.reason
        == "Last time it hurt too much (pain 6/10, over 5), so squat goes from 12 to 10 reps."
    )


def test_worse_next_morning_regresses_even_with_safe_pain() -> None:
    dose = Dose("squat", 2, 10)
    decision = decide(dose, logged(dose, 2, days_ago=1, worse=True))
    assert decision.action == "regress" and decision.rule_id == "worse_next_morning"
    assert decision.after == Dose("squat", 2, 8)
    assert "worse the next morning" in decision.reason


def test_at_the_bottom_of_the_range_regress_moves_to_the_easier_variant() -> None:
    dose = Dose("squat", 2, 8)
    decision = decide(dose, logged(dose, 7, days_ago=1))
    assert decision.after == Dose("easy_squat", 2, 10)
    assert "changes to chair squat" in decision.reason


def test_easiest_variant_at_the_bottom_drops_a_set_then_holds() -> None:
    dose = Dose("easy_squat", 2, 8)
    first = decide(dose, logged(dose, 8, days_ago=1))
    assert first.after == Dose("easy_squat", 1, 8)
    lowest = Dose("easy_squat", 1, 8)
    last = decide(lowest, logged(lowest, 8, days_ago=1))
    assert last.action == "hold" and last.after == lowest
    assert "as easy as it gets" in last.reason and "physio" in last.reason


@pytest.mark.parametrize("pain", [4, 5])
def test_acceptable_pain_holds_the_dose(pain: int) -> None:
    dose = Dose("squat", 2, 10)
    decision = decide(dose, logged(dose, 2, days_ago=4), logged(dose, pain, days_ago=2))
    assert decision.action == "hold" and decision.after == dose
    assert decision.rule_id == "acceptable_pain"
    assert f"{pain}/10" in decision.reason


def test_one_safe_session_is_not_yet_enough() -> None:
    dose = Dose("squat", 2, 10)
    decision = decide(dose, logged(dose, 1, days_ago=2))
    assert decision.rule_id == "one_safe_session" and decision.after == dose


def test_a_session_at_an_older_dose_does_not_count_towards_the_streak() -> None:
    old, new = Dose("squat", 2, 8), Dose("squat", 2, 10)
    decision = decide(new, logged(old, 1, days_ago=4), logged(new, 1, days_ago=2))
    assert decision.rule_id == "one_safe_session"


def test_partial_session_holds() -> None:
    dose = Dose("squat", 2, 10)
    short = Dose("squat", 1, 10)
    decision = decide(dose, logged(dose, 1, days_ago=4), logged(dose, 1, days_ago=2, done=short))
    assert decision.rule_id == "not_done_in_full" and decision.after == dose


def test_an_unknown_next_morning_waits_before_progressing() -> None:
    dose = Dose("squat", 2, 10)
    decision = decide(dose, logged(dose, 1, days_ago=4), logged(dose, 1, days_ago=1, worse=None))
    assert decision.rule_id == "wait_for_next_morning" and decision.after == dose


def test_a_warning_sign_overrides_everything() -> None:
    dose = Dose("squat", 2, 10)
    decision = decide(
        dose, logged(dose, 1, days_ago=4), logged(dose, 1, days_ago=2, signs=("hot_or_red",))
    )
    assert decision.stopped and decision.after == dose
    assert "kneecoach triage" in decision.reason


def test_holds_grow_by_seconds() -> None:
    dose = Dose("wall_sit", 3, None, 30)
    decision = decide(dose, logged(dose, 2, days_ago=4), logged(dose, 2, days_ago=2))
    assert decision.after == Dose("wall_sit", 3, None, 35)
    assert "from 30 to 35 seconds" in decision.reason


def test_first_session_is_the_plan_dose() -> None:
    dose = Dose("squat", 2, 8)
    decision = decide(dose)
    assert decision.after == dose and "2 × 8" in decision.reason


def test_pain_zone_facts_follow_the_data_file() -> None:
    dose = Dose("squat", 2, 10)
    zones = {
        p: session_facts(dose, [logged(dose, p, days_ago=1)], RULES)["last.pain_zone"]
        for p in range(11)
    }
    assert [zones[p] for p in range(11)] == ["safe"] * 4 + ["acceptable"] * 2 + ["too_much"] * 5


@given(
    reps=st.integers(8, 12),
    pains=st.lists(st.integers(0, 10), min_size=1, max_size=4),
    worse=st.lists(st.sampled_from([True, False, None]), min_size=4, max_size=4),
)
def test_doses_stay_within_the_range_and_regress_never_raises_load(
    reps: int, pains: list[int], worse: list[bool | None]
) -> None:
    dose = Dose("squat", 2, reps)
    history = [
        logged(dose, pain, days_ago=2 * (len(pains) - n), worse=worse[n])
        for n, pain in enumerate(pains)
    ]
    decision = decide(dose, *history)
    after = decision.after
    variant = CHAIN[after.exercise_id]
    assert variant.reps_range is not None and after.reps is not None
    assert variant.reps_range[0] <= after.reps <= variant.reps_range[1]
    assert 1 <= after.sets <= 3
    last_worse = worse[len(pains) - 1]
    if pains[-1] > 5 or last_worse is True:
        assert decision.action in ("regress", "hold")
        assert after.exercise_id != "split_squat"
        assert after.exercise_id != "squat" or after.reps <= dose.reps
    if decision.action == "progress":
        assert pains[-1] <= 3 and last_worse is False


@pytest.mark.parametrize(
    ("dose", "short", "with_units"),
    [
        ((2, 10, None, None), "2 × 10", "2 × 10 reps"),
        ((3, None, 30, None), "3 × 30 s", "3 × 30 s hold"),
        ((2, 10, 5, None), "2 × 10, hold 5 s", "2 × 10 reps, hold 5 s"),
        ((1, None, None, 10), "10 min", "10 min"),
        ((2, None, None, None), "2 sets", "2 sets"),
    ],
)
def test_one_rule_words_a_dose_short_or_with_units(
    dose: tuple[int, int | None, int | None, int | None], short: str, with_units: str
) -> None:
    from kneecoach.cli.plan import dose_text
    from kneecoach.core.progression import dose_words

    assert dose_words(*dose) == short
    assert dose_words(*dose, units=True) == with_units == dose_text(Dose("x", *dose))


@pytest.mark.parametrize(
    ("load", "tempo", "extra", "words"),
    [
        (LoadLevel("kg", 6, "kg"), "3-1-1", 0, "3 × 8, 6 kg, tempo 3-1-1"),
        (LoadLevel("band", 1, "band"), None, 1, "3 × 8, red band, plus 1 set on your sore leg"),
        (LoadLevel("rpe", 7, "RPE"), None, 2, "3 × 8, effort 7/10, plus 2 sets on your sore leg"),
        (LoadLevel("rir", 2, "RIR"), "3-0-3", 0, "3 × 8, 2 reps in reserve, tempo 3-0-3"),
        (LoadLevel("kg", 0, "kg"), None, 0, "3 × 8, no weight yet"),
        (None, None, 0, "3 × 8"),
    ],
)
def test_load_tempo_and_sore_leg_sets_are_worded_by_the_one_rule(
    load: LoadLevel | None, tempo: str | None, extra: int, words: str
) -> None:
    dose = Dose("goblet_squat", 3, 8, load=load, tempo=tempo, extra_sets=extra)
    assert show_dose(dose) == words
