"""/api/v1/session: sign in from a script (server mode), with the same cookie the pages use.

`POST` with `{"username", "password"}` answers the account and sets the `kneecoach_session`
cookie (a wrong name or password: 401, the same for both; too many tries: 429 with
Retry-After). `GET` says who is signed in; `DELETE` signs out. In personal mode there is
nothing to sign in to (404).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kneecoach.core.accounts import AccountView, SignInRefused, TooManyTries
from kneecoach.services import logins
from kneecoach.services.database import is_server_mode, transaction
from kneecoach.web.api.v1.models import ERROR_RESPONSES, ErrorBody
from kneecoach.web.auth import (
    clear_session_cookie,
    cookie_token,
    current_account,
    set_sign_in_cookies,
    sign_in_with_password,
    signed_out,
)


async def server_only() -> None:
    if not is_server_mode():
        raise HTTPException(status_code=404, detail="Only a practice server has accounts.")


router = APIRouter(
    tags=["session"],
    dependencies=[Depends(server_only)],
    responses={
        **ERROR_RESPONSES,
        401: {"model": ErrorBody, "description": "Not signed in, or a wrong name or password"},
        429: {"model": ErrorBody, "description": "Too many tries: wait Retry-After seconds"},
    },
)


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=200, examples=["anna.smith"])
    password: str = Field(max_length=1024)


class AccountPublic(BaseModel):
    id: str
    username: str
    display_name: str
    role: Literal["person", "clinician", "admin"]


def _public(account: AccountView) -> AccountPublic:
    return AccountPublic(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
    )


def _refused(problem: str, status_code: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"field": None, "pointer": None, "problem": problem}},
        status_code=status_code,
        headers=headers,
    )


@router.post("/session", response_model=AccountPublic)
def sign_in(body: SignIn, request: Request) -> Response:
    try:
        signed_in = sign_in_with_password(request, body.username, body.password)
    except TooManyTries as wait:
        return _refused(wait.problem, 429, {"Retry-After": str(wait.retry_after)})
    if signed_in is None:
        answer = _refused(SignInRefused().problem, 401)
        clear_session_cookie(answer)
        return answer
    answer = JSONResponse(_public(signed_in.account).model_dump())
    set_sign_in_cookies(answer, signed_in)
    return answer


@router.get("/session", response_model=AccountPublic)
def who(request: Request) -> Response:
    account = current_account(request)
    if account is None:
        return _refused("Sign in first.", 401)
    return JSONResponse(_public(account).model_dump())


@router.delete("/session", status_code=204)
def sign_out(request: Request) -> Response:
    with transaction() as session:
        logins.end_login_session(cookie_token(request), session=session)
    return signed_out(Response(status_code=204))
