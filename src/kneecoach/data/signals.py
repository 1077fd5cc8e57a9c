"""Loads `signals.yaml`: every detector's thresholds and words, validated once, cached."""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.checkins import COLUMNS, FLAG_COLUMNS, RULES_BY_COLUMN
from kneecoach.core.intake import answer_paths
from kneecoach.core.safety_stop import StopWords
from kneecoach.core.signals.alerts import Level
from kneecoach.core.signals.thresholds import (
    Ceiling,
    CountLevel,
    EventThresholds,
    FlareThresholds,
    RedFlagThresholds,
    RiseLevel,
    RisingThresholds,
    SignalThresholds,
    Texts,
    Windows,
)
from kneecoach.data.files import read_yaml

FILE = "signals.yaml"

LevelName = Literal["watch", "act", "see_professional"]

RISING_FIELDS = frozenset({"recent", "usual", "rise", "days", "window", "baseline_days"})
CEILING_FIELDS = frozenset({"median", "days", "above", "usual"})
EVENT_FIELDS = frozenset({"what", "days", "answered", "usual_days", "usual_answered"})
FLARE_FIELDS = frozenset({"pain", "average", "days", "usual", "rise", "since", "weeks"})
RED_FLAG_FIELDS = frozenset({"titles", "answers"})


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _check_template(template: str, allowed: frozenset[str], where: str) -> None:
    unknown = _placeholders(template) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown placeholders {sorted(unknown)}; use {sorted(allowed)}")


class Sourced(_Entry):
    source: str | None = None
    basis: Literal["product-decision"] | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> Sourced:
        if not (self.source or self.basis):
            raise ValueError("each entry needs a `source` or `basis: product-decision`")
        return self


class LevelEntry(_Entry):
    label: str
    text: str


class RiseEntry(_Entry):
    rise: float = Field(gt=0)
    spreads: float = Field(ge=0)


class CeilingEntry(Sourced):
    level: LevelName
    above: float = Field(gt=0)
    days: int = Field(gt=0)
    min_days: int = Field(gt=0)
    message: str


class RisingEntry(Sourced):
    title: str
    column: str
    recent_days: int = Field(gt=0)
    min_recent: int = Field(gt=0)
    baseline_days: int = Field(gt=0)
    min_baseline: int = Field(gt=1)
    center: Literal["median", "mean"]
    spread_floor: float = Field(gt=0)
    levels: dict[LevelName, RiseEntry]
    calm_days: int = Field(gt=0)
    message: str
    advice: dict[LevelName, str]
    ceiling: CeilingEntry | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RisingEntry:
        if self.column not in COLUMNS[1:]:
            raise ValueError(f"column {self.column!r} is not a check-in column")
        if self.min_recent > self.recent_days or self.min_baseline > self.baseline_days:
            raise ValueError("a minimum number of days is larger than its window")
        _check_template(self.message, RISING_FIELDS, "message")
        if self.ceiling is not None:
            _check_template(self.ceiling.message, CEILING_FIELDS, "ceiling.message")
        return self


class CountEntry(_Entry):
    min_days: int = Field(gt=0)
    chance: float = Field(gt=0, lt=1)
    rate_floor: float = Field(ge=0, lt=1)


class EventEntry(Sourced):
    title: str
    columns: list[str] = Field(min_length=1)
    labels: dict[str, str] = {}
    recent_days: int = Field(gt=0)
    min_recent: int = Field(gt=0)
    baseline_days: int = Field(gt=0)
    min_baseline: int = Field(gt=0)
    levels: dict[LevelName, CountEntry]
    calm_days: int = Field(gt=0)
    message: str
    advice: dict[LevelName, str]

    @model_validator(mode="after")
    def _consistent(self) -> EventEntry:
        for column in [*self.columns, *self.labels]:
            if column not in FLAG_COLUMNS:
                raise ValueError(f"column {column!r} is not a yes/no check-in column")
        if self.min_recent > self.recent_days or self.min_baseline > self.baseline_days:
            raise ValueError("a minimum number of days is larger than its window")
        _check_template(self.message, EVENT_FIELDS, "message")
        return self


