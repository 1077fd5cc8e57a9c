"""Sign-in for server mode: the guard every request passes, and who is signed in.

`SignInGuard` (an ASGI middleware) reads the session cookie, looks the token up in the
practice's database (`services.logins`) and puts the account on `request.state`
(`ACCOUNT_KEY`); for a person it also sets their store (`deps.STORE_KEY`), the only health data
the request may open. Clinicians and admins get no store: a clinician's routes set a shared
person's store after the share check (practice-sharing), and an admin never reads health data.

A request nobody signed in for goes to `/login?next=…` (a page) or gets 401 JSON (the API),
except the few public paths below. Personal mode passes straight through: one person, on this
machine, with no sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from kneecoach.core.accounts import AccountView, Role
from kneecoach.services import accounts, logins, throttle
from kneecoach.services.database import is_server_mode, store_of, transaction
from kneecoach.settings import get_settings
from kneecoach.web.deps import ACCOUNT_KEY, STORE_KEY

SESSION_COOKIE: Final = "kneecoach_session"
DEVICE_COOKIE: Final = "kneecoach_device"
"""Given at sign-in: this browser's later tries for the same name skip that name's wait
(`services.throttle`), so nobody can keep a person out of their own computer by guessing."""
LOGIN_PATH: Final = "/login"
PUBLIC_PATHS: Final = frozenset(
    {
        LOGIN_PATH,
        "/reset",
        "/healthz",
        "/manifest.webmanifest",
        "/favicon.ico",
        "/sw.js",
        "/offline",
        "/api/v1/session",
    }
)
"""Paths anyone may open: signing in, a reset with a code, the health check, and what the
browser fetches to install the app (none holds anyone's data)."""
PUBLIC_PREFIXES: Final = ("/static/", "/icons/")
HOME_FOR_ROLE: Final[dict[str, str]] = {"person": "/", "clinician": "/clinic", "admin": "/account"}
"""Where each role lands after signing in with no `next` (practice-sharing points clinicians
to their panel)."""


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def safe_next(value: str | None, fallback: str = "/") -> str:
    """A `next` address only if it is a path on this server: never another site."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value or any(ord(c) < 32 for c in value):
        return fallback
    return value


def current_account(request: Request) -> AccountView | None:
    """The signed-in account (server mode), or None (anonymous, or personal mode)."""
    account = getattr(request.state, ACCOUNT_KEY, None)
    return account if isinstance(account, AccountView) else None


def require_role(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, AccountView]]:
    """A dependency: the signed-in account, if its role is one of `roles`; else 401 (nobody
    signed in) or 403. In personal mode the routes it guards do not exist (404)."""

    async def dependency(request: Request) -> AccountView:
        if not is_server_mode():
            raise HTTPException(status_code=404, detail="This page is only on a practice server.")
        account = current_account(request)
        if account is None:
            raise HTTPException(status_code=401, detail="Sign in to see this page.")
        if account.role not in roles:
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        return account

    return dependency


def cookie_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def set_session_cookie(response: Response, token: str) -> None:
    """HttpOnly (no script reads it), SameSite=Lax (not sent on other sites' posts), Secure
    behind HTTPS; it lasts as long as the session may."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(logins.ABSOLUTE.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().behind_https,
    )


def signed_out(response: Response) -> Response:
    """The answer to signing out: the cookie goes, and so do the pages this browser kept for
    use offline (`Clear-Site-Data`), so the next person on a shared device cannot open them."""
    clear_session_cookie(response)
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@dataclass(frozen=True)
class SignedIn:
    account: AccountView
    token: str
    device: str | None  # a new device token for this browser, or None: it has a good one


def address_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def sign_in_with_password(request: Request, username: str, password: str) -> SignedIn | None:
    """Check a name and password and start a session (any session token the browser sent is
    deleted first); None when they do not match. Raises `TooManyTries` while waiting."""
    device = request.cookies.get(DEVICE_COOKIE)
    with transaction() as session:
        account = accounts.authenticate(
            username, password, address=address_of(request), device=device, session=session
        )
        if account is None:
            return None
        token = logins.start_login_session(
            account.id, session=session, replacing=cookie_token(request)
        )
        known = throttle.is_trusted_device(device, account.username, session=session)
        fresh = None if known else throttle.remember_device(account.id, session=session)
    return SignedIn(account, token, fresh)


def set_sign_in_cookies(response: Response, signed_in: SignedIn) -> None:
    set_session_cookie(response, signed_in.token)
    if signed_in.device is not None:
        response.set_cookie(
            DEVICE_COOKIE,
            signed_in.device,
            max_age=int(throttle.DEVICE_LIFETIME.total_seconds()),
            path="/",
            httponly=True,
            samesite="lax",
            secure=get_settings().behind_https,
        )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().behind_https,
    )


def _resolve(token: str | None) -> AccountView | None:
    if not token:
        return None
    with transaction() as session:
        return logins.account_for_token(token, session=session)


def sign_in_page(path: str, query: str) -> str:
    target = path + (f"?{query}" if query else "")
    return f"{LOGIN_PATH}?next={quote(target, safe='/')}" if target != "/" else LOGIN_PATH


def anonymous_answer(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"error": {"field": None, "pointer": None, "problem": "Sign in first."}},
            status_code=401,
        )
    return RedirectResponse(sign_in_page(request.url.path, request.url.query), status_code=303)


class SignInGuard:
    """Server mode: who is signed in, and no page or data for anyone who is not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_server_mode():
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(SESSION_COOKIE)
        account = await run_in_threadpool(_resolve, token) if token else None
        if account is None and not is_public(request.url.path):
            await anonymous_answer(request)(scope, receive, send)
            return
        if account is not None:
            setattr(request.state, ACCOUNT_KEY, account)
            if account.is_person:
                setattr(request.state, STORE_KEY, store_of(account.id))
        await self.app(scope, receive, send)
