"""The daily reminder the person chose (a time and a time zone), kept as two preferences.

The web app reminds with the browser's notifications while it is open; a calendar file (the
reports work) can use the same choice later.
"""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Final

from kneecoach.core.errors import InputError
from kneecoach.core.reminders import ZONE_FIELD, Reminder, parse_reminder_time

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TIME_KEY: Final = "reminder_time"
ZONE_KEY: Final = "time_zone"
"""The person's time zone, one preference for every use (the calendar file reads it too)."""


MAX_ZONE_NAME = 64
"""Longer than any IANA zone name (the longest is 32 letters)."""


def checked_zone(raw: str, field: str = ZONE_FIELD) -> str:
    """An IANA time zone name this machine knows (`Europe/London`), or InputError naming `field`.

    One check for every use of a zone (the reminder, the calendar file), so each refuses the
    same names with the same words."""
    name = raw.strip()
    if name.upper() == "UTC":
        return "UTC"
    try:
        if not name or len(name) > MAX_ZONE_NAME or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        # OSError: a name too long for a file name was a 500 (`/plan.ics?tz=AAAA…`)
        shown = name if len(name) <= MAX_ZONE_NAME else name[:MAX_ZONE_NAME] + "…"
        raise InputError(
            field, f"{shown!r} is not a time zone we know: write it like Europe/London"
        ) from None
    return name


def known_zone(raw: str) -> str | None:
    """`checked_zone` for a name nobody typed just now (the machine's, a stored one): the name,
    or None when this machine does not know it."""
    try:
        return checked_zone(raw)
    except InputError:
        return None


def stored_zone(*, session: Session) -> str | None:
    """The time zone kept, with or without a reminder."""
    from kneecoach.storage.models.preferences import Preference

    row = session.get(Preference, ZONE_KEY)
    return row.value if row is not None else None


def reminder(*, session: Session) -> Reminder | None:
    """The reminder chosen, or None."""
    from kneecoach.storage.models.preferences import Preference

    at = session.get(Preference, TIME_KEY)
    zone = session.get(Preference, ZONE_KEY)
    if at is None or zone is None:
        return None
    try:
        return Reminder(parse_reminder_time(at.value), checked_zone(zone.value))
    except InputError:  # a zone this machine no longer knows: as if none was chosen
        return None


def set_reminder(time_text: str, zone_text: str, *, session: Session) -> Reminder:
    """Keep the reminder (both answers checked first, so a bad one changes nothing)."""
    from kneecoach.storage.base import utc_now
    from kneecoach.storage.models.preferences import Preference

    chosen = Reminder(parse_reminder_time(time_text), checked_zone(zone_text))
    for key, value in ((TIME_KEY, chosen.as_json()["time"]), (ZONE_KEY, chosen.zone)):
        row = session.get(Preference, key)
        if row is None:
            session.add(Preference(name=key, value=value, updated_at=utc_now()))
        else:
            row.value = value
            row.updated_at = utc_now()
    session.flush()
    return chosen


def clear_reminder(*, session: Session) -> None:
    """No reminder any more (the time zone stays: other things use it)."""
    from kneecoach.storage.models.preferences import Preference

    row = session.get(Preference, TIME_KEY)
    if row is not None:
        session.delete(row)
        session.flush()
