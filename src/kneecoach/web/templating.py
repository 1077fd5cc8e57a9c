"""Jinja2 set-up and the one `render` every page uses, so each page gets the nav and the layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from kneecoach.core.country import ServiceWords, fill
from kneecoach.core.progression import show_dose
from kneecoach.core.units import DISTANCE_DIGITS, Units, distance_number, show_distance
from kneecoach.services import journey
from kneecoach.services.country import words_to_show
from kneecoach.services.database import transaction
from kneecoach.web.charts_markup import as_markup
from kneecoach.web.security import CSRF_FIELD, csrf_token_of

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["svg"] = as_markup


@pass_context
def _local(context: Context, text: str) -> str:
    """``{{ text | local }}``: a data text with the service names of the person's country."""
    words = context.get("place")
    return fill(text, words) if isinstance(words, ServiceWords) else text


templates.env.filters["local"] = _local


@pass_context
def _distance(context: Context, km: float, digits: int = DISTANCE_DIGITS) -> str:
    """``{{ km | distance }}``: a stored distance (km) in the person's unit, `3.1 miles`."""
    units = context.get("units")
    return show_distance(km, units.distance if isinstance(units, Units) else "km", digits)


@pass_context
def _distance_number(context: Context, km: float, digits: int = DISTANCE_DIGITS) -> str:
    """``{{ km | distance_number }}``: the number alone, to fill in a form field."""
    units = context.get("units")
    return distance_number(km, units.distance if isinstance(units, Units) else "km", digits)


templates.env.filters["distance"] = _distance
templates.env.filters["distance_number"] = _distance_number


LEG_WORDS: Final = {"left": "your left leg", "right": "your right leg", "each": "each leg"}
"""Which leg an exercise is for, as the CLI's Side column says it ("both": both together)."""


templates.env.filters["dose_text"] = partial(show_dose, units=True)  # core's one dose rule
templates.env.globals["leg_words"] = LEG_WORDS
templates.env.globals["csrf_field_name"] = CSRF_FIELD


@dataclass(frozen=True)
class NavItem:
    """A page's place in the navigation bar; pages without one are reached by links."""

    label: str
    path: str
    order: int


def _words(request: Request) -> ServiceWords:
    """The footer's words, read in the request's session; an error page (whose request's
    session has been rolled back and closed) reads them in a short one of its own."""
    from kneecoach.web.deps import request_session

    session = request_session(request)
    if session is not None:
        return words_to_show(session=session)
    try:
        with transaction() as own:
            return words_to_show(session=own)
    except Exception:  # a database that cannot be opened: the footer still names a number
        from kneecoach.services.country import environment_country, words_for

        return words_for(environment_country())


INTAKE_BEGUN_COOKIE = "kneecoach_intake_begun"
"""Set while an intake is half-done in this browser (the answers are in a cookie only
/intake reads), so every page's next step can say "carry on"."""


def _units(request: Request) -> Units:
    """The person's units (km or miles, kg or lb, A4 or Letter), for every page."""
    from kneecoach.services.units import units_to_show
    from kneecoach.web.deps import request_session

    session = request_session(request)
    return Units() if session is None else units_to_show(session=session)


def _next_step(request: Request) -> journey.NextStep | None:
    """The person's one next step, shown at the top of every page but its own."""
    from kneecoach.web.deps import request_session

    session = request_session(request)
    if session is None:
        return None
    begun = INTAKE_BEGUN_COOKIE in request.cookies
    step = journey.next_step(today=date.today(), session=session, intake_begun=begun)
    return None if step.path == request.url.path else step


def _signed_in(request: Request) -> Any:
    """Who is signed in (server mode), for the sign-out button; None in personal mode."""
    from kneecoach.web.auth import current_account

    return current_account(request)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page inside the base layout, with the navigation the app was built with.

    Every page gets ``place``: the emergency number and service names of the person's country
    (the footer names them; data texts use the ``local`` filter), and ``units``: the person's
    units (``{{ km | distance }}`` shows a stored distance in them).
    """
    nav: tuple[NavItem, ...] = getattr(request.app.state, "nav", ())
    full = {
        "nav": nav,
        "next_step": _next_step(request),
        "current_path": request.url.path,
        "place": _words(request),
        "units": _units(request),
        "csrf_token": csrf_token_of(request),
        "signed_in": _signed_in(request),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, full, status_code=status_code)
