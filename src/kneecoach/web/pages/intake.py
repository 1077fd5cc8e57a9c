"""The intake: a few questions a screen, safety first; an emergency answer stops it.

The screens come from `data/intake_screens.yaml` and the logic from
`services/intake_screens.ScreenWizard`. The answers so far travel with the form in a hidden
field, so the intake works without JavaScript; a copy is kept in a cookie on the person's
own browser, so an intake left half-way can be continued later. Nothing is saved on the
server until the end (or an emergency answer, which keeps what was given).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError
from kneecoach.core.limits import MAX_BODY_BYTES, parse_json
from kneecoach.core.units import Units
from kneecoach.data.intake_screens import Row, Screen
from kneecoach.services.database import Session
from kneecoach.services.intake import answer_at
from kneecoach.services.intake_screens import (
    NONE_OF_THESE,
    ScreenErrors,
    ScreenWizard,
    in_units,
    intake_screens,
)
from kneecoach.services.triage import level_meaning
from kneecoach.services.units import answer_shown, units_to_show
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.templating import INTAKE_BEGUN_COOKIE, NavItem, render

router = APIRouter()
NAV = NavItem("Start", "/intake", 10)

DRAFT_COOKIE = "kneecoach_intake_draft"
DRAFT_MAX_AGE = 60 * 60 * 24 * 30
DRAFT_MAX_BYTES = 3800
"""Browsers drop a cookie over about 4 KB; a draft that big (very long typed lists) is simply
not kept, rather than kept broken. A whole intake packs to about 1.5 KB."""
START_TITLE = "Tell us about your knee"


# ── the draft kept in the browser ─────────────────────────────────────────────────────────


def _pack(wizard: ScreenWizard) -> str:
    raw = json.dumps(wizard.as_json(), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()


def _unpack(packed: str) -> ScreenWizard | None:
    try:
        inflate = zlib.decompressobj()
        # at most a form's worth: a small cookie must not unpack into megabytes
        raw = inflate.decompress(base64.urlsafe_b64decode(packed.encode()), MAX_BODY_BYTES)
        if inflate.unconsumed_tail:
            return None
        wizard = ScreenWizard.from_json(parse_json(raw, "state"))
    except (InputError, ValueError, zlib.error, binascii.Error):
        return None
    return wizard if wizard.visits else None


def _read_state(raw: str) -> Any:
    """The form's answers so far, within the JSON limits (a 200,000-deep list was a 500)."""
    try:
        return parse_json(raw, "state")
    except InputError:
        raise ValueError("damaged") from None  # shown as "the answers were damaged"


def _keep_draft(response: Response, wizard: ScreenWizard) -> Response:
    packed = _pack(wizard) if wizard.visits else ""
    if packed and len(packed) <= DRAFT_MAX_BYTES:
        response.set_cookie(
            DRAFT_COOKIE,
            packed,
            max_age=DRAFT_MAX_AGE,
            path="/intake",
            httponly=True,
            samesite="strict",
        )
        response.set_cookie(
            INTAKE_BEGUN_COOKIE, "1", max_age=DRAFT_MAX_AGE, httponly=True, samesite="strict"
        )
    else:
        _forget_draft(response)
    return response


def _forget_draft(response: Response) -> None:
    response.delete_cookie(DRAFT_COOKIE, path="/intake")
    response.delete_cookie(INTAKE_BEGUN_COOKIE)


# ── pages ─────────────────────────────────────────────────────────────────────────────────


def _start_page(request: Request, problem: str | None = None, status_code: int = 200) -> Response:
    screens = intake_screens()
    draft = _unpack(request.cookies.get(DRAFT_COOKIE, ""))
    return render(
        request,
        "intake/start.html",
        {
            "title": START_TITLE,
            "estimate": screens.estimate,
            "draft_screens": len(draft.visits) if draft else 0,
            "draft_state": json.dumps(draft.as_json()) if draft else "",
            "problem": problem,
        },
        status_code=status_code,
    )


@router.get("/intake", response_class=HTMLResponse)
def intake_start(request: Request) -> Response:
    return _start_page(request)


