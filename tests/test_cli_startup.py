"""What the quick commands load: `--help` no Rich and no database code; checking an answers
file no database code, even with data stored (the one value it needs is read directly), no
YAML parser once the knowledge files are cached, nothing of the plan's knowledge for a triage,
and one validator for the intake, built when the first document is read.

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


def fresh_interpreter(probe: str, env: dict[str, str] | None = None) -> str:
    """The last line a fresh interpreter writes to stderr after running PROBE."""
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    return done.stderr.strip().splitlines()[-1]


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
    return set(json.loads(fresh_interpreter(probe, env)))


def test_help_loads_no_rich_and_no_database(tmp_path: Path) -> None:
    loaded = modules_after(["--help"], tmp_path)
    assert "sqlalchemy" not in loaded and "rich.console" not in loaded
    assert "tempfile" not in loaded, "only the commands that write files need it"


@pytest.mark.parametrize("command", ["triage", "plan", "assess"])
def test_checking_an_answers_file_loads_no_database_code(command: str, data_dir: Path) -> None:
    assert run_cli("settings", "country", "IE").exit_code == 0  # data is stored
    loaded = modules_after([command, "--answers", str(HIKER)], data_dir)
    assert "sqlalchemy" not in loaded and "alembic" not in loaded


@pytest.mark.parametrize("command", ["triage", "plan"])
def test_checking_an_answers_file_reads_the_knowledge_without_a_yaml_parser(
    command: str, data_dir: Path
) -> None:
    assert run_cli(command, "--answers", str(HIKER)).exit_code == 0  # the files are parsed, kept
    loaded = modules_after([command, "--answers", str(HIKER)], data_dir)
    assert "yaml" not in loaded, "the parsed files are read from the cache"
    assert "asyncio" not in loaded, "settings are read without pydantic-settings (which loaded it)"


def test_triage_loads_none_of_the_plans_knowledge_and_no_emoji_table(data_dir: Path) -> None:
    loaded = modules_after(["triage", "--answers", str(HIKER)], data_dir)
    plan_knowledge = {"kneecoach.data.exercises", "kneecoach.data.planning"}
    assert not loaded & {*plan_knowledge, "kneecoach.data.assessment", "rich._emoji_codes"}


def test_an_intake_is_checked_by_one_validator_built_when_the_first_is_read() -> None:
    """Building a pydantic model's validator is the costly part of defining it: the intake's
    sections are built once, as part of `Intake`, and only when a document is read. (The
    generic `Sides` is left out: pydantic builds it whenever it is parametrised.)"""
    probe = (
        "import json, sys\n"
        "from kneecoach.core import intake\n"
        "models = [m for m in vars(intake).values() if isinstance(m, type)\n"
        "          and issubclass(m, intake._Section) and m is not intake.Sides]\n"
        "def built(): return sorted(m.__name__ for m in models if m.__pydantic_complete__)\n"
        "before = built()\n"
        f"intake.parse_intake(json.loads({HIKER.read_text()!r}))\n"
        "print(json.dumps([len(models), before, built()]), file=sys.stderr)\n"
    )
    count, before, after = json.loads(fresh_interpreter(probe))
    assert count > 10 and before == [] and after == ["Intake"]


@pytest.mark.parametrize("chosen", [None, "false"])
def test_the_command_line_turns_pydantic_plugins_off_unless_told(chosen: str | None) -> None:
    """Looking for plugins reads every installed package's metadata before the first model."""
    probe = (
        "import os, sys\n"
        "from kneecoach.cli import app\n"
        "sys.argv = ['kneecoach', '--help']\n"
        "try:\n"
        "    app.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if chosen is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = chosen
    assert fresh_interpreter(probe, env) == (chosen or "__all__")


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
