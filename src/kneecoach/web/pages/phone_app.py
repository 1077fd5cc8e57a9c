"""The installable app: the web app manifest, its icons, the service worker, the page shown
with no network (with what is kept on this device), and the reminder setting.

The service worker (`static/sw.js`) is served from `/sw.js` so its scope is the whole site.
Its cache name carries a hash of itself and of every file it keeps, so a new release makes a
new cache and the old one is removed when it starts. Offline writes are queued by
`static/offline.js` and replayed to the JSON API with idempotency keys
(`web/api/v1/idempotency.py`).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError
from kneecoach.core.reminders import TIME_FIELD, ZONE_FIELD
from kneecoach.render.app_icon import SIZES, app_icon_png
from kneecoach.services import reminders as reminder_service
from kneecoach.services.database import Session
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, FormErrors, text
from kneecoach.web.templating import STATIC_DIR, render

router = APIRouter()

THEME_COLOUR: Final = "#004f9e"
BACKGROUND_COLOUR: Final = "#ffffff"
ICON_PATHS: Final = tuple(
    f"/icons/{purpose}-{size}.png" for purpose in ("icon", "maskable") for size in SIZES
)
SHELL: Final = (
    "/static/style.css",
    "/static/app.js",
    "/static/offline.js",
    "/static/icon.svg",
    "/manifest.webmanifest",
    *ICON_PATHS,
)
"""What the service worker keeps at install, besides the pages (Today, check-in, offline)."""
SETTINGS_PATH: Final = "/settings/app"
REMINDER_TEXT: Final = "Time for your knee: your exercises and a 30-second check-in."


def manifest() -> dict[str, Any]:
    """The web app manifest: what a browser needs to install kneecoach on a home screen."""
    icons: list[dict[str, str]] = [
        {
            "src": f"/icons/{purpose}-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any" if purpose == "icon" else "maskable",
        }
        for purpose in ("icon", "maskable")
        for size in SIZES
    ]
    icons.append({"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"})
    return {
        "id": "/today",
        "name": "kneecoach",
        "short_name": "kneecoach",
        "description": "Look after a sore knee at home, safely.",
        "lang": "en",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }


@router.get("/manifest.webmanifest")
def web_app_manifest() -> Response:
    return Response(
        json.dumps(manifest(), indent=1),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/icons/{name}.png")
def icon(name: str) -> Response:
    purpose, _, size = name.partition("-")
    if purpose not in ("icon", "maskable") or not size.isdigit() or int(size) not in SIZES:
        return Response("No such icon.", status_code=404, media_type="text/plain")
    return Response(
        app_icon_png(int(size), maskable=purpose == "maskable"),
        media_type="image/png",
        headers={"Cache-Control": "max-age=86400"},
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    """The tab's icon for a page that names none (the handover letter fetches nothing else):
    a browser asks for /favicon.ico, and a "not found" there is an error in its console."""
    return Response(
        app_icon_png(min(SIZES)),
        media_type="image/png",
        headers={"Cache-Control": "max-age=86400"},
    )


@lru_cache(maxsize=1)
def service_worker_source() -> str:
    """`static/sw.js` with its version (a hash of it and of the files it keeps) and its list."""
    worker = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(worker.encode("utf-8"))
    for path in SHELL:
        if path.startswith("/static/"):
            digest.update((STATIC_DIR / path.removeprefix("/static/")).read_bytes())
    return worker.replace("__VERSION__", digest.hexdigest()[:12]).replace(
        "__SHELL__", json.dumps(list(SHELL))
    )


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request) -> HTMLResponse:
    """The page a kept copy stands in for when there is no network; online, the list of what
    this device keeps (the list itself is drawn by offline.js from this browser's store)."""
    return render(request, "offline.html", {"title": "Kept on this device"})


def _settings_page(
    request: Request,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    *,
    session: Session,
) -> HTMLResponse:
    chosen = reminder_service.reminder(session=session)
    if values is None:
        zone = reminder_service.stored_zone(session=session)
        values = chosen.as_json() if chosen else ({"zone": zone} if zone else {})
    return render(
        request,
        "phone_app.html",
        {
            "title": "Reminders and the phone app",
            "reminder": chosen,
            "reminder_text": REMINDER_TEXT,
            "values": values,
            "errors": errors or FormErrors(),
        },
        status_code=status_code,
    )


@router.get(SETTINGS_PATH, response_class=HTMLResponse)
def app_settings(request: Request, *, session: SessionDep) -> HTMLResponse:
    return _settings_page(request, session=session)


@router.post(f"{SETTINGS_PATH}/reminder", response_model=None)
def save_reminder(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    if text(values, "action") == "clear":
        reminder_service.clear_reminder(session=session)
        return RedirectResponse(f"{SETTINGS_PATH}?cleared=1", status_code=303)
    typed = {"time": text(values, TIME_FIELD), "zone": text(values, ZONE_FIELD)}
    try:
        reminder_service.set_reminder(typed["time"], typed["zone"], session=session)
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field, error.problem)
        return _settings_page(request, typed, errors, status_code=422, session=session)
    return RedirectResponse(f"{SETTINGS_PATH}?saved=1", status_code=303)
