"""Small helpers every command module shares: consoles, file reading, JSON output."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console

from kneecoach.core.errors import InputError

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def read_json_file(path: Path, field: str = "--answers") -> Any:
    """Read a JSON file, or say in one line which file is the problem and why."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(field, f"file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(field, f"{path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InputError(field, f"{path} is not a UTF-8 text file") from None
    except OSError as error:
        raise InputError(field, f"cannot read {path}: {error.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            field,
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None


def print_json(payload: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else."""
    print(json.dumps(payload, ensure_ascii=False), flush=True)
