"""The PDF report as a use case: gather one period's story into a typed `ReportData`
(issue 14, section 1). `render/report/` draws it as HTML and WeasyPrint makes the PDF.

Everything is read in the caller's session: the latest intake (who, which knee, triage,
contributors and patterns), the red flags raised in the period (intakes and check-ins, with
the person's own answers), KOOS and KOOS JR over time with the change against the MIC and its
population, check-in charts with the alerts marked, plan adherence and dose changes with
their reasons, shoes, and the person's notes (left out when asked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from kneecoach.core.checkins import CheckIn
from kneecoach.core.errors import InputError
from kneecoach.core.outcomes import Change, Instrument, ScoreValue, changes_from_first
from kneecoach.core.progression import show_dose
from kneecoach.core.report import (
    Chart,
    DoseChange,
    ExerciseDone,
    Fact,
    Finding,
    Note,
    Period,
    RaisedFlag,
    ReportData,
    ReportWords,
    ScoreChange,
    ShoeLine,
    fill,
    paper_of,
    show_day,
)
from kneecoach.core.triage import TriageResult
from kneecoach.core.units import Paper
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.report import report_words
from kneecoach.data.signals import detector_titles, level_labels
from kneecoach.render.charts import (
    Band,
    LineChart,
    Marker,
    legend_entries,
    line_chart_svg,
    series_from,
)
from kneecoach.services import checkins as checkin_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services import signals as signal_service
from kneecoach.services.handover import (
    intake_flags,
    knee_words,
    known_facts,
    person_facts,
    raised_flags,
)
from kneecoach.services.intake import list_intakes
from kneecoach.services.safety_stop import checkin_safety
from kneecoach.services.triage import message_of

RED_FLAG = "red_flag"
"""The alert a check-in's red flag raises (core/signals/red_flag.py)."""
DAILY_UP_TO = 91
"""A period up to this many days is charted day by day; a longer one as means per period."""
MOST_POINTS = 78
"""A long period is charted in at most this many points: weekly means, or longer periods."""
CHART_WIDTH = 640
"""The report's charts are drawn wider than the phone's: a printed page has room."""

# One check-in chart each: the words' key of its heading, the y-axis label, the top of the
# scale (None: the highest value, at least 30) and its step, and the columns drawn with the
# words' key of each series label.
CHECKIN_CHARTS: tuple[
    tuple[str, str, float | None, float | None, tuple[tuple[str, str], ...]], ...
] = (
    (
        "chart_pain",
        "axis_pain",
        10,
        2,
        (
            ("pain", "series_pain"),
            ("pain_worst", "series_pain_worst"),
            ("exercise_pain", "series_exercise_pain"),
        ),
    ),
    ("chart_swelling", "axis_swelling", 3, 1, (("swelling", "series_swelling"),)),
    ("chart_stiffness", "axis_minutes", None, None, (("stiffness_min", "series_stiffness"),)),
    (
        "chart_mechanical",
        "axis_yes_no",
        1,
        1,
        (
            ("catching", "series_catching"),
            ("locking", "series_locking"),
            ("giving_way", "series_giving_way"),
            ("clicking", "series_clicking"),
        ),
    ),
)


def paper_for(named: str | None, *, session: Session) -> Paper:
    """The paper a report is laid out on: the one named, else the person's units setting
    (A4 or Letter, which follows the country until chosen)."""
    from kneecoach.services.units import current_units

    return paper_of(named, default=current_units(session=session).units.paper)


