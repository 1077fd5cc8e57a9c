"""Progress: server-drawn charts of the check-ins (alerts marked) and of the questionnaires
(the minimal important change as a band), so the same SVG can go into a report later.

The check-in charts show a window, the last 12 weeks unless another range is chosen (plain
links, so it works without JavaScript). A window up to 13 weeks is drawn day by day; a longer
one as weekly means worked out by the database (periods of several weeks when the history is
very long), so the page costs the same and stays small after 20 years as after one week.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kneecoach.core.windows import RANGES, Range, choose_range
from kneecoach.render.charts import (
    LineChart,
    Marker,
    StripChart,
    legend_entries,
    line_chart_svg,
    series_from,
    strip_chart_svg,
    strip_legend,
)
from kneecoach.services import checkins as checkin_service
from kneecoach.services import outcomes
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from kneecoach.services import signals as signal_service
from kneecoach.services.database import Session
from kneecoach.web import outcome_views
from kneecoach.web.alert_views import AlertView, alert_views
from kneecoach.web.course_views import course_card, reviews_chart
from kneecoach.web.deps import SessionDep
from kneecoach.web.pages.report import report_form_context
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Progress", "/progress", 50)

MECHANICAL = (
    ("catching", "Catching"),
    ("locking", "Locking"),
    ("giving_way", "Giving way"),
    ("clicking", "Clicking"),
)


DAILY_UP_TO = 91
"""Windows up to this many days are drawn day by day; longer ones as means per period."""
MOST_PERIODS = 78
"""A long window has at most this many points: weekly means up to 18 months, then longer
periods (whole numbers of weeks), so a chart of 20 years stays as small as one of a year."""
ALERT_DAYS = 364
"""Alerts are worked out for at most the last year of a window (the whole of a shorter one)."""


@dataclass(frozen=True)
class Window:
    """The days the check-in charts show, and how: day by day or as means per period."""

    range: Range
    first: date
    last: date
    period_days: int  # 1: day by day

    @property
    def daily(self) -> bool:
        return self.period_days == 1

    @property
    def period_words(self) -> str:
        weeks = self.period_days // 7
        return "weekly means" if weeks == 1 else f"means over {weeks} weeks"


def parse_end(text: str | None, today: date) -> date:
    """The window's last day: a date from the link, never after today (today when missing)."""
    try:
        end = date.fromisoformat(text) if text else today
    except ValueError:
        return today
    return min(end, today)


def window_for(chosen: Range, end: date, span: tuple[date, date] | None) -> Window:
    """The window of a range ending on `end`: day by day when short, else in whole weeks."""
    if chosen.days is None:
        first = span[0] if span is not None and span[0] <= end else end - timedelta(days=83)
        days = (end - first).days + 1
    else:
        days = chosen.days
    if days <= DAILY_UP_TO:
        return Window(chosen, end - timedelta(days=days - 1), end, 1)
    weeks = math.ceil(days / 7)
    period_weeks = math.ceil(weeks / MOST_PERIODS)
    periods = math.ceil(weeks / period_weeks)
    first = end - timedelta(days=periods * period_weeks * 7 - 1)
    return Window(chosen, first, end, period_weeks * 7)


Point = tuple[date, Mapping[str, float | None]]
"""A chart point: its day (a period's first day) and each column's value (a day's or a mean)."""


@dataclass(frozen=True)
class ShownChart:
    heading: str
    svg: str
    legend: list[tuple[str, str, str]]
    note: str = ""
    marks: list[tuple[str, str]] = field(default_factory=list)
    """(label, a small SVG of its mark) for a chart of yes/no rows."""


def _rows(points: Sequence[Point], column: str) -> list[tuple[date, float | None]]:
    return [(day, values.get(column)) for day, values in points]


