"""The real CLI: signals JSON, bad files, the check-in (flags and questions), import/export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from kneecoach.core.checkins import CheckIn, write_checkins_csv
from kneecoach.data.signals import load_signal_thresholds
from kneecoach.services import checkins as service
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.signals import synthetic


def write(tmp_path: Path, text: str, name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def creep_file(tmp_path: Path) -> tuple[Path, synthetic.Scenario]:
    scenario = synthetic.creep("swelling", seed=3)
    return write(tmp_path, write_checkins_csv(scenario.checkins)), scenario


def test_signals_json_has_the_spec_shape_in_date_order(tmp_path: Path) -> None:
    path, scenario = creep_file(tmp_path)
    result = run_cli("signals", "--checkins", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"alerts"}
    alerts = document["alerts"]
    assert alerts, "a swelling creep must raise an alert"
    for alert in alerts:
        assert {"id", "date", "level", "why"} <= set(alert)
        assert alert["level"] in {"watch", "act", "see_professional"}
        assert date.fromisoformat(alert["date"])
        assert alert["why"] and "\n" not in alert["why"]
    assert [a["date"] for a in alerts] == sorted(a["date"] for a in alerts)
    swelling = [a for a in alerts if a["id"] == "swelling_rising"]
    assert swelling[0]["level"] == "watch"
    assert date.fromisoformat(swelling[0]["date"]) >= scenario.change_day - timedelta(days=3)


def test_a_stable_file_raises_nothing_above_watch(tmp_path: Path) -> None:
    path = write(tmp_path, write_checkins_csv(synthetic.stable(seed=2).checkins))
    result = run_cli("signals", "--checkins", str(path), "--format", "json")
    assert result.exit_code == 0
    assert all(a["level"] == "watch" for a in json.loads(result.stdout)["alerts"])


def test_a_red_flag_row_is_see_professional_dated_that_day(tmp_path: Path) -> None:
    path = write(tmp_path, "date,pain,locking,calf_pain\n2026-03-01,2,0,0\n2026-03-02,3,0,1\n")
    result = run_cli("signals", "--checkins", str(path), "--format", "json")
    (alert,) = json.loads(result.stdout)["alerts"]
    assert (alert["id"], alert["date"], alert["level"]) == (
        "red_flag",
        "2026-03-02",
        "see_professional",
    )
    said = load_signal_thresholds().red_flag.said_for("calf_pain", True)
    assert said in alert["why"] and "=" not in alert["why"]  # the person's words, not `x = yes`


def test_bad_rows_are_warnings_on_stderr_and_stdout_stays_json(tmp_path: Path) -> None:
    path = write(tmp_path, "date,pain,swelling,mood\n2026-03-01,2,5,ok\n2026-03-02,2,0,ok\n")
    result = run_cli("signals", "--checkins", str(path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"alerts": []}
    assert "line 2, column swelling: 5 is out of range 0–3" in result.stderr
    assert "column 'mood' is not a check-in column" in result.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "is not a CSV text file"),
        (b"", "the file is empty"),
        (b"pain,swelling\n3,1\n", "no date column"),
        (b"date,swelling\n2026-03-01,1\n", "no pain column"),
    ],
)
def test_bad_files_exit_2_with_one_line(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("signals", "--checkins", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: --checkins: ") and problem in result.stderr
    assert "Traceback" not in result.stderr


def test_checkin_with_flags_stores_it_and_shows_todays_alerts() -> None:
    result = run_cli(
        "checkin",
        "--date",
        "2026-03-02",
        "--pain",
        "3",
        "--swelling",
        "1",
        "--locking",
        "1",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["status"] == "added"
    assert document["checkin"] == {
        "date": "2026-03-02",
        "pain": 3,
        "swelling": 1,
        "locking": True,
        "version": 1,
    }
    assert [a["id"] for a in document["alerts"]] == ["red_flag"]
    again = run_cli("checkin", "--date", "2026-03-02", "--pain", "4")
    assert again.exit_code == 0 and "Updated" in again.stdout
    assert in_session(service.checkin_on, date(2026, 3, 2)) == CheckIn(
        day=date(2026, 3, 2), pain=4, swelling=1, locking=True
    )
    assert len(in_session(service.revisions_of, date(2026, 3, 2))) == 1


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--swelling", "5", "error: --swelling: 5 is out of range 0–3"),
        ("--date", "03/02/2026", "error: --date: 03/02/2026 is not a date like"),
        ("--factor", "sitting", "error: --factor: 'sitting' should look like NAME=1"),
    ],
)
def test_checkin_flag_mistakes_are_one_line(flag: str, value: str, message: str) -> None:
    result = run_cli("checkin", "--pain", "2", flag, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_the_interactive_checkin_asks_skips_and_retries() -> None:
    in_session(service.add_factor, "long_sitting", "Did you sit for over 2 hours?")
    # pain: empty (re-asked), 3; pain_worst skipped; swelling 9 (re-asked) then 2; the rest skipped,
    # the factor answered yes
    answers = ["", "3", "", "9", "2"] + [""] * 14 + ["1"]
    result = run_cli("checkin", "--date", "2026-03-03", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr + result.stdout
    stored = in_session(service.checkin_on, date(2026, 3, 3))
    assert stored == CheckIn(
        day=date(2026, 3, 3), pain=3, swelling=2, factors=(("long_sitting", True),)
    )
    assert "out of range 0–3" in result.stderr
    assert "Saved your check-in for 2026-03-03" in result.stdout


def test_import_export_import_round_trip_through_the_cli(tmp_path: Path) -> None:
    text = (
        "date,pain,swelling,catching,note,factor:foam_rolled\n"
        "2026-03-01,2,0,0,,1\n"
        "2026-03-02,3,7,0,,0\n"
        '2026-03-03,3,1,1,"hill walk, 10 km",\n'
    )
    result = run_cli("checkins", "import", str(write(tmp_path, text)), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["imported"], report["updated"], report["rejected"]) == (2, 0, 1)
    assert report["problems"] == ["line 3, column swelling: 7 is out of range 0–3"]
    assert report["new_factors"] == ["foam_rolled"]

    out = tmp_path / "out.csv"
    assert run_cli("checkins", "export", str(out)).exit_code == 0
    stdout_export = run_cli("checkins", "export")
    assert stdout_export.stdout == out.read_text(encoding="utf-8")
    again = run_cli("checkins", "import", str(out))
    assert again.exit_code == 0
    assert "Imported 0, updated 0, unchanged 2, rejected 0" in again.stdout
    listed = json.loads(run_cli("checkins", "list", "--format", "json").stdout)["checkins"]
    assert [c["date"] for c in listed] == ["2026-03-01", "2026-03-03"]
    assert listed[1]["note"] == "hill walk, 10 km"


def test_import_table_output_reports_each_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path, "date,pain\n2026-03-01,2\n2026-03-02,x\n")
    result = run_cli("checkins", "import", str(path))
    assert result.exit_code == 0
    assert "Imported 1, updated 0, unchanged 0, rejected 1" in result.stdout
    assert "rejected: line 3, column pain: x is not a number" in result.stdout


def test_signals_without_a_file_reads_the_stored_checkins(tmp_path: Path) -> None:
    path, _ = creep_file(tmp_path)
    assert run_cli("checkins", "import", str(path)).exit_code == 0
    from_store = json.loads(run_cli("signals", "--format", "json").stdout)
    from_file = json.loads(run_cli("signals", "--checkins", str(path), "--format", "json").stdout)
    assert from_store == from_file and from_store["alerts"]
    table = run_cli("signals")
    assert table.exit_code == 0 and "Swelling" in table.stdout


def test_factors_commands(tmp_path: Path) -> None:
    assert (
        run_cli("checkins", "factors", "add", "kneeling", "Did you kneel at work?").exit_code == 0
    )
    listed = json.loads(run_cli("checkins", "factors", "list", "--format", "json").stdout)
    assert listed == {"factors": [{"name": "kneeling", "question": "Did you kneel at work?"}]}
    again = run_cli("checkins", "factors", "add", "kneeling")
    assert again.exit_code == 2 and "already tracked" in again.stderr
    assert run_cli("checkins", "factors", "remove", "kneeling").exit_code == 0
    missing = run_cli("checkins", "factors", "remove", "kneeling")
    assert missing.exit_code == 2 and missing.stderr.startswith("error: name: no tracked factor")


def test_history_shows_earlier_versions() -> None:
    run_cli("checkin", "--date", "2026-03-04", "--pain", "2", "--swelling", "0")
    run_cli("checkin", "--date", "2026-03-04", "--swelling", "2")
    result = run_cli("checkins", "history", "2026-03-04", "--format", "json")
    document = json.loads(result.stdout)
    assert document["current"]["swelling"] == 2
    assert [r["values"]["swelling"] for r in document["revisions"]] == [0]


def test_checkins_list_shows_the_stored_days(tmp_path: Path) -> None:
    empty = run_cli("checkins", "list")
    assert empty.exit_code == 0 and "No check-ins yet" in empty.stdout
    csv = tmp_path / "c.csv"
    csv.write_text("date,pain,swelling,locking,steps,shoe\n2026-03-01,3,1,0,9000,trail\n")
    assert run_cli("checkins", "import", str(csv)).exit_code == 0
    table = run_cli("checkins", "list")
    assert table.exit_code == 0
    assert "2026-03-01" in table.stdout and "9000" in table.stdout
    listed = json.loads(run_cli("checkins", "list", "--format", "json").stdout)
    assert listed["checkins"][0]["date"] == "2026-03-01"
    assert listed["checkins"][0]["steps"] == 9000
    later = json.loads(
        run_cli("checkins", "list", "--since", "2026-03-02", "--format", "json").stdout
    )
    assert later["checkins"] == []
