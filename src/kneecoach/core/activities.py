"""Activities read from files (GPX, FIT, CSV) or estimated from steps, as plain values.

Reading the bytes is the service's job; this module holds what was found, turns the many ways
devices name a sport into kneecoach's four activity types, validates CSV rows, and decides
which activities are already counted, so one run is never counted twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final, Literal

from kneecoach.core.errors import InputError
from kneecoach.core.shoes import ACTIVITY_TYPES

Source = Literal["gpx", "fit", "csv", "steps"]

CSV_COLUMNS: Final[tuple[str, ...]] = ("date", "distance_km", "activity", "shoe")
CSV_REQUIRED: Final[tuple[str, ...]] = ("date", "distance_km")

# Two recordings of one outing (a watch's FIT file and a phone's GPX) start within a couple
# of minutes of each other and agree on distance to within a few per cent.
SAME_START_WITHIN: Final = timedelta(minutes=2)
SAME_DISTANCE_WITHIN: Final = 0.10

_SPORT_WORDS: Final[dict[str, str]] = {
    "run": "running",
    "running": "running",
    "trail_running": "running",
    "trail_run": "running",
    "treadmill_running": "running",
    "street_running": "running",
    "virtual_run": "running",
    "jog": "running",
    "jogging": "running",
    "walk": "walking",
    "walking": "walking",
    "speed_walking": "walking",
    "casual_walking": "walking",
    "hike": "hiking",
    "hiking": "hiking",
    "mountaineering": "hiking",
    "trekking": "hiking",
}


# Sports that wear no walking or running shoes: their distance is not counted on a pair.
NOT_ON_FOOT: Final[frozenset[str]] = frozenset(
    {
        "cycling", "biking", "ride", "virtual_ride", "e_biking", "e_bike_ride",
        "mountain_biking", "swimming", "swim", "rowing", "paddling", "kayaking",
        "stand_up_paddleboarding", "sailing", "surfing", "windsurfing", "kitesurfing",
        "driving", "motorcycling", "flying", "alpine_skiing", "cross_country_skiing",
        "snowboarding", "snowmobiling", "inline_skating", "ice_skating",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Activity:
    """One outing found in a file, before it is put on a pair."""

    source: Source
    on: date
    distance_km: float
    fingerprint: str
    origin: str
    started_at: datetime | None = None
    activity_type: str | None = None
    shoe: str | None = None

    def with_type(self, activity_type: str | None) -> Activity:
        return Activity(
            self.source,
            self.on,
            self.distance_km,
            self.fingerprint,
            self.origin,
            self.started_at,
            activity_type,
            self.shoe,
        )


@dataclass(frozen=True)
class ActivityFile:
    """What one file held: zero or more activities (a GPX file may hold several tracks)."""

    origin: str
    source: Source
    activities: tuple[Activity, ...]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnownActivity:
    """What the database already counts, enough to spot the same outing again."""

    fingerprint: str
    started_at: datetime | None
    distance_km: float


def activity_type_from(raw: str | None) -> str | None:
    """kneecoach's activity type for a device's sport name; None when the file says nothing."""
    if raw is None:
        return None
    word = _sport_word(raw)
    if not word:
        return None
    if word in ACTIVITY_TYPES:
        return word
    return _SPORT_WORDS.get(word, "other")


def _sport_word(raw: str) -> str:
    return raw.strip().lower().replace(" ", "_").replace("-", "_")


def is_on_foot(raw: str) -> bool:
    """False for sports done without walking or running shoes (cycling, swimming …)."""
    return _sport_word(raw) not in NOT_ON_FOOT


def as_utc(moment: datetime) -> datetime:
    """Stored and compared times are UTC; a time without a zone is taken to be UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def same_outing(a_start: datetime, a_km: float, b_start: datetime, b_km: float) -> bool:
    """Two recordings of one outing: close start times and close distances."""
    if abs(as_utc(a_start) - as_utc(b_start)) > SAME_START_WITHIN:
        return False
    longest = max(a_km, b_km)
    return longest == 0 or abs(a_km - b_km) / longest <= SAME_DISTANCE_WITHIN


