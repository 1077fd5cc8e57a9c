"""The welcome page: what kneecoach does and does not do, privacy, and how to get urgent help."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Welcome", "/", 0)

_START_PATHS = ("/intake", "/checkin", "/questionnaires")


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request) -> HTMLResponse:
    """The first actions offered are the pages this build has, most useful first."""
    nav = getattr(request.app.state, "nav", ())
    start_actions = [item for path in _START_PATHS for item in nav if item.path == path]
    return render(request, "welcome.html", {"title": "Welcome", "start_actions": start_actions})
