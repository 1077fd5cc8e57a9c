"""The words of data/report.yaml: each one is used, and each clinical term names a real answer."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from kneecoach.core.intake import answer_paths
from kneecoach.core.report import fill
from kneecoach.data.report import clinical_terms, report_words

SOURCE = Path(str(resources.files("kneecoach")))
DYNAMIC = {
    # keys chosen at run time by a value: f"verdict_{…}", f"knee_{side}", a change's direction,
    # a finding's kind
    "verdict_": "verdict_",
    "knee_": "knee_",
    "progress": "w[c.action]",
    "regress": "w[c.action]",
    "pattern": "w[f.kind]",
    "contributor": "w[f.kind]",
}


def test_every_word_of_the_report_file_is_used() -> None:
    code = "".join(
        path.read_text(encoding="utf-8")
        for path in SOURCE.rglob("*")
        if path.suffix in (".py", ".html")
    )
    unused = []
    for key in report_words().text:
        marker = next((m for prefix, m in DYNAMIC.items() if key.startswith(prefix)), None)
        if marker is not None and marker in code:
            continue
        if not any(f"{q}{key}{q}" in code for q in ('"', "'")) and f"words.{key}" not in code:
            unused.append(key)
    assert unused == []


def test_every_clinical_term_is_for_a_real_answer() -> None:
    paths = set(answer_paths())
    assert sorted(set(clinical_terms()) - paths) == []


@pytest.mark.parametrize(
    ("count", "shown"),
    [(1, "1 day before"), (11, "11 days before"), (21, "21 days before"), (0.1, "0.1 days before")],
)
def test_a_count_of_one_reads_singular(count: float, shown: str) -> None:
    assert fill("{days} days before today", {"days": count}).startswith(shown)
