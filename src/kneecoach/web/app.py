"""The app factory: pages, the JSON API, static files, error handling and safety headers.

Pages and API routers are listed here explicitly, one module per page group, so a page
appears in the navigation only once its service exists.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Final

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecoach.core.errors import NotFoundError
from kneecoach.core.limits import CONTROL_CHARACTERS, LONE_SURROGATES
from kneecoach.settings import get_settings
from kneecoach.web.api.v1 import checkins as checkins_api
from kneecoach.web.api.v1 import course as course_api
from kneecoach.web.api.v1 import flare as flare_api
from kneecoach.web.api.v1 import intake as intake_api
from kneecoach.web.api.v1 import movement as movement_api
from kneecoach.web.api.v1 import outcomes as outcomes_api
from kneecoach.web.api.v1 import sessions as sessions_api
from kneecoach.web.api.v1 import settings as settings_api
from kneecoach.web.api.v1 import sharing as sharing_api
from kneecoach.web.api.v1 import shoes as shoes_api
from kneecoach.web.api.v1 import signin as signin_api
from kneecoach.web.auth import SignInGuard
from kneecoach.web.errors import API_PREFIX, error_body, install_error_handlers
from kneecoach.web.limits import BodyLimits
from kneecoach.web.pages import (
    account,
    checkin,
    clinic,
    course,
    exchange,
    flare,
    goal,
    health,
    improve,
    intake,
    learn,
    movement,
    phone_app,
    progress,
    questionnaires,
    report,
    results,
    settings,
    sharing,
    shoes,
    today,
    welcome,
)
from kneecoach.web.security import (
    CSRF_COOKIE,
    UNSAFE_METHODS,
    csrf_token_of,
    is_allowed_host,
    is_cross_site,
    is_json,
    require_form_token,
)
from kneecoach.web.templating import STATIC_DIR, NavItem

PAGE_MODULES: tuple[ModuleType, ...] = (
    welcome,
    intake,
    improve,
    movement,
    results,
    today,
    checkin,
    flare,
    progress,
    report,
    course,
    goal,
    questionnaires,
    shoes,
    learn,
    settings,
    exchange,
    phone_app,
    account,
    health,
    clinic,
    sharing,
)
"""Each defines `router` and, if it has a place in the navigation, `NAV`."""
API_MODULES: tuple[ModuleType, ...] = (
    intake_api,
    sessions_api,
    checkins_api,
    flare_api,
    outcomes_api,
    shoes_api,
    course_api,
    settings_api,
    signin_api,
    sharing_api,
    movement_api,
)
"""Each defines `router`, mounted under /api/v1."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
"""Nothing loads from the network: every script, style and chart comes from this server."""
PERMISSIONS_POLICY = "geolocation=(), microphone=(), payment=(), usb=(), camera=(self)"
"""No page asks for the location, microphone, payments or USB; the camera only from here."""
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
"""Behind HTTPS (server mode), browsers keep to HTTPS for this host name for a year."""


def _refusal(request: Request) -> Response | None:
    """The answer to a request the guards of `web/security.py` turn away, else None."""
    if not is_allowed_host(request.headers.get("host"), get_settings().allowed_host_names):
        return PlainTextResponse(
            "kneecoach answers only to this machine's own names (localhost, 127.0.0.1). "
            "To reach it by another name, list it in KNEECOACH_ALLOWED_HOSTS.",
            status_code=421,
        )
    if CONTROL_CHARACTERS.search(request.url.path) or LONE_SURROGATES.search(request.url.path):
        # no page has such a name, and an id with a NUL in it was a 500 on PostgreSQL
        if request.url.path.startswith(API_PREFIX):  # the API's own 404, as documented
            return JSONResponse(error_body(NotFoundError("there is no such address")), 404)
        return PlainTextResponse("There is no such page.", status_code=404)
    unsafe = request.method in UNSAFE_METHODS
    if unsafe and is_cross_site(request):
        return PlainTextResponse("Requests from other web sites are refused.", status_code=403)
    if unsafe and request.url.path.startswith("/api/") and not is_json(request):
        return JSONResponse(
            {"error": {"field": "body", "problem": "send JSON (content-type: application/json)"}},
            status_code=415,
        )
    return None


