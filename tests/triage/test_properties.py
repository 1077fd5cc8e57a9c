"""Properties over many generated intakes (hypothesis): the level follows the flags."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.intake import parse_intake
from kneecoach.core.triage import (
    LEVELS,
    TriageResult,
    fired_flags,
    most_urgent,
    triage,
    urgency,
)
from kneecoach.data.red_flags import load_red_flags
from tests.triage.cases import CALM, DELETE, INJURED, changed

RULES = load_red_flags()
# The answer that is the worrying one, for every yes/no red-flag question.
DANGER: dict[str, bool] = {
    path: path not in {
        "signs.can_walk_4_steps_now",
        "signs.can_straight_leg_raise",
        "history.injury.could_walk_4_steps_right_after",
    }
    for path in RULES.red_flag_paths()
    if path not in {"person.age", "signs.swelling", "general.other_swollen_joints"}
}  # fmt: skip
OTHER_BOOLS = [
    "signs.weakness", "signs.catching", "signs.cannot_fully_straighten", "signs.clicking",
    "hip.limp", "hip.groin_or_hip_pain", "back.low_back_pain", "back.leg_pain_below_knee",
    "history.immobilised_last_4_weeks", "history.knee_injection_or_surgery_last_6_weeks",
    "general.wound_or_skin_infection_near_knee",
]  # fmt: skip


@st.composite
def intakes(draw: st.DrawFn, allow_unknown: bool = True) -> dict[str, Any]:
    """A random intake: each red-flag answer yes, no or (maybe) unknown, and a random story."""
    base = draw(st.sampled_from([CALM, INJURED]))
    maybe = [True, False, DELETE] if allow_unknown else [True, False]
    answers: dict[str, Any] = {path: draw(st.sampled_from(maybe)) for path in DANGER}
    answers |= {path: draw(st.sampled_from([True, False, DELETE])) for path in OTHER_BOOLS}
    answers["person.age"] = draw(
        st.sampled_from([*range(5, 95, 7), DELETE][: None if allow_unknown else -1])
    )
    answers["signs.swelling"] = draw(st.integers(0, 3))
    answers["general.other_swollen_joints"] = draw(st.integers(0, 3))
    answers["signs.morning_stiffness_min"] = draw(st.sampled_from([0, 10, 45, DELETE]))
    answers["signs.swelling_started_days_ago"] = draw(st.sampled_from([0.5, 2, 10, DELETE]))
    if base is INJURED:
        answers["history.injury.days_ago"] = draw(st.sampled_from([0, 3, 7, 8, 30, 100]))
        answers["history.injury.mechanism"] = draw(
            st.sampled_from(["twist", "fall", "direct_blow", "landing"])
        )
        answers["history.injury.swelling_within_hours"] = draw(
            st.sampled_from([1, 2, 5, 12, 48, DELETE])
        )
        answers["history.kneecap_dislocation"] = draw(st.sampled_from(["never", "once"]))
    return changed(base, answers)


def level_of(document: dict[str, Any]) -> str:
    return triage(parse_intake(document), RULES).level


@settings(max_examples=300, deadline=None)
@given(intakes(), st.sampled_from(sorted(DANGER)))
def test_a_worrying_answer_never_lowers_the_level(document: dict[str, Any], path: str) -> None:
    calm = changed(document, {path: not DANGER[path]})
    worrying = changed(document, {path: DANGER[path]})
    assert urgency(level_of(worrying)) <= urgency(level_of(calm))


@settings(max_examples=200, deadline=None)
@given(intakes(), st.integers(0, 3), st.integers(0, 3))
def test_more_swelling_never_lowers_the_level(document: dict[str, Any], a: int, b: int) -> None:
    low, high = sorted((a, b))
    less = level_of(changed(document, {"signs.swelling": low}))
    more = level_of(changed(document, {"signs.swelling": high}))
    assert urgency(more) <= urgency(less)


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_level_is_the_most_urgent_flags(document: dict[str, Any]) -> None:
    result: TriageResult = triage(parse_intake(document), RULES)
    assert result.level in LEVELS
    assert result.level == most_urgent(flag.level for flag in result.flags)
    assert (result.level == "self_care") == (result.flags == ())
    ranks = [urgency(flag.level) for flag in result.flags]
    assert ranks == sorted(ranks)


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_missing_means_never_self_care(document: dict[str, Any]) -> None:
    intake = parse_intake(document)
    facts = intake.facts()
    result = triage(intake, RULES)
    groups = [
        g
        for g in RULES.question_groups
        if g.name == "always" or facts.get("history.onset") == "injury"
    ]
    expected = [q.path for g in groups for q in g.questions if facts.get(q.path) is None]
    assert list(result.missing) == expected
    if result.missing:
        assert result.level != "self_care"
        assert "unanswered_safety_questions" in {flag.id for flag in result.flags}
    else:
        assert "unanswered_safety_questions" not in {flag.id for flag in result.flags}


@settings(max_examples=200, deadline=None)
@given(intakes(allow_unknown=False))
def test_fired_flags_agrees_with_triage(document: dict[str, Any]) -> None:
    intake = parse_intake(document)
    result = triage(intake, RULES)
    assert fired_flags(intake.facts(), RULES) == tuple(
        flag for flag in result.flags if flag.id != "unanswered_safety_questions"
    )
