"""Real activity files written by the libraries' own writers: gpxpy for GPX, fit-tool for FIT."""

from __future__ import annotations

import math
import struct
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


FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z
UINT32, ENUM = 0x86, 0x00
# local type: (global message number, [(field number, size, base type)])
FIT_LAYOUTS: dict[int, tuple[int, list[tuple[int, int, int]]]] = {
    0: (0, [(0, 1, ENUM), (4, 4, UINT32)]),  # file id: type, time created
    1: (20, [(253, 4, UINT32), (5, 4, UINT32)]),  # record: timestamp, distance (cm)
    2: (18, [(253, 4, UINT32), (2, 4, UINT32), (5, 1, ENUM), (9, 4, UINT32)]),  # session
    3: (20, [(5, 4, UINT32)]),  # record after a compressed timestamp header: distance only
}
FIT_FORMATS = {1: "B", 4: "I"}


def fit_time(moment: datetime) -> int:
    return round(moment.timestamp()) - FIT_EPOCH_S


class FitWriter:
    """A FIT activity written byte by byte, as the protocol lays it out: a 14-byte header,
    definition and data messages (little or big endian), and the CRC-16 of it all. Garmin's
    decoder reads these back (tests/shoes/test_fit_stream.py)."""

    def __init__(self, created: datetime, big_endian: bool = False) -> None:
        self._order = ">" if big_endian else "<"
        self._parts: list[bytes] = []
        self._defined: set[int] = set()
        self._message(0, [4, fit_time(created)])

    def _message(self, local: int, values: list[int], header: int | None = None) -> None:
        number, fields = FIT_LAYOUTS[local]
        if local not in self._defined:
            self._defined.add(local)
            layout = b"".join(bytes(field) for field in fields)
            architecture = 1 if self._order == ">" else 0
            self._parts.append(
                bytes([0x40 | local, 0, architecture])
                + struct.pack(self._order + "HB", number, len(fields))
                + layout
            )
        pattern = self._order + "".join(FIT_FORMATS[size] for _, size, _ in fields)
        self._parts.append(bytes([local if header is None else header]))
        self._parts.append(struct.pack(pattern, *values))

    def record(self, when: datetime, metres: float, compressed: bool = False) -> None:
        if compressed:  # the time as 5 bits in the header, after a full one
            self._message(3, [round(metres * 100)], 0x80 | (3 << 5) | (fit_time(when) & 0x1F))
        else:
            self._message(1, [fit_time(when), round(metres * 100)])

    def session(self, start: datetime, end: datetime, metres: float, sport: int) -> None:
        self._message(2, [fit_time(end), fit_time(start), sport, round(metres * 100)])

    def raw(self, data: bytes) -> None:
        self._parts.append(data)

    def bytes(self) -> bytes:
        from kneecoach.services.fit import crc16

        data = b"".join(self._parts)
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(data), b".FIT")
        whole = header + struct.pack("<H", crc16(0, header)) + data
        return whole + struct.pack("<H", crc16(0, whole))

    def write(self, path: Path) -> Path:
        path.write_bytes(self.bytes())
        return path
