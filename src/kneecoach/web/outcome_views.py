"""How outcome questionnaire results are shown: plain verdicts and charts with the MIC band.

Shared by the Questionnaires and Progress pages so both say the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kneecoach.core.outcomes import Change, Instrument, ScoreValue
from kneecoach.render.charts import Band, LineChart, line_chart_svg, series_from
from kneecoach.services.outcomes import History

ANSWER_AGAIN_EVERY = timedelta(weeks=4)
"""Suggested gap between questionnaires: change is read against the first result and the
minimal important change, which the studies measured over weeks, not days (issue 6)."""

VERDICTS = {
    "improved": "Better, by at least the smallest change that matters",
    "worse": "Worse, by at least the smallest change that matters",
    "below_mic": "A smaller change than the smallest one that matters",
    "no_mic": "We do not know the smallest change that matters for this score",
    "not_computable": "Not enough answers to compare",
}


@dataclass(frozen=True)
class ScaleChart:
    score_id: str
    label: str
    svg: str
    mic_text: str


def show_score(value: ScoreValue) -> str:
    if value is None:
        return "no score"
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}"


def show_change(change: Change) -> str:
    if change.points is None:
        return "–"
    return f"{change.points:+.1f}"


def next_due(history: History) -> date:
    return history.results[-1].answered_on + ANSWER_AGAIN_EVERY


def scale_charts(history: History) -> list[ScaleChart]:
    """One small chart per score over time; the MIC band is drawn around the first score."""
    chosen: Instrument = history.instrument
    charts = []
    for score_id in chosen.score_ids:
        if chosen.conversion is not None and score_id == chosen.conversion.source_scale:
            continue  # the raw KOOS JR sum runs the other way; its interval score is shown
        label = chosen.label_of(score_id)
        rows = [
            (result.answered_on, _number(result.scores.get(score_id))) for result in history.results
        ]
        threshold = chosen.threshold_for(score_id)
        first = next((value for _, value in rows if value is not None), None)
        bands: tuple[Band, ...] = ()
        if threshold is not None and threshold.points is not None and first is not None:
            bands = (
                Band(
                    first - threshold.points,
                    first + threshold.points,
                    f"within {threshold.points:g} points of your first score: "
                    "smaller than the smallest change that matters",
                ),
            )
            mic_text = (
                f"The shaded band is {threshold.points:g} points either side of your first "
                f"score (the minimal important change, {threshold.source})."
            )
            if threshold.derived and threshold.note:
                mic_text += f" This value is {threshold.note}."
        else:
            mic_text = (
                threshold.note
                if threshold is not None and threshold.note
                else "No minimal important change is known for this score."
            )
        chart = LineChart(
            title=f"{chosen.title}: {label}",
            y_min=0,
            y_max=100,
            y_step=25,
            y_label="score",
            series=(series_from(label, rows),),
            bands=bands,
            height=220,
            id=f"chart-{chosen.id}-{score_id}",
        )
        charts.append(ScaleChart(score_id, label, line_chart_svg(chart), mic_text))
    return charts


def _number(value: ScoreValue) -> float | None:
    return None if value is None else float(value)
