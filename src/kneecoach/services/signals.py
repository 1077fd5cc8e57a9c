"""Signals use cases: the alerts and "what helps or hurts" for a series of check-ins.

The series comes from a CSV file or from the stored check-ins; the thresholds come from
`data/signals.yaml` and the red flags from triage's own rules, so a daily answer and an
intake answer are always judged the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kneecoach.core.checkins import CheckIn
from kneecoach.core.insights import describe, find_insights
from kneecoach.core.signals import Alert, alerts_in, find_alerts
from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.walk import anchor_for
from kneecoach.core.windows import check_range
from kneecoach.data.signals import insights_words, load_signal_thresholds
from kneecoach.services.checkins import checkin_span, list_checkins
from kneecoach.services.database import Session
from kneecoach.services.signal_walks import KEEPER
from kneecoach.services.triage import red_flag_rules


def alerts_for(checkins: Sequence[CheckIn], *, session: Session) -> list[Alert]:
    """Every alert the series raises, in date order, with the red-flag check included."""
    return find_alerts(checkins, load_signal_thresholds(), _red_flag(session))


def alerts_on(checkins: Sequence[CheckIn], day: date, *, session: Session) -> list[Alert]:
    """The alerts dated on one day (what a check-in on that day has just raised), worked out
    from the trailing days that day needs, not the whole history."""
    return alerts_between(checkins, day, day, session=session)


def alerts_between(
    checkins: Sequence[CheckIn], first: date, last: date, *, session: Session
) -> list[Alert]:
    """The alerts dated from `first` to `last` (a page's window), from the days they need."""
    return alerts_in(checkins, first, last, load_signal_thresholds(), _red_flag(session))


def stored_alerts_between(first: date, last: date, *, session: Session) -> list[Alert]:
    """The stored check-ins' alerts dated from `first` to `last`: the walk of `first`'s anchor,
    going on from where an earlier request left it (services/signal_walks.py). The same cost
    after 20 years as after one."""
    thresholds = load_signal_thresholds()
    anchor = anchor_for(first, thresholds)
    stop = KEEPER.walk_through(anchor, last, thresholds, _red_flag(session), session=session)
    return stop.alerts_between(first, last)


def stored_alerts_dated(
    first: date | None = None, last: date | None = None, *, session: Session
) -> list[Alert]:
    """The stored check-ins' alerts dated from `first` to `last`, both included. An open end
    means the first or the last stored check-in, so with neither it is every alert (the spec's
    whole series). The range is walked from the days it needs (`stored_alerts_between`): a
    week's alerts cost the same after 20 years as after one, and asking for the whole series
    again goes on from where the last walk stopped instead of reading every year again."""
    check_range(first, last)
    span = checkin_span(session=session)
    if span is None:
        return []
    # Alerts fall on check-in days only, so a range is cut to the stored ones: a request for
    # 0001-01-01 to 9999-12-31 walks what is there (it once was a 500 on year 1).
    first, last = max(first or span[0], span[0]), min(last or span[1], span[1])
    if last < first:
        return []
    return stored_alerts_between(first, last, session=session)


def stored_alerts_on(day: date, *, session: Session) -> list[Alert]:
    """What a check-in on `day` has just raised, from the stored check-ins."""
    return stored_alerts_between(day, day, session=session)


def _red_flag(session: Session) -> RedFlag:
    return RedFlag(red_flag_rules(session=session))


def alerts_document(alerts: Sequence[Alert]) -> dict[str, Any]:
    """The spec's JSON: {"alerts": [{"id", "date", "level", "why", …}]}."""
    return {"alerts": [alert.as_json() for alert in alerts]}


@dataclass(frozen=True)
class InsightLine:
    factor: str
    label: str
    symptom: str
    lag: int
    text: str
    notable: bool
    with_mean: float
    with_days: int
    without_mean: float
    without_days: int

    def as_json(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "label": self.label,
            "symptom": self.symptom,
            "lag_days": self.lag,
            "with_mean": round(self.with_mean, 2),
            "with_days": self.with_days,
            "without_mean": round(self.without_mean, 2),
            "without_days": self.without_days,
            "difference": round(self.with_mean - self.without_mean, 2),
            "notable": self.notable,
            "text": self.text,
        }


@dataclass(frozen=True)
class InsightsReport:
    title: str
    caution: str
    lines: tuple[InsightLine, ...]
    too_few_days: tuple[str, ...] = field(default=())
    min_days: int = 3
    none_notable: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "caution": self.caution,
            "min_days": self.min_days,
            "comparisons": [line.as_json() for line in self.lines],
            "too_few_days": list(self.too_few_days),
        }


INSIGHT_DAYS = 84
""""What helps or hurts" compares the days of the 12 weeks up to a day: recent enough to be
about the knee as it is now, long enough for each factor to have days with and without it
(basis: product-decision)."""


@dataclass(frozen=True)
class RecentInsights:
    """The insights of the INSIGHT_DAYS days from `first` to `last` (None: no check-ins)."""

    report: InsightsReport
    first: date | None
    last: date | None


def recent_insights(last: date | None = None, *, session: Session) -> RecentInsights:
    """What seems to help or hurt over the 12 weeks up to `last` (the latest check-in's day
    unless given): the same window whatever the length of the history."""
    if last is None:
        span = checkin_span(session=session)
        if span is None:
            return RecentInsights(insights_for(()), None, None)
        last = span[1]
    first = date.fromordinal(max(1, last.toordinal() - (INSIGHT_DAYS - 1)))  # year 1 holds
    return RecentInsights(insights_for(list_checkins(first, last, session=session)), first, last)


def insights_for(checkins: Sequence[CheckIn]) -> InsightsReport:
    """Symptoms with and without each logged factor, biggest differences first."""
    words = insights_words()
    found = find_insights(checkins, min_days=words.min_days)
    templates: dict[str, str] = {key: entry.text for key, entry in words.lines.items()}
    symptoms: dict[str, str] = {key: entry.label for key, entry in words.symptoms.items()}
    lines: list[InsightLine] = []
    for insight in found.factors:
        label = words.factor_label(insight.factor, insight.detail)
        for comparison in insight.comparisons:
            lines.append(
                InsightLine(
                    factor=insight.factor,
                    label=label,
                    symptom=comparison.symptom,
                    lag=comparison.lag,
                    text=describe(comparison, label, templates, symptoms),
                    notable=abs(comparison.difference) >= words.notable[comparison.symptom],  # type: ignore[index]
                    with_mean=comparison.with_mean,
                    with_days=comparison.with_days,
                    without_mean=comparison.without_mean,
                    without_days=comparison.without_days,
                )
            )
    scale = {"pain": 10.0, "swelling": 3.0, "stiffness_min": 60.0}
    lines.sort(key=lambda line: -abs(line.with_mean - line.without_mean) / scale[line.symptom])
    return InsightsReport(
        title=words.title,
        caution=" ".join(words.caution.text.split()),
        lines=tuple(lines),
        too_few_days=found.too_few_days,
        min_days=words.min_days,
        none_notable=" ".join(words.none_notable.text.split()),
    )