@router.post("/intake", response_model=None)
def intake_step(request: Request, values: FormDep, session: SessionDep) -> Response:
    try:
        raw_state = text(values, "state")
        wizard = ScreenWizard.from_json(_read_state(raw_state)) if raw_state else ScreenWizard()
    except (InputError, ValueError) as error:
        problem = error.problem if isinstance(error, InputError) else "the answers were damaged"
        return _start_page(request, problem, status_code=422)
    action = text(values, "action") or "next"
    units = units_to_show(session=session)

    if action == "back":
        shown = wizard.back()
        if shown is None:
            return _start_page(request)
        return _screen_page(request, wizard, *shown, _prefill(wizard, shown[1], units), units)

    screen_id = text(values, "screen")
    if screen_id and action in ("next", "finish"):
        try:
            keys = tuple(k for k in text(values, "rows").split(",") if k)
            screen, rows = wizard.rows_of(screen_id, keys)
        except InputError as error:
            return _start_page(request, error.problem, status_code=422)
        problems = wizard.submit(screen, rows, values, units)
        if problems is not None:
            errors = _form_errors(problems)
            return _screen_page(
                request, wizard, screen, rows, values, units, errors, status_code=422
            )
        stop = wizard.stop_if_emergency(session=session)
        if stop is not None:
            return render(
                request,
                "intake/emergency.html",
                {
                    "title": "Get help now",
                    "level": level_meaning("emergency", session=session),
                    "flags": stop.flags,
                    "age": answer_at(wizard.document(), "person.age"),
                    "saved_version": stop.saved.version,
                    # A mis-tap can be undone: "back" shows that screen again, answers kept.
                    "state": json.dumps(wizard.as_json()),
                    "last_question": screen.title,
                },
            )
        if action == "finish" and not wizard.safety_left(screen):
            return _finish(wizard, session)

    upcoming = wizard.next_screen()
    if upcoming is None:
        return _finish(wizard, session)
    return _screen_page(request, wizard, *upcoming, _prefill(wizard, upcoming[1], units), units)


def _finish(wizard: ScreenWizard, session: Session) -> Response:
    wizard.finish(session=session)
    response = RedirectResponse("/results?new=1", status_code=303)
    _forget_draft(response)
    return response


def field_id(key: str) -> str:
    """The HTML id of a row's first input (error links point at it)."""
    return "f-" + key.replace(".", "-").replace("_", "-")


def _form_errors(problems: ScreenErrors) -> FormErrors:
    errors = FormErrors()
    for key, problem in problems.by_row.items():
        errors.add(field_id(key), in_web_words(problem))
    return errors


def _prefill(wizard: ScreenWizard, rows: tuple[Row, ...], units: Units) -> FormValues:
    """The form values that show the answers kept for these rows (after Back, or forward
    again after Back); a weight or distance in the person's unit."""
    values: FormValues = {}
    for row in rows:
        value = answer_shown(row.question, wizard.answers.get(row.key), units)
        if value is None:
            continue
        if row.question.kind == "choices":
            values[row.key] = [str(v) for v in value] or [NONE_OF_THESE]
        elif row.question.kind == "words" and isinstance(value, list):
            values[row.key] = ", ".join(value)
        elif value is True or value is False:
            values[row.key] = "yes" if value else "no"
        else:
            values[row.key] = str(value)
    return values


def _screen_page(
    request: Request,
    wizard: ScreenWizard,
    screen: Screen,
    rows: tuple[Row, ...],
    values: FormValues,
    units: Units,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    number, about = wizard.progress(screen)
    rows = in_units(rows, units)  # the weight in lb, the shoes' distance in miles if chosen
    follow_up = any(visit.screen == screen.id for visit in wizard.visits)
    context: dict[str, Any] = {
        "title": screen.title,
        "screen": screen,
        "rows": rows,
        "row_keys": ",".join(row.key for row in rows),
        "follow_up": follow_up,
        "number": number,
        "about": about,
        "state": json.dumps(wizard.as_json()),
        "values": values,
        "errors": errors or FormErrors(),
        "field_id": field_id,
        "can_go_back": bool(wizard.visits),
        "can_finish": about > number and not wizard.safety_left(screen),
        "none_value": NONE_OF_THESE,
    }
    response = render(request, "intake/screen.html", context, status_code=status_code)
    return _keep_draft(response, wizard)