def split_new(
    candidates: Iterable[Activity], known: Iterable[KnownActivity]
) -> tuple[list[Activity], list[Activity]]:
    """(new, duplicates): an activity already stored, or seen earlier in this batch, is a duplicate."""
    seen = list(known)
    fingerprints = {k.fingerprint for k in seen}
    new: list[Activity] = []
    duplicates: list[Activity] = []
    for activity in candidates:
        is_duplicate = activity.fingerprint in fingerprints or (
            activity.started_at is not None
            and any(
                k.started_at is not None
                and same_outing(
                    activity.started_at, activity.distance_km, k.started_at, k.distance_km
                )
                for k in seen
            )
        )
        if is_duplicate:
            duplicates.append(activity)
            continue
        new.append(activity)
        fingerprints.add(activity.fingerprint)
        seen.append(KnownActivity(activity.fingerprint, activity.started_at, activity.distance_km))
    return new, duplicates


def activities_from_csv_rows(
    origin: str, header: Sequence[str], rows: Iterable[tuple[int, Mapping[str, str]]]
) -> ActivityFile:
    """Validate a CSV of activities: columns date, distance_km, activity, shoe.

    `rows` are (line number, row) pairs. The first bad value stops the import with the line
    and column named; a row repeated in the same file still counts (two equal walks happen),
    while importing the same file again counts nothing new.
    """
    names = [name.strip() for name in header]
    missing = [column for column in CSV_REQUIRED if column not in names]
    if missing:
        raise InputError(
            origin,
            f"the header row has no {' or '.join(missing)} column "
            f"(expected columns: {', '.join(CSV_COLUMNS)})",
        )
    unknown = [name for name in names if name and name not in CSV_COLUMNS]
    if unknown:
        raise InputError(
            origin,
            f"unknown column {unknown[0]!r} (expected columns: {', '.join(CSV_COLUMNS)})",
        )
    activities: list[Activity] = []
    occurrences: dict[tuple[str, ...], int] = {}
    for line, row in rows:
        cells = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        if not any(cells.values()):
            continue
        on = _csv_date(origin, line, cells.get("date", ""))
        km = _csv_distance(origin, line, cells.get("distance_km", ""))
        raw_type = cells.get("activity") or None
        activity_type = activity_type_from(raw_type)
        if raw_type is not None and activity_type == "other" and raw_type.lower() != "other":
            raise InputError(
                f"{origin} line {line}, column activity",
                f"{raw_type!r} is not an activity type; use one of {', '.join(ACTIVITY_TYPES)}",
            )
        shoe = cells.get("shoe") or None
        key = (on.isoformat(), f"{km:.3f}", activity_type or "", shoe or "")
        occurrences[key] = occurrences.get(key, 0) + 1
        fingerprint = "csv:" + "|".join(key) + f"|{occurrences[key]}"
        activities.append(
            Activity("csv", on, km, fingerprint, f"{origin} line {line}", None, activity_type, shoe)
        )
    return ActivityFile(origin, "csv", tuple(activities))


def _csv_date(origin: str, line: int, text: str) -> date:
    field = f"{origin} line {line}, column date"
    if not text:
        raise InputError(field, "the date is empty (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _csv_distance(origin: str, line: int, text: str) -> float:
    field = f"{origin} line {line}, column distance_km"
    if not text:
        raise InputError(field, "the distance is empty")
    try:
        km = float(text)
    except ValueError:
        raise InputError(field, f"{text!r} is not a number of kilometres") from None
    if not math.isfinite(km) or km < 0 or km > 1000:
        raise InputError(field, f"{text!r} is not a distance between 0 and 1000 km")
    return km


def steps_fingerprint(on: date) -> str:
    """One steps estimate per date: a later estimate for the same day replaces the earlier."""
    return f"steps:{on.isoformat()}"
