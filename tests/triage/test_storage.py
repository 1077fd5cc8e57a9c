"""Intakes are saved as increasing versions with their triage, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kneecoach.core.intake import parse_intake
from kneecoach.core.triage import TriageResult
from kneecoach.services.intake import import_intake, latest_intake, list_intakes, save_intake
from kneecoach.settings import reset_settings
from tests.db import in_session
from tests.triage.cases import CALM, changed


def test_save_list_and_read_back(any_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    assert in_session(latest_intake) is None
    assert in_session(list_intakes) == ()
    before = datetime.now(UTC) - timedelta(seconds=5)
    first = in_session(save_intake, parse_intake(CALM))
    hot = changed(CALM, {"signs.warm": True, "signs.swelling": 2, "general.fever": True})
    second = in_session(import_intake, hot)
    third = in_session(
        save_intake, parse_intake(CALM), assessment={"patterns": [], "contributors": []}
    )
    assert [s.version for s in in_session(list_intakes)] == [1, 2, 3]
    assert (first.version, second.version, third.version) == (1, 2, 3)
    latest = in_session(latest_intake)
    assert latest is not None and latest.version == 3
    assert latest.assessment == {"patterns": [], "contributors": []}
    stored = in_session(list_intakes)[1]
    assert stored.spec == "kneecoach-intake/1"
    assert parse_intake(stored.answers) == parse_intake(hot)
    assert stored.triage["level"] == "emergency"
    assert TriageResult.from_json(stored.triage).flags[0].id == (
        "hot_swollen_knee_at_risk_of_infection"
    )
    # what the person was told is kept: care first, so no patterns or contributors
    assert stored.assessment is not None
    assert stored.assessment["triage"]["level"] == "emergency"
    assert stored.assessment["patterns"] == [] and stored.assessment["contributors"] == []
    assert stored.recorded_at.tzinfo is not None
    assert before <= stored.recorded_at <= datetime.now(UTC) + timedelta(seconds=5)


def test_import_refuses_a_bad_document(any_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kneecoach.core.errors import InputError

    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    with pytest.raises(InputError, match=r"signs\.warm"):
        in_session(import_intake, changed(CALM, {"signs.warm": "yes"}))
    assert in_session(list_intakes) == ()


def test_stored_triage_reads_back_equal() -> None:
    hot = changed(CALM, {"signs.locking": True})
    saved = in_session(import_intake, hot)
    from kneecoach.services.triage import triage_document

    assert TriageResult.from_json(saved.triage) == in_session(triage_document, hot)
