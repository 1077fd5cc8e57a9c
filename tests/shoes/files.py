"""Real activity files written by the libraries' own writers: gpxpy for GPX, fit-tool for FIT."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy.gpx

# One degree of latitude is about 111.2 km on gpxpy's sphere; points step north from here.
START_LAT, START_LON = 51.5, -0.12
METRES_PER_DEGREE_LAT = 111_195.0


def write_gpx(
    path: Path,
    km: float,
    start: datetime | None = datetime(2026, 3, 1, 7, 0, tzinfo=UTC),
    activity_type: str | None = "running",
    tracks: int = 1,
    points: int = 21,
) -> Path:
    """A GPX file with `tracks` tracks, each `km` long, straight north, one point a minute."""
    gpx = gpxpy.gpx.GPX()
    for index in range(tracks):
        track = gpxpy.gpx.GPXTrack(name=f"Outing {index + 1}")
        track.type = activity_type
        segment = gpxpy.gpx.GPXTrackSegment()
        step_deg = km * 1000 / (points - 1) / METRES_PER_DEGREE_LAT
        for i in range(points):
            when = None if start is None else start + timedelta(hours=index * 3, minutes=i)
            segment.points.append(
                gpxpy.gpx.GPXTrackPoint(
                    START_LAT + i * step_deg, START_LON + index * 0.01, elevation=10, time=when
                )
            )
        track.segments.append(segment)
        gpx.tracks.append(track)
    path.write_text(gpx.to_xml(version="1.1"), encoding="utf-8")
    return path


def write_fit(
    path: Path,
    km: float,
    start: datetime = datetime(2026, 3, 1, 7, 0, tzinfo=UTC),
    sport: str = "running",
    with_session: bool = True,
) -> Path:
    """A FIT activity: file id, one record a minute with cumulative distance, lap and session."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    start_ms = round(start.timestamp()) * 1000
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = start_ms
    file_id.serial_number = 0x1234
    builder.add(file_id)
    minutes = max(2, math.ceil(km * 6))
    for i in range(minutes + 1):
        record = RecordMessage()
        record.timestamp = start_ms + i * 60_000
        record.distance = km * 1000 * i / minutes
        builder.add(record)
    end_ms = start_ms + minutes * 60_000
    if with_session:
        lap = LapMessage()
        lap.timestamp = end_ms
        lap.start_time = start_ms
        lap.total_distance = km * 1000
        lap.sport = Sport[sport.upper()]
        builder.add(lap)
        session = SessionMessage()
        session.timestamp = end_ms
        session.start_time = start_ms
        session.total_distance = km * 1000
        session.total_elapsed_time = minutes * 60
        session.sport = Sport[sport.upper()]
        builder.add(session)
    builder.build().to_file(str(path))
    return path
