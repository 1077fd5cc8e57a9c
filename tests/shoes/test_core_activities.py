"""Sport names, duplicate detection and CSV rows, without any file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kneecoach.core.activities import (
    Activity,
    KnownActivity,
    activities_from_csv_rows,
    activity_type_from,
    is_on_foot,
    split_new,
)
from kneecoach.core.errors import InputError

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("running", "running"), ("Run", "running"), ("trail running", "running"), ("walking", "walking"),
     ("Hike", "hiking"), ("yoga", "other"), ("", None), (None, None)],
)  # fmt: skip
def test_device_sport_names_become_our_activity_types(raw: str | None, kind: str | None) -> None:
    assert activity_type_from(raw) == kind


def test_cycling_and_swimming_are_not_on_foot() -> None:
    assert not is_on_foot("cycling") and not is_on_foot("Swimming")
    assert is_on_foot("running") and is_on_foot("generic")


def outing(fingerprint: str, start: datetime | None, km: float) -> Activity:
    return Activity("gpx", date(2026, 3, 1), km, fingerprint, fingerprint, start)


def test_the_same_file_or_the_same_outing_is_a_duplicate() -> None:
    known = [KnownActivity("gpx:aaa:1", START, 10.0)]
    same_file = outing("gpx:aaa:1", None, 10.0)
    same_run_other_device = outing("fit:bbb:1", START + timedelta(seconds=50), 10.3)
    later_run = outing("fit:ccc:1", START + timedelta(hours=3), 10.0)
    same_start_other_distance = outing("fit:ddd:1", START, 5.0)
    new, dups = split_new(
        [same_file, same_run_other_device, later_run, same_start_other_distance], known
    )
    assert new == [later_run, same_start_other_distance]
    assert dups == [same_file, same_run_other_device]


def test_a_duplicate_inside_one_batch_counts_once() -> None:
    a = outing("gpx:aaa:1", START, 10.0)
    b = outing("fit:bbb:1", START + timedelta(seconds=5), 10.0)
    new, dups = split_new([a, b], [])
    assert new == [a] and dups == [b]


def rows(*lines: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    return [(n + 2, line) for n, line in enumerate(lines)]


def test_csv_rows_become_activities_and_repeated_rows_still_count() -> None:
    found = activities_from_csv_rows(
        "a.csv",
        ["date", "distance_km", "activity", "shoe"],
        rows(
            {"date": "2026-03-01", "distance_km": "5.5", "activity": "walking", "shoe": ""},
            {"date": "2026-03-01", "distance_km": "5.5", "activity": "walking", "shoe": ""},
            {"date": "2026-03-02", "distance_km": "8", "activity": "", "shoe": "trail_runner"},
        ),
    )
    assert [a.distance_km for a in found.activities] == [5.5, 5.5, 8.0]
    assert len({a.fingerprint for a in found.activities}) == 3
    assert found.activities[2].shoe == "trail_runner" and found.activities[2].activity_type is None


@pytest.mark.parametrize(
    ("cells", "field", "problem"),
    [
        ({"date": "01/03/2026", "distance_km": "5"}, "a.csv line 2, column date", "not a date"),
        (
            {"date": "2026-03-01", "distance_km": "five"},
            "a.csv line 2, column distance_km",
            "not a number",
        ),
        (
            {"date": "2026-03-01", "distance_km": "-1"},
            "a.csv line 2, column distance_km",
            "between 0",
        ),
        (
            {"date": "2026-03-01", "distance_km": "nan"},
            "a.csv line 2, column distance_km",
            "between 0",
        ),
        (
            {"date": "2026-03-01", "distance_km": "5", "activity": "cycling"},
            "a.csv line 2, column activity",
            "not an activity",
        ),
        ({"date": "", "distance_km": "5"}, "a.csv line 2, column date", "empty"),
    ],
)
def test_a_bad_csv_cell_names_line_and_column(
    cells: dict[str, str], field: str, problem: str
) -> None:
    with pytest.raises(InputError) as error:
        activities_from_csv_rows("a.csv", ["date", "distance_km", "activity"], rows(cells))
    assert error.value.field == field
    assert problem in error.value.problem


def test_a_csv_without_the_needed_columns_is_refused() -> None:
    with pytest.raises(InputError, match="no distance_km column"):
        activities_from_csv_rows("a.csv", ["date", "km"], [])
    with pytest.raises(InputError, match="unknown column 'pace'"):
        activities_from_csv_rows("a.csv", ["date", "distance_km", "pace"], [])
