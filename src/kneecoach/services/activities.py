"""Reading activity files (GPX, FIT, CSV) and counting them on the right pair of shoes.

Every problem with a file becomes one line naming the file (and the line and column for CSV).
An import is one unit of work (the caller's session): a file that cannot be read, or an activity with no pair to go
on, stores nothing, so the person can fix it and run the same command again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from kneecoach.core.activities import (
    SAME_START_WITHIN,
    Activity,
    ActivityFile,
    KnownActivity,
    activities_from_csv_rows,
    activity_type_from,
    as_utc,
    is_on_foot,
    split_new,
)
from kneecoach.core.errors import InputError
from kneecoach.core.shoes import check_activity_type, choose_pair
from kneecoach.services.shoes import default_pairs, find_pair
from kneecoach.storage.models.shoes import ShoeActivity

SUFFIXES = {".gpx": "gpx", ".fit": "fit", ".csv": "csv"}
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Counted:
    activity: Activity
    pair_id: str


@dataclass(frozen=True)
class ImportReport:
    counted: tuple[Counted, ...]
    duplicates: tuple[Activity, ...]
    skipped: tuple[str, ...]

    def km_by_pair(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for item in self.counted:
            totals[item.pair_id] = totals.get(item.pair_id, 0.0) + item.activity.distance_km
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "counted": [
                {
                    "origin": c.activity.origin,
                    "date": c.activity.on.isoformat(),
                    "activity": c.activity.activity_type,
                    "distance_km": round(c.activity.distance_km, 2),
                    "shoe": c.pair_id,
                }
                for c in self.counted
            ],
            "duplicates": [d.origin for d in self.duplicates],
            "skipped": list(self.skipped),
            "km_by_shoe": {k: round(v, 2) for k, v in self.km_by_pair().items()},
        }


# ---- finding and reading files -------------------------------------------------------------


def activity_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each file given, and the GPX/FIT/CSV files inside each folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not inside:
                raise InputError(str(path), "this folder has no .gpx, .fit or .csv files")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(str(path), "no such file or folder")
    return list(dict.fromkeys(found))


def read_activity_file(path: Path) -> ActivityFile:
    """Read one file by its extension; any problem is one line naming the file."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(str(path), "unknown kind of file; use a .gpx, .fit or .csv file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(path), "the file is too big (over 200 MB)")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read the file ({error.strerror})") from None
    if kind == "gpx":
        return read_gpx(str(path), data)
    if kind == "fit":
        return read_fit(str(path), data)
    return read_csv(str(path), data)


def _file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _local_date(moment: datetime) -> date:
    """People's dates are local: the day the outing started, where this computer is."""
    return as_utc(moment).astimezone().date()


def read_gpx(origin: str, data: bytes) -> ActivityFile:
    """Each recorded track is an outing: its 2D length, first time and <type> if present."""
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(origin, "is not a GPX file (it is not UTF-8 text)") from None
    except gpxpy.gpx.GPXException as error:
        reason = str(error).splitlines()[0][:160] if str(error) else "it is not GPX XML"
        raise InputError(origin, f"is not a GPX file ({reason})") from None
    file_hash = _file_hash(data)
    activities: list[Activity] = []
    skipped: list[str] = []
    several = len(gpx.tracks) > 1
    for index, track in enumerate(gpx.tracks, start=1):
        where = f"{origin} track {index}" if several else origin
        km = (track.length_2d() or 0.0) / 1000.0
        raw_type = track.type
        if raw_type and not is_on_foot(raw_type):
            skipped.append(f"{where}: {raw_type} is not on foot")
            continue
        if km <= 0:
            skipped.append(f"{where}: no distance")
            continue
        bounds = track.get_time_bounds()
        start = as_utc(bounds.start_time) if bounds.start_time else None
        activities.append(
            Activity(
                source="gpx",
                on=_local_date(start) if start else date.today(),
                distance_km=km,
                fingerprint=f"gpx:{file_hash}:{index}",
                origin=where,
                started_at=start,
                activity_type=activity_type_from(raw_type),
            )
        )
    if not activities and not skipped:
        raise InputError(origin, "has no recorded track (a route or waypoints are not an outing)")
    return ActivityFile(origin, "gpx", tuple(activities), tuple(skipped))


def read_fit(origin: str, data: bytes) -> ActivityFile:
    """Sessions give total distance, sport and start; without sessions, the last record counts."""
    from garmin_fit_sdk import Decoder, Stream

    if not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        raise InputError(origin, "is not a FIT file")
    if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():
        raise InputError(origin, "the FIT file is damaged or cut short (its checksum is wrong)")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise InputError(origin, f"the FIT file cannot be read ({errors[0]})")
    sport = _first(messages.get("sport_mesgs", []), "sport")
    file_hash = _file_hash(data)
    activities: list[Activity] = []
    skipped: list[str] = []
    sessions = [s for s in messages.get("session_mesgs", []) if s.get("total_distance")]
    several = len(sessions) > 1
    for index, session in enumerate(sessions, start=1):
        where = f"{origin} session {index}" if several else origin
        raw_sport = _as_text(session.get("sport")) or _as_text(sport)
        start = _as_datetime(session.get("start_time")) or _as_datetime(session.get("timestamp"))
        found = _fit_activity(
            where, raw_sport, float(session["total_distance"]) / 1000, start, file_hash, index
        )
        if isinstance(found, str):
            skipped.append(found)
        else:
            activities.append(found)
    if not sessions:
        records = messages.get("record_mesgs", [])
        distances = [float(r["distance"]) for r in records if r.get("distance") is not None]
        if not distances:
            raise InputError(origin, "the FIT file has no distance in it")
        times = [_as_datetime(r.get("timestamp")) for r in records]
        start = next((t for t in times if t is not None), None)
        found = _fit_activity(origin, _as_text(sport), max(distances) / 1000, start, file_hash, 1)
        if isinstance(found, str):
            skipped.append(found)
        else:
            activities.append(found)
    return ActivityFile(origin, "fit", tuple(activities), tuple(skipped))


