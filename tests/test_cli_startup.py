"""What the quick commands load: `--help` no Rich and no database code; checking an answers
file no database code, even with data stored (the one value it needs is read directly).

Timings live in benchmarks/ (`make bench`); this checks the cause, not the clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kneecoach.storage.quick_read import sqlite_preference
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES

HIKER = EXAMPLES / "hiker-downhill-front-pain.json"


def modules_after(args: list[str], data_dir: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after running one command."""
    probe = (
        "import sys, json\n"
        "from kneecoach.cli.app import run\n"
        "try:\n"
        f"    run({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "KNEECOACH_DATA_DIR": str(data_dir)}
    env.pop("KNEECOACH_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_loads_no_rich_and_no_database(tmp_path: Path) -> None:
    loaded = modules_after(["--help"], tmp_path)
    assert "sqlalchemy" not in loaded and "rich.console" not in loaded


@pytest.mark.parametrize("command", ["triage", "plan", "assess"])
def test_checking_an_answers_file_loads_no_database_code(command: str, data_dir: Path) -> None:
    assert run_cli("settings", "country", "IE").exit_code == 0  # data is stored
    loaded = modules_after([command, "--answers", str(HIKER)], data_dir)
    assert "sqlalchemy" not in loaded and "alembic" not in loaded


def test_the_stored_country_is_still_used(data_dir: Path) -> None:
    assert run_cli("settings", "country", "US").exit_code == 0
    hot = json.loads(HIKER.read_text())
    hot["signs"] |= {"warm": True}
    hot["general"] = {**hot.get("general", {}), "fever": True}
    answers = data_dir / "hot.json"
    answers.write_text(json.dumps(hot))
    result = run_cli("triage", "--answers", str(answers), "--format", "json")
    assert "911" in json.loads(result.stdout)["message"]["advice"]


def test_a_preference_reads_as_none_when_there_is_nothing_to_read(tmp_path: Path) -> None:
    assert sqlite_preference(tmp_path / "none.db", "country") is None
    empty = tmp_path / "empty.db"
    import sqlite3

    sqlite3.connect(empty).close()
    assert sqlite_preference(empty, "country") is None  # no table yet (an older database)
