"""Stored check-ins on SQLite and PostgreSQL: one per date, edits kept, import/export round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kneecoach.core.checkins import CheckIn, parse_checkins_csv
from kneecoach.core.errors import ConflictError, InputError, NotFoundError
from kneecoach.services import checkins as service
from tests.db import in_session

CSV = """date,pain,pain_worst,swelling,stiffness_min,catching,locking,steps,shoe,note,factor:long_sitting
2026-03-01,3,5,0,10,0,0,6000,trail,,1
2026-03-02,4,6,1,15,1,0,4000,walker,"stairs, then rest",0
2026-03-03,12,6,1,15,1,0,4000,walker,,0
2026-03-04,2,,,,,,,,,
"""


def test_a_second_checkin_the_same_day_updates_it_and_keeps_the_old_values(database: str) -> None:
    day = date(2026, 3, 5)
    first = in_session(
        service.record_checkin, CheckIn(day=day, pain=3, swelling=1, stiffness_min=20)
    )
    assert first.status == "added"
    second = in_session(service.record_checkin, CheckIn(day=day, pain=5, catching=True))
    assert second.status == "updated"
    stored = in_session(service.checkin_on, day)
    assert stored == CheckIn(day=day, pain=5, swelling=1, stiffness_min=20, catching=True)
    (revision,) = in_session(service.revisions_of, day)
    assert revision.old_values == {
        "date": "2026-03-05",
        "pain": 3,
        "swelling": 1,
        "stiffness_min": 20,
    }
    assert revision.source == "checkin"
    assert in_session(service.record_checkin, CheckIn(day=day, pain=5)).status == "unchanged"
    assert len(in_session(service.list_checkins)) == 1


def test_replacing_instead_of_merging_clears_skipped_answers_but_keeps_history(
    database: str,
) -> None:
    day = date(2026, 3, 5)
    in_session(service.record_checkin, CheckIn(day=day, pain=3, swelling=2))
    in_session(service.record_checkin, CheckIn(day=day, pain=4), merge=False, source="import")
    assert in_session(service.checkin_on, day) == CheckIn(day=day, pain=4)
    assert [r.old_values["swelling"] for r in in_session(service.revisions_of, day)] == [2]


def test_import_stores_good_rows_reports_bad_ones_and_export_round_trips(
    database: str, tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    report = in_session(service.import_checkins, service.read_checkins_file(path))
    assert (report.imported, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 1)
    assert [str(p) for p in report.reading.problems] == [
        "line 4, column pain: 12 is out of range 0–10"
    ]
    assert report.new_factors == ("long_sitting",)
    assert [f.name for f in in_session(service.list_factors)] == ["long_sitting"]

    exported = in_session(service.export_checkins_csv)
    again = parse_checkins_csv(exported, today=date.today())
    assert again.problems == ()
    assert list(again.checkins) == in_session(service.list_checkins)
    assert again.checkins[1].note == "stairs, then rest"

    # importing the export changes nothing; importing an edit updates and keeps the old row
    assert in_session(service.import_checkins, again).unchanged == 3
    edited = parse_checkins_csv(
        exported.replace("2026-03-01,3,5,0,10", "2026-03-01,6,5,0,10"), today=date.today()
    )
    report2 = in_session(service.import_checkins, edited)
    assert (report2.updated, report2.unchanged) == (1, 2)
    assert [r.old_values["pain"] for r in in_session(service.revisions_of, date(2026, 3, 1))] == [3]
    assert in_session(service.export_checkins_csv) == exported.replace(
        "2026-03-01,3,5", "2026-03-01,6,5"
    )


def test_a_bad_file_stores_nothing_and_loses_nothing(database: str, tmp_path: Path) -> None:
    in_session(service.record_checkin, CheckIn(day=date(2026, 3, 1), pain=2))
    path = tmp_path / "bad.csv"
    path.write_text("pain,swelling\n3,1\n", encoding="utf-8")
    with pytest.raises(InputError):
        service.read_checkins_file(path)
    assert [c.pain for c in in_session(service.list_checkins)] == [2]


def test_factors_can_be_added_listed_and_removed(database: str) -> None:
    in_session(service.add_factor, "Long Sitting", "Did you sit for over 2 hours?")
    in_session(service.add_factor, "foam_rolled")
    assert [(f.name, f.question) for f in in_session(service.list_factors)] == [
        ("long_sitting", "Did you sit for over 2 hours?"),
        ("foam_rolled", "Today: foam rolled?"),
    ]
    with pytest.raises(ConflictError):
        in_session(service.add_factor, "long_sitting")
    with pytest.raises(InputError):
        in_session(service.add_factor, "no!")
    in_session(service.remove_factor, "long_sitting")
    with pytest.raises(NotFoundError):
        in_session(service.remove_factor, "long_sitting")
    assert [f.name for f in in_session(service.list_factors)] == ["foam_rolled"]