def checkin_charts(
    checkins: Sequence[Point], markers: tuple[Marker, ...], period: str = ""
) -> list[ShownChart]:
    """Pain, swelling, stiffness and the mechanical symptoms, each with the alerts marked.

    `period` names what each point is when it is a mean ("weekly means"); "" for days."""
    each = f", {period}" if period else ""
    specs: list[tuple[str, LineChart]] = [
        (
            "Pain",
            LineChart(
                title=f"Knee pain (0 to 10){each}",
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
                show_title=False,  # the figure's caption is its title
            ),
        ),
        (
            "Swelling",
            LineChart(
                title=f"Swelling (0 none, 1 mild, 2 moderate, 3 severe){each}",
                y_min=0,
                y_max=3,
                y_step=1,
                y_label="swelling",
                series=(series_from("Swelling", _rows(checkins, "swelling")),),
                markers=markers,
                height=200,
                id="chart-swelling",
                show_title=False,  # the figure's caption is its title
            ),
        ),
        (
            "Morning stiffness",
            LineChart(
                title=f"Morning stiffness (minutes){each}",
                y_min=0,
                y_max=max(
                    [30.0] + [v for _, v in _rows(checkins, "stiffness_min") if v is not None]
                ),
                y_label="minutes",
                series=(series_from("Stiffness", _rows(checkins, "stiffness_min")),),
                markers=markers,
                height=200,
                id="chart-stiffness",
                show_title=False,  # the figure's caption is its title
            ),
        ),
    ]
    shown = [
        ShownChart(heading, line_chart_svg(chart), legend_entries(chart))
        for heading, chart in specs
    ]
    mechanical = StripChart(
        title=(
            f"Mechanical symptoms: the share of days each happened{each}"
            if period
            else "Mechanical symptoms: a mark on each day it happened"
        ),
        series=tuple(series_from(label, _rows(checkins, column)) for column, label in MECHANICAL),
        markers=markers,
        share=bool(period),
        id="chart-mechanical",
        show_title=False,  # the figure's caption is its title
    )
    shown.append(
        ShownChart(
            "Catching, locking, giving way and clicking",
            strip_chart_svg(mechanical),
            [],
            note="A grey tick: a day it did not happen. No mark: no answer."
            if not period
            else "Each bar is as tall as the share of days it happened.",
            marks=strip_legend(mechanical),
        )
    )
    return shown


def sessions_chart(
    plan: plan_service.StoredPlan | None, window: Window, *, session: Session
) -> ShownChart | None:
    """Exercises done against the exercises the plan asked for, each day (or period) of the
    window; the rule lives in `services.sessions.adherence`."""
    if plan is None or plan.start_date > window.last:
        return None
    periods = session_service.adherence(
        plan, window.first, window.last, window.period_days, session=session
    )
    if not periods:
        return None
    asked = [(p.first, float(p.asked)) for p in periods]
    done = [(p.first, float(p.done)) for p in periods]
    top = max([3.0] + [value for _, value in asked] + [value for _, value in done])
    each = (
        "each day"
        if window.daily
        else f"each {window.period_days // 7}-week period"
        if window.period_days > 7
        else "each week"
    )
    chart = LineChart(
        title=f"Exercises done against exercises asked, {each}",
        y_min=0,
        y_max=top,
        y_step=1 if top <= 12 else None,
        y_label="exercises",
        series=(series_from("Asked", asked), series_from("Done", done)),
        height=200,
        id="chart-sessions",
    )
    return ShownChart("Sessions", line_chart_svg(chart), legend_entries(chart))


def alert_markers(
    first: date, last: date, *, session: Session
) -> tuple[list[AlertView], tuple[Marker, ...]]:
    """The alerts dated in the window (from the days they need only), newest last."""
    alerts = alert_views(signal_service.stored_alerts_between(first, last, session=session))
    return alerts, tuple(Marker(a.date, a.title, a.level) for a in alerts)


def _one_per_period(history: outcomes.History, window: Window) -> outcomes.History:
    """The questionnaire results of the window as its charts show them: each one on a day by
    day window, the latest of each period on a long one (as many points as the check-ins)."""
    if window.daily:
        return history
    kept: dict[int, int] = {}
    for index, result in enumerate(history.results):
        kept[(result.answered_on - window.first).days // window.period_days] = index
    chosen = sorted(kept.values())
    return replace(
        history,
        results=tuple(history.results[i] for i in chosen),
        changes=tuple(history.changes[i] for i in chosen),
    )


@dataclass(frozen=True)
class TableRow:
    """One line of "See the numbers": a day (linked to its check-in) or a period's means."""

    label: str
    href: str | None
    pain: str
    swelling: str
    stiffness: str


def _show(value: float | None, digits: int) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:g}"


