"""Everything kneecoach holds about the person: export it all, or erase it all.

Export joins what the services list; erase empties every kneecoach table in the caller's one unit of work
(the schema and its migration record stay, so the app keeps working afterwards).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from kneecoach.services import checkins as checkin_service
from kneecoach.services import country as country_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes
from kneecoach.services import plan as plan_service
from kneecoach.services import shoes as shoe_service

EXPORT_FORMAT = "kneecoach-export/1"


def export_everything(*, session: Session) -> dict[str, Any]:
    """One JSON document with every stored record, for the person or their clinician."""
    plan = plan_service.latest_plan(session=session)
    sessions: list[dict[str, Any]] = []
    if plan is not None:
        from kneecoach.services import sessions as session_service

        sessions = list(session_service.session_log(plan, session=session))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "preferences": country_service.list_preferences(session=session),
        "intakes": [saved.as_json() for saved in intake_service.list_intakes(session=session)],
        "plan": plan.as_json() if plan is not None else None,
        "sessions": sessions,
        "checkins": [c.values() for c in checkin_service.list_checkins(session=session)],
        "outcomes": [
            {
                "id": r.id,
                "instrument": r.instrument,
                "version": r.version,
                "answered_on": r.answered_on.isoformat(),
                "answers": r.answers,
                "scores": r.scores,
            }
            for r in outcomes.saved_results(session=session)
        ],
        "shoes": [
            o.to_json()
            for o in shoe_service.list_shoes(
                today=date.today(), include_retired=True, session=session
            )
        ],
    }


def erase_everything(*, session: Session) -> int:
    """Delete every row of every kneecoach table; returns how many rows went."""
    from sqlalchemy import delete

    import kneecoach.storage.models  # noqa: F401  (every table is known)
    from kneecoach.storage.base import Base

    removed = 0
    for table in reversed(Base.metadata.sorted_tables):
        result = session.execute(delete(table))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


def leave_no_remains() -> None:
    """After an erase has been committed: nothing deleted may stay readable in the database
    files (free pages, the WAL). Runs outside any unit of work, after the erase's own."""
    from kneecoach.services.database import database_url
    from kneecoach.storage import db

    db.leave_no_remains(database_url())
