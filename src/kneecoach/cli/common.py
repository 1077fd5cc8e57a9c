"""Small helpers every command module shares: consoles, file reading, JSON output."""

from __future__ import annotations

import json
import stat
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console

from kneecoach.core.errors import InputError
from kneecoach.core.limits import MAX_BODY_BYTES, parse_json

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def read_json_file(path: Path, field: str = "--answers") -> Any:
    """Read a JSON file within the input limits, or say in one line which file is the problem.

    Only regular files are read (`/dev/zero` would never end, a FIFO would wait forever), at
    most `MAX_BODY_BYTES`, nested at most `MAX_JSON_DEPTH` deep."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise InputError(field, f"{path} is not a regular file")
        if info.st_size > MAX_BODY_BYTES:
            raise InputError(
                field,
                f"{path} is {info.st_size:,} bytes; the most kneecoach reads is {MAX_BODY_BYTES:,}",
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_BODY_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError(field, f"file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(field, f"{path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InputError(field, f"{path} is not a UTF-8 text file") from None
    except OSError as error:
        raise InputError(field, f"cannot read {path}: {error.strerror}") from None
    try:
        return parse_json(text, field)
    except InputError as error:
        raise InputError(field, f"{path} {error.problem}") from None


def print_json(payload: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else."""
    print(json.dumps(payload, ensure_ascii=False), flush=True)
