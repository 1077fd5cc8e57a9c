"""decisions.md "Triage decisions, second edition", row by row, and the cases that led to it.

Each test is written from the decision, not from today's output: the answers a clinician would
give, and the level (or the missing question, or the refused plan) the decision asks for.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kneecoach.core.intake import parse_intake
from kneecoach.data.countries import load_countries
from kneecoach.services.assessment import assess_intake
from kneecoach.services.plan import plan_for
from kneecoach.services.triage import red_flag_rules
from kneecoach.settings import reset_settings
from tests.db import in_session
from tests.triage.cases import CALM, DELETE, INJURED, changed, flag_ids, triage_of


def level_of(document: dict[str, Any]) -> str:
    return triage_of(document).level


# ── Injury with no date, or no mechanism ────────────────────────────────────────────────────

FALL_AT_70 = changed(
    INJURED,
    {
        "person.age": 70,
        "history.injury.mechanism": "fall",
        "history.injury.days_ago": DELETE,
        "signs.tender_kneecap": True,
        "signs.cannot_bend_to_90": True,
    },
)


def test_a_fracture_rule_fires_for_an_undated_injury_and_the_date_is_missing() -> None:
    result = triage_of(FALL_AT_70)
    assert result.level == "urgent"
    assert {"ottawa_knee_rule", "pittsburgh_knee_rule"} <= {f.id for f in result.flags}
    assert "history.injury.days_ago" in result.missing


def test_the_undated_fall_gets_no_plan() -> None:
    plan = in_session(plan_for, parse_intake(FALL_AT_70))
    assert plan.refused and plan.sessions == ()
    assert plan.refused_reason == "urgent"


@pytest.mark.parametrize("path", ["history.injury.days_ago", "history.injury.mechanism"])
def test_the_date_and_mechanism_of_an_injury_are_red_flag_questions(path: str) -> None:
    result = triage_of(changed(INJURED, {path: DELETE}))
    assert path in result.missing
    assert result.level != "self_care"


def test_a_fracture_rule_still_needs_its_own_criteria_without_a_date() -> None:
    undated = changed(INJURED, {"history.injury.days_ago": DELETE})
    assert not {"ottawa_knee_rule", "pittsburgh_knee_rule"} & flag_ids(undated)


# ── Fracture rule positive: an X-ray today, never an ambulance ─────────────────────────────


@pytest.mark.parametrize(
    "answers",
    [
        {"person.age": 55},
        {"person.age": 80, "history.injury.mechanism": "direct_blow"},
        {"signs.tender_fibula_head": True},
        {"history.injury.mechanism": "fall", "person.age": 10},
    ],
    ids=["55 and over", "a knock at 80", "fibula head", "a fall at 10"],
)
def test_a_positive_fracture_rule_is_urgent_not_an_emergency(answers: dict[str, Any]) -> None:
    result = triage_of(changed(INJURED, answers))
    assert result.level == "urgent"
    assert result.message is not None
    shown = " ".join([result.message.advice, *(f.advice for f in result.leading_flags)])
    assert "ambulance" not in shown.lower()


@pytest.mark.parametrize(
    "answers",
    [
        {"signs.looks_deformed": True},
        {"history.injury.high_energy": True},
    ],
    ids=["looks out of shape", "high-energy injury"],
)
def test_cannot_bear_weight_after_a_serious_injury_is_the_emergency(
    answers: dict[str, Any],
) -> None:
    cannot_walk = {"signs.can_walk_4_steps_now": False}
    assert level_of(changed(INJURED, {**answers, **cannot_walk})) == "emergency"
    assert level_of(changed(INJURED, answers)) == "urgent"
    assert level_of(changed(INJURED, cannot_walk)) == "urgent"


# ── When emergency is used ─────────────────────────────────────────────────────────────────

EMERGENCIES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("cold foot", CALM, {"general.foot_cold_pale_or_blue": True}),
    ("numb after an injury", INJURED, {"general.numbness_or_tingling": True}),
    ("hot joint with fever", CALM, {"signs.warm": True, "general.fever": True}),
    ("hot joint, feels unwell", CALM, {"signs.warm": True, "general.feels_unwell": True}),
    ("hot swollen, new joint", CALM,
     {"signs.warm": True, "signs.swelling": 2, "signs.swelling_started_days_ago": 30,
      "history.knee_replacement": True}),
    ("hot swollen, weak defences", CALM,
     {"signs.warm": True, "signs.swelling": 2, "signs.swelling_started_days_ago": 30,
      "general.immunosuppressed": True}),
    ("hot swollen, recent injection", CALM,
     {"signs.red": True, "signs.swelling": 2, "signs.swelling_started_days_ago": 30,
      "history.knee_injection_or_surgery_last_6_weeks": True}),
    ("clot with breathlessness", CALM,
     {"general.calf_pain_or_swelling": True, "general.short_of_breath_or_chest_pain": True}),
    ("breathless after an operation", CALM,
     {"history.recent_surgery_weeks": 2, "general.short_of_breath_or_chest_pain": True}),
    ("cauda equina", CALM, {"back.saddle_numbness_or_bladder_bowel_change": True}),
    ("compartment syndrome", INJURED, {"general.tight_painful_calf_or_shin_after_injury": True}),
]  # fmt: skip

NOT_EMERGENCIES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("knock at 60", INJURED, {"person.age": 60, "history.injury.mechanism": "direct_blow"}),
    ("cannot lift the straight leg", CALM, {"signs.can_straight_leg_raise": False}),
    ("cannot lift the straight leg after an injury", INJURED,
     {"signs.can_straight_leg_raise": False}),
    ("kneecap out of place, can walk", INJURED, {"signs.looks_deformed": True}),
    ("big impact, can walk", INJURED, {"history.injury.high_energy": True}),
    ("tense swelling within hours", INJURED,
     {"history.injury.swelling_within_hours": 3, "signs.swelling": 3,
      "signs.swelling_started_days_ago": 3}),
    ("swelling on blood thinners", INJURED,
     {"general.anticoagulants_or_bleeding_disorder": True, "signs.swelling": 1}),
    ("warm with a knee replacement, no swelling", CALM,
     {"history.knee_replacement": True, "signs.warm": True}),
    ("warm after a recent injection, no swelling", CALM,
     {"history.knee_injection_or_surgery_last_6_weeks": True, "signs.warm": True}),
    ("breathless, no risk of a clot", CALM, {"general.short_of_breath_or_chest_pain": True}),
    ("wound near a hot swollen knee", CALM,
     {"general.wound_or_skin_infection_near_knee": True, "signs.warm": True,
      "signs.swelling": 2, "signs.swelling_started_days_ago": 20}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("base", "answers"), [c[1:] for c in EMERGENCIES], ids=[c[0] for c in EMERGENCIES]
)
def test_each_emergency_of_the_decision_is_an_emergency(
    base: dict[str, Any], answers: dict[str, Any]
) -> None:
    assert level_of(changed(base, answers)) == "emergency"


@pytest.mark.parametrize(
    ("base", "answers"), [c[1:] for c in NOT_EMERGENCIES], ids=[c[0] for c in NOT_EMERGENCIES]
)
def test_other_serious_signs_are_seen_today_not_by_ambulance(
    base: dict[str, Any], answers: dict[str, Any]
) -> None:
    assert level_of(changed(base, answers)) == "urgent"


# ── Cannot lift the straight leg; locking ───────────────────────────────────────────────────


def test_locking_that_frees_itself_is_soon_and_a_knee_stuck_now_is_urgent() -> None:
    frees = changed(CALM, {"signs.locking": True, "signs.locked_now": False})
    stuck = changed(CALM, {"signs.locking": True, "signs.locked_now": True})
    assert level_of(frees) == "soon"
    assert level_of(stuck) == "urgent"
    unsure = triage_of(changed(CALM, {"signs.locking": True}))
    assert "signs.locked_now" in unsure.missing


def test_locking_since_an_injury_is_urgent_even_when_it_frees_itself() -> None:
    injured = changed(INJURED, {"signs.locking": True, "signs.locked_now": False})
    assert level_of(injured) == "urgent"


# ── Swelling of unknown onset; warm knee ────────────────────────────────────────────────────


@pytest.mark.parametrize("swelling", [2, 3])
def test_a_clear_swelling_with_no_start_is_missing_and_soon(swelling: int) -> None:
    result = triage_of(changed(CALM, {"signs.swelling": swelling}))
    assert "signs.swelling_started_days_ago" in result.missing
    assert result.level == "soon"


def test_a_mild_swelling_with_no_start_is_not_evidence() -> None:
    result = triage_of(changed(CALM, {"signs.swelling": 1}))
    assert (result.level, result.missing) == ("self_care", ())


@pytest.mark.parametrize(
    ("started", "onset", "level"),
    [(10, "gradual", "soon"), (14, "unknown", "soon"), (30, "gradual", "self_care")],
)
def test_a_new_clear_swelling_without_an_injury_is_soon(
    started: float, onset: str, level: str
) -> None:
    answers = {"signs.swelling": 2, "signs.swelling_started_days_ago": started}
    assert level_of(changed(CALM, {**answers, "history.onset": onset})) == level


def test_a_clear_swelling_with_no_start_and_warmth_is_urgent() -> None:
    assert level_of(changed(CALM, {"signs.swelling": 3, "signs.warm": True})) == "urgent"


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"signs.warm": True, "signs.swelling": 1}, "soon"),
        ({"signs.warm": True, "signs.swelling": 1, "general.immunosuppressed": True}, "urgent"),
        ({"signs.warm": True, "signs.swelling": 1, "general.diabetes": True}, "urgent"),
        ({"signs.warm": True, "signs.swelling": 1, "history.knee_replacement": True}, "urgent"),
        (
            {
                "signs.warm": True,
                "signs.swelling": 1,
                "history.knee_injection_or_surgery_last_6_weeks": True,
            },
            "urgent",
        ),
        ({"signs.warm": True, "signs.swelling": 1, "general.feels_unwell": True}, "emergency"),
        (
            {"general.feels_unwell": True, "signs.swelling": 2,
             "signs.swelling_started_days_ago": 30},
            "urgent",
        ),
    ],
    ids=["warm, a little swelling", "immunosuppressed", "diabetes", "knee replacement",
         "recent injection", "feels unwell", "unwell with clear swelling"],
)  # fmt: skip
def test_warm_knee_decision(answers: dict[str, Any], level: str) -> None:
    assert level_of(changed(CALM, answers)) == level


# ── Severe pain ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"pain.now": 9, "pain.at_rest": True, "pain.at_night": True}, "soon"),
        ({"pain.now": 8, "pain.at_night": True}, "soon"),
        ({"pain.now": 8}, "self_care"),
        ({"pain.now": 7, "pain.at_rest": True, "pain.at_night": True}, "self_care"),
    ],
)
def test_severe_pain_at_rest_or_night_is_soon_with_a_calming_plan(
    answers: dict[str, Any], level: str
) -> None:
    result = triage_of(changed(CALM, answers))
    assert result.level == level
    assert ("calming" in result.pathways) == (level == "soon")


# ── Recent knee surgery ─────────────────────────────────────────────────────────────────────

SURGERY_3_WEEKS = changed(
    CALM, {"history.recent_surgery_weeks": 3, "history.knee_surgery_type": "acl_reconstruction"}
)


@pytest.mark.parametrize(
    "answers",
    [
        {"history.recent_surgery_weeks": 3, "history.knee_surgery_type": "acl_reconstruction"},
        {"history.recent_surgery_weeks": 12, "history.knee_surgery_type": "other"},
        {"history.onset": "after_surgery"},
    ],
    ids=["ACL 3 weeks ago", "any knee operation at 12 weeks", "onset after surgery"],
)
def test_after_knee_surgery_the_plan_is_the_surgical_teams(answers: dict[str, Any]) -> None:
    document = changed(CALM, answers)
    result = triage_of(document)
    assert result.level == "soon"
    assert "after_surgery" in result.pathways
    plan = in_session(plan_for, parse_intake(document))
    assert plan.refused and plan.sessions == ()
    assert plan.refused_reason == "after_surgery"
    assert plan.as_json()["refused_reason"] == "after_surgery"
    surgery_flag = next(f for f in result.flags if f.pathway == "after_surgery")
    assert "surgical team" in surgery_flag.advice and "Ask them" in surgery_flag.advice


def test_an_operation_elsewhere_is_not_the_knee_pathway() -> None:
    elsewhere = changed(CALM, {"history.recent_surgery_weeks": 3})
    assert "after_surgery" not in triage_of(elsewhere).pathways
    assert not in_session(plan_for, parse_intake(elsewhere)).refused


@pytest.mark.parametrize("sign", ["signs.cannot_fully_straighten", "signs.cannot_bend_to_90"])
def test_after_surgery_losing_straightening_or_bending_is_urgent(sign: str) -> None:
    assert level_of(changed(SURGERY_3_WEEKS, {sign: True})) == "urgent"


# ── Children ────────────────────────────────────────────────────────────────────────────────


def test_a_child_under_9_sees_a_doctor_first_and_gets_no_plan() -> None:
    six = changed(CALM, {"person.age": 6})
    result = triage_of(six)
    assert result.level == "soon"
    plan = in_session(plan_for, parse_intake(six))
    assert plan.refused and plan.refused_reason == "child_under_9"
    assert not in_session(plan_for, parse_intake(changed(CALM, {"person.age": 9}))).refused


@pytest.mark.parametrize("path", ["hip.limp", "hip.groin_or_hip_pain"])
def test_a_child_who_skips_the_hip_questions_is_never_self_care(path: str) -> None:
    result = triage_of(changed(CALM, {"person.age": 12, path: DELETE}))
    assert path in result.missing and result.level != "self_care"
    adult = triage_of(changed(CALM, {path: DELETE}))
    assert path not in adult.missing


def test_night_pain_in_a_child_with_no_activity_link_is_urgent() -> None:
    child = changed(CALM, {"person.age": 11, "pain.at_night": True, "pain.at_rest": True})
    assert level_of(child) == "urgent"


# ── Assessment at urgent and soon ───────────────────────────────────────────────────────────


def test_a_9_year_old_with_a_limp_is_urgent_and_the_hip_is_named_for_the_clinician() -> None:
    report = in_session(
        assess_intake, parse_intake(changed(CALM, {"person.age": 9, "hip.limp": True}))
    )
    assert report.triage.level == "urgent"
    assert report.for_the_clinician and not report.withheld
    assert "hip_joint_referral" in {c.id for c in report.assessment.contributors}


def test_sciatica_with_leg_weakness_is_urgent_and_the_back_is_named() -> None:
    sciatica = changed(
        CALM,
        {
            "back.low_back_pain": True,
            "back.leg_pain_below_knee": True,
            "back.pain_changes_with_back_movement": True,
            "general.numbness_or_tingling": True,
            "signs.weakness": True,
        },
    )
    report = in_session(assess_intake, parse_intake(sciatica))
    assert report.triage.level == "urgent"
    assert "lumbar_referral" in {c.id for c in report.assessment.contributors}
    assert in_session(plan_for, parse_intake(sciatica)).refused


def test_at_emergency_only_the_emergency_advice_is_given() -> None:
    report = in_session(
        assess_intake, parse_intake(changed(CALM, {"general.foot_cold_pale_or_blue": True}))
    )
    assert report.withheld
    assert report.assessment.contributors == () and report.assessment.patterns == ()


# ── Body mass index, unrounded ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("weight", "counted"), [(72.15, False), (72.3, True)])
def test_body_mass_index_is_compared_unrounded(weight: float, counted: bool) -> None:
    # 72.15 kg at 170 cm is a BMI of 24.97: not 25
    document = changed(CALM, {"person.height_cm": 170, "person.weight_kg": weight})
    report = in_session(assess_intake, parse_intake(document))
    assert ("body_weight_load" in {c.id for c in report.assessment.contributors}) is counted


# ── One message per level, in the country's words ───────────────────────────────────────────

COUNTRIES = sorted(load_countries().countries)


@pytest.mark.parametrize("country", [*COUNTRIES, None, "FR"])
def test_an_ambulance_or_the_emergency_number_only_at_emergency(country: str | None) -> None:
    rules = in_session(red_flag_rules, country)
    number = re.findall(r"\d+", rules.level("emergency").advice)[0]
    below = [level for level in rules.levels if level.id != "emergency"]
    texts = [f"{lv.summary} {lv.advice}" for lv in below]
    texts += [r.advice for r in rules.rules if r.level != "emergency"]
    texts.append(rules.unanswered.advice)
    for text in texts:
        assert "ambulance" not in text.lower(), text
        assert not re.search(rf"(?<![\d ]){number}(?!\d)", text), text
    for rule in rules.rules:
        if rule.level == "emergency":
            assert number in rule.advice or "emergency" in rule.advice.lower(), rule.id


@pytest.mark.parametrize(
    ("country", "number", "service"),
    [
        ("GB", "999", "A&E"),
        ("IE", "112", "emergency department"),
        ("US", "911", "emergency room"),
        ("CA", "911", "emergency"),
        ("AU", "000", "emergency department"),
        ("NZ", "111", "emergency department"),
        (None, "112", "emergency department"),
        ("FR", "112", "emergency department"),
    ],
)
def test_each_country_is_told_its_own_number(
    country: str | None, number: str, service: str
) -> None:
    hot = changed(CALM, {"signs.warm": True, "general.fever": True})
    if country is not None:
        hot["country"] = country
    result = triage_of(hot)
    assert result.level == "emergency" and result.message is not None
    assert number in result.message.advice
    assert service in result.message.advice
    assert number in result.leading_flags[0].advice
    assert "{" not in result.message.advice + result.leading_flags[0].advice


WHEN_WORDS = {
    "emergency": re.compile(r"\bnow\b"),
    "urgent": re.compile(r"\btoday\b"),
    "soon": re.compile(r"\b(days|weeks?|2 weeks)\b"),
}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


CONDITIONAL = re.compile(r"^If\b|\b(today|now|sooner|at once)\s+if\b")


def _unconditional(text: str) -> str:
    """The sentences that give an order, leaving out "Go today if it gets worse" ones."""
    return " ".join(s for s in _sentences(text) if not CONDITIONAL.search(s))


@pytest.mark.parametrize("country", ["GB", "US", None])
def test_the_words_at_a_level_never_contradict_a_rules_own_advice(country: str | None) -> None:
    rules = in_session(red_flag_rules, country)
    for rule in rules.rules:
        level = rules.level(rule.level)
        orders = _unconditional(rule.advice)
        assert WHEN_WORDS[rule.level].search(orders), (rule.id, orders)
        assert WHEN_WORDS[rule.level].search(_unconditional(level.advice)), level.id
        if rule.level == "soon":
            assert not re.search(r"\btoday\b|\bnow\b", orders), (rule.id, orders)
        if rule.level == "urgent":
            assert not re.search(r"within (a few days|2 weeks)|next few days", orders), rule.id


def test_an_intake_country_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_COUNTRY", "US")
    reset_settings()
    hot = changed(CALM, {"signs.warm": True, "general.fever": True})
    message = triage_of(hot).message
    assert message is not None and "911" in message.advice
    hot["country"] = "GB"
    message = triage_of(hot).message
    assert message is not None and "999" in message.advice


def test_no_self_care_case_is_told_to_see_anyone_urgently() -> None:
    result = triage_of(CALM)
    assert result.level == "self_care" and result.flags == ()
    assert result.message is not None and "today" not in result.message.advice
