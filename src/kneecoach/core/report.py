"""The PDF report and the handover letter as typed data: what a clinician reads, gathered by
`services/report.py` and `services/handover.py`, drawn by `render/report/`.

Pure: frozen dataclasses and small checks, no I/O. Words a person reads come from
`data/report.yaml` (`ReportWords`); the clinical terms beside them are marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from kneecoach.core.errors import InputError
from kneecoach.core.units import Paper

PAPERS: Final[tuple[Paper, ...]] = ("a4", "letter")


def paper_of(value: str | None, field: str = "paper", default: Paper = "a4") -> Paper:
    """The paper size named by `value` (any case); `default` (the person's units setting)
    when none is given."""
    chosen = (value or default).strip().lower()
    for paper in PAPERS:
        if chosen == paper:
            return paper
    raise InputError(field, f"{value!r} is not a paper size; use a4 or letter")


def date_of(value: str | date | None, field: str) -> date:
    """A date from text (YYYY-MM-DD); the error names the field."""
    if isinstance(value, date):
        return value
    if value is None or not value.strip():
        raise InputError(field, "give a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, f"{value!r} is not a date; use YYYY-MM-DD") from None


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @classmethod
    def checked(cls, first: date, last: date, today: date) -> Period:
        """The period, or an error naming the date that does not fit."""
        if first > today:
            raise InputError("from", f"{first.isoformat()} is in the future")
        if last < first:
            raise InputError("to", f"{last.isoformat()} is before {first.isoformat()}")
        return cls(first, min(last, today) if last > today else last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def words(self) -> str:
        return f"{_day(self.first)} to {_day(self.last)}"


def _day(day: date) -> str:
    return day.strftime("%d %b %Y").lstrip("0")


def show_day(day: date) -> str:
    """ "4 Nov 2026": how a report writes a date."""
    return _day(day)


@dataclass(frozen=True)
class ReportWords:
    """The fixed words of the report and the letter (data/report.yaml), by key."""

    text: Mapping[str, str]
    not_asked: tuple[str, ...]

    def __getitem__(self, key: str) -> str:
        return self.text[key]


# ── What raised a flag: the person's words beside the clinical terms ──────────────────────


@dataclass(frozen=True)
class FlagAnswer:
    """One answer behind a flag: the question, the answer in plain words, the clinical term."""

    question: str
    answer: str
    clinical: str


@dataclass(frozen=True)
class RaisedFlag:
    """A red flag: when and where it was raised, its level, and the answers behind it."""

    day: date
    where: str  # "intake" or "check-in"
    level: str
    level_title: str
    title: str
    answers: tuple[FlagAnswer, ...]


@dataclass(frozen=True)
class Fact:
    """A labelled line of the letter or report (timeline, history): label and value."""

    label: str
    value: str
    clinical: str = ""


# ── The report ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Finding:
    """A contributor or pattern from the assessment, with its reasons."""

    kind: str  # "contributor" or "pattern"
    title: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class ScoreChange:
    """One questionnaire score: first and latest, the change, and how it compares with the MIC."""

    instrument: str
    scale: str
    first_day: date
    first: str
    latest_day: date
    latest: str
    change: str
    verdict: str
    passes_mic: bool | None
    mic: str
    """The MIC with its population and source, e.g. "8 points (knee OA after …; Monticone 2013)"."""


@dataclass(frozen=True)
class Chart:
    """A chart as SVG markup (drawn by render/charts.py) with its caption and legend."""

    heading: str
    svg: str
    legend: tuple[tuple[str, str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class ExerciseDone:
    name: str
    asked: int
    done: int


@dataclass(frozen=True)
class DoseChange:
    """A progression or regression of one exercise: when, from what to what, and why."""

    day: date
    exercise: str
    action: str  # "progress" or "regress"
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class ShoeLine:
    name: str
    status: str
    distance: str
    age: str
    reasons: tuple[str, ...]
    attention: bool = False


@dataclass(frozen=True)
class Note:
    day: date
    text: str


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, gathered for one period."""

    words: ReportWords
    period: Period
    made_on: date
    person: tuple[Fact, ...]
    knee: str
    triage_title: str
    triage_summary: str
    triage_level: str
    flags: tuple[RaisedFlag, ...]
    findings: tuple[Finding, ...]
    scores: tuple[ScoreChange, ...]
    score_charts: tuple[Chart, ...]
    checkin_days: int
    checkin_charts: tuple[Chart, ...]
    alerts: tuple[Fact, ...]
    exercises: tuple[ExerciseDone, ...]
    changes: tuple[DoseChange, ...]
    shoes: tuple[ShoeLine, ...]
    notes: tuple[Note, ...]
    include_notes: bool

    @property
    def asked(self) -> int:
        return sum(e.asked for e in self.exercises)

    @property
    def done(self) -> int:
        return sum(e.done for e in self.exercises)


# ── The handover letter ───────────────────────────────────────────────────────────────────

ESCALATING: Final[tuple[str, ...]] = ("emergency", "urgent", "soon")


@dataclass(frozen=True)
class Handover:
    """The one-page letter: the flag first, then timeline, history, medicines, not asked."""

    words: ReportWords
    made_on: date
    level: str
    level_title: str
    level_summary: str
    flags: tuple[RaisedFlag, ...]
    person: tuple[Fact, ...]
    timeline: tuple[Fact, ...]
    history: tuple[Fact, ...]
    medicines: tuple[str, ...] | None
    """None: the person was not asked or skipped; (): they said none."""
    not_asked: tuple[str, ...]


ONE_OF: Final = re.compile(r"(?<![\d.])1 (day|week|hour|month|year|page|set|time)s\b")
"""A count of one followed by a plural ("1 days"): the data files say "{days} days"."""


def fill(template: str, values: Mapping[str, object]) -> str:
    """A data-file text with {names} filled in ("1 days" reads "1 day")."""
    return ONE_OF.sub(r"1 \1", template.format_map({k: str(v) for k, v in values.items()}))
