"""Answers files the CLI reads: regular files only, bounded, never a hang or a traceback."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli


def one_line_error(result_stderr: str) -> str:
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    return lines[0]


def test_dev_zero_is_refused_at_once() -> None:
    result = run_cli("triage", "--answers", "/dev/zero")
    assert result.exit_code == 2
    assert "not a regular file" in one_line_error(result.stderr)


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    done = threading.Event()
    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["result"] = run_cli("triage", "--answers", str(fifo))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    if not done.wait(timeout=60):  # a hang would block here; opening the FIFO would free it
        with open(fifo, "w"):
            pass
        pytest.fail("reading a FIFO waited for a writer")
    result = outcome["result"]
    assert result.exit_code == 2
    assert "not a regular file" in one_line_error(result.stderr)


def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    result = run_cli("triage", "--answers", str(deep))
    assert result.exit_code == 2
    assert "deep" in one_line_error(result.stderr)


def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)
    result = run_cli("triage", "--answers", str(big))
    assert result.exit_code == 2
    assert "the most kneecoach reads" in one_line_error(result.stderr)
