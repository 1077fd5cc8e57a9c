"""The plan's knowledge files: every id and path they name exists, every contributor can be
answered, every item has a source, and a broken file is refused with its place named."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from kneecoach.core.exercises import EQUIPMENT_IDS
from kneecoach.core.planning import Need, cover_for
from kneecoach.core.rules import evaluate, paths_in
from kneecoach.core.vocabulary import CONTRIBUTORS, PATTERNS
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.files import read_yaml
from kneecoach.data.planning import (
    ADVICE_FILE,
    PLAN_RULES_FILE,
    PROGRESSION_FILE,
    PlanDataError,
    advice_paths,
    build_advice,
    build_plan_rules,
    build_progression_rules,
    load_advice,
    load_plan_rules,
    load_progression_rules,
)

RULES = load_plan_rules()
ADVICE = load_advice()
CATALOGUE = load_catalogue()


def all_needs() -> list[Need]:
    needs = list(RULES.core) + list(RULES.extras)
    needs += [n for group in RULES.patterns.values() for n in group]
    needs += [n for group in RULES.contributors.values() for n in group]
    return needs


def test_files_carry_a_version() -> None:
    for name in (PLAN_RULES_FILE, ADVICE_FILE, PROGRESSION_FILE):
        assert str(read_yaml(name)["version"]).strip()


@pytest.mark.parametrize("need", all_needs(), ids=lambda n: n.id)
def test_every_need_can_be_filled_with_full_equipment(need: Need) -> None:
    matching = [e for e in CATALOGUE.exercises if need.select.matches(e)]
    assert len({CATALOGUE.chain(e.id)[0].id for e in matching}) >= 1, need.id
    assert all(set(e.equipment) <= set(EQUIPMENT_IDS) for e in matching)
    for preferred in need.prefer:
        assert CATALOGUE.get(preferred) is not None


def test_core_strength_can_be_done_with_no_equipment_in_five_minutes() -> None:
    for need in RULES.core:
        bare = [e for e in CATALOGUE.exercises if need.select.matches(e) and not e.equipment]
        assert bare, need.id
        assert min(e.minutes * e.dose.sets.min / e.dose.sets.start for e in bare) <= 2.5


def test_schedule_fits_the_catalogue_days_per_week_and_leaves_a_rest_day() -> None:
    used: set[int] = set()
    for rules in CATALOGUE.kind_rules:
        days = RULES.schedule[rules.kind]
        assert rules.days_per_week.min <= len(days) <= rules.days_per_week.max, rules.kind
        used |= set(days)
    strength = RULES.schedule["strength"]
    assert all(b - a >= 2 for a, b in itertools.pairwise(strength))
    assert used != set(range(1, 8))


def test_pattern_and_contributor_strategies_use_known_ids() -> None:
    assert set(RULES.patterns) <= set(PATTERNS)
    assert set(RULES.contributors) <= set(CONTRIBUTORS)
    assert RULES.refuse_levels == {"urgent", "emergency"}


@pytest.mark.parametrize("contributor", CONTRIBUTORS)
def test_every_contributor_has_advice_that_covers_it_when_no_exercise_can(contributor: str) -> None:
    facts = {f"contributor.{contributor}": 0.5, "triage.level": "self_care"}
    cover = cover_for(contributor, ADVICE, facts)
    assert cover is not None and contributor in cover.targets
    assert cover.when is None or evaluate(cover.when, facts).truth is not False


def test_advice_conditions_read_known_paths_and_items_are_sourced() -> None:
    known = advice_paths()
    topics = set(ADVICE.topics)
    for item in ADVICE.items:
        assert item.topic in topics and item.source
        if item.when is not None:
            assert set(paths_in(item.when)) <= known


def test_lateral_wedges_are_advised_against_and_orthoses_only_for_front_knee_pain() -> None:
    wedges = next(a for a in ADVICE.items if a.id == "no_wedge_insoles")
    assert "not advised" in wedges.text and "AAOS 2021" in wedges.source
    assert wedges.when is not None and "pattern.knee_osteoarthritis" in paths_in(wedges.when)
    orthoses = next(a for a in ADVICE.items if a.id == "insoles_front_knee")
    assert "a few weeks" in orthoses.text and "2018" in orthoses.source


def test_see_professional_comes_first() -> None:
    assert ADVICE.topics[0] == "see_professional"


def test_progression_thresholds_follow_the_pain_monitoring_model() -> None:
    rules = load_progression_rules()
    assert [(z.id, z.max_pain) for z in rules.zones] == [
        ("safe", 3), ("acceptable", 5), ("too_much", 10)
    ]  # fmt: skip
    assert rules.rules[0].action == "stop"
    assert rules.rules[-1].when is None
    assert rules.ladders["progress"].index("reps_up") < rules.ladders["progress"].index(
        "harder_variant"
    )


def broken(name: str, change: Any) -> dict[str, Any]:
    raw: dict[str, Any] = copy.deepcopy(read_yaml(name))
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("build", "name", "change", "message"),
    [
        (build_plan_rules, PLAN_RULES_FILE, lambda r: r["core"][0]["select"].update(targets_any=["knees"]), "knees"),
        (build_plan_rules, PLAN_RULES_FILE, lambda r: r["schedule"].update(strength=[1, 8]), "schedule"),
        (build_plan_rules, PLAN_RULES_FILE, lambda r: r.update(surprise=1), "surprise"),
        (build_advice, ADVICE_FILE, lambda r: r["items"][0].update(when={"signs.hotness": True}), "signs.hotness"),
        (build_advice, ADVICE_FILE, lambda r: r["items"][0].pop("source"), "source"),
        (build_advice, ADVICE_FILE, lambda r: r["items"][0].update(targets=["bad_knees"]), "bad_knees"),
        (build_progression_rules, PROGRESSION_FILE, lambda r: r["rules"][0].update(when={"last.mood": 1}), "last.mood"),
        (build_progression_rules, PROGRESSION_FILE, lambda r: r["rules"].pop(), "default"),
        (build_plan_rules, PLAN_RULES_FILE, lambda r: r["core"][2]["levels"]["steps"][0].update(start_at="glute_bridge"), "does not fit the need"),
        (build_plan_rules, PLAN_RULES_FILE, lambda r: r["core"][2]["levels"]["steps"][0].update(start_at="no_such_thing"), "no exercise"),
        (build_progression_rules, PROGRESSION_FILE, lambda r: r["steps"].update(load_rungs=2), "load_rungs"),
        (build_progression_rules, PROGRESSION_FILE, lambda r: r["ladders"]["progress"].append("load_double"), "load_double"),
    ],
)  # fmt: skip
def test_a_broken_file_is_refused_naming_the_place(
    build: Any, name: str, change: Any, message: str
) -> None:
    with pytest.raises(PlanDataError) as error:
        build(broken(name, change))
    assert name in str(error.value) and message in str(error.value)


@pytest.mark.parametrize(
    ("facts", "rung", "level"),
    [
        ({"person.age": 80}, "supported_single_leg_stance", 1),
        ({"person.age": 62, "self_tests.timed_up_and_go_s": 13.0}, "supported_single_leg_stance", 1),
        ({"person.age": 40, "history.injury.mechanism": "fall"}, "supported_single_leg_stance", 1),
        ({"person.age": 66}, "tandem_stance", 2),
        ({"person.age": 35, "signs.giving_way": True}, "single_leg_stance", 3),
    ],
)  # fmt: skip
def test_balance_starts_at_the_gla_d_level_the_answers_pick(
    facts: dict[str, Any], rung: str, level: int
) -> None:
    """People of 60 and over, or whose knee gives way, or who fell, get balance work at a
    GLA:D level: the level's rung comes first and its reason is added (plan_rules.yaml)."""
    balance = next(n for n in RULES.core if n.id == "core_balance")
    assert balance.applies(facts)
    chosen = balance.at_level(facts)
    assert chosen.prefer[0] == rung
    assert f"level {level}" in chosen.why_text


def test_no_balance_need_under_60_without_giving_way_or_a_fall() -> None:
    balance = next(n for n in RULES.core if n.id == "core_balance")
    assert not balance.applies({"person.age": 45, "signs.giving_way": False})
