"""Questionnaires: the KOOS, KOOS-12 and KOOS JR forms, their schedule and the results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError
from kneecoach.core.outcomes import Instrument
from kneecoach.data.instruments import INSTRUMENT_IDS
from kneecoach.services import outcomes
from kneecoach.web import outcome_views
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, FormErrors, FormValues, optional_day, text
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Questionnaires", "/questionnaires", 80)


@router.get("/questionnaires", response_class=HTMLResponse)
def questionnaire_list(request: Request, *, session: SessionDep) -> HTMLResponse:
    histories = {  # each one's latest day only, and how many are saved
        history.instrument.id: history
        for history in outcomes.history_pages(limit=1, session=session)
    }
    rows = []
    for instrument_id in INSTRUMENT_IDS:
        chosen = _known(instrument_id)
        history = histories.get(instrument_id)
        rows.append(
            {
                "instrument": chosen,
                "count": history.saved if history else 0,
                "last": history.results[-1].answered_on if history else None,
                "due": outcome_views.next_due(history) if history else None,
            }
        )
    return render(request, "questionnaires/list.html", {"title": "Questionnaires", "rows": rows})


@router.get("/questionnaires/{instrument_id}", response_class=HTMLResponse)
def questionnaire_form(request: Request, instrument_id: str) -> HTMLResponse:
    chosen = _known(instrument_id)
    return render(request, "questionnaires/form.html", _form_context(chosen, {}, FormErrors()))


@router.post("/questionnaires/{instrument_id}", response_model=None)
def questionnaire_submit(
    request: Request, instrument_id: str, values: FormDep, *, session: SessionDep
) -> Response:
    chosen = _known(instrument_id)
    errors = FormErrors()
    answers: dict[str, object] = {}
    for item in chosen.items:
        raw = text(values, item.code)
        if raw:
            answers[item.code] = int(raw) if raw.isdigit() else raw
    try:
        answered_on = optional_day(text(values, "date"))
        saved = outcomes.save_answers(instrument_id, answers, answered_on, session=session)
    except InputError as error:
        field = error.field.removeprefix("answers.")
        errors.add(None if field == "answers" else field, error.problem)
        return render(
            request,
            "questionnaires/form.html",
            _form_context(chosen, values, errors),
            status_code=422,
        )
    return RedirectResponse(
        f"/questionnaires/{instrument_id}/results?saved={saved.id}", status_code=303
    )


@router.get("/questionnaires/{instrument_id}/results", response_class=HTMLResponse)
def questionnaire_results(
    request: Request, instrument_id: str, saved: int | None = None, *, session: SessionDep
) -> HTMLResponse:
    chosen = _known(instrument_id)
    found = outcomes.outcome_histories(instrument_id, session=session)
    history = found[0] if found else None
    context: dict[str, Any] = {
        "title": f"{chosen.title}: results",
        "instrument": chosen,
        "history": history,
        "saved": saved,
        "views": outcome_views,
    }
    if history is not None:
        context["charts"] = outcome_views.scale_charts(history)
        context["latest"] = history.results[-1]
        context["changes"] = history.latest_changes
        context["due"] = outcome_views.next_due(history)
    return render(request, "questionnaires/results.html", context)


def _known(instrument_id: str) -> Instrument:
    """A questionnaire in the address that does not exist is a missing page (404)."""
    if instrument_id not in INSTRUMENT_IDS:
        raise HTTPException(404, f"There is no questionnaire called {instrument_id!r}.")
    return outcomes.instrument(instrument_id)


def _form_context(chosen: Instrument, values: FormValues, errors: FormErrors) -> dict[str, Any]:
    return {
        "title": chosen.title,
        "instrument": chosen,
        "values": {key: text(values, key) for key in values},
        "errors": errors,
    }
