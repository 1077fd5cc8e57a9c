"""The report's and the letter's services on both databases: an SQLite file and a real
PostgreSQL server give the same report data for the same month."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kneecoach.core.report import Period
from kneecoach.services import handover as handover_service
from kneecoach.services import intake as intake_service
from kneecoach.services.report import gather_report
from tests.db import in_session
from tests.report.seed import seed_month


def test_a_seeded_month_gathers_the_same_report_on_each_database(database: str) -> None:
    first = seed_month()
    data = in_session(gather_report, Period(first, date.today()))
    assert data.checkin_days == 30
    assert [(f.where, f.level) for f in data.flags] == [
        ("check-in", "urgent"),
        ("check-in", "soon"),
    ]
    assert {s.instrument for s in data.scores} == {"KOOS", "KOOS JR"}
    assert all(s.change.startswith("+") for s in data.scores)
    assert data.asked > 0 and 0 < data.done <= data.asked
    assert len(data.changes) == 1 and data.changes[0].action == "progress"
    assert data.changes[0].reason
    assert [s.name for s in data.shoes] == ["Town shoes", "Trail runners"]
    assert [n.day for n in data.notes] == sorted(n.day for n in data.notes) and len(data.notes) == 4


def test_medicines_round_trip_on_each_database(database: str, shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "hot-knee-fever.json").read_text())
    in_session(intake_service.import_intake, document)
    in_session(handover_service.add_medicines, ["Metformin 500 mg", "Aspirin 75 mg"])
    letter = in_session(handover_service.handover)
    assert letter is not None and letter.level == "emergency"
    assert letter.medicines == ("Metformin 500 mg", "Aspirin 75 mg")
