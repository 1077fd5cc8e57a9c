"""FIT files are read as a stream: a big one takes little memory, and the values agree with
Garmin's own decoder (garmin_fit_sdk), which reads the same bytes.

The files here are written byte by byte (tests/shoes/files.py `FitWriter`), so they can be
large and can hold what fit-tool does not write (compressed timestamps, chained files); Garmin's
decoder reading them back checks the writer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.services.activities import read_activity_file, read_fit
from tests.shoes.files import FitWriter
from tests.shoes.test_big_files import peak_mb

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


def garmin_reads(path: Path) -> dict[str, list[dict[str, object]]]:
    from garmin_fit_sdk import Decoder, Stream

    assert Decoder(Stream.from_file(str(path))).check_integrity()
    messages, errors = Decoder(Stream.from_file(str(path))).read()
    assert errors == []
    return messages


def test_a_big_fit_file_is_read_in_little_memory(tmp_path: Path) -> None:
    fit = FitWriter(START)
    for second in range(120_000):  # a record a second for 33 hours: about 1 MB
        fit.record(START + timedelta(seconds=second), metres=second * 2.5)
    path = fit.write(tmp_path / "long.fit")
    size_mb = path.stat().st_size / 1024 / 1024
    import garmin_fit_sdk  # noqa: F401  (its profile is loaded once, before the measurement)

    found, peak = peak_mb(lambda: read_activity_file(path))
    (activity,) = found.activities  # type: ignore[attr-defined]
    assert activity.distance_km == pytest.approx(119_999 * 2.5 / 1000)
    assert activity.started_at == START
    # Garmin's decoder kept every message: about 140 times the file's size (140 MB here)
    assert size_mb > 1 and peak < 0.5, f"peak {peak:.2f} MB for a {size_mb:.1f} MB file"


def test_sessions_agree_with_garmins_decoder(tmp_path: Path) -> None:
    fit = FitWriter(START, big_endian=True)
    for minute in range(31):
        fit.record(START + timedelta(minutes=minute), metres=minute * 200.0)
    fit.session(START, START + timedelta(minutes=30), metres=6000.0, sport=11)  # walking
    fit.session(START + timedelta(hours=2), START + timedelta(hours=3), metres=20_000.0, sport=2)
    path = fit.write(tmp_path / "two.fit")
    sessions = garmin_reads(path)["session_mesgs"]
    assert [(s["sport"], s["total_distance"], s["start_time"]) for s in sessions] == [
        ("walking", 6000.0, START),
        ("cycling", 20_000.0, START + timedelta(hours=2)),
    ]
    found = read_activity_file(path)
    assert [(a.activity_type, a.distance_km, a.started_at) for a in found.activities] == [
        ("walking", 6.0, START)
    ]
    assert found.skipped == (f"{path} session 2: cycling is not on foot",)


def test_compressed_times_and_chained_files_are_read(tmp_path: Path) -> None:
    first = FitWriter(START)
    for second in range(0, 100, 5):
        first.record(START + timedelta(seconds=second), metres=second * 3.0, compressed=second > 0)
    second_file = FitWriter(START)
    second_file.record(START + timedelta(minutes=1), metres=900.0)
    path = tmp_path / "chained.fit"
    path.write_bytes(first.bytes() + second_file.bytes())
    (activity,) = read_fit(str(path), path.read_bytes()).activities
    assert activity.started_at == START
    assert activity.distance_km == pytest.approx(0.9)  # the largest record distance


def test_a_changed_byte_is_damage_and_broken_records_are_unreadable(tmp_path: Path) -> None:
    fit = FitWriter(START)
    fit.record(START, metres=10.0)
    fit.session(START, START + timedelta(minutes=1), metres=10.0, sport=1)
    good = fit.bytes()
    changed = bytearray(good)
    changed[len(good) // 2] ^= 0xFF
    with pytest.raises(InputError, match="damaged or cut short"):
        read_fit("changed.fit", bytes(changed))
    broken = FitWriter(START)
    broken.raw(bytes([0x05]))  # a data message of local type 5, never defined
    with pytest.raises(InputError, match=r"cannot be read \(a message uses local type 5"):
        read_fit("broken.fit", broken.bytes())
