"""The spreadsheet export: `daily.csv` (one row per date, one column per measure), with
`sessions.csv` and `shoes.csv` beside it.

The files are UTF-8 with a byte-order mark (so spreadsheet programs read accents right), a
header row and ISO dates. A text cell that starts with = + - @ (or a tab or carriage return)
gets a leading apostrophe, so a spreadsheet shows it as text and never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from kneecoach.core.checkins import COLUMNS, FACTOR_PREFIX
from kneecoach.data.instruments import INSTRUMENT_IDS, load_instrument
from kneecoach.services import checkins as checkin_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services import shoes as shoe_service
from kneecoach.storage.models.plans import SavedPlan, SessionLog

__all__ = ["CSV_FILES", "csv_files", "safe_cell"]

CSV_FILES: Final = ("daily.csv", "sessions.csv", "shoes.csv")
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
BOM: Final = "\ufeff"

SESSION_COLUMNS: Final = (
    "date",
    "plan_version",
    "exercise",
    "prescribed_variant",
    "prescribed_sets",
    "prescribed_reps",
    "prescribed_hold_s",
    "prescribed_minutes",
    "done_variant",
    "done_sets",
    "done_reps",
    "done_hold_s",
    "done_minutes",
    "pain_during",
    "effort",
    "next_morning_worse",
    "warning_signs",
    "note",
)
SHOE_COLUMNS: Final = (
    "id",
    "name",
    "brand",
    "model",
    "type",
    "start_date",
    "start_km",
    "distance_km",
    "age_months",
    "status",
    "retired",
    "retired_on",
    "default_for",
    "last_wear_check",
)


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet should show it: yes/no as 1/0, dates as ISO text, and text
    that a spreadsheet would run as a formula written with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return BOM + buffer.getvalue()


def score_columns() -> list[tuple[str, str, str]]:
    """(column, instrument, score id) for every score of every instrument, e.g. koos_pain."""
    return [
        (f"{instrument_id}_{score_id}", instrument_id, score_id)
        for instrument_id in INSTRUMENT_IDS
        for score_id in load_instrument(instrument_id).score_ids
    ]


def daily_csv(*, session: Session) -> str:
    checkins = {c.day: c for c in checkin_service.list_checkins(session=session)}
    factors = sorted({name for c in checkins.values() for name, _ in c.factors})
    scores: dict[date, dict[str, Any]] = {}
    for result in outcome_service.saved_results(session=session):  # oldest first: last wins
        on_day = scores.setdefault(result.answered_on, {})
        for score_id, value in result.scores.items():
            on_day[f"{result.instrument}_{score_id}"] = value
    measures = [name for name, _, _ in score_columns()]
    header = [*COLUMNS, *(FACTOR_PREFIX + name for name in factors), *measures]
    rows = []
    for day in sorted(set(checkins) | set(scores)):
        checkin = checkins.get(day)
        values: list[Any] = [day]
        for column in [*COLUMNS[1:], *(FACTOR_PREFIX + name for name in factors)]:
            values.append(checkin.value(column) if checkin is not None else None)
        values += [scores.get(day, {}).get(name) for name in measures]
        rows.append(values)
    return _table(header, rows)


def sessions_csv(*, session: Session) -> str:
    query = (
        select(SessionLog, SavedPlan.version)
        .join(SavedPlan, SavedPlan.id == SessionLog.plan_id)
        .order_by(SessionLog.session_date, SavedPlan.version, SessionLog.id)
    )
    rows = [
        (
            log.session_date,
            version,
            log.slot,
            log.prescribed_variant,
            log.prescribed_sets,
            log.prescribed_reps,
            log.prescribed_hold_s,
            log.prescribed_minutes,
            log.done_variant,
            log.done_sets,
            log.done_reps,
            log.done_hold_s,
            log.done_minutes,
            log.pain_during,
            log.effort,
            log.next_morning_worse,
            " ".join(log.warning_signs or ()),
            log.note,
        )
        for log, version in session.execute(query)
    ]
    return _table(SESSION_COLUMNS, rows)


def shoes_csv(*, session: Session, today: date | None = None) -> str:
    shoes = shoe_service.list_shoes(
        today=today or date.today(), include_retired=True, session=session
    )
    rows = []
    for overview in shoes:
        data = overview.to_json()
        data["default_for"] = " ".join(data["default_for"])
        rows.append([data[column] for column in SHOE_COLUMNS])
    return _table(SHOE_COLUMNS, rows)


def csv_files(*, session: Session) -> dict[str, str]:
    """The three files by name, as text."""
    return {
        "daily.csv": daily_csv(session=session),
        "sessions.csv": sessions_csv(session=session),
        "shoes.csv": shoes_csv(session=session),
    }


def csv_zip(*, session: Session) -> bytes:
    """The three files in one zip (the web app's download)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(session=session).items():
            archive.writestr(f"kneecoach/{name}", text.encode("utf-8"))
    return buffer.getvalue()
