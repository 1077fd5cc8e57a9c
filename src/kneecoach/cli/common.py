"""Small helpers every command module shares: consoles, the unit of work, error words, file
reading, JSON output."""

from __future__ import annotations

import json
import stat
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kneecoach.core.errors import (
    ANSWER_INTAKE,
    CHOOSE_OR_SET_DEFAULT_SHOE,
    CHOOSE_SHOE_OR_ACTIVITY,
    EXPORT_DATA,
    LEAVE_EMPTY,
    LIST_COURSE,
    LIST_EXERCISES,
    LIST_SHOES,
    MAKE_PLAN,
    REPLACE_DATA,
    SET_GOAL,
    InputError,
    InputErrors,
    KneecoachError,
    each_problem,
)
from kneecoach.core.limits import MAX_BODY_BYTES, parse_json

if TYPE_CHECKING:  # the database layer and Rich load only for commands that use them
    from rich.console import Console

    from kneecoach.services.database import Session, Store


class _LazyConsole:
    """A Rich console made on first use: `kneecoach --help` never needs Rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def real(self) -> Console:
        """The Rich console itself, for Rich objects that take one (progress bars)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


def escape(text: str) -> str:
    """Text shown as it is, never read as Rich markup (Rich loads on first use)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


console: Console = _LazyConsole()  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


def rich_console(lazy: Console) -> Console:
    """The real console behind `console` or `err_console`, for Rich objects that take one."""
    return lazy.real() if isinstance(lazy, _LazyConsole) else lazy


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


HINTS: Final[dict[str, str]] = {
    MAKE_PLAN: "make one with `kneecoach plan --answers FILE --save`",
    ANSWER_INTAKE: "give an intake file with --answers, or answer the questions with "
    "`kneecoach intake`",
    LIST_SHOES: "see `kneecoach shoes list`",
    LIST_EXERCISES: "`kneecoach exercise list` shows them",
    CHOOSE_SHOE_OR_ACTIVITY: "choose a pair with --shoe ID, or give --activity ({activity_types})",
    CHOOSE_OR_SET_DEFAULT_SHOE: "choose one with --shoe ID, or set one with "
    "`kneecoach shoes default ID --activity {activity_type}`",
    LIST_COURSE: "see `kneecoach course`",
    SET_GOAL: "set one with `kneecoach goal set`",
    EXPORT_DATA: "or take your data with you: `kneecoach export --out FILE` works without "
    "upgrading",
    LEAVE_EMPTY: "or press Enter if not sure",
    REPLACE_DATA: "restore into an empty install, or add --replace to delete what is here first",
}
"""The next step an error points to, as a command to type (services never name commands)."""


def error_line(error: KneecoachError) -> str:
    """`error: FIELD: PROBLEM[; what to type next]`: the one line a failed command prints."""
    return one_line(f"error: {error}{_next_step(error)}")


def error_lines(error: KneecoachError) -> str:
    """`error_line` for each problem the error carries (several bad answers: one line each)."""
    if isinstance(error, InputError):
        return "\n".join(error_line(problem) for problem in each_problem(error))
    return error_line(error)


def problem_and_next_step(error: KneecoachError) -> str:
    """The problem with its next step in the CLI's words (a prompt asks again after it)."""
    return f"{error.problem}{_next_step(error)}"


def _next_step(error: KneecoachError) -> str:
    hint = HINTS.get(error.hint or "")
    return f"; {hint.format(**error.details)}" if hint else ""


