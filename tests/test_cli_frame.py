"""The command frame: help, one-line errors with exit status 2, no tracebacks unless --debug."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from kneecoach.cli.app import app
from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli


@pytest.fixture
def failing_command() -> Iterator[None]:
    """A throwaway command that fails unexpectedly, removed again after the test."""

    @app.command("explode-for-test", hidden=True)
    def explode() -> None:
        raise RuntimeError("boom")

    yield
    app.registered_commands[:] = [
        c for c in app.registered_commands if c.name != "explode-for-test"
    ]


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "db" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_bad_database_url_is_one_line_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", "not a url")
    reset_settings()
    result = run_cli("db", "upgrade")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: KNEECOACH_DATABASE_URL:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    reset_settings()
    result = run_cli("db", "upgrade")
    assert result.exit_code == 2
    assert "cannot open the database" in result.stderr
    assert result.stderr.count("\n") == 1


def test_unexpected_errors_are_one_line_without_debug(failing_command: None) -> None:
    result = run_cli("explode-for-test")
    assert result.exit_code == 1
    assert "(RuntimeError)" in result.stderr
    assert "boom" not in result.stderr  # an error's text can hold SQL and values: never shown
    assert "--debug" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_real_error(failing_command: None) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        run_cli("--debug", "explode-for-test")


@pytest.mark.fresh_database
def test_db_upgrade_creates_the_default_sqlite_database(data_dir) -> None:  # type: ignore[no-untyped-def]
    first = run_cli("db", "upgrade")
    assert first.exit_code == 0
    assert (data_dir / "kneecoach.db").exists()
    assert "updated" in first.stdout
    again = run_cli("db", "upgrade")
    assert again.exit_code == 0


def test_the_installed_command_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kneecoach", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "kneecoach" in done.stdout


def test_a_folder_or_a_binary_file_as_answers_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = run_cli("score", "koos", "--answers", str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr == f"error: --answers: {tmp_path} is a folder, not a file\n"
    binary = tmp_path / "answers.json"
    binary.write_bytes(b"\xff\xfe\x00\x80 not text")
    result = run_cli("triage", "--answers", str(binary))
    assert result.exit_code == 2
    assert result.stderr == f"error: --answers: {binary} is not a UTF-8 text file\n"
