"""A full backup of everything kneecoach holds, and its restore into an empty install.

The backup is one JSON document: every row of every table that holds the person's data, column
by column as stored (ids, versions and edit history included), with the format version, the
schema revision it was made on and a checksum of the rows. `restore_backup` checks the whole
file before it touches the database, then loads it in the caller's one unit of work: a damaged
or newer file, or a clash, changes nothing.

`BACKED_UP` and `EXCLUDED` together must name every table of the schema; a test reads the
SQLAlchemy metadata and fails when a new table is in neither, so the backup cannot go stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import kneecoach.storage.models  # noqa: F401  (every table is known)
from kneecoach.core.errors import REPLACE_DATA, ConflictError, InputError
from kneecoach.storage.base import Base

__all__ = [
    "BACKED_UP",
    "BACKUP_FORMAT",
    "EXCLUDED",
    "FORMAT_VERSION",
    "BackupSummary",
    "Progress",
    "make_backup",
    "read_backup",
    "restore_backup",
    "stored_record_count",
    "write_backup",
]

BACKUP_FORMAT: Final = "kneecoach-backup"
FORMAT_VERSION: Final = 1
"""Raised when the document's shape changes; a reader refuses a higher number."""

BACKED_UP: Final[tuple[str, ...]] = (
    "preferences",
    "intakes",
    "plans",
    "session_logs",
    "checkins",
    "checkin_revisions",
    "tracked_factors",
    "questionnaire_responses",
    "shoe_pairs",
    "shoe_defaults",
    "shoe_activities",
    "shoe_wear_checks",
    "course_progress",
    "goals",
    "goal_reviews",
    "clinician_notes",
    "plan_adjustments",
)
"""Every table whose rows the backup carries."""

EXCLUDED: Final[dict[str, str]] = {
    "idempotency_keys": (
        "replay guards for a phone's offline writes, kept 7 days: the writes themselves are in "
        "the backup, and a restored install starts with no replays pending"
    ),
    **dict.fromkeys(
        (
            "accounts",
            "login_sessions",
            "login_throttle",
            "one_time_codes",
            "shares",
            "audit_entries",
        ),
        "the practice's own records in server mode (who may sign in, sessions, shares, the "
        "audit): a backup holds one person's health data, and a practice backs these up with "
        "its database (docs/deploy.md)",
    ),
    "jobs": (
        "background work (movement checks) and its results: their videos and pictures stay in "
        "the data folder, not in the backup, and a finding the person accepted is in the intake"
    ),
}
"""Tables left out on purpose, each with the reason."""

FIELD: Final = "file"
CHUNK: Final = 500

Progress = Callable[[str, int, int], None]
"""Called as (table, rows done, rows in all) while a backup is written or restored."""


