"""A person with a little of everything stored, with marker words in what they wrote.

The access tests fill path parameters from these records and look for the markers in every
answer a visitor other than the owner gets: a denial or another person's page must never
carry one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from kneecoach.core.accounts import AccountView
from kneecoach.core.checkins import CheckIn
from kneecoach.data.course import load_course
from kneecoach.data.lessons import load_lessons
from kneecoach.data.self_tests import load_self_tests
from kneecoach.services import checkins as checkin_service
from kneecoach.services import goal as goal_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services import plan as plan_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services.database import Store, transaction
from tests.conftest import EXAMPLES

OWNER_EXAMPLE = "hiker-downhill-front-pain.json"
KOOSJR = {code: 1 for code in ["S6", "P2", "P3", "P6", "P9", "A3", "A5"]}


@dataclass(frozen=True)
class Stored:
    """What was stored for one person: the ids for path parameters, the markers to look for."""

    markers: tuple[str, ...]
    pair_id: str
    habit: str
    person_id: str = "0" * 32  # an account id nobody has (personal mode has no accounts)
    clinician_id: str = "0" * 32
    adjustments: tuple[int, ...] = ()
    job_id: str = "0" * 32  # a movement check of the owner's (finished_movement_check)

    def path_values(self, path: str) -> dict[str, str]:
        """What goes in each `{parameter}` of `path`: the owner's ids, or catalogue ids."""
        return {
            "pair_id": self.pair_id,
            "job_id": self.job_id,
            "person_id": self.person_id,
            "clinician_id": self.clinician_id,
            # the page and the API each release a change of their own
            "adjustment_id": str(self.adjustments[path.startswith("/clinic/")])
            if self.adjustments
            else "1",
            "name": "icon-192" if path.startswith("/icons/") else self.habit,
            "session_id": load_course().sessions[0].id,
            "test_id": load_self_tests()[0].id,
            "lesson_id": load_lessons()[0].id,
            "instrument_id": "koosjr",
            "instrument": "koosjr",
            "path": "style.css",
        }

    def leaks(self, body: bytes) -> list[str]:
        """The markers found in a response body."""
        return [marker for marker in self.markers if marker.encode() in body]


def store_everything(store: Store | None, marker: str, shoe: str = "Trail runner") -> Stored:
    """An intake, a plan, a week of check-ins, a KOOS JR result, a goal, a pair of shoes and
    a habit in `store` (None: the configured database); `marker` goes in the free texts."""
    today = date.today()
    note, brand, goal_text = f"{marker}-note", f"{marker}-brand", f"{marker}-goal"
    habit_question = f"Did you climb stairs {marker}-habit?"
    document = json.loads((EXAMPLES / OWNER_EXAMPLE).read_text())
    with transaction(store) as session:
        saved = intake_service.import_intake(document, session=session)
        intake = saved.intake()
        plan = plan_service.plan_for(intake, session=session)
        plan_service.save_plan(intake, plan, start=today - timedelta(days=7), session=session)
        pair = shoe_service.add_pair(
            shoe, brand=brand, today=today, start_km=120.0, session=session
        )
        for back in range(7, 0, -1):
            day = today - timedelta(days=back)
            checkin_service.record_checkin(
                CheckIn(day=day, pain=3 + back % 3, swelling=1, note=note), session=session
            )
        outcome_service.save_answers("koosjr", KOOSJR, today - timedelta(days=3), session=session)
        goal_service.set_goal(
            goal_text, "3 km", "8 weeks", "walk 10 minutes", on=today, session=session
        )
        checkin_service.add_factor("stairs", habit_question, session=session)
    return Stored(markers=(note, brand, goal_text), pair_id=pair.status.pair.id, habit="stairs")


def clinician_wrote(store: Store, clinician: AccountView, marker: str) -> tuple[int, ...]:
    """A note and two plan changes from `clinician` in the person's store; returns the
    changes' ids. The note and the changes' reason hold `marker`."""
    from kneecoach.core.clinic import ChangeRequest
    from kneecoach.services import adjustments, clinic

    with transaction(store) as session:
        clinic.leave_note(clinician.id, clinician.display_name, f"{marker}-note", session=session)
        slot = plan_service.current_plan(session=session).slots()[0]
        made = [
            adjustments.adjust_plan(
                clinician.id,
                clinician.display_name,
                f"{marker}-reason {n}",
                [ChangeRequest(slot, "pause")],
                session=session,
            )
            for n in (1, 2)
        ]
    return tuple(change.id for change in made)


def finished_movement_check(owner: str | None) -> str:
    """A finished movement check of `owner`'s (None in personal mode), with its picture: the
    job is a row in the configured database's queue, its files in the data folder."""
    from kneecoach.services import jobs
    from kneecoach.services import movement_check as checks
    from kneecoach.services.database import transaction
    from tests.movement_results import analysis

    params = {"video": "video.mp4", "test": "single_leg_squat", "side": "left"}
    with transaction() as session:
        job_id = jobs.enqueue(checks.KIND, params, owner, session=session)
    with transaction() as session:
        claimed = jobs.claim_next("matrix-worker", kinds=(checks.KIND,), session=session)
        assert claimed is not None and claimed.id == job_id
    result = analysis("left", caves_in=True, drops=False)
    result["outputs"] = {"strip_png": "strip.png", "video": None}
    folder = checks.job_folder(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "strip.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with transaction() as session:
        assert jobs.finish(job_id, result, worker="matrix-worker", session=session)
    return job_id