def _fit_activity(
    where: str,
    raw_sport: str | None,
    km: float,
    start: datetime | None,
    file_hash: str,
    index: int,
) -> Activity | str:
    if raw_sport and not is_on_foot(raw_sport):
        return f"{where}: {raw_sport} is not on foot"
    if km <= 0:
        return f"{where}: no distance"
    return Activity(
        source="fit",
        on=_local_date(start) if start else date.today(),
        distance_km=km,
        fingerprint=f"fit:{file_hash}:{index}",
        origin=where,
        started_at=start,
        activity_type=activity_type_from(raw_sport),
    )


def _first(messages: Sequence[Any], key: str) -> Any:
    return next((m.get(key) for m in messages if m.get(key) is not None), None)


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _as_datetime(value: Any) -> datetime | None:
    return as_utc(value) if isinstance(value, datetime) else None


def read_csv(origin: str, data: bytes) -> ActivityFile:
    """A CSV with a header row: date, distance_km, and optionally activity and shoe."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(origin, "is not a UTF-8 text file") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise InputError(origin, "the file is empty (it needs a header row: date,distance_km)")

    def rows() -> Any:
        try:
            for row in reader:
                if None in row:
                    raise InputError(
                        f"{origin} line {reader.line_num}",
                        "this row has more cells than the header",
                    )
                yield reader.line_num, row
        except csv.Error as error:
            raise InputError(f"{origin} line {reader.line_num}", f"bad CSV ({error})") from None

    return activities_from_csv_rows(origin, list(reader.fieldnames), rows())


# ---- counting on pairs ---------------------------------------------------------------------


def import_activities(
    files: Sequence[ActivityFile],
    *,
    shoe: str | None = None,
    activity: str | None = None,
    session: Session,
) -> ImportReport:
    """Put each new activity on its pair; the same outing imported again is not counted twice.

    `shoe` and `activity` fill in what a file does not say: a CSV row's own shoe and any
    file's own activity type win. With neither a chosen pair nor a default for the type, the
    import stops with a line telling the person how to choose.
    """
    if activity is not None:
        check_activity_type(activity)
    candidates = [
        a if a.activity_type else a.with_type(activity) for f in files for a in f.activities
    ]
    skipped = tuple(reason for f in files for reason in f.skipped)
    defaults = default_pairs(session)
    chosen_id = find_pair(session, shoe).id if shoe else None
    assigned: list[tuple[Activity, str]] = []
    for item in candidates:
        if item.shoe:
            pair_id = find_pair(session, item.shoe, f"{item.origin}, column shoe").id
        else:
            pair_id = choose_pair(item.activity_type, chosen_id, defaults, item.origin)
        assigned.append((item, pair_id))
    new, duplicates = split_new((a for a, _ in assigned), _known(session, [a for a, _ in assigned]))
    pair_of = {id(a): pair_id for a, pair_id in assigned}
    counted = [Counted(a, pair_of[id(a)]) for a in new]
    for count in counted:
        session.add(
            ShoeActivity(
                pair_id=count.pair_id,
                fingerprint=count.activity.fingerprint,
                source=count.activity.source,
                activity_type=count.activity.activity_type,
                on_date=count.activity.on,
                started_at=count.activity.started_at,
                distance_km=count.activity.distance_km,
                origin=count.activity.origin[-500:],
            )
        )
    session.flush()
    return ImportReport(tuple(counted), tuple(duplicates), skipped)


def _known(session: Session, candidates: Sequence[Activity]) -> list[KnownActivity]:
    """Stored activities that could be the same as a candidate: same fingerprint or start."""
    if not candidates:
        return []
    fingerprints = [a.fingerprint for a in candidates]
    starts = [a.started_at for a in candidates if a.started_at is not None]
    condition: ColumnElement[bool] = ShoeActivity.fingerprint.in_(fingerprints)
    if starts:
        earliest = min(starts) - SAME_START_WITHIN - timedelta(seconds=1)
        latest = max(starts) + SAME_START_WITHIN + timedelta(seconds=1)
        condition = or_(
            condition,
            ShoeActivity.started_at.between(earliest, latest),
        )
    return [
        KnownActivity(
            row.fingerprint,
            as_utc(row.started_at) if row.started_at is not None else None,
            row.distance_km,
        )
        for row in session.scalars(select(ShoeActivity).where(condition))
    ]
