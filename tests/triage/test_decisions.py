"""decisions.md "Triage decisions", row by row, and the over-triage checks of issue 3."""

from __future__ import annotations

from typing import Any

import pytest

from tests.triage.cases import CALM, INJURED, changed, triage_of

ROWS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    # Ottawa / Pittsburgh time window: 7 days; later, weight bearing and locking still escalate
    # (second edition: the fracture rules ask for an X-ray today, not an ambulance)
    ("ottawa within 7 days", INJURED, {"person.age": 60, "history.injury.days_ago": 7}, "urgent"),
    ("ottawa after 7 days", INJURED, {"person.age": 60, "history.injury.days_ago": 9}, "self_care"),
    ("pittsburgh after 7 days", INJURED,
     {"person.age": 60, "history.injury.mechanism": "fall", "history.injury.days_ago": 9},
     "self_care"),
    ("old injury, cannot bear weight", INJURED,
     {"history.injury.days_ago": 30, "signs.can_walk_4_steps_now": False}, "urgent"),
    ("old injury, locked knee", INJURED,
     {"history.injury.days_ago": 60, "signs.locking": True}, "urgent"),
    # Calf pain or swelling
    ("calf, no risk factor", CALM, {"general.calf_pain_or_swelling": True}, "urgent"),
    ("calf and breathless", CALM,
     {"general.calf_pain_or_swelling": True, "general.short_of_breath_or_chest_pain": True},
     "emergency"),
    # Breathless or chest pain after an operation or immobilisation, with or without calf
    ("breathless after operation", CALM,
     {"history.recent_surgery_weeks": 3, "general.short_of_breath_or_chest_pain": True},
     "emergency"),
    ("breathless after a cast", CALM,
     {"history.immobilised_last_4_weeks": True, "general.short_of_breath_or_chest_pain": True},
     "emergency"),
    # Hot, swollen knee: at least urgent whatever the duration; emergency with risk factors
    ("hot swollen on long-standing problem", CALM,
     {"signs.warm": True, "signs.swelling": 2, "history.weeks_since_onset": 520}, "urgent"),
    ("hot swollen knee on osteoarthritis at 70", CALM,
     {"person.age": 70, "signs.warm": True, "signs.swelling": 3, "history.weeks_since_onset": 300},
     "urgent"),
    ("warm with fever", CALM, {"signs.warm": True, "general.fever": True}, "emergency"),
    ("warm and unwell", CALM, {"signs.warm": True, "general.feels_unwell": True}, "emergency"),
    ("hot swollen, immunosuppressed", CALM,
     {"signs.warm": True, "signs.swelling": 2, "general.immunosuppressed": True}, "emergency"),
    ("hot swollen, knee replacement", CALM,
     {"signs.warm": True, "signs.swelling": 2, "history.knee_replacement": True}, "emergency"),
    ("hot swollen, recent injection", CALM,
     {"signs.warm": True, "signs.swelling": 2,
      "history.knee_injection_or_surgery_last_6_weeks": True}, "emergency"),
    # Escalate without a reported injury
    ("cannot bear weight, no injury", CALM, {"signs.can_walk_4_steps_now": False}, "urgent"),
    ("cold foot, no injury", CALM, {"general.foot_cold_pale_or_blue": True}, "emergency"),
    ("no straight-leg raise, no injury", CALM, {"signs.can_straight_leg_raise": False},
     "urgent"),  # second edition
    # Numbness or tingling
    ("numb after injury", INJURED, {"general.numbness_or_tingling": True}, "emergency"),
    ("numb with cold foot", CALM,
     {"general.numbness_or_tingling": True, "general.foot_cold_pale_or_blue": True}, "emergency"),
    ("numb with saddle numbness", CALM,
     {"general.numbness_or_tingling": True,
      "back.saddle_numbness_or_bladder_bowel_change": True}, "emergency"),
    ("numb with leg weakness", CALM,
     {"general.numbness_or_tingling": True, "signs.weakness": True}, "urgent"),
    ("numb with back pain", CALM,
     {"general.numbness_or_tingling": True, "back.low_back_pain": True}, "soon"),
    # Giving way
    ("giving way, injury 5 weeks ago", INJURED,
     {"signs.giving_way": True, "history.injury.days_ago": 35}, "urgent"),
    ("giving way, old injury", INJURED,
     {"signs.giving_way": True, "history.injury.days_ago": 400}, "soon"),
    ("giving way with weakness, osteoarthritis", CALM,
     {"person.age": 66, "signs.giving_way": True, "signs.weakness": True}, "self_care"),
    # Night pain
    ("night pain alone", CALM, {"pain.at_night": True}, "self_care"),
    ("night pain alone at 70", CALM, {"person.age": 70, "pain.at_night": True}, "self_care"),
    ("night and rest pain with weight loss", CALM,
     {"pain.at_night": True, "pain.at_rest": True, "general.unexplained_weight_loss": True},
     "soon"),
    ("night pain with cancer history", CALM,
     {"pain.at_night": True, "general.cancer_history": True}, "soon"),
    ("night pain with a lump", CALM, {"pain.at_night": True, "signs.lump": True}, "soon"),
    ("child night pain, no activity link", CALM,
     {"person.age": 11, "pain.at_night": True, "pain.at_rest": True, "pain.worse_with": []},
     "urgent"),  # second edition: an X-ray within 48 hours
    # Children and teenagers
    ("under 16 with a limp", CALM, {"person.age": 14, "hip.limp": True}, "urgent"),
    ("under 16 with hip pain", CALM, {"person.age": 12, "hip.groin_or_hip_pain": True}, "urgent"),
    ("under 16 cannot walk", CALM, {"person.age": 13, "signs.can_walk_4_steps_now": False},
     "emergency"),
    ("child with fever", CALM, {"person.age": 7, "general.fever": True}, "emergency"),
    ("16 with a limp is not a child rule", CALM, {"person.age": 16, "hip.limp": True},
     "self_care"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("base", "answers", "level"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_decision_row(base: dict[str, Any], answers: dict[str, Any], level: str) -> None:
    assert triage_of(changed(base, answers)).level == level


OVER_TRIAGE: list[tuple[str, dict[str, Any]]] = [
    ("painless clicking alone", {"signs.clicking": True, "signs.clicking_painful": False}),
    ("mild swelling without warmth", {"signs.swelling": 1}),
    ("a 56-year-old with gradual pain", {"person.age": 56, "history.weeks_since_onset": 30}),
    ("warm alone", {"signs.warm": True}),
    ("red alone", {"signs.red": True}),
    ("fever alone, adult", {"general.fever": True}),
    ("catching alone, adult", {"signs.catching": True}),
    ("rest pain alone", {"pain.at_rest": True}),
    ("stiffness 20 minutes", {"signs.morning_stiffness_min": 20}),
]


@pytest.mark.parametrize("answers", [a for _, a in OVER_TRIAGE], ids=[n for n, _ in OVER_TRIAGE])
def test_no_over_triage(answers: dict[str, Any]) -> None:
    result = triage_of(changed(CALM, answers))
    assert (result.level, result.flags) == ("self_care", ())


def test_painful_clicking_is_not_an_emergency() -> None:
    result = triage_of(changed(CALM, {"signs.clicking": True, "signs.clicking_painful": True}))
    assert result.level in ("self_care", "soon")
