"""FIT activity files read as a stream: memory stays small whatever the file's size.

A FIT file is a header, then records (definitions, then data messages laid out by them), then
a checksum (CRC-16) over the header and the records; files may be chained one after another.
kneecoach needs little of it: each session's sport, start and total distance, the first sport
message, and, for a file without sessions, the records' largest distance and first time.
So the file is read a chunk at a time, each data message is looked at once and dropped, and
only those few values are kept (Garmin's decoder keeps every message of the file as a Python
dict: a few hundred bytes of memory for each few bytes of file).

The rules are the FIT protocol's (header sizes 12 or 14, ".FIT", little or big endian
definitions, developer fields, compressed timestamp headers); the field numbers and the sport
names come from Garmin's profile (`garmin_fit_sdk.Profile`). A value a device left unset (all
bits on) counts as missing. Any problem is an InputError naming the file, in the words the
import has always used: "is not a FIT file", "damaged or cut short", "cannot be read".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO, Final

from kneecoach.core.errors import InputError

FIT_EPOCH_S: Final = 631_065_600  # 1989-12-31T00:00:00Z, FIT's time zero
CHUNK: Final = 64 * 1024
MAX_SESSIONS: Final = 1000

SPORT, SESSION, RECORD = 12, 18, 20  # global message numbers
TIMESTAMP = 253  # the timestamp field of every message
SESSION_START, SESSION_SPORT, SESSION_DISTANCE = 2, 5, 9
RECORD_DISTANCE = 5
SPORT_SPORT = 0
WANTED: Final = {
    SPORT: (SPORT_SPORT,),
    SESSION: (SESSION_START, SESSION_SPORT, SESSION_DISTANCE),
    RECORD: (RECORD_DISTANCE,),
}
"""The fields read from each message kneecoach looks at (with TIMESTAMP); others are skipped."""

NOT_FIT: Final = "is not a FIT file"
DAMAGED: Final = "the FIT file is damaged or cut short (its checksum is wrong)"


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


CRC_TABLE: Final = _crc_table()  # CRC-16/ARC, as the FIT protocol specifies


def crc16(crc: int, data: bytes) -> int:
    table = CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True)
class FitSession:
    sport: str | None
    start: datetime | None
    metres: float


@dataclass
class FitSummary:
    """What kneecoach reads from a FIT file; `file_hash` is over every byte of it."""

    file_hash: str = ""
    sessions: list[FitSession] = field(default_factory=list)
    sport: str | None = None
    record_metres: float | None = None
    first_record_time: datetime | None = None


class _CutShort(Exception):
    """The stream ended before the bytes the file promised."""


class _Unreadable(Exception):
    """The records do not follow the protocol (the checksum decides between damaged and this)."""


class _Chunks:
    """The stream a chunk at a time: every byte read goes into the hash; the bytes `take`
    hands out go into `crc`, and `taken` counts them."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = b""
        self._at = 0
        self.digest = hashlib.sha256()
        self.crc = 0
        self.taken = 0

    def _has(self, count: int) -> bool:
        while len(self._buffer) - self._at < count:
            chunk = self._stream.read(max(CHUNK, count))
            if not chunk:
                return False
            self.digest.update(chunk)
            self._buffer = self._buffer[self._at :] + chunk
            self._at = 0
        return True

    def take(self, count: int) -> bytes:
        if not self._has(count):
            raise _CutShort
        data = self._buffer[self._at : self._at + count]
        self._at += count
        self.taken += count
        self.crc = crc16(self.crc, data)
        return data

    def skip(self, count: int) -> None:
        while count > 0:
            step = min(count, CHUNK)
            self.take(step)
            count -= step

    def at_end(self) -> bool:
        return not self._has(1)


@dataclass(frozen=True)
class _Definition:
    """A local message type's layout: where each wanted field lies in its data message."""

    number: int
    size: int
    little: bool
    fields: dict[int, tuple[int, int]]  # field number -> (offset, size)

    def value(self, payload: bytes, number: int, size: int) -> int | None:
        """The field as an unsigned whole number, or None when absent or unset (all bits on)."""
        where = self.fields.get(number)
        if where is None or where[1] != size:
            return None
        offset = where[0]
        raw = int.from_bytes(payload[offset : offset + size], "little" if self.little else "big")
        return None if raw == (1 << (8 * size)) - 1 else raw


def _time(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value + FIT_EPOCH_S, UTC)


def _sport_name(value: int | None) -> str | None:
    if value is None:
        return None
    from garmin_fit_sdk import Profile

    name = Profile["types"]["sport"].get(value)
    return name if isinstance(name, str) else None