def gather_report(
    period: Period, *, include_notes: bool = True, today: date | None = None, session: Session
) -> ReportData:
    """Everything the report shows for a period; an empty period is an error, not a blank PDF."""
    today = today or date.today()
    words = report_words()
    checkins = checkin_service.list_checkins(period.first, period.last, session=session)
    intakes = list_intakes(session=session)
    histories = outcome_service.outcome_histories(session=session)
    plan = plan_service.latest_plan(session=session)
    in_period = [
        i for i in intakes if period.first <= i.recorded_at.astimezone().date() <= period.last
    ]
    scored = [
        r for h in histories for r in h.results if period.first <= r.answered_on <= period.last
    ]
    exercises = _adherence(plan, period, session=session)
    if not (checkins or in_period or scored or any(e.done for e in exercises)):
        raise InputError(
            "period",
            fill(
                words["empty_period"],
                {"first": show_day(period.first), "last": show_day(period.last)},
            ),
        )
    latest = next(
        (i for i in reversed(intakes) if i.recorded_at.astimezone().date() <= period.last),
        intakes[-1] if intakes else None,
    )
    facts: Mapping[str, Any] = known_facts(latest)
    if latest is not None:
        result = TriageResult.from_json(latest.triage)
        meaning = message_of(result, session=session)
        triage: tuple[str, str, str] = (result.level, meaning.title, meaning.summary)
    else:
        triage = ("", words["triage_none"], "")
    alerts = signal_service.stored_alerts_between(period.first, period.last, session=session)
    every = _every(period)
    titles, labels = detector_titles(), level_labels()
    return ReportData(
        words=words,
        period=period,
        made_on=today,
        person=person_facts(facts, words, knee=False),
        knee=knee_words(facts.get("knee.side"), words),
        triage_level=triage[0],
        triage_title=triage[1],
        triage_summary=triage[2],
        flags=_flags(
            in_period,
            [c for c in checkins if c.day in {a.day for a in alerts if a.id == RED_FLAG}],
            facts,
            words,
            session=session,
        ),
        findings=tuple(_findings(latest.assessment if latest is not None else None)),
        scores=tuple(_scores(histories, period, words)),
        score_charts=tuple(_score_charts(histories, period, words)),
        checkin_days=len(checkins),
        checkin_charts=tuple(
            _checkin_charts(
                _chart_points(checkins, period, session=session),
                tuple(
                    Marker(a.day, titles.get(a.id, a.id.replace("_", " ")), a.level.name)
                    for a in alerts
                ),
                words,
                "" if every == 1 else fill(words["means_note"], {"days": every}),
            )
        )
        if checkins
        else (),
        alerts=tuple(
            Fact(
                f"{show_day(a.day)}: {titles.get(a.id, a.id)}",
                a.why,
                labels.get(a.level.name, a.level.name),
            )
            for a in alerts
        ),
        exercises=tuple(exercises),
        changes=tuple(_changes(plan, period, session=session)),
        shoes=tuple(_shoes(today, session=session)),
        notes=tuple(Note(c.day, c.note) for c in checkins if c.note) if include_notes else (),
        include_notes=include_notes,
    )


def _flags(
    intakes: Sequence[Any],
    checkins: Sequence[CheckIn],
    facts: Mapping[str, Any],
    words: ReportWords,
    *,
    session: Session,
) -> tuple[RaisedFlag, ...]:
    """Red flags of the intakes saved in the period, then those of the check-ins given (the
    days of the period's red-flag alerts), each judged as the check-in page judged it."""
    raised: list[RaisedFlag] = []
    for saved in intakes:
        raised += intake_flags(saved, words, session=session)
    for checkin in checkins:
        message = checkin_safety(checkin, session=session)
        if message is None:
            continue
        raised += raised_flags(
            message.flags, checkin.day, "check-in", facts, words, session=session
        )
    return tuple(raised)


def _findings(assessment: Mapping[str, Any] | None) -> list[Finding]:
    if not assessment:
        return []
    found = [
        Finding(kind, str(item.get("title", item.get("id"))), tuple(item.get("why", ())))
        for kind, key in (("pattern", "patterns"), ("contributor", "contributors"))
        for item in assessment.get(key, ())
    ]
    return found


def _show(value: ScoreValue) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _mic(chosen: Instrument, score_id: str) -> str:
    threshold = chosen.threshold_for(score_id)
    if threshold is None or threshold.points is None:
        return (threshold.note if threshold is not None and threshold.note else "") or "-"
    shown = f"{threshold.points:g} points"
    parts = [p for p in (threshold.population, threshold.source) if p]
    if threshold.derived and threshold.note:
        parts.append(threshold.note)
    return f"{shown} ({'; '.join(parts)})" if parts else shown


