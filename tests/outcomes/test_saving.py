"""Saving a response stores every answer, the scores, the version and the date (SQLite + PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.data.instruments import load_instrument
from kneecoach.services.outcomes import outcome_histories, save_answers, saved_results
from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.outcomes.answers import WORKED_SCORES, worked_example, write_answers


def test_score_save_stores_every_answer_scores_version_and_date(
    any_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    path = write_answers(tmp_path / "a.json", worked_example())
    result = run_cli(
        "score",
        "koos",
        "--answers",
        str(path),
        "--save",
        "--date",
        "2025-01-10",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["saved"]["date"] == "2025-01-10"
    [saved] = in_session(saved_results, "koos")
    assert saved.answers == worked_example()
    assert len(saved.answers) == 42
    assert saved.scores == WORKED_SCORES
    assert saved.version == load_instrument("koos").version
    assert saved.answered_on == date(2025, 1, 10)
    assert saved.instrument == "koos"


def test_a_short_form_stores_only_its_own_items(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    saved = in_session(save_answers, "koosjr", worked_example(), date(2025, 2, 1))
    assert set(saved.answers) == {"S6", "P2", "P3", "P6", "P9", "A3", "A5"}
    assert saved.scores == {"raw": 16, "interval": 47.487}
    [again] = in_session(saved_results, "koosjr")
    assert again == saved
    assert in_session(saved_results, "koos") == []


def test_nulls_are_stored_as_nulls(any_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    in_session(save_answers, "koos", {"Q1": 2, "Q2": 2}, date(2025, 3, 1))
    [saved] = in_session(saved_results)
    assert saved.scores == {
        "symptoms": None,
        "pain": None,
        "adl": None,
        "sport_rec": None,
        "qol": 50.0,
    }


def test_results_come_back_in_date_order_with_changes(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    later = {code: max(0, value - 1) for code, value in worked_example().items()}
    in_session(save_answers, "koos", later, date(2025, 3, 1))
    in_session(save_answers, "koos", worked_example(), date(2025, 1, 1))
    [history] = in_session(outcome_histories)
    assert [r.answered_on for r in history.results] == [date(2025, 1, 1), date(2025, 3, 1)]
    assert history.changes[0] == ()
    pain = next(c for c in history.latest_changes if c.scale == "pain")
    assert (pain.first, pain.latest, pain.points, pain.verdict) == (41.7, 66.7, 25.0, "improved")


def test_saving_nothing_or_a_future_date_is_refused() -> None:
    with pytest.raises(InputError, match="nothing to save"):
        in_session(save_answers, "koos", {})
    with pytest.raises(InputError, match="future"):
        in_session(save_answers, "koos", {"P1": 1}, date.today() + timedelta(days=1))
    assert in_session(saved_results) == []


def test_bad_answers_are_not_saved(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "bad.json", {"P1": 2, "P2": 7})
    result = run_cli("score", "koos", "--answers", str(path), "--save")
    assert result.exit_code == 2
    assert in_session(saved_results) == []
