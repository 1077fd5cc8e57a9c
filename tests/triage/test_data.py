"""The red-flag and question files are valid, complete and readable."""

from __future__ import annotations

import re
from typing import Any

import pytest
import textstat

from kneecoach.core.intake import answer_paths
from kneecoach.core.rules import paths_in
from kneecoach.core.triage import LEVELS, questions_that_apply
from kneecoach.data.files import read_yaml
from kneecoach.data.intake_questions import build_sections, load_intake_questions
from kneecoach.data.red_flags import build_rules, load_red_flags

DECISIONS_ALWAYS = {
    "person.age", "pain.at_night", "pain.at_rest", "signs.swelling", "signs.warm", "signs.red",
    "signs.locking", "signs.can_walk_4_steps_now", "signs.can_straight_leg_raise",
    "signs.looks_deformed", "signs.lump", "general.fever", "general.feels_unwell",
    "general.calf_pain_or_swelling", "general.short_of_breath_or_chest_pain",
    "general.foot_cold_pale_or_blue", "general.numbness_or_tingling",
    "general.unexplained_weight_loss", "general.cancer_history", "general.immunosuppressed",
    "general.other_swollen_joints", "general.rapidly_worsening",
    "back.saddle_numbness_or_bladder_bowel_change", "history.knee_replacement",
}  # fmt: skip
DECISIONS_INJURY = {
    "history.injury.could_walk_4_steps_right_after", "history.injury.heard_pop",
    "history.injury.high_energy", "signs.tender_kneecap", "signs.tender_fibula_head",
    "signs.cannot_bend_to_90", "signs.giving_way", "general.anticoagulants_or_bleeding_disorder",
    # second edition: the date and mechanism of the injury, and compartment syndrome
    "history.injury.days_ago", "history.injury.mechanism",
    "general.tight_painful_calf_or_shin_after_injury",
}  # fmt: skip
# Second edition: questions that become red-flag questions in one situation.
DECISIONS_SITUATIONAL = {
    "clear_swelling": ({"signs.swelling": 2}, {"signs.swelling": 1},
                       {"signs.swelling_started_days_ago"}),
    "child_or_teenager": ({"person.age": 15}, {"person.age": 16},
                          {"hip.limp", "hip.groin_or_hip_pain"}),
    "knee_gets_stuck": ({"signs.locking": True}, {"signs.locking": False}, {"signs.locked_now"}),
}  # fmt: skip
# Answers a document may hold that the intake wizard does not ask, and why.
NOT_ASKED_IN_THE_WIZARD = {
    "country",  # a setting, asked once at the start and changed in settings
}  # fmt: skip
USER_KEYS = {
    "text", "advice", "question", "help", "steps", "feel", "mistakes", "safety", "how",
    "message", "explanation", "summary", "title", "label", "name", "why_text",
}  # fmt: skip


def test_red_flag_questions_are_exactly_those_of_the_decisions() -> None:
    groups = {g.name: g for g in load_red_flags().question_groups}
    assert {q.path for q in groups["always"].questions} == DECISIONS_ALWAYS
    assert groups["always"].applies_when is None
    assert {q.path for q in groups["after_injury"].questions} == DECISIONS_INJURY
    assert set(groups) == {"always", "after_injury", *DECISIONS_SITUATIONAL}


@pytest.mark.parametrize("name", sorted(DECISIONS_SITUATIONAL))
def test_situational_red_flag_questions_apply_only_in_their_situation(name: str) -> None:
    rules = load_red_flags()
    applies, does_not, paths = DECISIONS_SITUATIONAL[name]
    for facts, expected in ((applies, paths), (does_not, set())):
        asked = {q.path for q in questions_that_apply(facts, rules)}
        assert asked & paths == expected, facts