SHARED_FILES: Final = ("/static/", "/icons/")
"""The app's own files, the same for everyone: the only answers a browser may keep."""


def _safety_headers(headers: MutableHeaders, hsts: bool, path: str) -> None:
    """The headers every answer carries, refusals too. Nothing of a person's is kept in a
    browser's or a proxy's cache (`no-store`), so the next user of a shared device cannot
    open it from there; a route that says otherwise (the service worker, the manifest) wins."""
    if not path.startswith(SHARED_FILES):
        headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for older browsers
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if hsts:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)


class GuardAndSecure:
    """The guards first, then the safety headers (and this browser's form token) on every
    answer. A plain ASGI middleware: it adds headers as the answer starts, without the extra
    task and body copy a `@app.middleware("http")` function costs on every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        settings = get_settings()
        hsts = settings.is_server and settings.behind_https
        refusal = _refusal(request)
        if refusal is not None:

            async def send_refusal(message: Message) -> None:
                if message["type"] == "http.response.start":
                    _safety_headers(MutableHeaders(scope=message), hsts, scope["path"])
                await send(message)

            await refusal(scope, receive, send_refusal)
            return
        token = csrf_token_of(request)
        new_token = request.cookies.get(CSRF_COOKIE) != token
        head = scope["method"] == "HEAD"
        if head:  # HEAD is GET without the body (RFC 9110 §9.3.2): every page answers it
            scope = {**scope, "method": "GET"}

        async def send_secured(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if new_token:
                    carrier = Response()
                    carrier.set_cookie(
                        CSRF_COOKIE,
                        token,
                        httponly=True,
                        samesite="strict",
                        path="/",
                        secure=settings.behind_https,
                    )
                    headers.append("set-cookie", carrier.headers["set-cookie"])
                _safety_headers(headers, hsts, scope["path"])
            await send(message)

        await self.app(scope, receive, send_secured)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The web app's own job worker (KNEECOACH_WORKER=thread, the default) runs while the app
    does; on shutdown it hands a running job back to the queue and stops."""
    from kneecoach.services.worker import Worker, default_name

    worker = Worker(f"{default_name()}:web") if get_settings().worker == "thread" else None
    if worker is not None:
        worker.start_thread()
    if getattr(app.state, "long_lived", False):
        set_aside_what_lives_on()
    try:
        yield
    finally:
        if worker is not None:
            await run_in_threadpool(worker.stop)


def set_aside_what_lives_on() -> None:
    """Leave the modules, routes and templates loaded at start out of the garbage collector's
    full passes. A full pass looks at every object; with the app loaded that is over 100,000
    of them, about 0.1 s on a busy machine, and every request waits while it runs, so under
    load it showed as the slowest answers. What a request makes is still collected."""
    gc.collect()
    gc.freeze()


def create_served_app() -> FastAPI:
    """The app as `kneecoach serve` runs it: one for the life of the process (or of each
    worker), so what it loads at start is set aside from the garbage collector's full passes.
    Tests build many short-lived apps with `create_app`, which leaves the collector alone."""
    app = create_app()
    app.state.long_lived = True
    return app


def create_app() -> FastAPI:
    """A new app each call (tests build their own); settings are read per request."""
    app = FastAPI(
        title="kneecoach",
        summary="Look after a sore knee at home, safely, and show your clinician what happened.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN: nothing leaves this machine
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(SignInGuard)  # inside the guards: a refused request looks nobody up
    # BodyLimits inside the guards: nothing reads an oversize body, and its 413 carries the
    # safety headers like every other answer; GuardAndSecure, added last, runs first.
    app.add_middleware(BodyLimits)
    app.add_middleware(GuardAndSecure)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # The API first: its routes are matched before the pages' (a request tries routes in order).
    for module in API_MODULES:
        app.include_router(module.router, prefix="/api/v1")

    nav: list[NavItem] = []
    for module in PAGE_MODULES:
        app.include_router(
            module.router, include_in_schema=False, dependencies=[Depends(require_form_token)]
        )
        item = getattr(module, "NAV", None)
        if item is not None:
            nav.append(item)
    app.state.nav = tuple(sorted(nav, key=lambda entry: entry.order))
    return app
