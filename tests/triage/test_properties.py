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
from tests.triage.test_data import DECISIONS_ALWAYS, DECISIONS_INJURY

RULES = load_red_flags()
# The answer that is the worrying one, for every yes/no red-flag question.
DANGER: dict[str, bool] = {
    path: path not in {
        "signs.can_walk_4_steps_now",
        "signs.can_straight_leg_raise",
        "history.injury.could_walk_4_steps_right_after",
    }
    for path in RULES.red_flag_paths()
    if path not in {
        "person.age", "signs.swelling", "general.other_swollen_joints",
        "history.injury.days_ago", "history.injury.mechanism", "signs.swelling_started_days_ago",
    }
}  # fmt: skip
OTHER_BOOLS = [
    "signs.weakness", "signs.catching", "signs.cannot_fully_straighten", "signs.clicking",
    "back.low_back_pain", "back.leg_pain_below_knee",
    "history.immobilised_last_4_weeks", "history.knee_injection_or_surgery_last_6_weeks",
    "general.wound_or_skin_infection_near_knee", "general.diabetes",
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
    answers["signs.swelling_started_days_ago"] = draw(st.sampled_from([0.5, 2, 10, 30, DELETE]))
    answers["pain.now"] = draw(st.sampled_from([0, 4, 7, 8, 10, DELETE]))
    answers["history.recent_surgery_weeks"] = draw(st.sampled_from([2, 10, DELETE]))
    answers["history.knee_surgery_type"] = draw(st.sampled_from(["meniscectomy", DELETE]))
    if base is INJURED:
        maybe_unknown = [DELETE] if allow_unknown else []
        answers["history.injury.days_ago"] = draw(
            st.sampled_from([0, 3, 7, 8, 30, 100, *maybe_unknown])
        )
        answers["history.injury.mechanism"] = draw(
            st.sampled_from(["twist", "fall", "direct_blow", "landing", *maybe_unknown])
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


def red_flag_questions_for(document: dict[str, Any]) -> set[str]:
    """The red-flag questions decisions.md names for this person, written from the decisions
    (not from the data file): always, after an injury, and the second edition's situations."""
    answers = parse_intake(document)
    asked = set(DECISIONS_ALWAYS)
    if answers.history.onset == "injury":
        asked |= DECISIONS_INJURY
    if (answers.signs.swelling or 0) >= 2:
        asked.add("signs.swelling_started_days_ago")
    if answers.person.age is not None and answers.person.age < 16:
        asked |= {"hip.limp", "hip.groin_or_hip_pain"}
    if answers.signs.locking is True:
        asked.add("signs.locked_now")
    return asked


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_every_unknown_red_flag_answer_is_missing_and_never_self_care(
    document: dict[str, Any],
) -> None:
    intake = parse_intake(document)
    facts = intake.facts()
    result = triage(intake, RULES)
    unknown = {path for path in red_flag_questions_for(document) if facts.get(path) is None}
    assert set(result.missing) == unknown
    if unknown:
        assert result.level != "self_care"
        assert "unanswered_safety_questions" in {flag.id for flag in result.flags}
    else:
        assert "unanswered_safety_questions" not in {flag.id for flag in result.flags}


@settings(max_examples=300, deadline=None)
@given(intakes(), st.sampled_from([*sorted(DANGER), "history.injury.days_ago",
                                   "history.injury.mechanism", "signs.swelling_started_days_ago",
                                   "person.age"]))  # fmt: skip
def test_an_unknown_answer_is_never_below_both_real_answers(
    document: dict[str, Any], path: str
) -> None:
    """Not knowing is never more reassuring than the more reassuring of the real answers."""
    real = {
        "history.injury.days_ago": (2, 60),
        "history.injury.mechanism": ("fall", "twist"),
        "signs.swelling_started_days_ago": (1, 30),
        "person.age": (8, 40),
    }.get(path, (True, False))
    unknown = urgency(level_of(changed(document, {path: DELETE})))
    answered = [urgency(level_of(changed(document, {path: value}))) for value in real]
    assert unknown <= max(answered)


@settings(max_examples=200, deadline=None)
@given(intakes(allow_unknown=False))
def test_fired_flags_agrees_with_triage(document: dict[str, Any]) -> None:
    intake = parse_intake(document)
    result = triage(intake, RULES)
    assert fired_flags(intake.facts(), RULES) == tuple(
        flag for flag in result.flags if flag.id != "unanswered_safety_questions"
    )
