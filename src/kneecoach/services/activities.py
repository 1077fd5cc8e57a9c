"""Reading activity files (GPX, FIT, CSV) and counting them on the right pair of shoes.

Every problem with a file becomes one line naming the file (and the line and column for CSV).
An import is one unit of work (the caller's session): a file that cannot be read, or an activity with no pair to go
on, stores nothing, so the person can fix it and run the same command again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from sqlalchemy import ColumnElement, select
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
    """Read one file by its extension; any problem is one line naming the file.

    Every kind is read as a stream: memory stays small whatever the file's size.
    """
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(str(path), "unknown kind of file; use a .gpx, .fit or .csv file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(path), "the file is too big (over 200 MB)")
        with path.open("rb") as stream:
            if kind == "gpx":
                return read_gpx(str(path), stream)
            if kind == "fit":
                return read_fit(str(path), stream)
            return read_csv(str(path), stream)
    except OSError as error:
        raise InputError(str(path), f"cannot read the file ({error.strerror})") from None


def _local_date(origin: str, moment: datetime) -> date:
    """People's dates are local: the day the outing started, where this computer is."""
    try:
        return as_utc(moment).astimezone().date()
    except (OverflowError, ValueError):
        raise InputError(origin, f"the start time {moment.isoformat()} is out of range") from None


def _as_stream(source: bytes | BinaryIO) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


