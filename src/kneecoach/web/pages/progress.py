"""Progress: server-drawn charts of the check-ins (alerts marked) and of the questionnaires
(the minimal important change as a band), so the same SVG can go into a report later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kneecoach.core.checkins import CheckIn
from kneecoach.render.charts import LineChart, Marker, legend_entries, line_chart_svg, series_from
from kneecoach.services import checkins as checkin_service
from kneecoach.services import outcomes
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from kneecoach.services import signals as signal_service
from kneecoach.services.database import Session
from kneecoach.web import outcome_views
from kneecoach.web.alert_views import AlertView, alert_views
from kneecoach.web.deps import SessionDep
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Progress", "/progress", 50)

MECHANICAL = (
    ("catching", "Catching"),
    ("locking", "Locking"),
    ("giving_way", "Giving way"),
    ("clicking", "Clicking"),
)


@dataclass(frozen=True)
class ShownChart:
    heading: str
    svg: str
    legend: list[tuple[str, str, str]]
    note: str = ""


def _rows(checkins: list[CheckIn], column: str) -> list[tuple[date, float | None]]:
    return [(c.day, c.measure(column)) for c in checkins]


def checkin_charts(checkins: list[CheckIn], markers: tuple[Marker, ...]) -> list[ShownChart]:
    """Pain, swelling, stiffness and the mechanical symptoms, each with the alerts marked."""
    specs: list[tuple[str, LineChart]] = [
        (
            "Pain",
            LineChart(
                title="Knee pain (0 to 10)",
                y_min=0,
                y_max=10,
                y_step=2,
                y_label="pain",
                series=(
                    series_from("Usual pain", _rows(checkins, "pain")),
                    series_from("Worst pain", _rows(checkins, "pain_worst")),
                    series_from("Pain during exercise", _rows(checkins, "exercise_pain")),
                ),
                markers=markers,
                id="chart-pain",
            ),
        ),
        (
            "Swelling",
            LineChart(
                title="Swelling (0 none, 1 mild, 2 moderate, 3 severe)",
                y_min=0,
                y_max=3,
                y_step=1,
                y_label="swelling",
                series=(series_from("Swelling", _rows(checkins, "swelling")),),
                markers=markers,
                height=200,
                id="chart-swelling",
            ),
        ),
        (
            "Morning stiffness",
            LineChart(
                title="Morning stiffness (minutes)",
                y_min=0,
                y_max=max(
                    [30.0] + [v for _, v in _rows(checkins, "stiffness_min") if v is not None]
                ),
                y_label="minutes",
                series=(series_from("Stiffness", _rows(checkins, "stiffness_min")),),
                markers=markers,
                height=200,
                id="chart-stiffness",
            ),
        ),
        (
            "Catching, locking, giving way and clicking",
            LineChart(
                title="Mechanical symptoms (1 = it happened that day)",
                y_min=0,
                y_max=1,
                y_step=1,
                y_label="yes/no",
                series=tuple(
                    series_from(label, _rows(checkins, column)) for column, label in MECHANICAL
                ),
                markers=markers,
                height=200,
                id="chart-mechanical",
            ),
        ),
    ]
    return [
        ShownChart(heading, line_chart_svg(chart), legend_entries(chart))
        for heading, chart in specs
    ]


def sessions_chart(today: date, *, session: Session) -> ShownChart | None:
    """Exercises done each day against the exercises the plan asked for that day."""
    plan = plan_service.latest_plan(session=session)
    if plan is None or plan.start_date > today:
        return None
    logged: dict[str, int] = {}
    for entry in session_service.session_log(plan, session=session):
        logged[entry["date"]] = logged.get(entry["date"], 0) + 1
    days = [plan.start_date + timedelta(days=n) for n in range((today - plan.start_date).days + 1)]
    asked = [(day, float(len(plan.session_on_day(plan.day_on(day))))) for day in days]
    done = [(day, float(logged.get(day.isoformat(), 0))) for day in days]
    top = max([3.0] + [value for _, value in asked] + [value for _, value in done])
    chart = LineChart(
        title="Exercises done against exercises asked, each day",
        y_min=0,
        y_max=top,
        y_step=1,
        y_label="exercises",
        series=(series_from("Asked", asked), series_from("Done", done)),
        height=200,
        id="chart-sessions",
    )
    return ShownChart("Sessions", line_chart_svg(chart), legend_entries(chart))


def alert_markers(
    checkins: list[CheckIn], *, session: Session
) -> tuple[list[AlertView], tuple[Marker, ...]]:
    alerts = alert_views(signal_service.alerts_for(checkins, session=session))
    return alerts, tuple(Marker(a.date, a.title, a.level) for a in alerts)


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, *, session: SessionDep) -> HTMLResponse:
    checkins = checkin_service.list_checkins(session=session)
    alerts, markers = alert_markers(checkins, session=session)
    histories = outcomes.outcome_histories(session=session)
    context: dict[str, Any] = {
        "title": "Progress",
        "checkins": checkins,
        "charts": checkin_charts(checkins, markers) if checkins else [],
        "sessions_chart": sessions_chart(date.today(), session=session),
        "alerts": alerts,
        "insights": signal_service.insights_for(checkins) if checkins else None,
        "histories": [(h, outcome_views.scale_charts(h)) for h in histories],
        "views": outcome_views,
    }
    return render(request, "progress.html", context)
