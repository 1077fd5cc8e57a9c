"""The benchmark harness cannot rot silently: its sections import, its options parse and its
report is written from figures. Fake figures only: nothing here measures or asserts a timing."""

from __future__ import annotations

import importlib
from datetime import datetime

import pytest
from benchmarks import report, run
from benchmarks.common import Figure, judged, recorded


def fake_figures() -> list[Figure]:
    return [
        judged("pages", "GET /progress at 5 years", 90.0, "ms", at_most=3, baseline=10.0),
        judged("load", "sqlite: writes/s at 10 clients", 40.0, "/s", at_least=0.5, baseline=50.0),
        judged("load", "sqlite: 5xx responses", 0, "", at_most=0, target_unit=""),
        judged(
            "load", "sqlite: server peak RSS", 120.0, "MB", below=200, baseline=90.0, on_value=True
        ),
        recorded("pipelines", "triage", 500.0, "µs", baseline=80.0, baseline_name="py_steps"),
    ]


def test_each_figure_is_judged_against_its_target() -> None:
    progress, writes, errors, rss, triage = fake_figures()
    assert (progress.ratio, progress.target, progress.holds) == (9.0, "≤ 3×", False)
    assert (writes.ratio, writes.holds) == (0.8, True)
    assert errors.holds is True
    assert rss.holds is True  # judged on the value (120 MB < 200 MB), not on the ratio
    assert triage.holds is None and triage.target == "recorded"


def test_the_report_is_a_dated_table_with_every_figure() -> None:
    figures = fake_figures()
    text = report.document(
        figures, "benchmarks/run.py", [("Details", "raw output")], when=datetime(2026, 1, 2, 3, 4)
    )
    assert "- date: 2026-01-02 03:04" in text
    assert "- machine: " in text and "Python " in text
    assert "| section | figure | measured | baseline | ratio | target | holds |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == len(figures) + 1
    assert "| pages | GET /progress at 5 years | 90.0 ms | 10.0 ms | 9.00× | ≤ 3× | no |" in text
    assert "3 of 4 targets hold (1 recorded only)" in text
    assert "raw output" in text
    for section in run.SECTIONS:  # the page says what each section's ratio means
        assert f"**{section}**" in text
    assert report.text_table(figures).count("\n") == len(figures) + 1


def test_every_section_has_a_run_function() -> None:
    for name in run.SECTIONS:
        assert callable(importlib.import_module(f"benchmarks.{name}").run)


def test_options_choose_sections_and_where_the_report_goes() -> None:
    assert run.parse_args([]).output == run.DOCS
    quick = run.parse_args(["--quick", "--only", "startup"])
    assert (quick.sections, quick.output) == (["startup"], None)
    assert run.parse_args(["--only", "load,pages"]).sections == ["pages", "load"]
    with pytest.raises(SystemExit):
        run.parse_args(["--only", "nonsense"])
