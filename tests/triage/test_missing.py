"""Unknown is never "no": unanswered red-flag questions, and the check-in's partial answers."""

from __future__ import annotations

from kneecoach.core.triage import fired_flags
from kneecoach.data.red_flags import load_red_flags
from tests.triage.cases import CALM, DELETE, INJURED, changed, triage_of


def test_unknown_red_flag_answer_is_missing_and_lifts_to_soon() -> None:
    result = triage_of(changed(CALM, {"signs.warm": DELETE}))
    assert result.missing == ("signs.warm",)
    assert result.level == "soon"
    flag = result.flags[0]
    assert flag.id == "unanswered_safety_questions" and flag.level == "soon"
    assert "Does your knee feel hot when you touch it" in flag.advice


def test_missing_does_not_lower_a_more_urgent_level() -> None:
    result = triage_of(
        changed(CALM, {"signs.warm": DELETE, "signs.locking": True, "signs.locked_now": True})
    )
    assert result.level == "urgent"
    assert result.missing == ("signs.warm",)


def test_unknown_other_answer_is_not_evidence() -> None:
    result = triage_of(changed(CALM, {"signs.weakness": DELETE, "hip.limp": DELETE}))
    assert (result.level, result.missing) == ("self_care", ())


def test_an_empty_intake_lists_every_always_question() -> None:
    result = triage_of({"spec": "kneecoach-intake/1"})
    always = next(g for g in load_red_flags().question_groups if g.name == "always")
    assert result.missing == tuple(q.path for q in always.questions)
    assert result.level == "soon"


def test_injury_questions_only_when_onset_is_injury() -> None:
    injury_paths = {"history.injury.heard_pop", "signs.tender_kneecap", "signs.giving_way"}
    gradual = changed(CALM, {"signs.tender_kneecap": DELETE, "signs.giving_way": DELETE})
    assert triage_of(gradual).missing == ()
    injured = changed(
        INJURED,
        {"signs.tender_kneecap": DELETE, "signs.giving_way": DELETE,
         "history.injury.heard_pop": DELETE},
    )  # fmt: skip
    assert set(triage_of(injured).missing) == injury_paths
    no_details = changed(INJURED, {"history.injury": DELETE})
    assert {
        "history.injury.could_walk_4_steps_right_after",
        "history.injury.heard_pop",
        "history.injury.high_energy",
    } <= set(triage_of(no_details).missing)


def test_a_rule_with_an_unknown_part_does_not_fire() -> None:
    # hot + swollen, fever unknown: the emergency rule cannot be decided, the urgent one fires
    result = triage_of(changed(CALM, {"signs.warm": True, "signs.swelling": 2,
                                      "general.fever": DELETE, "general.feels_unwell": DELETE}))  # fmt: skip
    ids = {flag.id for flag in result.flags}
    assert "hot_swollen_knee_at_risk_of_infection" not in ids
    assert "hot_swollen_knee" in ids
    assert result.level == "urgent"
    assert set(result.missing) == {
        "general.fever",
        "general.feels_unwell",
        "signs.swelling_started_days_ago",  # a clear swelling's start is a red-flag question
    }


def test_check_in_facts_fire_the_matching_flags() -> None:
    rules = load_red_flags()
    check_in = {"signs.locking": False, "signs.warm": True, "signs.swelling": 2,
                "general.fever": False, "general.calf_pain_or_swelling": False,
                "signs.giving_way": True, "signs.weakness": True}  # fmt: skip
    assert [flag.id for flag in fired_flags(check_in, rules)] == [
        "hot_swollen_knee",
        "warm_knee_with_swelling",
    ]
    calm = {**check_in, "signs.warm": False}
    assert fired_flags(calm, rules) == ()
    assert [f.id for f in fired_flags({"general.calf_pain_or_swelling": True}, rules)] == [
        "possible_clot_in_leg"
    ]
    hot_with_fever = fired_flags({"signs.warm": True, "general.fever": True}, rules)
    assert hot_with_fever[0].level == "emergency"
    assert fired_flags({}, rules) == ()
