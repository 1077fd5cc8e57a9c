"""The calendar file: the plan's exercise days, the course lessons still to do and the monthly
questionnaire, as iCalendar events with reminders (VALARM), in the person's time zone.

Built with the `icalendar` package. Each event's UID is stable (what it is, not when the file
was made), so a phone that subscribes to `/plan.ics` updates its events instead of adding new
ones. Times and words come from `data/calendar.yaml`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kneecoach.core.progression import dose_words
from kneecoach.data.exchange import Reminder, calendar_settings

__all__ = ["PREFERENCE", "CalendarFile", "plan_calendar", "remember_time_zone", "resolve_time_zone"]

PREFERENCE: Final = "time_zone"
PRODID: Final = "-//kneecoach//plan calendar//EN"
UID_DOMAIN: Final = "kneecoach.local"


@dataclass(frozen=True)
class CalendarFile:
    """The iCalendar text and what it holds."""

    text: bytes
    time_zone: str
    sessions: int
    lessons: int
    questionnaires: int


def _zone(name: str, field: str) -> ZoneInfo:
    from kneecoach.services.reminders import checked_zone

    return ZoneInfo(checked_zone(name, field))


def _system_zone() -> str | None:
    """The machine's own zone name (TZ, /etc/timezone or the /etc/localtime link), if known."""
    from kneecoach.services.reminders import known_zone

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    return next((name for name in map(known_zone, candidates) if name), None)


def resolve_time_zone(given: str | None, *, session: Session | None) -> str:
    """The zone to use: the one given, else the stored setting, else this machine's, else UTC."""
    from kneecoach.services.reminders import known_zone

    if given:
        _zone(given, PREFERENCE)
        return given
    if session is not None:
        from kneecoach.services.country import list_preferences

        stored = known_zone(list_preferences(session=session).get(PREFERENCE) or "")
        if stored:
            return stored
    return _system_zone() or "UTC"


def remember_time_zone(name: str, *, session: Session) -> str:
    """Store the person's time zone, so the calendar address (`/plan.ics`) uses it too."""
    from kneecoach.storage.base import utc_now
    from kneecoach.storage.models.preferences import Preference

    _zone(name, PREFERENCE)
    row = session.get(Preference, PREFERENCE)
    if row is None:
        session.add(Preference(name=PREFERENCE, value=name, updated_at=utc_now()))
    else:
        row.value = name
        row.updated_at = utc_now()
    session.flush()
    return name


def _event(
    uid: str,
    start: datetime,
    reminder: Reminder,
    title: str,
    text: str,
    rrule: dict[str, Any] | None = None,
) -> Any:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", datetime.now(ZoneInfo("UTC")).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=reminder.minutes))
    event.add("summary", title)
    event.add("description", text)
    event.add("transp", "TRANSPARENT")
    if rrule:
        event.add("rrule", rrule)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(minutes=-reminder.remind_before_min))
    event.add_component(alarm)
    return event


def _at(day: date, reminder: Reminder, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, reminder.at, tzinfo=zone)


def _exercise_line(entry: dict[str, Any]) -> str:
    dose = dose_words(
        int(entry.get("sets") or 1),
        entry.get("reps"),
        entry.get("hold_s"),
        entry.get("minutes"),
        units=True,
    )
    return f"- {entry.get('name', entry.get('id'))}: {dose}"


def plan_calendar(
    *, session: Session, today: date | None = None, time_zone: str | None = None
) -> CalendarFile:
    """The calendar from `today` on: exercise days repeating weekly, lessons not yet done,
    and the questionnaire every month."""
    from icalendar import Calendar

    from kneecoach.services import course as course_service
    from kneecoach.services import outcomes as outcome_service
    from kneecoach.services.plan import latest_plan

    today = today or date.today()
    zone_name = resolve_time_zone(time_zone, session=session)
    zone = ZoneInfo(zone_name)
    settings = calendar_settings()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "kneecoach")
    calendar.add("x-wr-timezone", zone_name)
    counts = {"sessions": 0, "lessons": 0, "questionnaires": 0}

    plan = latest_plan(session=session)
    if plan is not None:
        for offset in range(7):
            day = today + timedelta(days=offset)
            exercises = plan.session_on_day(plan.day_on(day))
            if not exercises:
                continue
            lines = [settings.sessions.text, "", *(_exercise_line(e) for e in exercises)]
            calendar.add_component(
                _event(
                    f"plan{plan.version}-day{plan.day_on(day)}",
                    _at(day, settings.sessions, zone),
                    settings.sessions,
                    settings.sessions.title,
                    "\n".join(lines),
                    {"freq": "weekly", "count": settings.weeks},
                )
            )
            counts["sessions"] += 1

    overview = course_service.course_overview(today, session=session)
    catching_up = 0  # lessons open already and not done: one a day from today, not all at once
    for entry in overview.state.sessions:
        if entry.done:
            continue
        found = course_service.course_session(entry.id)
        if entry.opens_on <= today:
            day = today + timedelta(days=catching_up)
            catching_up += 1
        else:
            day = entry.opens_on
        calendar.add_component(
            _event(
                f"lesson-{entry.id}",
                _at(day, settings.lessons, zone),
                settings.lessons,
                settings.lessons.title.format(title=found.title),
                settings.lessons.text,
            )
        )
        counts["lessons"] += 1

    answered = [
        r.answered_on
        for r in outcome_service.saved_results(session=session)
        if r.instrument in ("koos", "koosjr", "koos12")
    ]
    every = settings.questionnaire.every_days
    due = max(answered) + timedelta(days=every) if answered else today
    calendar.add_component(
        _event(
            "questionnaire",
            _at(max(due, today), settings.questionnaire, zone),
            settings.questionnaire,
            settings.questionnaire.title,
            settings.questionnaire.text,
            {"freq": "daily", "interval": every, "count": settings.questionnaire.repeats},
        )
    )
    counts["questionnaires"] += 1
    calendar.add_missing_timezones()
    return CalendarFile(calendar.to_ical(), zone_name, **counts)
