"""What a clinician does with a person who shared: notes to the person, and the panel line of
one person (read from that person's store).

Notes live in the person's store (`clinician_notes`): plain text, capped in length, shown
escaped. The person sees new ones on Today and all on "From your clinician".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from kneecoach.core.clinic import PanelRow
from kneecoach.core.errors import InputError
from kneecoach.data.clinic import load_clinic
from kneecoach.services.audit import aware
from kneecoach.storage.models.clinic import ClinicianNote

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Note:
    id: int
    at: datetime
    clinician_id: str
    clinician_name: str
    text: str
    read_at: datetime | None

    @property
    def new(self) -> bool:
        return self.read_at is None


def _note(row: ClinicianNote) -> Note:
    return Note(
        row.id,
        aware(row.at),
        row.clinician_id,
        row.clinician_name,
        row.text,
        None if row.read_at is None else aware(row.read_at),
    )


def checked_note(text: str) -> str:
    """The note as kept: plain text, line ends as typed, trimmed; InputError when empty or
    longer than the limit. It is never read as markup (pages escape it)."""
    limits = load_clinic()
    kept = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    if not kept:
        raise InputError("text", limits.words.note_empty.text)
    if len(kept) > limits.note.max_length:
        raise InputError("text", limits.words.note_too_long.text.format(max=limits.note.max_length))
    return kept


def leave_note(
    clinician_id: str,
    clinician_name: str,
    text: str,
    *,
    session: Session,
    now: datetime | None = None,
) -> Note:
    """A note from a clinician, stored in the person's store (the session's)."""
    row = ClinicianNote(
        at=now or datetime.now(UTC),
        clinician_id=clinician_id,
        clinician_name=clinician_name,
        text=checked_note(text),
    )
    session.add(row)
    session.flush()
    return _note(row)


def notes(*, session: Session) -> list[Note]:
    """Every note, newest first."""
    rows = session.scalars(select(ClinicianNote).order_by(ClinicianNote.id.desc()))
    return [_note(row) for row in rows]


def unread_notes(*, session: Session) -> list[Note]:
    """The notes the person has not opened yet, newest first (shown on Today)."""
    rows = session.scalars(
        select(ClinicianNote)
        .where(ClinicianNote.read_at.is_(None))
        .order_by(ClinicianNote.id.desc())
    )
    return [_note(row) for row in rows]


def mark_notes_read(*, session: Session, now: datetime | None = None) -> int:
    """The person opened "From your clinician": every note is read now. How many were new."""
    result = session.execute(
        update(ClinicianNote)
        .where(ClinicianNote.read_at.is_(None))
        .values(read_at=now or datetime.now(UTC))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def panel_row(person_id: str, name: str, today: date, *, session: Session) -> PanelRow:
    """One person's line on the clinician's panel, from their store (the session's): the
    latest pain, the alerts of the last `alert_days`, the worst questionnaire change against
    its minimal important change (MIC), the last check-in."""
    from kneecoach.services.checkins import checkin_on, checkin_span
    from kneecoach.services.outcomes import outcome_histories
    from kneecoach.services.signals import stored_alerts_between

    span = checkin_span(session=session)
    last = None if span is None else span[1]
    latest = None if last is None else checkin_on(last, session=session)
    days = load_clinic().panel.alert_days
    alerts = (
        stored_alerts_between(today - timedelta(days=days - 1), today, session=session)
        if span is not None
        else []
    )
    worst: tuple[float, float, float] | None = None  # (in MICs, points, MIC)
    for history in outcome_histories(session=session):
        for change in history.latest_changes:
            threshold = history.instrument.threshold_for(change.scale)
            if change.points is None or threshold is None or not threshold.points:
                continue
            in_mics = change.points / threshold.points
            if worst is None or in_mics < worst[0]:
                worst = (in_mics, change.points, threshold.points)
    return PanelRow(
        person_id=person_id,
        name=name,
        latest_pain=None if latest is None else round(latest.pain),
        alerts=tuple(dict.fromkeys(alert.id for alert in reversed(alerts))),
        newest_alert_on=max((alert.day for alert in alerts), default=None),
        change=None if worst is None else worst[1],
        mic=None if worst is None else worst[2],
        change_in_mics=None if worst is None else round(worst[0], 2),
        last_checkin=last,
    )
