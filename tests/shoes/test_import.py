"""Importing real GPX (gpxpy) and FIT (fit-tool) files, and CSV, through the real CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Result, run_cli
from tests.shoes.files import write_fit, write_gpx

RUN_START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


def shoes_json() -> dict[str, dict[str, object]]:
    result = run_cli("shoes", "list", "--all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {pair["id"]: pair for pair in json.loads(result.stdout)["shoes"]}


def km(pair_id: str) -> float:
    return float(shoes_json()[pair_id]["distance_km"])  # type: ignore[arg-type]


def imported(*args: str) -> dict[str, object]:
    result = run_cli("shoes", "import", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def add(name: str, *extra: str) -> None:
    result = run_cli("shoes", "add", "--name", name, *extra)
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def two_pairs() -> None:
    add("Trail runner", "--type", "running", "--default-for", "running")
    add("Daily walkers", "--type", "walking", "--default-for", "walking")


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_gpx_run_counts_on_the_default_running_pair(tmp_path: Path, two_pairs: None) -> None:
    gpx = write_gpx(tmp_path / "run.gpx", 10.0, RUN_START, "running")
    report = imported(str(gpx))
    assert report["km_by_shoe"] == {"trail_runner": pytest.approx(10.0, rel=0.01)}
    assert km("trail_runner") == pytest.approx(10.0, rel=0.01)
    assert km("daily_walkers") == 0


def test_each_gpx_track_is_an_outing(tmp_path: Path, two_pairs: None) -> None:
    gpx = write_gpx(tmp_path / "walks.gpx", 4.0, RUN_START, "walking", tracks=3)
    report = imported(str(gpx))
    assert len(report["counted"]) == 3  # type: ignore[arg-type]
    assert km("daily_walkers") == pytest.approx(12.0, rel=0.01)


def test_a_fit_session_counts_with_its_sport(tmp_path: Path, two_pairs: None) -> None:
    fit = write_fit(tmp_path / "walk.fit", 6.5, RUN_START, "walking")
    report = imported(str(fit))
    assert report["counted"] == [
        {
            "origin": str(fit),
            "date": "2026-03-01",
            "activity": "walking",
            "distance_km": 6.5,
            "shoe": "daily_walkers",
        }
    ]


def test_a_fit_file_without_a_session_sums_its_records(tmp_path: Path, two_pairs: None) -> None:
    fit = write_fit(tmp_path / "records.fit", 7.0, RUN_START, with_session=False)
    report = imported(str(fit), "--activity", "running")
    assert report["km_by_shoe"] == {"trail_runner": 7.0}


def test_a_cycling_fit_is_not_put_on_shoes(tmp_path: Path, two_pairs: None) -> None:
    fit = write_fit(tmp_path / "ride.fit", 40.0, RUN_START, "cycling")
    report = imported(str(fit))
    assert report["counted"] == [] and "not on foot" in report["skipped"][0]  # type: ignore[index]
    assert km("trail_runner") == 0


def test_the_chosen_pair_beats_the_default(tmp_path: Path, two_pairs: None) -> None:
    gpx = write_gpx(tmp_path / "run.gpx", 5.0, RUN_START, "running")
    imported(str(gpx), "--shoe", "Daily walkers")
    assert km("daily_walkers") == pytest.approx(5.0, rel=0.01)
    assert km("trail_runner") == 0


def test_without_a_type_or_a_default_the_person_is_told_to_choose(
    tmp_path: Path, two_pairs: None
) -> None:
    gpx = write_gpx(tmp_path / "notype.gpx", 5.0, RUN_START, None)
    line = one_error_line(run_cli("shoes", "import", str(gpx)))
    assert line.startswith(f"error: {gpx}: the activity type is not in the file")
    assert "--shoe" in line
    hike = write_gpx(tmp_path / "hike.gpx", 5.0, RUN_START, "hiking")
    line = one_error_line(run_cli("shoes", "import", str(hike)))
    assert "no default pair for hiking" in line
    assert km("trail_runner") == 0 and km("daily_walkers") == 0
    imported(str(gpx), "--activity", "walking")
    assert km("daily_walkers") == pytest.approx(5.0, rel=0.01)


def test_the_same_file_and_the_same_run_from_another_device_count_once(
    tmp_path: Path, two_pairs: None
) -> None:
    gpx = write_gpx(tmp_path / "run.gpx", 10.0, RUN_START, "running")
    fit = write_fit(tmp_path / "run.fit", 10.0, RUN_START + timedelta(seconds=30), "running")
    imported(str(gpx))
    again = imported(str(gpx))
    assert again["counted"] == [] and again["duplicates"] == [str(gpx)]
    copy = tmp_path / "copy-of-run.gpx"
    copy.write_bytes(gpx.read_bytes())
    from_watch = imported(str(fit), str(copy))
    assert from_watch["counted"] == []
    assert km("trail_runner") == pytest.approx(10.0, rel=0.01)
    later = write_fit(tmp_path / "later.fit", 10.0, RUN_START + timedelta(days=1), "running")
    imported(str(later))
    assert km("trail_runner") == pytest.approx(20.0, rel=0.01)


def test_a_folder_imports_with_progress_and_counts_each_outing_once(
    tmp_path: Path, two_pairs: None
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for day in range(3):
        write_gpx(folder / f"run{day}.gpx", 5.0, RUN_START + timedelta(days=day), "running")
        write_fit(
            folder / f"run{day}.fit", 5.0, RUN_START + timedelta(days=day, seconds=20), "running"
        )
    (folder / "notes.txt").write_text("not an activity")
    result = run_cli("shoes", "import", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Counted 5.0 km") == 3
    assert result.stdout.count("Already counted") == 3
    assert km("trail_runner") == pytest.approx(15.0, rel=0.01)


def test_csv_rows_count_on_their_own_shoe_or_the_default(tmp_path: Path, two_pairs: None) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text(
        "date,distance_km,activity,shoe\n"
        "2026-03-01,5.5,walking,\n"
        "2026-03-02,8,running,\n"
        "2026-03-03,3,walking,trail_runner\n"
        "2026-03-04,2.5,,Daily walkers\n",
        encoding="utf-8",
    )
    report = imported(str(csv))
    assert report["km_by_shoe"] == {"daily_walkers": 8.0, "trail_runner": 11.0}
    assert imported(str(csv))["counted"] == []
    assert km("daily_walkers") == 8.0 and km("trail_runner") == 11.0


def test_csv_with_only_date_and_distance_uses_the_flags(tmp_path: Path, two_pairs: None) -> None:
    csv = tmp_path / "walks.csv"
    csv.write_text("date,distance_km\n2026-03-01,2\n2026-03-02,3\n", encoding="utf-8")
    imported(str(csv), "--activity", "walking")
    assert km("daily_walkers") == 5.0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.gpx", b"this is not xml", "{path}: is not a GPX file"),
        ("text.gpx", b"\xff\xfe\x00binary", "{path}: is not a GPX file"),
        ("bad.fit", b"hello, not a fit file", "{path}: is not a FIT file"),
        ("bad.csv", b"date,distance_km\n2026-03-01,5\n2026-03-02,lots\n", "{path} line 3, column distance_km: 'lots' is not a number"),
        ("dates.csv", b"date,distance_km\n03/01/2026,5\n", "{path} line 2, column date: '03/01/2026' is not a date"),
        ("cols.csv", b"when,km\n2026-03-01,5\n", "{path}: the header row has no date or distance_km column"),
        ("empty.csv", b"", "{path}: the file is empty"),
        ("ride.tcx", b"<tcx/>", "{path}: unknown kind of file"),
    ],
)  # fmt: skip
def test_bad_files_give_one_line_naming_the_file(
    tmp_path: Path, two_pairs: None, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    line = one_error_line(run_cli("shoes", "import", str(path), "--activity", "walking"))
    assert line.startswith("error: " + expected.format(path=path)), line


def test_a_truncated_fit_file_is_refused_and_nothing_is_counted(
    tmp_path: Path, two_pairs: None
) -> None:
    good = write_fit(tmp_path / "good.fit", 5.0, RUN_START)
    cut = tmp_path / "cut.fit"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    line = one_error_line(run_cli("shoes", "import", str(good), str(cut)))
    assert line == f"error: {cut}: the FIT file is damaged or cut short (its checksum is wrong)"
    assert km("trail_runner") == 0


def test_a_bad_row_stores_nothing_from_the_file(tmp_path: Path, two_pairs: None) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text(
        "date,distance_km,activity,shoe\n2026-03-01,5,walking,\n2026-03-02,3,walking,old_pair\n"
    )
    line = one_error_line(run_cli("shoes", "import", str(csv)))
    assert line.startswith(f"error: {csv} line 3, column shoe: no pair with id or name 'old_pair'")
    assert km("daily_walkers") == 0


def test_an_unknown_shoe_or_missing_file_is_one_line(tmp_path: Path, two_pairs: None) -> None:
    gpx = write_gpx(tmp_path / "run.gpx", 5.0)
    line = one_error_line(run_cli("shoes", "import", str(gpx), "--shoe", "nope"))
    assert line == "error: --shoe: no pair with id or name 'nope'; see `kneecoach shoes list`"
    line = one_error_line(run_cli("shoes", "import", str(tmp_path / "missing.gpx")))
    assert line == f"error: {tmp_path / 'missing.gpx'}: no such file or folder"
    line = one_error_line(run_cli("shoes", "import", str(gpx), "--activity", "swimming"))
    assert line.startswith("error: --activity: 'swimming' is not an activity type")
