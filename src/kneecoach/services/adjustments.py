"""A clinician's changes to a person's plan, kept in the person's store (`plan_adjustments`).

An adjustment swaps an exercise for another on its ladder, sets its dose within the
exercise's range, or pauses it, with the clinician's reason. It is recorded as theirs and
shown to the person ("Changed by Dr Lee on 3 Dec: …"). While it holds, progression leaves
the exercise where the clinician put it (services/sessions.py asks `held_now`); it ends when
the clinician releases it or the person saves a newer intake. The rules are in core/clinic.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kneecoach.core.clinic import (
    Adjustment,
    ChangeRequest,
    Held,
    apply_request,
    change_from_json,
    ended_by,
    held_slots,
    holding,
)
from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.core.planning import variants_of
from kneecoach.data.clinic import load_clinic
from kneecoach.data.exercises import load_catalogue
from kneecoach.services.audit import aware
from kneecoach.storage.models.clinic import PlanAdjustment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _adjustment(row: PlanAdjustment) -> Adjustment:
    return Adjustment(
        id=row.id,
        at=aware(row.at),
        clinician_id=row.clinician_id,
        clinician_name=row.clinician_name,
        reason=row.reason,
        changes=tuple(change_from_json(raw) for raw in row.changes),
        released_at=None if row.released_at is None else aware(row.released_at),
        ended_by=row.ended_by,
    )


def _latest_intake_at(session: Session) -> datetime | None:
    from kneecoach.services.intake import latest_intake

    saved = latest_intake(session=session)
    return None if saved is None else aware(saved.recorded_at)


def all_adjustments(*, session: Session) -> list[Adjustment]:
    """Every adjustment, newest first, each with how it ended (None while it holds)."""
    latest = _latest_intake_at(session)
    rows = session.scalars(select(PlanAdjustment).order_by(PlanAdjustment.id.desc()))
    return [
        replace(adjustment, ended_by=ended_by(adjustment, latest))
        for adjustment in (_adjustment(row) for row in rows)
    ]


def active_adjustments(*, session: Session) -> tuple[Adjustment, ...]:
    """The adjustments that hold now: not released, no newer intake saved since."""
    rows = session.scalars(select(PlanAdjustment).where(PlanAdjustment.released_at.is_(None))).all()
    if not rows:  # the common case reads one indexed query and no intake
        return ()
    return holding([_adjustment(row) for row in rows], _latest_intake_at(session))


def held_now(*, session: Session) -> dict[str, Held]:
    """Each exercise (the plan's slot) a clinician fixed, and the change holding it."""
    return held_slots(active_adjustments(session=session))


def words_for(held: Held) -> str:
    """What the person reads about a change: "Changed by Dr Lee on 3 Dec: because …"."""
    said = load_clinic().words
    template = said.paused if held.change.action == "pause" else said.changed_by
    when = held.adjustment.at
    return template.text.format(
        name=held.adjustment.clinician_name,
        date=f"{when.day} {when:%b}",
        reason=held.adjustment.reason,
    )


def adjust_plan(
    clinician_id: str,
    clinician_name: str,
    reason: str,
    requests: Sequence[ChangeRequest],
    *,
    session: Session,
    now: datetime | None = None,
) -> Adjustment:
    """Record a clinician's change to the current plan. Each request names an exercise of the
    plan (`slot`); numbers left out keep the dose asked now. InputError names what is wrong;
    nothing is stored then."""
    from kneecoach.services.plan import current_plan
    from kneecoach.services.sessions import usual_doses

    limits = load_clinic()
    why = " ".join(reason.split())
    if not why:
        raise InputError("reason", limits.words.reason_missing.text)
    if len(why) > limits.adjustment.reason_max_length:
        raise InputError(
            "reason", f"at most {limits.adjustment.reason_max_length} letters: make it shorter"
        )
    if not requests:
        raise InputError("changes", "name at least one exercise to change")
    plan = current_plan(session=session)
    when = now or datetime.now(UTC)
    doses = usual_doses(plan, when.date() + timedelta(days=1), session=session)
    held = held_now(session=session)
    chain = variants_of(load_catalogue())
    changes = []
    for n, request in enumerate(requests):
        if request.slot not in doses:
            raise InputError(
                f"changes.{n}.slot",
                f"{request.slot!r} is not an exercise of the plan: {', '.join(plan.slots())}",
            )
        current = held[request.slot].change.dose if request.slot in held else None
        try:
            changes.append(apply_request(request, current or doses[request.slot], chain))
        except InputError as error:
            raise error.renamed(f"changes.{n}.{error.field}") from None
    row = PlanAdjustment(
        at=when,
        clinician_id=clinician_id,
        clinician_name=clinician_name,
        reason=why,
        changes=[change.as_json() for change in changes],
    )
    session.add(row)
    session.flush()
    return _adjustment(row)


def release(adjustment_id: int, *, session: Session, now: datetime | None = None) -> Adjustment:
    """End a clinician's change: progression moves the exercise again from the next day."""
    row = session.get(PlanAdjustment, adjustment_id)
    if row is None:
        raise NotFoundError("no such plan change", field="adjustment")
    if row.released_at is None:
        row.released_at = now or datetime.now(UTC)
        row.ended_by = "released"
        session.flush()
    return _adjustment(row)


@dataclass(frozen=True)
class ShownChange:
    """One held change as the person sees it on Today and the plan page."""

    slot: str
    action: str
    words: str
    dose: dict[str, Any] | None


def shown_changes(*, session: Session) -> list[ShownChange]:
    return [
        ShownChange(slot, held.change.action, words_for(held), held.change.as_json()["dose"])
        for slot, held in held_now(session=session).items()
    ]


def held_on(held: Mapping[str, Held], slot: str, on: date) -> Held | None:
    """The change holding a slot on a day: from the day it was made on."""
    found = held.get(slot)
    return found if found is not None and on >= found.adjustment.at.date() else None
