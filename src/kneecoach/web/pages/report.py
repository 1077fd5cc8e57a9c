"""The PDF report download and the handover letter (issue 14, sections 1 and 2).

`GET /report.pdf?from=…&to=…&paper=…&notes=…` (the form on Progress) and the letter:
`GET /handover` (a page of its own, with its CSS inline and nothing else to load, so it
works offline once open and prints on one page), `POST /handover` (medicines the person adds,
kept in the saved intake) and `GET /handover.pdf`. The same services as `kneecoach report`
and `kneecoach handover`.
"""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from kneecoach.core.errors import InputError
from kneecoach.core.report import Period, date_of
from kneecoach.data.report import report_words
from kneecoach.render.report import (
    handover_body,
    handover_pdf,
    handover_style,
    pdf_of,
    report_html,
)
from kneecoach.services import handover as handover_service
from kneecoach.services import report as report_service
from kneecoach.services.report import gather_report
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, text
from kneecoach.web.templating import render

router = APIRouter()

DEFAULT_DAYS = 28
"""The report form opens on the last 4 weeks."""


def report_form_context(today: date) -> dict[str, object]:
    """What the report form on Progress needs: its words and the dates it opens with."""
    return {
        "report_words": report_words(),
        "report_from": today - timedelta(days=DEFAULT_DAYS - 1),
        "report_to": today,
    }


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/report.pdf", response_model=None)
def report_pdf(request: Request, *, session: SessionDep) -> Response:
    query = request.query_params
    today = date.today()
    period = Period.checked(
        date_of(query.get("from"), "from"), date_of(query.get("to"), "to"), today
    )
    paper = report_service.paper_for(query.get("paper"), session=session)
    notes = query.get("notes", "yes").lower() not in ("no", "0", "off", "false")
    data = gather_report(period, include_notes=notes, today=today, session=session)
    document = pdf_of(report_html(data, paper))
    name = f"kneecoach-report-{period.first.isoformat()}-to-{period.last.isoformat()}.pdf"
    return _pdf(document.data, name)


@router.get("/handover", response_class=HTMLResponse)
def handover_page(request: Request, *, session: SessionDep) -> HTMLResponse:
    letter = handover_service.handover(session=session)
    context = {
        "title": report_words()["handover_title"],
        "words": report_words(),
        "letter": Markup(handover_body(letter)) if letter is not None else None,
        "style": Markup(handover_style()),
        "medicines": "\n".join(letter.medicines or ()) if letter is not None else "",
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "report/handover.html", context)


@router.post("/handover", response_model=None)
def save_medicines(values: FormDep, *, session: SessionDep) -> Response:
    medicines = handover_service.parse_medicines(text(values, "medicines"))
    handover_service.add_medicines(medicines, session=session)
    return RedirectResponse("/handover?saved=1", status_code=303)


@router.get("/handover.pdf", response_model=None)
def handover_download(request: Request, *, session: SessionDep) -> Response:
    paper = report_service.paper_for(request.query_params.get("paper"), session=session)
    letter = handover_service.handover(session=session)
    if letter is None:
        raise InputError("triage", report_words()["no_handover"])
    document = handover_pdf(letter, paper)
    return _pdf(document.data, f"kneecoach-handover-{letter.made_on.isoformat()}.pdf")
