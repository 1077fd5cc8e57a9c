"""Everything kneecoach holds about the person: export it all, or erase it all.

Export joins what the services list; erase empties every kneecoach table in the caller's one unit of work
(the schema and its migration record stay, so the app keeps working afterwards).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session

from kneecoach.services import checkins as checkin_service
from kneecoach.services import country as country_service
from kneecoach.services import course as course_service
from kneecoach.services import goal as goal_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes
from kneecoach.services import plan as plan_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services.backup import BACKED_UP
from kneecoach.storage.db import NewerDatabaseError

if TYPE_CHECKING:
    from kneecoach.storage.stores import Store

__all__ = [
    "EXPORT_FORMAT",
    "TABLES_FORMAT",
    "NewerDatabaseError",
    "erase_everything",
    "export_everything",
    "export_tables_as_they_are",
    "leave_no_remains",
]

EXPORT_FORMAT = "kneecoach-export/1"
TABLES_FORMAT = "kneecoach-tables/1"
"""The export of a database this code cannot migrate: every table, every row, as stored."""


EXPORTED_AS: Final[dict[str, str]] = {
    "preferences": "preferences",
    "intakes": "intakes",
    "checkins": "checkins",
    "questionnaire_responses": "outcomes",
    "shoe_pairs": "shoes",
    "course_progress": "course",
    "goals": "goals",
    "goal_reviews": "goals",
}
"""The tables the export shows in sections of their own, in plain words (table → section)."""

AS_STORED: Final[tuple[str, ...]] = tuple(t for t in BACKED_UP if t not in EXPORTED_AS)
"""Every other table the backup carries: its rows as stored, under `records`, so nothing about
the person is left out (every saved plan and its sessions, the edits of check-ins, shoe walks
and wear checks, a clinician's notes and plan changes). The sections above show the latest
plan and its sessions; `records` keeps them all."""


def export_everything(*, session: Session) -> dict[str, Any]:
    """One JSON document with every stored record, for the person or their clinician."""
    plan = plan_service.latest_plan(session=session)
    sessions: list[dict[str, Any]] = []
    if plan is not None:
        from kneecoach.services import sessions as session_service

        sessions = list(session_service.session_log(plan, session=session))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "preferences": country_service.list_preferences(session=session),
        "intakes": [saved.as_json() for saved in intake_service.list_intakes(session=session)],
        "plan": plan.as_json() if plan is not None else None,
        "sessions": sessions,
        "checkins": [c.values() for c in checkin_service.list_checkins(session=session)],
        "outcomes": [
            {
                "id": r.id,
                "instrument": r.instrument,
                "version": r.version,
                "answered_on": r.answered_on.isoformat(),
                "answers": r.answers,
                "scores": r.scores,
            }
            for r in outcomes.saved_results(session=session)
        ],
        "shoes": [
            o.to_json()
            for o in shoe_service.list_shoes(
                today=date.today(), include_retired=True, session=session
            )
        ],
        "course": course_service.course_export(session=session),
        "goals": goal_service.goals_export(session=session),
        "records": {name: _stored_rows(name, session) for name in AS_STORED},
    }


def _stored_rows(name: str, session: Session) -> list[dict[str, Any]]:
    """A table's rows as stored, oldest first (JSON columns decoded, dates as ISO text)."""
    from sqlalchemy import JSON, select

    from kneecoach.storage.base import Base

    table = Base.metadata.tables[name]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    rows = session.execute(select(table).order_by(*table.primary_key.columns))
    return [_plain(dict(row._mapping), json_columns) for row in rows]


def export_tables_as_they_are() -> dict[str, Any]:
    """Every table of the configured database with every row, read without migrating it.

    For a database made by a newer kneecoach (`NewerDatabaseError`): its schema is not ours to
    change or interpret, but the person's data must still come out. Values are written as
    stored (JSON columns decoded, dates as ISO text). Opens its own connection: no unit of
    work can open on a database that fails the schema check."""
    from sqlalchemy import JSON, MetaData, inspect

    from kneecoach.services.database import database_url
    from kneecoach.storage import db

    engine = db.unmigrated_engine(database_url())
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        quote = engine.dialect.identifier_preparer.quote
        tables: dict[str, list[dict[str, Any]]] = {}
        revisions: list[str] = []
        with engine.connect() as connection:
            for name in sorted(inspect(connection).get_table_names()):
                json_columns = {
                    c.name for c in metadata.tables[name].columns if isinstance(c.type, JSON)
                }
                result = connection.exec_driver_sql(f"SELECT * FROM {quote(name)}")
                rows = [dict(zip(result.keys(), row, strict=True)) for row in result]
                if name == "alembic_version":
                    revisions = sorted(str(row["version_num"]) for row in rows)
                    continue
                tables[name] = [_plain(row, json_columns) for row in rows]
    finally:
        engine.dispose()
    return {
        "format": TABLES_FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "schema_revisions": revisions,
        "tables": tables,
    }


def _plain(row: dict[str, Any], json_columns: set[str]) -> dict[str, Any]:
    import base64
    import contextlib
    import json
    from decimal import Decimal

    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in json_columns and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, bytes | bytearray | memoryview):
            value = base64.b64encode(bytes(value)).decode("ascii")
        elif value is not None and not isinstance(value, str | int | float | bool | list | dict):
            value = str(value)
        out[key] = value
    return out


def erase_everything(*, session: Session) -> int:
    """Delete every row of every kneecoach table; returns how many rows went."""
    from sqlalchemy import delete

    import kneecoach.storage.models  # noqa: F401  (every table is known)
    from kneecoach.services.country import forget_read_country
    from kneecoach.services.movement_check import forget_movement_files
    from kneecoach.storage.base import Base

    forget_movement_files(session=session)  # the videos and pictures of the jobs erased here
    removed = 0
    for table in reversed(Base.metadata.sorted_tables):
        result = session.execute(delete(table))
        removed += int(getattr(result, "rowcount", 0) or 0)
    forget_read_country(session)  # the choice this unit of work read once is gone too
    from kneecoach.services.units import forget_read_units

    forget_read_units(session)
    return removed


def leave_no_remains(store: Store | None = None) -> None:
    """After an erase has been committed: nothing deleted may stay readable in the database
    files (free pages, the WAL). Runs outside any unit of work, after the erase's own. In
    server mode `store` is the person's (their SQLite file, or their PostgreSQL schema)."""
    from kneecoach.services.database import database_url
    from kneecoach.storage import db

    if store is None:
        db.leave_no_remains(database_url())
    else:
        db.leave_no_remains(store.url, store.schema)
