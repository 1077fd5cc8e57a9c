"""Signing in and out, a reset with a code, and one's own account (server mode only).

Every form here carries the form token like any other (login CSRF too). A wrong name and a
wrong password get the same page, status and cookies; after many failures the page says how
long to wait (429 with Retry-After). In personal mode these pages do not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.accounts import AccountView, TooManyTries
from kneecoach.core.errors import InputError
from kneecoach.services import accounts, audit, logins
from kneecoach.services.database import is_server_mode, transaction
from kneecoach.web.auth import (
    HOME_FOR_ROLE,
    LOGIN_PATH,
    address_of,
    clear_session_cookie,
    cookie_token,
    current_account,
    require_role,
    safe_next,
    set_session_cookie,
    set_sign_in_cookies,
    sign_in_with_password,
    signed_out,
)
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.templating import render


async def server_only() -> None:
    if not is_server_mode():
        raise HTTPException(status_code=404, detail="This page is only on a practice server.")


router = APIRouter(dependencies=[Depends(server_only)])
AnyAccount = Depends(require_role("person", "clinician", "admin"))


def raw(values: FormValues, name: str) -> str:
    """A password as typed: spaces are part of it."""
    value = values.get(name, "")
    return (value[-1] if value else "") if isinstance(value, list) else value


def _home(account: AccountView) -> str:
    return HOME_FOR_ROLE.get(account.role, "/")


def _login_page(
    request: Request,
    *,
    problem: str | None = None,
    username: str = "",
    next_path: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    page = render(
        request,
        "account/login.html",
        {"title": "Sign in", "problem": problem, "username": username, "next": next_path},
        status_code=status_code,
    )
    page.headers.update(headers or {})
    return page


@router.get(LOGIN_PATH, response_class=HTMLResponse, response_model=None)
def login_form(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"), "")
    account = current_account(request)
    if account is not None:
        return RedirectResponse(next_path or _home(account), status_code=303)
    return _login_page(request, next_path=next_path)


@router.post(LOGIN_PATH, response_model=None)
def login(request: Request, values: FormDep) -> Response:
    username, password = text(values, "username"), raw(values, "password")
    next_path = safe_next(text(values, "next"), "")
    try:
        signed_in = sign_in_with_password(request, username, password)
    except TooManyTries as wait:
        return _login_page(
            request,
            problem=wait.problem,
            username=username,
            next_path=next_path,
            status_code=429,
            headers={"Retry-After": str(wait.retry_after)},
        )
    if signed_in is None:
        page = _login_page(
            request,
            problem=accounts.SignInRefused().problem,
            username=username,
            next_path=next_path,
            status_code=401,
        )
        clear_session_cookie(page)  # any token this browser had is not a session now
        return page
    answer = RedirectResponse(next_path or _home(signed_in.account), status_code=303)
    set_sign_in_cookies(answer, signed_in)
    return answer


@router.post("/logout", response_model=None)
def logout(request: Request) -> Response:
    with transaction() as session:
        logins.end_login_session(cookie_token(request), session=session)
    return signed_out(RedirectResponse(f"{LOGIN_PATH}?signed_out=1", status_code=303))


def _reset_page(
    request: Request,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    page = render(
        request,
        "account/reset.html",
        {"title": "Set a new password", "errors": errors or FormErrors(), "values": values or {}},
        status_code=status_code,
    )
    page.headers.update(headers or {})
    return page


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> HTMLResponse:
    return _reset_page(request)


@router.post("/reset", response_model=None)
def reset(request: Request, values: FormDep) -> Response:
    username, code = text(values, "username"), text(values, "code")
    password, again = raw(values, "password"), raw(values, "password_again")
    shown = {"username": username, "code": code}
    if password != again:
        errors = FormErrors(by_field={"password_again": "does not match the new password"})
        return _reset_page(request, errors=errors, values=shown, status_code=422)
    try:
        with transaction() as session:
            account = logins.reset_password(
                username, code, password, address=address_of(request), session=session
            )
    except TooManyTries as wait:
        return _reset_page(
            request,
            errors=FormErrors(general=[wait.problem]),
            values=shown,
            status_code=429,
            headers={"Retry-After": str(wait.retry_after)},
        )
    except InputError as error:
        errors = FormErrors(by_field={error.field or "password": error.problem})
        return _reset_page(request, errors=errors, values=shown, status_code=422)
    if account is None:
        errors = FormErrors(general=[logins.BAD_CODE])
        return _reset_page(request, errors=errors, values=shown, status_code=401)
    return RedirectResponse(f"{LOGIN_PATH}?reset=1", status_code=303)


def _account_page(
    request: Request,
    account: AccountView,
    *,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with transaction() as session:
        looked = audit.entries_about(account.id, session=session) if account.is_person else []
        sessions = logins.open_sessions(account.id, session=session)
    context: dict[str, Any] = {
        "title": "Your account",
        "account": account,
        "errors": errors or FormErrors(),
        "entries": [entry for entry in looked if entry.actor_id != account.id],
        "open_sessions": sessions,
    }
    return render(request, "account/account.html", context, status_code=status_code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, account: AccountView = AnyAccount) -> HTMLResponse:
    return _account_page(request, account)


@router.post("/account/password", response_model=None)
def change_password(
    request: Request, values: FormDep, account: AccountView = AnyAccount
) -> Response:
    current, new, again = (
        raw(values, "current_password"),
        raw(values, "password"),
        raw(values, "password_again"),
    )
    if new != again:
        errors = FormErrors(by_field={"password_again": "does not match the new password"})
        return _account_page(request, account, errors=errors, status_code=422)
    try:
        with transaction() as session:
            accounts.change_password(account.id, current, new, session=session)
            token = logins.start_login_session(account.id, session=session)
    except InputError as error:
        errors = FormErrors(by_field={error.field or "password": error.problem})
        return _account_page(request, account, errors=errors, status_code=422)
    answer = RedirectResponse("/account?changed=1", status_code=303)
    set_session_cookie(answer, token)  # a new token: the old sessions all ended
    return answer


@router.post("/account/sign-out-everywhere", response_model=None)
def sign_out_everywhere(request: Request, account: AccountView = AnyAccount) -> Response:
    with transaction() as session:
        logins.end_all_login_sessions(account.id, session=session)
    return signed_out(RedirectResponse(f"{LOGIN_PATH}?signed_out=1", status_code=303))