def _results_in(
    history: outcome_service.History, period: Period
) -> list[outcome_service.SavedResult]:
    """The instrument's results answered within the period, oldest first."""
    return [r for r in history.results if period.first <= r.answered_on <= period.last]


def _reported_scales(chosen: Instrument) -> list[str]:
    """The scales a report shows: all but the raw scale a conversion turns into another."""
    source = chosen.conversion.source_scale if chosen.conversion is not None else None
    return [s for s in chosen.score_ids if s != source]


def _scores(
    histories: Sequence[outcome_service.History], period: Period, words: ReportWords
) -> list[ScoreChange]:
    """Per scale: the first and latest result in the period, the change, and the MIC verdict."""
    shown: list[ScoreChange] = []
    for history in histories:
        chosen = history.instrument
        results = _results_in(history, period)
        if not results:
            continue
        first, latest = results[0], results[-1]
        changes: dict[str, Change] = {
            c.scale: c for c in changes_from_first(chosen, first.scores, latest.scores)
        }
        for score_id in _reported_scales(chosen):
            change = changes.get(score_id)
            one = len(results) == 1 or change is None
            verdict = "" if one else change.verdict  # type: ignore[union-attr]
            shown.append(
                ScoreChange(
                    instrument=chosen.title.split(" (")[0],
                    scale=chosen.label_of(score_id),
                    first_day=first.answered_on,
                    first=_show(first.scores.get(score_id)),
                    latest_day=latest.answered_on,
                    latest=_show(latest.scores.get(score_id)),
                    change="-"
                    if one or change is None or change.points is None
                    else f"{change.points:+.1f}",
                    verdict=words["one_score"] if one else words[f"verdict_{verdict}"],
                    passes_mic=None
                    if one or verdict in ("no_mic", "not_computable")
                    else verdict in ("improved", "worse"),
                    mic=_mic(chosen, score_id),
                )
            )
    return shown


def _score_charts(
    histories: Sequence[outcome_service.History], period: Period, words: ReportWords
) -> list[Chart]:
    """One chart per instrument, every scale a line, the KOOS JR interval score its own."""
    charts: list[Chart] = []
    for history in histories:
        chosen = history.instrument
        results = _results_in(history, period)
        if not results:
            continue
        ids = _reported_scales(chosen)
        bands: tuple[Band, ...] = ()
        if len(ids) == 1:
            threshold = chosen.threshold_for(ids[0])
            first = results[0].scores.get(ids[0])
            if threshold is not None and threshold.points is not None and first is not None:
                bands = (
                    Band(
                        float(first) - threshold.points,
                        float(first) + threshold.points,
                        words["mic_band"],
                    ),
                )
        chart = LineChart(
            title=fill(words["score_chart"], {"title": chosen.title}),
            y_min=0,
            y_max=100,
            y_step=25,
            y_label=words["axis_score"],
            series=tuple(
                series_from(
                    chosen.label_of(s),
                    [
                        (
                            r.answered_on,
                            None if r.scores.get(s) is None else float(r.scores[s] or 0),
                        )
                        for r in results
                    ],
                )
                for s in ids
            ),
            bands=bands,
            width=CHART_WIDTH,
            height=240,
            id=f"report-{chosen.id}",
            show_title=False,
        )
        charts.append(Chart(chart.title, line_chart_svg(chart), tuple(legend_entries(chart))))
    return charts


Point = tuple[date, Mapping[str, float | None]]