def _link(chosen: Range, end: date | None) -> str:
    query: dict[str, str] = {"range": chosen.key}
    if end is not None:
        query["end"] = end.isoformat()
    return "/progress?" + urlencode(query)


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, *, session: SessionDep) -> HTMLResponse:
    today = date.today()
    chosen = choose_range(request.query_params.get("range"))
    end = parse_end(request.query_params.get("end"), today)
    if chosen.days is None:
        end = today
    span = checkin_service.checkin_span(session=session)
    window = window_for(chosen, end, span)
    context: dict[str, Any] = {"title": "Progress", "window": window, "span": span}
    points: list[Point] = []
    rows: list[TableRow] = []
    logged: tuple[date, date] | None = None
    days_logged = 0
    recent: list[Any] = []
    if window.daily:
        checkins = checkin_service.list_checkins(window.first, window.last, session=session)
        columns = checkin_service.MEAN_COLUMNS
        points = [(c.day, {k: c.measure(k) for k in columns}) for c in checkins]
        rows = [
            TableRow(
                c.day.isoformat(),
                f"/checkin?day={c.day.isoformat()}",
                _show(c.pain, 0),
                _show(c.swelling, 0),
                _show(c.stiffness_min, 0),
            )
            for c in reversed(checkins)
        ]
        days_logged = len(checkins)
        if checkins:
            logged = (checkins[0].day, checkins[-1].day)
        if window.first <= window.last - timedelta(days=signal_service.INSIGHT_DAYS - 1):
            recent = [
                c
                for c in checkins
                if c.day > window.last - timedelta(days=signal_service.INSIGHT_DAYS)
            ]
    else:
        means = checkin_service.checkin_means(
            window.first, window.last, window.period_days, session=session
        )
        points = [(p.first, p.means) for p in means]
        rows = [
            TableRow(
                f"{p.first.isoformat()} to {p.last.isoformat()}",
                None,
                _show(p.measure("pain"), 1),
                _show(p.measure("swelling"), 1),
                _show(p.measure("stiffness_min"), 1),
            )
            for p in reversed(means)
        ]
        days_logged = sum(p.days for p in means)
        if means:
            logged = (means[0].first, means[-1].last)
    if not recent:
        recent = checkin_service.list_checkins(
            window.last - timedelta(days=signal_service.INSIGHT_DAYS - 1),
            window.last,
            session=session,
        )
    alerts_from = max(window.first, window.last - timedelta(days=ALERT_DAYS - 1))
    alerts, markers = (
        alert_markers(alerts_from, window.last, session=session) if days_logged else ([], ())
    )
    plan = plan_service.latest_plan(session=session)
    histories = [
        _one_per_period(history, window)
        for history in outcomes.outcome_histories(None, window.first, window.last, session=session)
    ]
    course = course_card(today, session=session)
    earlier = (
        _link(chosen, window.first - timedelta(days=1))
        if chosen.days is not None and span is not None and span[0] < window.first
        else None
    )
    later = (
        _link(chosen, min(today, window.last + timedelta(days=chosen.days)))
        if chosen.days is not None and window.last < today
        else None
    )
    pinned = end if end < today else None
    context |= {
        "ranges": [(r, _link(r, pinned if r.days is not None else None)) for r in RANGES],
        "chosen": chosen,
        "days_logged": days_logged,
        "logged": logged,
        "rows": rows,
        "charts": checkin_charts(points, markers, "" if window.daily else window.period_words)
        if points
        else [],
        "sessions_chart": sessions_chart(plan, window, session=session),
        "alerts": alerts,
        "alerts_from": alerts_from,
        "insights": signal_service.insights_for(recent) if recent else None,
        "insights_from": window.last - timedelta(days=signal_service.INSIGHT_DAYS - 1),
        "earlier": earlier,
        "later": later,
        "today_link": _link(chosen, None) if pinned else None,
        "histories": [(h, outcome_views.scale_charts(h) if h.results else []) for h in histories],
        "course": course,
        "goal_chart": reviews_chart(course.goal.goal),
        "views": outcome_views,
    }
    context |= report_form_context(today)
    return render(request, "progress.html", context)
