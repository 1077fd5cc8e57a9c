"""The knowledge files: every path exists, every entry is sourced, ids match the spec."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from kneecoach.core.assessment import leaves_of
from kneecoach.core.intake import History as HistoryModel
from kneecoach.core.intake import (
    Injury,
    PainLocation,
    PainTrigger,
    SelfTests,
    answer_paths,
)
from kneecoach.core.measures import DERIVED_FACTS
from kneecoach.core.rules import Condition, Leaf, parse_condition, paths_in
from kneecoach.data.assessment import (
    SPEC_CONTRIBUTOR_IDS,
    SPEC_PATTERN_IDS,
    EvidenceEntry,
    load_assessment_knowledge,
    load_contributors_file,
    load_patterns_file,
)
from kneecoach.data.files import read_yaml
from kneecoach.data.self_tests import SelfTest, load_self_tests, load_self_tests_file


def all_conditions() -> list[tuple[str, Condition]]:
    found: list[tuple[str, Condition]] = []
    for key, contributor in load_contributors_file().contributors.items():
        found += [(f"{key}.{e.id}", e.condition) for e in contributor.evidence]
    for key, pattern in load_patterns_file().patterns.items():
        for entry in [*pattern.required, *pattern.supporting, *pattern.against]:
            found.append((f"{key}.{entry.id}", entry.condition))
    return found


def leaves(condition: Condition) -> list[Leaf]:
    return list(leaves_of(condition))


def test_every_path_is_an_intake_answer_or_a_declared_derived_fact() -> None:
    known = answer_paths() | set(DERIVED_FACTS)
    for where, condition in all_conditions():
        unknown = [p for p in paths_in(condition) if p not in known]
        assert not unknown, f"{where} reads unknown paths {unknown}"


def _choices(annotation: Any) -> set[str]:
    return {
        a for arg in get_args(annotation) for a in (get_args(arg) or (arg,)) if isinstance(a, str)
    }


ALLOWED_VALUES: dict[str, set[str]] = {
    "pain.location": set(get_args(PainLocation)),
    "pain.worse_with": set(get_args(PainTrigger)),
    "history.onset": _choices(HistoryModel.model_fields["onset"].annotation),
    "history.kneecap_dislocation": _choices(
        HistoryModel.model_fields["kneecap_dislocation"].annotation
    ),
    "history.training_change_last_4_weeks": _choices(
        HistoryModel.model_fields["training_change_last_4_weeks"].annotation
    ),
    "history.injury.mechanism": _choices(Injury.model_fields["mechanism"].annotation),
}


def test_every_compared_choice_is_one_the_intake_allows() -> None:
    for where, condition in all_conditions():
        for leaf in leaves(condition):
            allowed = ALLOWED_VALUES.get(leaf.path)
            if allowed is None:
                continue
            values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
            assert set(values) <= allowed, f"{where}: {leaf.path} {values} not in {allowed}"


def test_contributor_ids_are_exactly_the_spec_ids() -> None:
    assert list(load_contributors_file().contributors) == list(SPEC_CONTRIBUTOR_IDS)


def test_pattern_ids_hold_every_spec_id() -> None:
    assert set(SPEC_PATTERN_IDS) <= set(load_patterns_file().patterns)


@pytest.mark.parametrize("name", ["contributors.yaml", "patterns.yaml", "self_tests.yaml"])
def test_each_file_has_a_version_and_every_entry_a_source_or_basis(name: str) -> None:
    raw = read_yaml(name)
    assert raw.get("version")

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "when" in node or "weight" in node or "value" in node or "rule" in node:
                assert node.get("source") or node.get("basis") == "product-decision", where
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")

    walk(raw, name)


def test_an_entry_without_source_or_basis_is_rejected() -> None:
    with pytest.raises(ValueError, match="source or basis"):
        EvidenceEntry.model_validate({"id": "x", "when": {"signs.warm": True}, "weight": 0.5})
    with pytest.raises(ValueError):
        EvidenceEntry.model_validate(
            {"id": "x", "when": {"signs.warm": {"bigger": 1}}, "weight": 0.5, "source": "s"}
        )


def test_every_pattern_summary_is_worded_as_a_pattern_not_a_diagnosis() -> None:
    for pattern in load_assessment_knowledge().patterns:
        assert pattern.summary.startswith("Your answers fit a pattern often called"), pattern.id
        assert pattern.advice and pattern.safety


def test_self_tests_cover_exactly_the_intake_self_tests_section() -> None:
    assert [t.id for t in load_self_tests()] == list(SelfTests.model_fields)
    paths = answer_paths()
    for test in load_self_tests():
        if test.sides:
            assert {f"{test.answer_path}.left", f"{test.answer_path}.right"} <= paths
        else:
            assert test.answer_path in paths
        assert set(test.contributors) <= set(SPEC_CONTRIBUTOR_IDS), test.id


def test_each_norm_agrees_with_the_contributor_rule_that_uses_it() -> None:
    contributors = load_contributors_file().contributors
    checked = 0
    for test in load_self_tests():
        for norm in test.norms:
            if norm.evidence is None:
                continue
            contributor_id, evidence_id = norm.evidence.split(".")
            (entry,) = [e for e in contributors[contributor_id].evidence if e.id == evidence_id]
            if norm.value is not None:
                thresholds = [leaf.value for leaf in leaves(entry.condition) if leaf.op != "eq"]
                assert thresholds == [norm.value], f"{test.id}.{norm.id} vs {norm.evidence}"
            checked += 1
    assert checked >= 10


def test_the_chair_stand_table_is_rikli_and_jones_25th_percentiles() -> None:
    table = load_self_tests_file().tests["chair_stand_30s"].percentile_25
    assert table is not None
    assert [(b.from_age, b.female, b.male) for b in table.bands] == [
        (60, 12, 14), (65, 11, 12), (70, 10, 12), (75, 10, 11),
        (80, 9, 10), (85, 8, 8), (90, 4, 7),
    ]  # fmt: skip
    assert table.other_or_unknown_sex.basis == "product-decision"
    assert table.below_youngest_band.basis == "product-decision"


def test_every_self_test_has_numbered_steps_a_pass_and_safety_notes() -> None:
    for test in load_self_tests():
        assert len(test.steps) >= 3 and test.pass_.text and test.safety, test.id
        assert all(n.source or n.basis for n in test.norms), test.id
        assert bool(test.norms) != bool(test.no_norm), test.id


def _a_self_test(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = read_yaml("self_tests.yaml")["tests"]["timed_up_and_go_s"]
    return {**raw, **changes}


def test_a_self_test_needs_norms_or_a_note_saying_why_there_are_none() -> None:
    no_norm = {"text": "None are published.", "source": "Dobson 2013"}
    assert SelfTest.model_validate(_a_self_test(norms=[], no_norm=no_norm)).no_norm
    with pytest.raises(ValueError, match="no_norm note saying why"):
        SelfTest.model_validate(_a_self_test(norms=[]))
    with pytest.raises(ValueError, match="not both"):
        SelfTest.model_validate(_a_self_test(no_norm=no_norm))
    with pytest.raises(ValueError, match="source or basis"):
        SelfTest.model_validate(_a_self_test(norms=[], no_norm={"text": "None."}))


def test_the_oarsi_walk_and_stair_tests_have_no_invented_cut_off() -> None:
    tests = load_self_tests_file().tests
    for test_id in ("fast_walk_40m_s", "stair_climb_s"):
        test = tests[test_id]
        assert test.norms == [] and test.no_norm is not None, test_id
        assert "Dobson" in (test.no_norm.source or ""), test_id
        assert test.no_norm.basis is None, test_id
    stairs = tests["stair_climb_s"]
    assert "9 steps" in stairs.question and any("9 steps" in step for step in stairs.steps)


def test_timed_up_and_go_norms_are_bohannon_means_and_the_steadi_fall_risk_line() -> None:
    norms = {n.id: n for n in load_self_tests_file().tests["timed_up_and_go_s"].norms}
    assert norms["fall_risk"].value == 12 and "STEADI" in (norms["fall_risk"].source or "")
    means = [(i, n.value) for i, n in norms.items() if i.startswith("mean_")]
    assert means == [("mean_60_to_69", 8.1), ("mean_70_to_79", 9.2), ("mean_80_to_99", 11.3)]
    assert all("Bohannon" in (norms[i].source or "") for i, _ in means)


def test_single_leg_stance_means_are_springer_and_the_pass_mark_a_product_decision() -> None:
    norms = load_self_tests_file().tests["single_leg_stance_s"].norms
    means = [n.value for n in norms if n.id.startswith("mean_")]
    assert means == [44, 41, 41, 32, 21, 9]
    assert all("Springer" in (n.source or "") for n in norms if n.id.startswith("mean_"))
    (pass_mark,) = [n for n in norms if n.id == "below_age_mean"]
    assert pass_mark.basis == "product-decision"


def test_a_condition_with_an_unknown_path_would_be_caught() -> None:
    bad = parse_condition({"signs.warmth": True})
    assert [p for p in paths_in(bad) if p not in answer_paths()] == ["signs.warmth"]
