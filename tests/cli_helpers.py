"""Run the real `kneecoach` entry point in-process, with its error handling and exit codes."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from kneecoach.cli.app import run


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, input: str | None = None) -> Result:
    runner = CliRunner()
    with runner.isolation(input=input) as (out, err, _both):
        code = run(list(args))
        stdout = out.getvalue().decode()
        stderr = err.getvalue().decode()
    return Result(code, stdout, stderr)