class FlareEntry(Sourced):
    title: str
    baseline_days: int = Field(gt=0)
    min_baseline: int = Field(gt=1)
    rise_points: float = Field(gt=0)
    rise_fraction: float = Field(gt=0)
    min_rise_points: float = Field(gt=0)
    spreads: float = Field(ge=0)
    spread_floor: float = Field(ge=0)
    max_usual_share: float = Field(ge=0, lt=1)
    max_gap_days: int = Field(gt=0)
    lasting_days: int = Field(gt=0)
    calm_days: int = Field(gt=0)
    not_settling_days: int = Field(gt=0)
    message: str
    not_settling_message: str
    advice: dict[LevelName, str]

    @model_validator(mode="after")
    def _templates(self) -> FlareEntry:
        _check_template(self.message, FLARE_FIELDS, "message")
        _check_template(self.not_settling_message, FLARE_FIELDS, "not_settling_message")
        return self


class StopEntry(_Entry):
    title: str
    text: str
    kept: str

    @model_validator(mode="after")
    def _template(self) -> StopEntry:
        _check_template(self.text, frozenset({"since"}), "stop.text")
        return self


class CautionEntry(_Entry):
    title: str
    message: str
    why_text: str


class RedFlagEntry(Sourced):
    title: str
    facts: dict[str, str]
    escalating_levels: list[Literal["emergency", "urgent", "soon"]] = Field(min_length=1)
    message: str
    advice: dict[LevelName, str]
    said: dict[str, dict[str, str]]
    stop: StopEntry
    caution: CautionEntry

    @model_validator(mode="after")
    def _paths_exist(self) -> RedFlagEntry:
        paths = answer_paths()
        for column, path in self.facts.items():
            if column not in COLUMNS[1:]:
                raise ValueError(f"facts: {column!r} is not a check-in column")
            if path not in paths:
                raise ValueError(f"facts.{column}: {path!r} is not an intake answer path")
            missing = sorted(_answers_of(column) - set(self.said.get(column, {})))
            if missing:
                raise ValueError(f"said.{column}: no words for the answers {missing}")
        _check_template(self.message, RED_FLAG_FIELDS, "message")
        return self


def _answers_of(column: str) -> set[str]:
    """Every answer a red-flag column can hold, as `said` keys it: "yes"/"no" or each number."""
    rule = RULES_BY_COLUMN[column]
    if rule.kind == "flag":
        return {"yes", "no"}
    low, high = int(rule.low or 0), int(rule.high or 0)
    return {str(n) for n in range(low, high + 1)}


class LabelEntry(_Entry):
    label: str


class TextEntry(_Entry):
    text: str


INSIGHT_FIELDS = frozenset(
    {"symptom", "factor", "with_mean", "with_days", "without_mean", "without_days", "difference"}
)


class InsightsEntry(Sourced):
    title: str
    min_days: int = Field(ge=1)
    notable: dict[Literal["pain", "swelling", "stiffness_min"], float]
    none_notable: TextEntry
    caution: TextEntry
    factors: dict[Literal["exercise", "steps_high", "shoe", "factor"], LabelEntry]
    symptoms: dict[Literal["pain", "swelling", "stiffness_min"], LabelEntry]
    lines: dict[Literal["same_day", "next_day"], TextEntry]

    @model_validator(mode="after")
    def _complete(self) -> InsightsEntry:
        if len(self.factors) < 4 or len(self.symptoms) < 3 or len(self.lines) < 2:
            raise ValueError("every factor kind, symptom and line needs its words")
        for key, line in self.lines.items():
            _check_template(line.text, INSIGHT_FIELDS, f"lines.{key}")
        for kind, factor in self.factors.items():
            _check_template(factor.label, frozenset({"detail"}), f"factors.{kind}")
        return self

    def factor_label(self, factor: str, detail: str) -> str:
        kind = factor.split(":", 1)[0]
        return self.factors[kind].label.format(detail=detail.replace("_", " "))  # type: ignore[index]


class QuestionEntry(_Entry):
    question: str


class DayViewEntry(_Entry):
    days: int = Field(ge=60, le=3650)
    basis: Literal["product-decision"]
    note: str = Field(min_length=1)


class SignalsFile(_Entry):
    version: str
    day_view: DayViewEntry
    levels: dict[LevelName, LevelEntry]
    rising: dict[str, RisingEntry]
    events: dict[str, EventEntry]
    pain_flare: FlareEntry
    red_flag: RedFlagEntry
    insights: InsightsEntry
    checkin_questions: dict[str, QuestionEntry]

    @model_validator(mode="after")
    def _questions_cover_the_columns(self) -> SignalsFile:
        if list(self.checkin_questions) != list(COLUMNS[1:]):
            raise ValueError(f"checkin_questions must ask, in order: {', '.join(COLUMNS[1:])}")
        return self


