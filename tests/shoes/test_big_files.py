"""Big activity files are read as a stream: memory stays small whatever the file's size;
bad values in a file are one line naming the file and line; the duplicate check asks in batches."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kneecoach.core.activities import Activity
from kneecoach.core.errors import InputError
from kneecoach.services import activities as activity_service
from kneecoach.services.activities import read_activity_file
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.shoes.test_import import one_error_line

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'


def big_gpx(path: Path, megabytes: int) -> Path:
    """A GPX file of about `megabytes` MB: one running track, a point a second, going north."""
    start = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD + "<trk><type>running</type><trkseg>\n")
        i = 0
        while out.tell() < megabytes * 1024 * 1024:
            lines = []
            for _ in range(1000):
                when = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                lines.append(
                    f'<trkpt lat="{51.5 + i * 1e-6:.7f}" lon="-0.1200000"><ele>10.0</ele>'
                    f"<time>{when}</time></trkpt>\n"
                )
                i += 1
            out.write("".join(lines))
        out.write("</trkseg></trk></gpx>\n")
    return path


def peak_mb(action: object) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = action()  # type: ignore[operator]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 1024 / 1024


# Reads a file in a fresh interpreter and says how far its peak memory (the high-water mark of
# its resident set, which counts the parser's C buffers too) rose while reading: tracemalloc
# would time every allocation and make the read of a big file seven times slower.
READ_AND_MEASURE = """
import json, resource, sys
from pathlib import Path
from kneecoach.services.activities import read_activity_file
def high_water_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
before = high_water_mb()
found = read_activity_file(Path(sys.argv[1]))
rise = high_water_mb() - before
days = [[a.distance_km, a.started_at.isoformat()] for a in found.activities]
print(json.dumps({"rise_mb": rise, "activities": days}))
"""


def read_in_fresh_interpreter(path: Path) -> tuple[list[tuple[float, datetime]], float]:
    """The activities read from `path` (distance, start) and how many MB the peak memory rose
    while reading it (a whole parse of the 20 MB GPX below raises it by about 160 MB)."""
    done = subprocess.run(
        [sys.executable, "-c", READ_AND_MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    answer = json.loads(done.stdout)
    found = [(km, datetime.fromisoformat(at)) for km, at in answer["activities"]]
    return found, float(answer["rise_mb"])


def test_a_20_mb_gpx_file_is_read_in_little_memory(tmp_path: Path) -> None:
    gpx = big_gpx(tmp_path / "long.gpx", 20)
    found, peak = read_in_fresh_interpreter(gpx)
    ((distance_km, started_at),) = found
    assert distance_km > 20  # ~200,000 points a metre or so apart
    assert started_at == datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    assert peak < 20, f"peak {peak:.1f} MB"


def test_a_big_csv_file_is_read_row_by_row(tmp_path: Path) -> None:
    csv = tmp_path / "many.csv"
    with csv.open("w") as out:
        out.write("date,distance_km,activity,shoe\n")
        padding = " " * 3000  # cells are trimmed: a wide file of few rows
        for day in range(10_000):
            out.write(f"2026-01-{day % 28 + 1:02d},{day % 97 / 10:.1f},running,trail{padding}\n")
    size_mb = csv.stat().st_size / 1024 / 1024
    found, peak = peak_mb(lambda: read_activity_file(csv))
    assert len(found.activities) == 10_000  # type: ignore[attr-defined]
    assert size_mb > 25 and peak < 15, f"peak {peak:.1f} MB for a {size_mb:.1f} MB file"


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    gpx = tmp_path / "xxe.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<gpx><trk><name>&x;</name></trk></gpx>"
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        read_activity_file(gpx)


POINT = '<trkpt lat="{lat}" lon="-0.12"><time>{time}</time></trkpt>\n'


def gpx_with(path: Path, lat: str, time: str) -> Path:
    points = POINT.format(lat="51.5", time=time) + POINT.format(
        lat=lat, time="2026-03-01T07:01:00Z"
    )
    path.write_text(HEAD + "<trk><trkseg>\n" + points + "</trkseg></trk></gpx>\n")
    return path


@pytest.mark.parametrize(
    ("lat", "time", "problem"),
    [
        ("nan", "2026-03-01T07:00:00Z", "line 5: the track point's lat 'nan' is not a coordinate"),
        (
            "51.51",
            "0001-01-01T00:00:00Z",
            "line 4: the time '0001-01-01T00:00:00Z' is out of range",
        ),
    ],
)
def test_nan_coordinates_and_year_one_are_one_line_naming_file_and_line(
    tmp_path: Path, lat: str, time: str, problem: str
) -> None:
    gpx = gpx_with(tmp_path / "odd.gpx", lat, time)
    line = one_error_line(run_cli("shoes", "import", str(gpx), "--activity", "running"))
    assert line.startswith(f"error: {gpx} {problem}"), line


def test_the_duplicate_check_asks_in_batches(tmp_path: Path) -> None:
    assert run_cli("shoes", "add", "--name", "Trail", "--default-for", "running").exit_code == 0
    day = datetime(2026, 1, 1).date()
    many = [
        Activity("csv", day, 1.0, f"csv:{i}", f"f line {i}", None, "running") for i in range(3000)
    ]
    files = [activity_service.ActivityFile("f", "csv", tuple(many[:2000]))]
    first = in_session(activity_service.import_activities, files)
    assert len(first.counted) == 2000
    seen = in_session(activity_service.known_activities, many, batch=7)
    assert len(seen) == 2000 and {k.fingerprint for k in seen} == {f"csv:{i}" for i in range(2000)}
    again = in_session(
        activity_service.import_activities,
        [activity_service.ActivityFile("f", "csv", tuple(many))],
    )
    assert len(again.counted) == 1000 and len(again.duplicates) == 2000


def test_an_unexpected_database_error_is_one_line_without_sql_or_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unique violation (the duplicate check switched off): the class, never the values."""
    assert run_cli("shoes", "add", "--name", "Trail", "--default-for", "running").exit_code == 0
    csv = tmp_path / "SECRET-NOTE.csv"
    csv.write_text("date,distance_km,activity\n2026-01-01,4.2,running\n")
    assert run_cli("shoes", "import", str(csv)).exit_code == 0
    monkeypatch.setattr(activity_service, "split_new", lambda found, _known: (list(found), []))
    result = run_cli("shoes", "import", str(csv))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "IntegrityError" in line
    for leak in ("SECRET", "INSERT", "shoe_activities", "4.2", "2026-01-01"):
        assert leak not in line, line