def one_line(text: str) -> str:
    """`text` with every line break and control character written as its escape (`\\n`), so a
    quoted value from a file (a CSV header with a newline in it) cannot split the error line."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Zl", "Zp")
        else char
        for char in text
    )


@contextmanager
def in_cli_words(**flags: str) -> Iterator[None]:
    """Errors raised inside name their field as this command's option: the services speak of
    `start_date`, the command line of `--start-date` (`in_cli_words(start_date="--start-date")`)."""
    try:
        yield
    except InputErrors as errors:  # several problems: each under its option's name
        raise errors.renamed_each(lambda field: flags.get(field, field)) from errors
    except KneecoachError as error:
        flag = flags.get(error.field or "")
        if flag is None:
            raise
        raise error.renamed(flag) from error


_acting_for: dict[str, str | None] = {"person": None, "command": None}
"""The global `--person NAME` (server mode): whose store the data commands open."""
_audited: set[str] = set()


def act_for(person: str | None, command: str | None = None) -> None:
    """Set by the app's callback from `kneecoach --person NAME COMMAND …`."""
    _acting_for["person"] = person
    _acting_for["command"] = command
    _audited.clear()


def _person_store() -> Store | None:
    """The store a data command opens: in personal mode the database itself (None); in server
    mode the store of the person named with `--person`, after an audit entry saying an admin
    opened it from the command line. Without `--person` in server mode: one line, exit 2."""
    from kneecoach.services.database import is_server_mode

    person = _acting_for["person"]
    if not is_server_mode():
        if person is not None:
            raise InputError("--person", "is only for a practice server (KNEECOACH_MODE=server)")
        return None
    if person is None:
        raise InputError(
            "--person",
            "on a practice server, name whose data this command is for: "
            "kneecoach --person USER COMMAND …",
        )
    return _open_person(person)


def _open_person(person: str) -> Store:
    from kneecoach.services import accounts, audit
    from kneecoach.services.database import store_of, transaction

    with in_cli_words(username="--person"), transaction() as session:
        account = accounts.account_named(person, session=session)
        if not account.is_person:
            raise InputError("--person", f"{account.username} is a {account.role}, not a person")
        if account.id not in _audited:
            command = _acting_for["command"] or "kneecoach"
            audit.record(None, account.id, "command_line", command, session=session)
            _audited.add(account.id)
    return store_of(account.id)


def acting_store() -> Store | None:
    """The store the data commands open (None: personal mode's database itself)."""
    return _person_store()


def acting_person() -> str | None:
    """The user name given with the global `--person`, or None."""
    return _acting_for["person"]


def is_acting_for_person() -> bool:
    """True when a data command opens a person's store (server mode), not the database file."""
    from kneecoach.services.database import is_server_mode

    return is_server_mode()


@contextmanager
def unit_of_work(**flags: str) -> Iterator[Session]:
    """One command, one unit of work: the session every service call of the command shares,
    committed when the command succeeds and rolled back when it fails. `flags` map the
    services' field names to the command's options, as `in_cli_words` does. In server mode it
    opens the store of the person named with `--person`."""
    from kneecoach.services.database import transaction

    store = _person_store()
    with in_cli_words(**flags), transaction(store) as session:
        yield session


@contextmanager
def read_only_work(**flags: str) -> Iterator[Session | None]:
    """For a command that only reads the person's settings (checking an answers file). On the
    default SQLite file it opens no session at all: the one stored value it needs is read
    straight from the file (or there is no file yet), so the command starts in about the time
    `--help` takes. A server database gets a normal unit of work."""
    from kneecoach.services.database import sqlite_file

    if sqlite_file() is not None and not is_acting_for_person():
        with in_cli_words(**flags):
            yield None
        return
    with unit_of_work(**flags) as session:
        yield session


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


def print_for(output: OutputFormat, as_json: Callable[[], Any], show: Callable[[], None]) -> None:
    """`--format json`: the document on stdout; else the words and tables for people."""
    if output is OutputFormat.json:
        print_json(as_json())
    else:
        show()


def print_json(payload: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else."""
    print(json.dumps(payload, ensure_ascii=False), flush=True)


@contextmanager
def progress_bar(
    label: str, *, on: Console | None = None
) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by a service's (table, done, total) calls, on ON (stdout unless
    given, e.g. `err_console`); silent when that output is not a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    shown = rich_console(on or console)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=shown,
        transient=True,
        disable=not shown.is_terminal,
    )
    with bar:
        task = bar.add_task(label, total=None)

        def update(table: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label} {table}", completed=done, total=total or None)

        yield update
