"""What keeps other web sites away from a person's data on their own machine.

kneecoach listens on this machine and has no accounts yet, so any page the person visits in
the same browser could try to reach it. Four guards, each for one way in:

- **Host names.** Only `localhost`, `127.0.0.1` and `[::1]` (and names the person lists in
  `KNEECOACH_ALLOWED_HOSTS`) are served. A site that re-points its own name at 127.0.0.1 (DNS
  rebinding) sends its own name as Host, and is refused before any page runs.
- **Cross-site requests.** A state-changing request the browser marks as coming from another
  site (`Sec-Fetch-Site`, or an `Origin` that is not this server) is refused.
- **Form tokens.** Every form carries a token that matches a same-site cookie, so a form posted
  from elsewhere cannot act even in a browser that sends neither header.
- **JSON only for the API.** The API takes `application/json` bodies only; a browser cannot
  send those cross-site without asking first, and kneecoach never says yes. Scripts and curl on
  this machine (no Origin header) keep working without a token.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from kneecoach.core.limits import check_text

LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})
CSRF_COOKIE: Final = "kneecoach_csrf"
CSRF_FIELD: Final = "csrf_token"
UNSAFE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(host_header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, in lower case."""
    raw = host_header.strip().lower()
    if raw.startswith("["):
        return raw[1 : raw.find("]")] if "]" in raw else raw
    if raw.count(":") > 1:  # a bare IPv6 address
        return raw
    return raw.split(":", 1)[0]


def is_allowed_host(host_header: str | None, extra: Iterable[str] = ()) -> bool:
    """True for this machine's own names and any the person configured."""
    if not host_header:
        return False
    name = host_name(host_header)
    allowed = LOOPBACK_HOSTS | {host_name(h) for h in extra if h.strip()}
    if name in allowed:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback and "127.0.0.1" in allowed
    except ValueError:
        return False


def is_cross_site(request: Request) -> bool:
    """A request another web site's page made the browser send.

    Browsers say where a request comes from in Sec-Fetch-Site; older ones only send Origin.
    No header at all is a script or curl on this machine.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


def is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def csrf_token_of(request: Request) -> str:
    """The token of this browser (from its cookie), or a new one the response will set."""
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token
    existing = getattr(request.state, "csrf_token", None)
    if isinstance(existing, str):
        return existing
    fresh = secrets.token_urlsafe(32)
    request.state.csrf_token = fresh
    return fresh


async def require_form_token(request: Request) -> None:
    """A dependency of every page: a state-changing form must carry this browser's token."""
    if request.method not in UNSAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    form = await request.form()  # kept on the request: the page reads the same form
    sent = form.get(CSRF_FIELD)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(sent, cookie):
        raise HTTPException(
            status_code=403,
            detail="This form is out of date. Go back, reload the page, and try again.",
        )
    for name, value in form.multi_items():
        if isinstance(value, str):
            check_text(value, name)  # NUL and other control codes: a clear 422, never a 500
