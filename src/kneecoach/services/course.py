"""The self-management course as use cases: where the person is in it, and marking a session
done with the answer they typed.

The calendar is core's (`core/course.py`); the sessions are `data/course.yaml`; this joins
them to what is stored: the first plan's start and the sessions done. Marking a session done
twice keeps the first day; a new answer replaces the old one, and no answer keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kneecoach.core.country import fill
from kneecoach.core.course import CourseState, SessionState, course_start, course_state, free_text
from kneecoach.core.errors import LIST_COURSE, ConflictError, NotFoundError
from kneecoach.data.course import CourseSession, LessonPart, find_session, load_course
from kneecoach.services.country import country_words
from kneecoach.services.plan import first_start_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kneecoach.storage.models.course import CourseProgress


@dataclass(frozen=True)
class CourseOverview:
    """The course on a day: each session's state, the answers typed, and what set the start."""

    state: CourseState
    answers: dict[str, str | None]
    started_by: str  # "plan": the first plan's day 1; "course": the first session done; "today"

    @property
    def total(self) -> int:
        return len(self.state.sessions)

    def session_json(self, entry: SessionState) -> dict[str, Any]:
        known = find_session(entry.id)
        return {
            "id": entry.id,
            "week": entry.week,
            "title": known.title if known else entry.id,
            "summary": known.summary if known else "",
            "opens_on": entry.opens_on.isoformat(),
            "unlocked": entry.unlocked,
            "done": entry.done,
            "done_on": entry.done_on.isoformat() if entry.done_on else None,
            "answer": self.answers.get(entry.id),
        }

    def as_json(self) -> dict[str, Any]:
        state = self.state
        return {
            "version": load_course().version,
            "start": state.start.isoformat(),
            "started_by": self.started_by,
            "on": state.on.isoformat(),
            "week": state.week,
            "weeks": state.weeks,
            "done": state.done_count,
            "total": self.total,
            "due": [entry.id for entry in state.due],
            "sessions": [self.session_json(entry) for entry in state.sessions],
        }


def _done_rows(session: Session) -> list[CourseProgress]:
    from sqlalchemy import select

    from kneecoach.storage.models.course import CourseProgress

    return list(session.scalars(select(CourseProgress).order_by(CourseProgress.id)))


def course_overview(on: date, *, session: Session) -> CourseOverview:
    """Where the person is in the course on `on`."""
    course = load_course()
    rows = _done_rows(session)
    known = {row.session_id: row for row in rows if find_session(row.session_id) is not None}
    plan_start = first_start_date(session=session)
    first_done = min((row.done_on for row in known.values()), default=None)
    start = course_start(plan_start, first_done, on)
    started_by = (
        "plan"
        if plan_start is not None and start == plan_start
        else "course"
        if first_done is not None
        else "today"
    )
    state = course_state(
        [(s.id, s.week) for s in course.sessions],
        {session_id: row.done_on for session_id, row in known.items()},
        start,
        on,
        course.schedule.weeks,
    )
    return CourseOverview(
        state, {session_id: row.answer for session_id, row in known.items()}, started_by
    )


def course_session(session_id: str) -> CourseSession:
    """A session of the course by its id, or NotFoundError naming `session_id`."""
    found = find_session(session_id)
    if found is None:
        raise NotFoundError(
            f"there is no course session {session_id!r}", field="session_id", hint=LIST_COURSE
        )
    return found


def mark_done(
    session_id: str, answer: object = None, *, on: date, session: Session
) -> tuple[SessionState, str | None]:
    """Mark an open session done on `on`, keeping the answer typed (optional). Done already:
    the first day stays; a new answer replaces the old, none keeps it. A session whose week
    has not opened yet is a ConflictError; nothing is stored then."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from kneecoach.storage.locking import lock_for_write
    from kneecoach.storage.models.course import CourseProgress
    from kneecoach.storage.upsert import insert_if_absent

    found = course_session(session_id)
    text = free_text(answer, "answer")
    lock_for_write(session)  # before the first read: SQLite's writers then go one at a time
    entry = course_overview(on, session=session).state.find(found.id)
    assert entry is not None
    if not entry.unlocked:
        raise ConflictError(
            f"{found.title!r} opens in week {entry.week} of the course, on "
            f"{entry.opens_on.isoformat()}; it cannot be marked done before then",
            field="session_id",
            hint=LIST_COURSE,
        )
    now = datetime.now(UTC)
    values = {
        "session_id": found.id,
        "done_on": on,
        "answer": text,
        "course_version": load_course().version,
        "recorded_at": now,
        "updated_at": now,
    }
    if not insert_if_absent(session, CourseProgress, values, ["session_id"]):
        row = session.scalars(
            select(CourseProgress).where(CourseProgress.session_id == found.id).with_for_update()
        ).one()
        if text is not None and text != row.answer:
            row.answer = text
            row.updated_at = now
            session.flush()
        text = row.answer
    done = course_overview(on, session=session).state.find(found.id)
    assert done is not None
    return done, text


def session_texts(found: CourseSession, *, session: Session | None) -> dict[str, Any]:
    """A session's words as shown, with the service names of the person's country filled in:
    its parts (the lessons it shows as they are), question, links and sources."""
    words = country_words(session=session)
    lessons = {lesson.id: lesson for lesson in found.lessons()}
    parts: list[dict[str, Any]] = []
    for part in found.parts:
        shown = lessons[part.lesson] if isinstance(part, LessonPart) else part
        parts.append(
            {
                "title": shown.title,
                "lesson": part.lesson if isinstance(part, LessonPart) else None,
                "text": [fill(paragraph, words) for paragraph in shown.text],
            }
        )
    return {
        "id": found.id,
        "week": found.week,
        "title": found.title,
        "summary": found.summary,
        "parts": parts,
        "question": found.question,
        "links": [link.model_dump() for link in found.links],
        "sources": list(found.all_sources()),
        "product_decision": found.basis is not None,
    }


def course_export(*, session: Session) -> dict[str, Any]:
    """The sessions done with the answers typed, for `kneecoach export`."""
    return {
        "sessions_done": [
            {
                "session_id": row.session_id,
                "done_on": row.done_on.isoformat(),
                "answer": row.answer,
                "course_version": row.course_version,
            }
            for row in _done_rows(session)
        ]
    }
