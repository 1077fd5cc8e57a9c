"""What the clinician's pages and API share: the share check on every read of a person, and
the panel (one line per person, read from each person's store).

`shared_person` guards every route under `/clinic/people/{person_id}/…` (pages and API): it
asks the practice's database, on this request, whether the signed-in clinician has an active
share from that person (no cache: a revoke counts from the very next request); if not, 404 —
the same answer whether or not the person exists. If so, it points this request at that
person's store (`deps.STORE_KEY`, so `SessionDep` opens it) and writes an audit entry naming
what was read, which the person sees on their access page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from kneecoach.core.accounts import AccountView
from kneecoach.core.clinic import PanelRow, panel_order
from kneecoach.services import accounts, audit, clinic, sharing
from kneecoach.services.database import store_of, transaction
from kneecoach.web.auth import require_role
from kneecoach.web.deps import STORE_KEY

NOT_SHARED: Final = "No such person shares with you."

ClinicianDep = Annotated[AccountView, Depends(require_role("clinician"))]
PersonDep = Annotated[AccountView, Depends(require_role("person"))]


def _what(request: Request) -> str:
    """The audit's words for a read: the page or endpoint, without the person's id."""
    path = request.url.path
    person_id = request.path_params.get("person_id", "")
    rest = path.split(f"/{person_id}", 1)[1] if person_id and f"/{person_id}" in path else path
    action = {"GET": "read", "HEAD": "read"}.get(request.method, "change")
    return f"{action} {rest or '/'}"[:500]


def _check_and_record(clinician: AccountView, person_id: str, what: str) -> bool:
    with transaction() as session:
        if not sharing.may_read(clinician.id, person_id, session=session):
            return False
        audit.record(
            clinician, person_id, "clinician " + what.split(" ", 1)[0], what, session=session
        )
    return True


async def shared_person(request: Request, person_id: str, clinician: ClinicianDep) -> str:
    """The person's id when this clinician may read them now (their store set, the read
    recorded); 404 otherwise."""
    if not sharing.is_account_id(person_id):
        raise HTTPException(status_code=404, detail=NOT_SHARED)
    allowed = await run_in_threadpool(_check_and_record, clinician, person_id, _what(request))
    if not allowed:
        raise HTTPException(status_code=404, detail=NOT_SHARED)
    setattr(request.state, STORE_KEY, store_of(person_id))
    return person_id


SharedPersonDep = Annotated[str, Depends(shared_person)]


def panel_rows(clinician: AccountView, today: date) -> list[PanelRow]:
    """The clinician's people in the panel's order, each read from their own store (one
    audit entry per person: the person sees that their summary was read)."""
    with transaction() as session:
        links = sharing.people_of(clinician.id, session=session)
        for link in links:
            audit.record(
                clinician, link.person_id, "clinician read", "panel summary", session=session
            )
    rows = []
    for link in links:
        with transaction(store_of(link.person_id)) as session:
            rows.append(clinic.panel_row(link.person_id, link.person_name, today, session=session))
    return panel_order(rows)


def person_name(person_id: str) -> str:
    with transaction() as session:
        account = accounts.account_by_id(person_id, session=session)
        return account.display_name if account is not None else ""
