"""KOOS, KOOS-12 and KOOS JR scoring: the published worked examples, missing data, properties."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.outcomes import KOOS_CODES, round_score, score
from kneecoach.data.instruments import load_instrument
from tests.outcomes.answers import (
    ADL,
    PAIN,
    QOL,
    SPORT_REC,
    SYMPTOMS,
    WORKED_SCORES,
    block,
    worked_example,
)

KOOS = load_instrument("koos")
KOOS12 = load_instrument("koos12")
KOOSJR = load_instrument("koosjr")


@pytest.mark.parametrize(
    ("prefix", "values", "scale", "expected"),
    [
        ("P", PAIN, "pain", 41.7),
        ("S", SYMPTOMS, "symptoms", 42.9),
        ("A", ADL, "adl", 42.6),
        ("SP", SPORT_REC, "sport_rec", 20.0),
        ("Q", QOL, "qol", 37.5),
    ],
)
def test_each_worked_example_of_the_evidence(prefix, values, scale, expected) -> None:  # type: ignore[no-untyped-def]
    assert score(KOOS, block(prefix, values)).rounded()[scale] == expected


def test_the_unrounded_worked_examples_match_the_evidence_arithmetic() -> None:
    values = score(KOOS, worked_example()).values
    assert values["pain"] == pytest.approx(41.6667, abs=1e-4)
    assert values["symptoms"] == pytest.approx(42.8571, abs=1e-4)
    assert values["adl"] == pytest.approx(42.6471, abs=1e-4)


def test_the_whole_worked_example_gives_the_spec_json_scores_and_no_total() -> None:
    scores = score(KOOS, worked_example()).rounded()
    assert scores == WORKED_SCORES
    assert "total" not in scores


def test_symptoms_are_order_independent_under_the_official_codes() -> None:
    shuffled = list(SYMPTOMS)
    random.Random(7).shuffle(shuffled)
    assert shuffled != SYMPTOMS
    assert score(KOOS, block("S", shuffled)).rounded()["symptoms"] == 42.9


@pytest.mark.parametrize(("answer", "expected"), [(0, 100.0), (2, 50.0), (4, 0.0)])
def test_all_same_answers_give_100_50_0_on_every_scale(answer: int, expected: float) -> None:
    every = dict.fromkeys(KOOS_CODES, answer)
    assert set(score(KOOS, every).values.values()) == {expected}
    assert set(score(KOOS12, every).values.values()) == {expected}


def test_pain_with_p1_to_p5_missing_has_no_score() -> None:
    assert score(KOOS, block("P", [None] * 5 + [4, 1, 2, 3])).values["pain"] is None


def test_the_derived_missing_data_vectors() -> None:
    five = block("P", [1, 2, None, None, 2, 3, None, None, 1])
    four = block("P", [1, 2, None, None, 2, None, None, None, 1])
    assert score(KOOS, five).rounded()["pain"] == 55.0
    assert score(KOOS, four).rounded()["pain"] is None


@pytest.mark.parametrize(
    ("instrument_id", "scale", "minimum"),
    [
        ("koos", "symptoms", 4),
        ("koos", "pain", 5),
        ("koos", "adl", 9),
        ("koos", "sport_rec", 3),
        ("koos", "qol", 2),
        ("koos12", "pain", 2),
        ("koos12", "function", 2),
        ("koos12", "qol", 2),
    ],
)
def test_missing_data_boundary_exactly_the_minimum_scores_one_less_does_not(
    instrument_id: str, scale: str, minimum: int
) -> None:
    instrument = load_instrument(instrument_id)
    items = next(s for s in instrument.scales if s.id == scale).items
    assert minimum * 2 >= len(items)  # the 2012 rule: at least half
    enough = {code: 1 for code in items[-minimum:]}  # the last ones, so order does not matter
    short = dict(list(enough.items())[1:])
    assert score(instrument, enough).values[scale] == 75.0
    assert score(instrument, enough).answered[scale] == minimum
    assert score(instrument, short).values[scale] is None


def test_mean_is_over_the_answered_items_only() -> None:
    answers = {"Q1": 4, "Q3": 0}  # two of four answered: mean 2 → 50, not (4+0)/4 → 75
    assert score(KOOS, answers).values["qol"] == 50.0


def test_koos12_scores_with_the_gandek_items() -> None:
    answers = {"P1": 4, "P8": 4, "P5": 0, "P6": 0, "A4": 1, "A3": 1, "A7": 1, "SP4": 1}
    answers |= block("Q", [2, 2, 2, 2])
    values = score(KOOS12, answers).values
    assert values == {"pain": 50.0, "function": 75.0, "qol": 50.0, "summary": 175 / 3}
    assert score(KOOS12, answers).rounded()["summary"] == 58.3


def test_koos12_ignores_koos_items_it_does_not_use() -> None:
    base = {"P1": 1, "P8": 1, "A4": 1, "A3": 1, "Q1": 1, "Q2": 1}
    noisy = base | {"P2": 4, "P3": 4, "A1": 4, "SP1": 4, "S1": 4}
    assert score(KOOS12, noisy).values == score(KOOS12, base).values


@pytest.mark.parametrize("missing", ["pain", "function", "qol"])
def test_koos12_summary_is_null_unless_all_three_scales_exist(missing: str) -> None:
    every = dict.fromkeys(KOOS_CODES, 1)
    scale = next(s for s in KOOS12.scales if s.id == missing)
    for code in scale.items[:3]:  # leave only one item: below the minimum of 2
        del every[code]
    values = score(KOOS12, every).values
    assert values[missing] is None
    assert values["summary"] is None
    assert score(KOOS12, dict.fromkeys(KOOS_CODES, 1)).values["summary"] == 75.0


def test_a_full_koos_answer_file_also_scores_as_koos12_and_koosjr() -> None:
    answers = worked_example()
    assert score(KOOS12, answers).values["summary"] is not None
    jr = score(KOOSJR, answers).values
    assert jr["raw"] == 1 + 2 + 1 + 4 + 3 + 1 + 4  # S6 P2 P3 P6 P9 A3 A5
    assert jr["interval"] == KOOSJR.conversion.table[16]  # type: ignore[union-attr]


def test_koosjr_raw_and_interval_are_null_unless_all_seven_are_answered() -> None:
    answers = dict.fromkeys(["S6", "P2", "P3", "P6", "P9", "A3", "A5"], 2)
    assert score(KOOSJR, answers).values == {"raw": 14, "interval": 52.465}
    for code in answers:
        partial = {c: v for c, v in answers.items() if c != code}
        assert score(KOOSJR, partial).values == {"raw": None, "interval": None}


def test_the_hss_values_the_other_app_tests() -> None:
    assert KOOSJR.conversion is not None
    assert KOOSJR.conversion.table[14] == 52.465
    assert KOOSJR.conversion.table[7] == 68.284
    assert len(KOOSJR.conversion.table) == 29


@pytest.mark.parametrize(
    ("value", "expected"),
    [(81.25, 81.3), (93.75, 93.8), (41.666666666666664, 41.7), (42.647, 42.6), (0.05, 0.1)],
)
def test_rounding_is_half_up_not_half_even(value: float, expected: float) -> None:
    assert round_score(value) == expected


def test_a_tie_in_a_real_subscale_rounds_up() -> None:
    # QOL 0,1,1,1 → mean 0.75 → 81.25 exactly; Python's round() would give 81.2
    assert score(KOOS, block("Q", [0, 1, 1, 1])).rounded()["qol"] == 81.3


answer_sets = st.dictionaries(
    st.sampled_from(KOOS_CODES), st.integers(min_value=0, max_value=4), max_size=42
)


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_every_score_is_within_its_range(answers: dict[str, int]) -> None:
    for instrument in (KOOS, KOOS12, KOOSJR):
        for key, value in score(instrument, answers).values.items():
            if value is None:
                continue
            upper = 28 if key == "raw" else 100
            assert 0 <= value <= upper


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_worse_answer_never_raises_any_score(data: st.DataObject) -> None:
    answers = data.draw(answer_sets.filter(lambda a: any(v < 4 for v in a.values())))
    code = data.draw(st.sampled_from(sorted(c for c, v in answers.items() if v < 4)))
    worse = answers | {code: data.draw(st.integers(answers[code] + 1, 4))}
    for instrument in (KOOS, KOOS12, KOOSJR):
        before = score(instrument, answers).values
        after = score(instrument, worse).values
        for key in instrument.score_ids:
            # the same items are answered, so a score exists before exactly when it does after
            assert (before[key] is None) == (after[key] is None)
            if before[key] is None:
                continue
            if key == "raw":  # the raw sum runs the other way: higher is worse
                assert after[key] >= before[key]  # type: ignore[operator]
            else:
                assert after[key] <= before[key]  # type: ignore[operator]