def test_every_rule_is_sound() -> None:
    rules = load_red_flags()
    known = answer_paths()
    ids = [rule.id for rule in rules.rules]
    assert len(ids) == len(set(ids))
    assert [level.id for level in rules.levels] == list(LEVELS)
    for rule in rules.rules:
        assert rule.level in ("emergency", "urgent", "soon"), rule.id
        assert rule.source.strip() or rule.basis == "product-decision", rule.id
        assert set(paths_in(rule.when)) <= known, rule.id
        assert rule.advice and rule.title


def test_raw_file_has_a_version_and_each_rule_a_source() -> None:
    raw = read_yaml("red_flags.yaml")
    assert raw["version"]
    for rule in raw["rules"]:
        assert rule.get("source") or rule.get("basis") == "product-decision"


def _raw_red_flags() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("red_flags.yaml")
    return data


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["rules"][0].update(level="later"), "level"),
        (lambda d: d["rules"][1].update(id=d["rules"][0]["id"]), "unique"),
        (lambda d: d["rules"][0].update(when={"signs.hot": True}), "signs.hot"),
        (lambda d: d["rules"][0].pop("source"), "source"),
        (lambda d: d["rules"][0].update(colour="red"), "colour"),
        (lambda d: d["red_flag_questions"][0]["questions"].append({"path": "x.y", "question": "?"}),
         "x.y"),
        (lambda d: d["levels"].reverse(), "order"),
        (lambda d: d["rules"][0].update(when={"signs.warm": {"roughly": 1}}), "operator"),
    ],
)  # fmt: skip
def test_a_broken_red_flag_file_is_refused_with_the_reason(change: Any, complaint: str) -> None:
    raw = _raw_red_flags()
    change(raw)
    with pytest.raises(ValueError, match=complaint):
        build_rules(raw)


def test_every_intake_answer_has_a_question() -> None:
    asked: set[str] = set()
    for section in load_intake_questions():
        for question in section.questions:
            if question.sided:
                asked |= {f"{question.path}.left", f"{question.path}.right"}
            else:
                asked.add(question.path)
    assert asked == answer_paths() - NOT_ASKED_IN_THE_WIZARD
    assert answer_paths() >= NOT_ASKED_IN_THE_WIZARD


def test_safety_questions_come_first_with_the_red_flag_words() -> None:
    sections = load_intake_questions()
    safety = sections[0]
    rules = load_red_flags()
    assert set(rules.red_flag_paths()) <= {q.path for q in safety.questions}
    for question in safety.questions:
        if question.red_flag:
            assert question.question == rules.question_for(question.path)


def test_question_file_refuses_unknown_paths_and_missing_words() -> None:
    raw = read_yaml("intake_questions.yaml")
    raw["sections"][1]["questions"].append({"path": "person.shoe_size", "kind": "number",
                                            "question": "Size?"})  # fmt: skip
    with pytest.raises(ValueError, match=r"person\.shoe_size"):
        build_sections(raw)
    raw = read_yaml("intake_questions.yaml")
    raw["sections"][1]["questions"][0].pop("question")
    with pytest.raises(ValueError, match="no question"):
        build_sections(raw)


def _user_text(node: Any, key: str | None = None) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _user_text(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _user_text(v, key)]
    return [node] if isinstance(node, str) and key in USER_KEYS else []


@pytest.mark.parametrize("name", ["red_flags.yaml", "intake_questions.yaml"])
def test_plain_words(name: str) -> None:
    strings = _user_text(read_yaml(name))
    assert len(strings) > 20
    assert textstat.flesch_kincaid_grade(" ".join(strings)) <= 8


def test_advice_never_diagnoses() -> None:
    verdict = re.compile(
        r"\byou (have|'ve got) (a |an )?(septic|infection|fracture|broken|torn|tear|dvt|clot|"
        r"cancer|tumour|gout|arthritis)"
    )
    for rule in load_red_flags().rules:
        assert not verdict.search(rule.advice.lower()), rule.id
        assert "diagnos" not in rule.advice.lower(), rule.id