def _every(period: Period) -> int:
    """Days per chart point: 1 up to DAILY_UP_TO days, else whole weeks (at most MOST_POINTS)."""
    if period.days <= DAILY_UP_TO:
        return 1
    weeks = -(-period.days // 7)
    return 7 * -(-weeks // MOST_POINTS)


def _chart_points(checkins: Sequence[CheckIn], period: Period, *, session: Session) -> list[Point]:
    """Each day's values, or for a long period the database's means per week (or per several
    weeks), so a report of years draws as few points as one of three months."""
    every = _every(period)
    if every == 1:
        columns = checkin_service.MEAN_COLUMNS
        return [(c.day, {k: c.measure(k) for k in columns}) for c in checkins]
    means = checkin_service.checkin_means(period.first, period.last, every, session=session)
    return [(p.first, p.means) for p in means]


def _checkin_charts(
    points: Sequence[Point], markers: tuple[Marker, ...], words: ReportWords, note: str = ""
) -> list[Chart]:
    """Pain, swelling, stiffness and the mechanical symptoms, each with the alerts marked."""
    charts: list[Chart] = []
    for index, (title_key, axis_key, top, step, columns) in enumerate(CHECKIN_CHARTS):
        title, y_label = words[title_key], words[axis_key]
        series = tuple(
            series_from(words[label], [(day, values.get(column)) for day, values in points])
            for column, label in columns
        )
        highest = max([30.0] + [v for s in series for _, v in s.points if v is not None])
        chart = LineChart(
            title=title,
            y_min=0,
            y_max=top if top is not None else highest,
            y_step=step,
            y_label=y_label,
            series=series,
            markers=markers,
            width=CHART_WIDTH,
            height=220 if index == 0 else 180,
            id=f"report-checkins-{index}",
            show_title=False,
        )
        charts.append(Chart(title, line_chart_svg(chart), tuple(legend_entries(chart)), note))
    return charts


def _adherence(
    plan: plan_service.StoredPlan | None, period: Period, *, session: Session
) -> list[ExerciseDone]:
    """Exercises asked against done in the period, per exercise of the plan."""
    if plan is None or plan.start_date > period.last:
        return []
    log = session_service.session_log(plan, period.first, period.last, session=session)
    done: dict[str, int] = {}
    for entry in log:
        done[entry["slot"]] = done.get(entry["slot"], 0) + 1
    asked: dict[str, int] = {}
    day = max(period.first, plan.start_date)
    while day <= period.last:
        for entry in plan.session_on_day(plan.day_on(day)):
            asked[entry["id"]] = asked.get(entry["id"], 0) + 1
        day += timedelta(days=1)
    names = {e.id: e.name for e in load_catalogue().exercises} if asked else {}
    return [
        ExerciseDone(names.get(slot, slot.replace("_", " ")), asked[slot], done.get(slot, 0))
        for slot in asked
    ]


def _changes(
    plan: plan_service.StoredPlan | None, period: Period, *, session: Session
) -> list[DoseChange]:
    if plan is None:
        return []
    names = {e.id: e.name for e in load_catalogue().exercises}
    shown = []
    for found in session_service.dose_changes(plan, period.first, period.last, session=session):
        decision = found.decision
        before, after = decision.before, decision.after
        action = decision.action
        if action not in ("progress", "regress"):  # changed by hand: say which way it went
            action = "progress" if _size(after) >= _size(before) else "regress"
        shown.append(
            DoseChange(
                day=found.on,
                exercise=names.get(found.slot, found.slot),
                action=action,
                before=f"{names.get(before.exercise_id, before.exercise_id)} {show_dose(before)}",
                after=f"{names.get(after.exercise_id, after.exercise_id)} {show_dose(after)}",
                reason=decision.reason,
            )
        )
    return shown


def _size(dose: Any) -> tuple[int, ...]:
    return tuple(int(getattr(dose, name) or 0) for name in ("sets", "reps", "hold_s", "minutes"))


def _shoes(today: date, *, session: Session) -> list[ShoeLine]:
    return [
        ShoeLine(
            name=o.pair.name,
            status=o.level_label,
            distance=f"{o.status.distance_km:.0f} km",
            age="-" if o.status.age_months is None else f"{o.status.age_months} months",
            reasons=tuple(r.text for r in o.status.reasons),
            attention=o.status.needs_attention,
        )
        for o in shoe_service.list_shoes(today=today, include_retired=True, session=session)
    ]
