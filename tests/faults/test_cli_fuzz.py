"""Generated bad files through the CLI: intake answers (`triage --answers`) shaped like
`kneecoach-intake/1` but with wrong types, unknown keys, deep nesting and huge numbers, and
check-in CSVs (`checkins import`) with random cells, bad dates, formula cells and bad factor
names. Whatever arrives, the CLI never shows a traceback: it exits 0, or 2 with exactly one
line on stderr that starts with "error:". Bounded: a fixed number of examples each."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecoach.core.checkins import COLUMNS
from tests.cli_helpers import Result, run_cli
from tests.conftest import EXAMPLES

EXAMPLES_EACH = 60
BOUNDED = settings(
    max_examples=EXAMPLES_EACH,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
BASE_INTAKE: dict[str, Any] = json.loads((EXAMPLES / "hiker-downhill-front-pain.json").read_text())

huge = st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 1e-320])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge,
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", "NaN", "Infinity", "-1", "1e999", "yes", "\u202e", "\x00"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def deep(depth: int) -> Any:
    value: Any = 1
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


@st.composite
def intakes(draw: st.DrawFn) -> Any:
    """The example intake with some of its answers changed, dropped or added to, or not a
    document at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    document = json.loads(json.dumps(BASE_INTAKE))
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from([*document.keys(), "unknown"]))
        where = document.get(section)
        action = draw(st.sampled_from(["replace", "drop", "add", "section", "deep"]))
        if action == "section" or not isinstance(where, dict) or not where:
            document[section] = draw(json_values)
        elif action == "deep":
            document[section] = deep(draw(st.integers(50, 2000)))
        elif action == "add":
            where[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
        else:
            key = draw(st.sampled_from(sorted(where)))
            if action == "drop":
                del where[key]
            else:
                where[key] = draw(json_values)
    return document


def _dump(document: Any) -> str:
    try:
        return json.dumps(document)
    except (ValueError, RecursionError):  # too deep for json itself: send it as raw text
        return "[" * 100_000


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "=1+1",
            '=HYPERLINK("http://x")',
            "+cmd",
            "-2",
            "@SUM(A1)",
            "1e999",
            "NaN",
            "inf",
            "2026-02-30",
            "2026-13-01",
            "9999-12-31",
            "0001-01-01",
            "1899-12-31",
            "03/14/2026",
            "yes",
            "no",
            "3.5",
            "11",
            "99999999999999999999999",
        ]
    ),
    st.integers().map(str),
    st.dates().map(str),
)
headers = st.one_of(
    st.sampled_from(COLUMNS),
    st.sampled_from(["factor:ok", "factor:", "factor:Bad Name", "factor:1x", "Factor:x", ""]),
    st.text(max_size=10),
)


@st.composite
def checkin_csvs(draw: st.DrawFn) -> str:
    columns = ["date", *draw(st.lists(headers, max_size=6))]
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(columns) + 1), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 9)) == 0:  # a broken quote, a NUL, a stray BOM
        text = draw(st.sampled_from(['"', "\x00", "\ufeff"])) + text
    return text


def assert_handled(result: Result) -> None:
    where = f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, where
    assert result.exit_code in (0, 2), where
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, where
        assert lines[0].startswith("error:"), where


@BOUNDED
@given(document=intakes())
def test_a_generated_intake_gets_an_answer_or_one_error_line(tmp_path: Path, document: Any) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(_dump(document))
    assert_handled(run_cli("triage", "--answers", str(answers)))


@BOUNDED
@given(text=checkin_csvs())
def test_a_generated_checkin_csv_imports_or_gives_one_error_line(tmp_path: Path, text: str) -> None:
    checkins = tmp_path / "checkins.csv"
    checkins.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_handled(run_cli("checkins", "import", str(checkins)))


def test_a_line_break_quoted_in_a_csv_header_stays_inside_the_one_error_line(
    tmp_path: Path,
) -> None:
    """Found by the generator above: the header was echoed as it was, line break and all."""
    checkins = tmp_path / "checkins.csv"
    checkins.write_text('"date,pain\n2026-03-01,3\n')  # the quote is never closed
    result = run_cli("checkins", "import", str(checkins))
    assert_handled(result)
    assert result.exit_code == 2
    assert "date,pain\\n2026-03-01" in result.stderr
