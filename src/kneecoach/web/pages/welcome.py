"""The welcome page: what kneecoach does and does not do, privacy, and how to get urgent help."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.services.database import Session
from kneecoach.web.country_views import country_form_errors, country_view
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, FormErrors, text
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Welcome", "/", 0)

_START_PATHS = ("/intake", "/checkin", "/questionnaires")


COUNTRY_ACTION = "/welcome/country"


def _page(
    request: Request,
    errors: FormErrors | None = None,
    selected: str | None = None,
    status_code: int = 200,
    *,
    session: Session,
) -> HTMLResponse:
    nav = getattr(request.app.state, "nav", ())
    start_actions = [item for path in _START_PATHS for item in nav if item.path == path]
    return render(
        request,
        "welcome.html",
        {
            "title": "Welcome",
            "start_actions": start_actions,
            "country": country_view(
                COUNTRY_ACTION, only_when_asking=True, selected=selected, session=session
            ),
            "errors": errors or FormErrors(),
        },
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request, *, session: SessionDep) -> HTMLResponse:
    """The first actions offered are the pages this build has, most useful first.

    Until the person has said where they are (and KNEECOACH_COUNTRY is unset), the page asks,
    so the emergency number it shows is theirs.
    """
    return _page(request, session=session)


@router.post(COUNTRY_ACTION, response_model=None)
def answer_country(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    errors = country_form_errors(values, session=session)
    if errors is not None:
        return _page(
            request, errors, selected=text(values, "country"), status_code=422, session=session
        )
    return RedirectResponse("/?country=1#urgent", status_code=303)