def _no_progress(_table: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore loaded): rows per table."""

    made_at: str
    schema_revision: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def backed_up_tables() -> list[Table]:
    """The backed-up tables in the order their foreign keys need (parents first)."""
    return [t for t in Base.metadata.sorted_tables if t.name in BACKED_UP]


# ── Writing ──────────────────────────────────────────────────────────────────────────────────


def _encode(value: Any, column_type: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if moment.tzinfo is None:  # SQLite gives naive datetimes back; they were stored as UTC
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(column_type, Date):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def checksum(tables: Mapping[str, Any]) -> str:
    """sha256 of the tables as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(tables, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _schema_revision(session: Session) -> str | None:
    """The revision Alembic recorded (None for a database built without it, by create_all)."""
    from sqlalchemy import inspect

    if not inspect(session.connection()).has_table("alembic_version"):
        return None
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def make_backup(
    *, session: Session, progress: Progress = _no_progress, app_version: str = ""
) -> dict[str, Any]:
    """The backup document of everything stored."""
    tables: dict[str, Any] = {}
    ordered = backed_up_tables()
    total = sum(int(session.scalar(select(func.count()).select_from(t)) or 0) for t in ordered)
    done = 0
    for table in ordered:
        columns = [c.name for c in table.columns]
        order = list(table.primary_key.columns)
        rows = []
        for row in session.execute(select(table).order_by(*order)).mappings():
            rows.append([_encode(row[c.name], c.type) for c in table.columns])
            done += 1
            if done % CHUNK == 0:
                progress(table.name, done, total)
        tables[table.name] = {"columns": columns, "rows": rows}
        progress(table.name, done, total)
    return {
        "format": BACKUP_FORMAT,
        "format_version": FORMAT_VERSION,
        "made_at": datetime.now(UTC).isoformat(),
        "app_version": app_version,
        "schema_revision": _schema_revision(session),
        "excluded": dict(EXCLUDED),
        "counts": {name: len(body["rows"]) for name, body in tables.items()},
        "checksum": checksum(tables),
        "tables": tables,
    }


def write_backup(document: Mapping[str, Any], path: Path) -> None:
    """Write the document to `path` through a temporary file, readable by the owner only."""
    import os
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".kneecoach-backup-", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(FIELD, f"cannot write {path}: {error.strerror}") from None


def summary_of(document: Mapping[str, Any]) -> BackupSummary:
    return BackupSummary(
        str(document.get("made_at", "")),
        document.get("schema_revision"),
        {name: len(body["rows"]) for name, body in document["tables"].items()},
    )


# ── Reading and checking ─────────────────────────────────────────────────────────────────────


def _damaged(problem: str) -> InputError:
    return InputError(FIELD, f"the backup is damaged ({problem}); nothing was changed")


def read_backup(path: Path) -> dict[str, Any]:
    """Read and check a backup file: its format, version and checksum; raises a one-line
    InputError for a missing, damaged or newer file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(FIELD, f"file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(FIELD, f"{path} is a folder, not a file") from None
    except OSError as error:
        raise InputError(FIELD, f"cannot read {path}: {error.strerror}") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InputError(
            FIELD, f"{path} is not a kneecoach backup (not JSON, or cut short); nothing was changed"
        ) from None
    check_document(document)
    return document  # type: ignore[no-any-return]


def check_document(document: Any) -> None:
    """The checks a backup passes before anything is restored."""
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise InputError(FIELD, "is not a kneecoach backup; nothing was changed")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _damaged("no format version")
    if version > FORMAT_VERSION:
        raise InputError(
            FIELD,
            f"the backup was made by a newer kneecoach (format {version}; this version reads "
            f"up to {FORMAT_VERSION}); install that version or newer. Nothing was changed",
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise _damaged("no tables")
    if document.get("checksum") != checksum(tables):
        raise _damaged("the checksum does not match the rows")
    _check_revision(document.get("schema_revision"))
    known = {t.name: t for t in backed_up_tables()}
    for name, body in tables.items():
        if name not in known:
            raise InputError(
                FIELD,
                f"the backup holds a table this kneecoach does not know ({name!r}); it was "
                "made by a newer kneecoach. Nothing was changed",
            )
        if not isinstance(body, dict):
            raise _damaged(f"table {name} is not readable")
        columns, rows = body.get("columns"), body.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            raise _damaged(f"table {name} has no columns or rows")
        unknown = [c for c in columns if c not in known[name].columns]
        if unknown:
            raise InputError(
                FIELD,
                f"table {name} has columns this kneecoach does not know ({', '.join(map(str, unknown))}); "
                "it was made by a newer kneecoach. Nothing was changed",
            )
        for index, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != len(columns):
                raise _damaged(f"table {name}, row {index + 1} has the wrong number of values")
            _check_no_nul(name, index, columns, row)


def _check_no_nul(table: str, index: int, columns: list[Any], row: list[Any]) -> None:
    """PostgreSQL cannot store a NUL character (older kneecoach let one into SQLite): say where
    it is, before anything is written, instead of failing halfway."""
    for column, value in zip(columns, row, strict=True):
        if _holds_nul(value):
            raise InputError(
                FIELD,
                f"table {table}, row {index + 1}, column {column} holds a NUL character "
                "(\\u0000), which kneecoach cannot store; remove it from the file. "
                "Nothing was changed",
            )


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _check_revision(revision: Any) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from kneecoach.storage.migrate import alembic_config, chain

    known = chain(ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))))
    if str(revision) not in known:
        raise InputError(
            FIELD,
            f"the backup was made by a newer kneecoach (schema revision {revision}, unknown to "
            "this version); install that version or newer. Nothing was changed",
        )


def _decode(value: Any, column: Any, where: str) -> Any:
    if value is None:
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime):
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if isinstance(kind, Date):
            return date.fromisoformat(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            return float(value)
        if isinstance(kind, String | Text):
            if not isinstance(value, str):
                raise TypeError
            return value
        if isinstance(kind, JSON):
            return value
    except (TypeError, ValueError):
        raise _damaged(f"{where}: {value!r} does not fit column {column.name}") from None
    return value


def _rows_for(table: Table, body: Mapping[str, Any]) -> list[dict[str, Any]]:
    columns: Sequence[str] = body["columns"]
    decoded = []
    for index, row in enumerate(body["rows"]):
        where = f"table {table.name}, row {index + 1}"
        decoded.append(
            {
                name: _decode(value, table.columns[name], where)
                for name, value in zip(columns, row, strict=True)
            }
        )
    return decoded


# ── Restoring ────────────────────────────────────────────────────────────────────────────────


def stored_record_count(*, session: Session) -> int:
    """How many rows the backed-up tables hold now (0: an empty install)."""
    return sum(
        int(session.scalar(select(func.count()).select_from(t)) or 0) for t in backed_up_tables()
    )


def restore_backup(
    document: Mapping[str, Any],
    *,
    replace: bool = False,
    session: Session,
    progress: Progress = _no_progress,
) -> BackupSummary:
    """Load a checked backup document into the database in the caller's unit of work.

    Refuses (ConflictError) when something is stored already, unless `replace`: then every
    table is emptied first, in the same unit of work, so a failure leaves the old data."""
    check_document(document)
    tables = backed_up_tables()
    decoded = {
        t.name: _rows_for(t, document["tables"][t.name])
        for t in tables
        if t.name in document["tables"]
    }
    existing = stored_record_count(session=session)
    if existing and not replace:
        raise ConflictError(
            f"this kneecoach already holds {existing} records, and a restore would mix two "
            "histories; nothing was changed",
            hint=REPLACE_DATA,
        )
    if existing:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
    total = sum(len(rows) for rows in decoded.values())
    done = 0
    for table in tables:
        rows = decoded.get(table.name, [])
        for start in range(0, len(rows), CHUNK):
            batch = rows[start : start + CHUNK]
            try:
                session.execute(insert(table), batch)
            except IntegrityError:  # rows that cannot go together: the unit of work rolls back
                raise _damaged(f"table {table.name} has rows that clash") from None
            done += len(batch)
            progress(table.name, done, total)
        progress(table.name, done, total)
    _advance_sequences(session, tables)
    from kneecoach.services.country import forget_read_country

    forget_read_country(session)
    return summary_of(document)


def _advance_sequences(session: Session, tables: Sequence[Table]) -> None:
    """On PostgreSQL, ids given explicitly leave the id sequence behind: move it past the
    highest id, or the next new row would clash. SQLite takes max(id) + 1 by itself."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name, column = table.name, keys[0].name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
            )
        )