def _texts(message: str, advice: Mapping[LevelName, str]) -> Texts:
    return Texts(
        message=" ".join(message.split()),
        advice={Level.named(k): " ".join(v.split()) for k, v in advice.items()},
    )


def _windows(entry: RisingEntry | EventEntry) -> Windows:
    return Windows(entry.recent_days, entry.min_recent, entry.baseline_days, entry.min_baseline)


def build_thresholds(parsed: SignalsFile) -> SignalThresholds:
    """Turn the validated file into the core's typed thresholds."""
    rising = {
        detector_id: RisingThresholds(
            column=entry.column,
            windows=_windows(entry),
            center=entry.center,
            spread_floor=entry.spread_floor,
            levels=tuple(
                RiseLevel(Level.named(name), step.rise, step.spreads)
                for name, step in entry.levels.items()
            ),
            calm_days=entry.calm_days,
            texts=_texts(entry.message, entry.advice),
            ceiling=None
            if entry.ceiling is None
            else Ceiling(
                Level.named(entry.ceiling.level),
                entry.ceiling.above,
                entry.ceiling.days,
                entry.ceiling.min_days,
                " ".join(entry.ceiling.message.split()),
            ),
        )
        for detector_id, entry in parsed.rising.items()
    }
    events = {
        detector_id: EventThresholds(
            columns=tuple(entry.columns),
            windows=_windows(entry),
            levels=tuple(
                CountLevel(Level.named(name), step.min_days, step.chance, step.rate_floor)
                for name, step in entry.levels.items()
            ),
            calm_days=entry.calm_days,
            texts=_texts(entry.message, entry.advice),
            labels=dict(entry.labels),
        )
        for detector_id, entry in parsed.events.items()
    }
    flare = parsed.pain_flare
    red = parsed.red_flag
    return SignalThresholds(
        day_view_days=parsed.day_view.days,
        rising=rising,
        events=events,
        flare=FlareThresholds(
            baseline_days=flare.baseline_days,
            min_baseline=flare.min_baseline,
            rise_points=flare.rise_points,
            rise_fraction=flare.rise_fraction,
            min_rise_points=flare.min_rise_points,
            spreads=flare.spreads,
            spread_floor=flare.spread_floor,
            max_usual_share=flare.max_usual_share,
            max_gap_days=flare.max_gap_days,
            lasting_days=flare.lasting_days,
            calm_days=flare.calm_days,
            not_settling_days=flare.not_settling_days,
            texts=_texts(flare.message, flare.advice),
            not_settling_message=" ".join(flare.not_settling_message.split()),
        ),
        red_flag=RedFlagThresholds(
            facts=dict(red.facts),
            escalating_levels=tuple(red.escalating_levels),
            texts=_texts(red.message, red.advice),
            said={column: dict(words) for column, words in red.said.items()},
        ),
    )


def parse_signals_file(raw: Any) -> SignalsFile:
    """Validate the raw YAML; a mistake names its place in the file."""
    try:
        return SignalsFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{FILE}: {where}: {first['msg']}") from None


@cache
def load_signals_file() -> SignalsFile:
    return parse_signals_file(read_yaml(FILE))


@cache
def load_signal_thresholds() -> SignalThresholds:
    """The detectors' thresholds from the packaged file, validated once per process."""
    return build_thresholds(load_signals_file())


def detector_titles() -> dict[str, str]:
    """The short title of each detector, for tables."""
    parsed = load_signals_file()
    titles = {key: entry.title for key, entry in parsed.rising.items()}
    titles.update({key: entry.title for key, entry in parsed.events.items()})
    titles["pain_flare"] = parsed.pain_flare.title
    titles["red_flag"] = parsed.red_flag.title
    return titles


def safety_stop_words() -> StopWords:
    """The words of a check-in's safety stop and caution (signals.yaml `red_flag.stop`)."""
    red = load_signals_file().red_flag
    return StopWords(
        stop_title=red.stop.title,
        stop_text=" ".join(red.stop.text.split()),
        kept=red.stop.kept,
        caution_title=red.caution.title,
        caution_message=" ".join(red.caution.message.split()),
        caution_why=red.caution.why_text,
    )


def insights_words() -> InsightsEntry:
    """The words and minimum days of "what helps or hurts"."""
    return load_signals_file().insights


def checkin_questions() -> dict[str, str]:
    """The daily check-in's question for each column, in the order they are asked."""
    return {k: v.question for k, v in load_signals_file().checkin_questions.items()}


def level_labels() -> dict[str, str]:
    return {name: entry.label for name, entry in load_signals_file().levels.items()}
