"""services/self_tests: a self-test result after the intake, kept as a new intake version with
the plan made again, on an SQLite file and on PostgreSQL."""

from __future__ import annotations

import json

import pytest

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import self_tests as self_test_service
from kneecoach.settings import reset_settings
from tests.conftest import EXAMPLES
from tests.db import in_session


def _older_walker_without_tests() -> dict:
    document = json.loads((EXAMPLES / "older-walker-stiff-mornings.json").read_text())
    document.pop("self_tests")
    return document


def _make_plan(*, session) -> None:  # type: ignore[no-untyped-def]
    saved = intake_service.latest_intake(session=session)
    assert saved is not None
    intake = saved.intake()
    plan_service.save_plan(
        intake, plan_service.plan_for(intake, session=session), intake_version=saved.version,
        session=session,
    )  # fmt: skip


def test_a_result_is_a_new_intake_version_and_a_new_plan(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    in_session(intake_service.import_intake, _older_walker_without_tests())
    in_session(_make_plan)
    before = in_session(plan_service.latest_plan)
    kept = in_session(
        self_test_service.record_self_test, "chair_stand_30s", {"self_tests.chair_stand_30s": 9}
    )
    assert kept.plan_remade and kept.saved.version == 2
    saved = in_session(intake_service.latest_intake)
    assert saved is not None and saved.answers["self_tests"] == {"chair_stand_30s": 9}
    assert saved.answers["pain"] == _older_walker_without_tests()["pain"]
    assert "quadriceps_weakness" in [c["id"] for c in saved.assessment["contributors"]]  # type: ignore[index]
    after = in_session(plan_service.latest_plan)
    assert before is not None and after is not None
    assert after.intake_version == 2 and after.start_date == before.start_date
    steps = {s.test.id: s for s in in_session(self_test_service.self_test_steps)}
    assert steps["chair_stand_30s"].result == {"self_tests.chair_stand_30s": 9}
    assert steps["bridge_hold_s"].result is None


def test_one_side_is_added_to_the_side_kept_before() -> None:
    in_session(intake_service.import_intake, _older_walker_without_tests())
    path = "self_tests.knee_to_wall_cm"
    in_session(self_test_service.record_self_test, "knee_to_wall_cm", {path: {"left": 11}})
    kept = in_session(self_test_service.record_self_test, "knee_to_wall_cm", {path: {"right": 7}})
    assert not kept.plan_remade  # no plan yet: nothing to make again
    assert kept.saved.answers["self_tests"]["knee_to_wall_cm"] == {"left": 11, "right": 7}


def test_nothing_given_or_no_intake_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError, match="intake"):
        in_session(
            self_test_service.record_self_test, "bridge_hold_s", {"self_tests.bridge_hold_s": 20}
        )
    in_session(intake_service.import_intake, _older_walker_without_tests())
    with pytest.raises(InputError, match="give a result"):
        in_session(self_test_service.record_self_test, "bridge_hold_s", {})
    with pytest.raises(InputError, match="not part of"):
        in_session(
            self_test_service.record_self_test, "bridge_hold_s", {"self_tests.chair_stand_30s": 9}
        )
    with pytest.raises(InputError, match="bridge_hold_s"):
        in_session(
            self_test_service.record_self_test, "bridge_hold_s", {"self_tests.bridge_hold_s": 999}
        )
    assert in_session(intake_service.latest_intake).version == 1  # type: ignore[union-attr]