class _GpxRefused(Exception):
    """A problem found while streaming a GPX file; `line` is where (None: the file as a whole)."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


@dataclass
class _Track:
    metres: float = 0.0
    start: datetime | None = None
    raw_type: str | None = None
    last: tuple[float, float] | None = None


def read_gpx(origin: str, source: bytes | BinaryIO) -> ActivityFile:
    """Each recorded track is an outing: its 2D length, first time and <type> if present.

    The file is read as a stream with expat, a chunk at a time: only the current track's
    running totals are kept, so a 200 MB file takes little memory. A DOCTYPE (and with it any
    entity, internal or external) is refused, so no entity is ever expanded or fetched.
    """
    from gpxpy.geo import distance

    stream = _as_stream(source)
    digest = hashlib.sha256()
    parser = expat.ParserCreate(namespace_separator=" ")
    path: list[str] = []
    text: list[str] = []
    tracks: list[_Track] = []
    current: _Track | None = None
    point: tuple[float, float] | None = None

    def line() -> int:
        return int(parser.CurrentLineNumber)

    def refuse_dtd(*_: Any) -> None:
        raise _GpxRefused("it declares a DOCTYPE, which kneecoach does not read")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current, point
        local = name.rsplit(" ", 1)[-1]
        path.append(local)
        text.clear()
        if local == "trk" and len(path) == 2:
            current = _Track()
        elif local == "trkseg" and current is not None:
            current.last = None
        elif local == "trkpt" and current is not None:
            point = (
                _coordinate(attrs, "lat", 90.0, line()),
                _coordinate(attrs, "lon", 180.0, line()),
            )

    def end(name: str) -> None:
        nonlocal current, point
        local = path.pop()
        if current is None:
            return
        if local == "trkpt" and point is not None:
            if current.last is not None:
                lat1, lon1 = current.last
                current.metres += distance(lat1, lon1, None, point[0], point[1], None)
            current.last = point
            point = None
        elif local == "time" and point is not None and path[-1:] == ["trkpt"]:
            if current.start is None:
                current.start = _gpx_time("".join(text).strip(), line())
        elif local == "type" and len(path) == 2:
            current.raw_type = "".join(text).strip() or None
        elif local == "trk":
            tracks.append(current)
            current = None
        text.clear()

    def characters(data: str) -> None:
        if current is not None and len(text) < 1000:
            text.append(data)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        first = True
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            if first:
                first = False
                _check_gpx_start(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _GpxRefused as error:
        where = origin if error.line is None else f"{origin} line {error.line}"
        raise InputError(where, error.problem) from None
    except expat.ExpatError as error:
        reason = expat.errors.messages[error.code] if error.code else "it is not GPX XML"
        raise InputError(origin, f"is not a GPX file ({reason}, line {error.lineno})") from None
    file_hash = digest.hexdigest()[:20]
    activities: list[Activity] = []
    skipped: list[str] = []
    several = len(tracks) > 1
    for index, track in enumerate(tracks, start=1):
        where = f"{origin} track {index}" if several else origin
        km = track.metres / 1000.0
        raw_type = track.raw_type
        if raw_type and not is_on_foot(raw_type):
            skipped.append(f"{where}: {raw_type} is not on foot")
            continue
        if km <= 0:
            skipped.append(f"{where}: no distance")
            continue
        begun = as_utc(track.start) if track.start else None
        activities.append(
            Activity(
                source="gpx",
                on=_local_date(where, begun) if begun else date.today(),
                distance_km=km,
                fingerprint=f"gpx:{file_hash}:{index}",
                origin=where,
                started_at=begun,
                activity_type=activity_type_from(raw_type),
            )
        )
    if not activities and not skipped:
        raise InputError(origin, "has no recorded track (a route or waypoints are not an outing)")
    return ActivityFile(origin, "gpx", tuple(activities), tuple(skipped))


_CHUNK = 1024 * 1024


def _check_gpx_start(chunk: bytes) -> None:
    """GPX is UTF-8 text (a byte-order mark allowed); anything else is not read at all."""
    try:
        chunk[:64].removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 60:  # a cut in the middle of a character at the end is fine
            raise _GpxRefused("is not a GPX file (it is not UTF-8 text)") from None


def _coordinate(attrs: dict[str, str], name: str, limit: float, line: int) -> float:
    raw = attrs.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        raise _GpxRefused(f"the track point's {name} {raw[:40]!r} is not a number", line) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise _GpxRefused(
            f"the track point's {name} {raw[:40]!r} is not a coordinate "
            f"between -{limit:g} and {limit:g}",
            line,
        )
    return value


def _gpx_time(raw: str, line: int) -> datetime | None:
    from gpxpy.gpx import GPXException
    from gpxpy.gpxfield import parse_time

    if not raw:
        return None
    try:
        moment = parse_time(raw)
    except (GPXException, ValueError, OverflowError):
        raise _GpxRefused(f"the time {raw[:40]!r} is not a date and time", line) from None
    if moment is None:
        return None
    if not 1900 <= moment.year <= 9000:
        raise _GpxRefused(f"the time {raw[:40]!r} is out of range (year {moment.year})", line)
    try:
        return as_utc(moment)
    except (OverflowError, ValueError):
        raise _GpxRefused(f"the time {raw[:40]!r} is out of range", line) from None


def read_fit(origin: str, source: bytes | BinaryIO) -> ActivityFile:
    """Sessions give total distance, sport and start; without sessions, the largest record
    distance counts. Read as a stream (services/fit.py): memory stays small."""
    from kneecoach.services.fit import read_fit_summary

    summary = read_fit_summary(origin, _as_stream(source))
    activities: list[Activity] = []
    skipped: list[str] = []
    several = len(summary.sessions) > 1
    for index, session in enumerate(summary.sessions, start=1):
        where = f"{origin} session {index}" if several else origin
        found = _fit_activity(
            where,
            session.sport or summary.sport,
            session.metres / 1000,
            session.start,
            summary.file_hash,
            index,
        )
        if isinstance(found, str):
            skipped.append(found)
        else:
            activities.append(found)
    if not summary.sessions:
        if summary.record_metres is None:
            raise InputError(origin, "the FIT file has no distance in it")
        found = _fit_activity(
            origin,
            summary.sport,
            summary.record_metres / 1000,
            summary.first_record_time,
            summary.file_hash,
            1,
        )
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
        on=_local_date(where, start) if start else date.today(),
        distance_km=km,
        fingerprint=f"fit:{file_hash}:{index}",
        origin=where,
        started_at=start,
        activity_type=activity_type_from(raw_sport),
    )


def read_csv(origin: str, source: bytes | BinaryIO) -> ActivityFile:
    """A CSV with a header row: date, distance_km, and optionally activity and shoe.

    Read a row at a time from the stream, so a big file takes memory only for what it holds.
    """
    stream = io.TextIOWrapper(_as_stream(source), encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(stream)
        try:
            fieldnames = reader.fieldnames
        except UnicodeDecodeError:
            raise InputError(origin, "is not a UTF-8 text file") from None
        except csv.Error as error:
            raise InputError(f"{origin} line {reader.line_num}", f"bad CSV ({error})") from None
        if not fieldnames:
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
            except UnicodeDecodeError:
                raise InputError(origin, "is not a UTF-8 text file") from None
            except csv.Error as error:
                raise InputError(f"{origin} line {reader.line_num}", f"bad CSV ({error})") from None

        return activities_from_csv_rows(origin, list(fieldnames), rows())
    finally:
        stream.detach()


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
    new, duplicates = split_new(
        (a for a, _ in assigned), known_activities([a for a, _ in assigned], session=session)
    )
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


KNOWN_BATCH = 500
"""Fingerprints asked about per query: SQLite and PostgreSQL cap the parameters of one query."""


def known_activities(
    candidates: Sequence[Activity], *, batch: int = KNOWN_BATCH, session: Session
) -> list[KnownActivity]:
    """Stored activities that could be the same as a candidate: same fingerprint or start.

    Fingerprints are asked for `batch` at a time; starts by one range query.
    """
    if not candidates:
        return []
    fingerprints = sorted({a.fingerprint for a in candidates})
    conditions: list[ColumnElement[bool]] = [
        ShoeActivity.fingerprint.in_(fingerprints[i : i + batch])
        for i in range(0, len(fingerprints), batch)
    ]
    starts = [a.started_at for a in candidates if a.started_at is not None]
    if starts:
        earliest = min(starts) - SAME_START_WITHIN - timedelta(seconds=1)
        latest = max(starts) + SAME_START_WITHIN + timedelta(seconds=1)
        conditions.append(ShoeActivity.started_at.between(earliest, latest))
    found: dict[int, KnownActivity] = {}
    for condition in conditions:
        for row in session.scalars(select(ShoeActivity).where(condition)):
            found.setdefault(
                row.id,
                KnownActivity(
                    row.fingerprint,
                    as_utc(row.started_at) if row.started_at is not None else None,
                    row.distance_km,
                ),
            )
    return list(found.values())