class _Reader:
    def __init__(self, origin: str, stream: BinaryIO) -> None:
        self.origin = origin
        self.data = _Chunks(stream)
        self.summary = FitSummary()
        self.definitions: dict[int, _Definition] = {}
        self.last_time: int | None = None

    def read(self) -> FitSummary:
        self._file(first=True)
        while not self.data.at_end():
            self._file(first=False)
        self.summary.file_hash = self.data.digest.hexdigest()[:20]
        return self.summary

    def _file(self, first: bool) -> None:
        data = self.data
        data.crc, data.taken = 0, 0
        try:
            size = data.take(1)[0]
            if size not in (12, 14):
                raise InputError(self.origin, NOT_FIT)
            header = bytes([size]) + data.take(size - 1)
        except _CutShort:
            raise InputError(self.origin, NOT_FIT if first else DAMAGED) from None
        if header[8:12] != b".FIT":
            raise InputError(self.origin, NOT_FIT)
        if size == 14 and int.from_bytes(header[12:14], "little") not in (0, crc16(0, header[:12])):
            raise InputError(self.origin, DAMAGED)
        end = size + int.from_bytes(header[4:8], "little")
        self.definitions.clear()
        problem = None
        try:
            try:
                while data.taken < end:
                    self._record()
                if data.taken > end:
                    raise _Unreadable("a message runs past the end of the file's records")
            except _Unreadable as unreadable:
                problem = str(unreadable)
                data.skip(end - data.taken)  # the checksum still decides: damaged, or unreadable
            expected = data.crc
            stored = int.from_bytes(data.take(2), "little")
        except _CutShort:
            raise InputError(self.origin, DAMAGED) from None
        if stored != expected:
            raise InputError(self.origin, DAMAGED)
        if problem is not None:
            raise InputError(self.origin, f"the FIT file cannot be read ({problem})")

    def _record(self) -> None:
        header = self.data.take(1)[0]
        if header & 0x80:  # a compressed timestamp header: a data message with a time offset
            if self.last_time is None:
                raise _Unreadable("a compressed time comes before any full time")
            offset = header & 0x1F
            time = self.last_time + ((offset - self.last_time) & 0x1F)
            self._message(self._definition((header >> 5) & 0x03), time)
        elif header & 0x40:
            self._define(header & 0x0F, developer=bool(header & 0x20))
        else:
            self._message(self._definition(header & 0x0F), None)

    def _definition(self, local: int) -> _Definition:
        found = self.definitions.get(local)
        if found is None:
            raise _Unreadable(f"a message uses local type {local} before it is defined")
        return found

    def _define(self, local: int, developer: bool) -> None:
        fixed = self.data.take(5)
        little = fixed[1] == 0
        number = int.from_bytes(fixed[2:4], "little" if little else "big")
        count = fixed[4]
        layout = self.data.take(3 * count)
        wanted = (*WANTED.get(number, ()), TIMESTAMP)
        fields: dict[int, tuple[int, int]] = {}
        offset = 0
        for index in range(count):
            field_number, field_size = layout[3 * index], layout[3 * index + 1]
            if field_number in wanted and field_number not in fields:
                fields[field_number] = (offset, field_size)
            offset += field_size
        if developer:
            extra = self.data.take(1)[0]
            sizes = self.data.take(3 * extra)
            offset += sum(sizes[3 * index + 1] for index in range(extra))
        self.definitions[local] = _Definition(number, offset, little, fields)

    def _message(self, definition: _Definition, time: int | None) -> None:
        payload = self.data.take(definition.size)
        if time is None:
            time = definition.value(payload, TIMESTAMP, 4)
        if time is not None:
            self.last_time = time
        summary = self.summary
        if definition.number == RECORD:
            metres = definition.value(payload, RECORD_DISTANCE, 4)
            if metres is not None:
                metres_now = metres / 100
                if summary.record_metres is None or metres_now > summary.record_metres:
                    summary.record_metres = metres_now
            if summary.first_record_time is None and time is not None:
                summary.first_record_time = _time(time)
        elif definition.number == SESSION:
            distance = definition.value(payload, SESSION_DISTANCE, 4)
            if not distance:
                return
            if len(summary.sessions) >= MAX_SESSIONS:
                raise InputError(self.origin, f"the FIT file has over {MAX_SESSIONS} sessions")
            start = definition.value(payload, SESSION_START, 4)
            sport = _sport_name(definition.value(payload, SESSION_SPORT, 1))
            summary.sessions.append(FitSession(sport, _time(start or time), distance / 100))
        elif definition.number == SPORT and summary.sport is None:
            summary.sport = _sport_name(definition.value(payload, SPORT_SPORT, 1))


def read_fit_summary(origin: str, stream: BinaryIO) -> FitSummary:
    """The sessions, sport and record distance of a FIT file read from `stream` in chunks."""
    return _Reader(origin, stream).read()
