"""The KOOS family as data: `instruments/*.yaml` validated and turned into core `Instrument`s.

koos.yaml is the item bank (the 42 official codes with their wording and answer labels);
koos12.yaml and koosjr.yaml pick items from it by code. Everything is checked at load, so a
typo in a data file fails the first test, not a person's questionnaire.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecoach.core.outcomes import (
    HIGHEST_ANSWER,
    KOOS_CODES,
    Conversion,
    Instrument,
    Item,
    MeasurementError,
    Scale,
    Section,
    Summary,
    Threshold,
)
from kneecoach.data.files import read_yaml

INSTRUMENT_IDS: tuple[str, ...] = ("koos", "koos12", "koosjr")
ITEM_BANK = "koos"
TABLE_LENGTH = 29  # KOOS JR raw sums 0..28

Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemEntry(_Model):
    code: Text
    wording: Text | None = None
    answers: Text | None = None


class SectionEntry(_Model):
    """A section: its own heading and instruction (item bank) or one borrowed `from` the bank."""

    id: Text | None = None
    from_: Text | None = Field(default=None, alias="from")
    heading: Text | None = None
    wording: Text | None = None
    items: list[ItemEntry | Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _either_own_or_borrowed(self) -> SectionEntry:
        if self.from_ is None and (self.id is None or self.heading is None):
            raise ValueError("a section needs `id` and `heading`, or `from` naming a KOOS section")
        if self.from_ is not None and (self.heading is not None or self.wording is not None):
            raise ValueError("a borrowed section (`from`) takes its heading and wording from KOOS")
        return self

    def codes(self) -> list[str]:
        return [entry if isinstance(entry, str) else entry.code for entry in self.items]


class ScaleEntry(_Model):
    id: Text
    label: Text
    items: list[Text] = Field(min_length=1)
    min_answered: int = Field(ge=1)
    method: Literal["transformed_mean", "sum"] = "transformed_mean"
    source: Text


class SummaryEntry(_Model):
    id: Text
    label: Text
    of: list[Text] = Field(min_length=2)
    source: Text


class ConversionEntry(_Model):
    id: Text
    label: Text
    from_scale: Text
    source: Text
    table: list[float]

    @model_validator(mode="after")
    def _table_is_monotone(self) -> ConversionEntry:
        if len(self.table) != TABLE_LENGTH:
            raise ValueError(
                f"table must have {TABLE_LENGTH} values (raw 0..28), has {len(self.table)}"
            )
        if any(
            later >= earlier for earlier, later in zip(self.table, self.table[1:], strict=False)
        ):
            raise ValueError("table values must be strictly decreasing")
        if not (self.table[0] == 100 and self.table[-1] == 0):
            raise ValueError("table must run from 100 down to 0")
        return self


class PopulationEntry(_Model):
    id: Text
    label: Text
    study: Text
    source: Text
    points: dict[str, Annotated[float, Field(gt=0, le=100)]] = Field(min_length=1)


class ScaleChangeEntry(_Model):
    """For a short form: borrow a KOOS threshold (DERIVED), or say there is none."""

    from_instrument: Text | None = None
    from_scale: Text | None = None
    message: Text | None = None

    @model_validator(mode="after")
    def _borrow_or_explain(self) -> ScaleChangeEntry:
        borrowed = self.from_instrument is not None and self.from_scale is not None
        if borrowed == (self.message is not None):
            raise ValueError("give either from_instrument + from_scale, or a message")
        return self


class ImportantChangeEntry(_Model):
    default: Text | None = None
    populations: list[PopulationEntry] = Field(default_factory=list)
    scales: dict[str, ScaleChangeEntry] = Field(default_factory=dict)


class MeasurementErrorEntry(_Model):
    low: float = Field(gt=0)
    high: float = Field(gt=0)
    source: Text
    message: Text


class InstrumentFile(_Model):
    version: int
    id: Text
    title: Text
    instrument_version: Annotated[str, Field(min_length=1, max_length=64)]  # the DB column
    help: Text
    sources: list[Text] = Field(min_length=1)
    explanation: Text
    item_bank: Text | None = None
    code_mapping: Literal["DERIVED"] | None = None
    wording: Text | None = None
    answer_sets: dict[str, list[Text]] = Field(default_factory=dict)
    sections: list[SectionEntry] = Field(min_length=1)
    scales: list[ScaleEntry] = Field(min_length=1)
    summary_score: SummaryEntry | None = None
    conversion: ConversionEntry | None = None
    important_change: ImportantChangeEntry
    measurement_error: MeasurementErrorEntry | None = None


@cache
def instrument_file(instrument_id: str) -> InstrumentFile:
    """The validated YAML of one instrument (cached: the files never change while running)."""
    if instrument_id not in INSTRUMENT_IDS:
        raise KeyError(instrument_id)
    return InstrumentFile.model_validate(read_yaml(f"instruments/{instrument_id}.yaml"))


def _check(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise ValueError(f"instruments/{where}: {problem}")


@cache
def item_bank() -> dict[str, tuple[Item, str]]:
    """The 42 KOOS items by code, each with the id of the KOOS section it sits in."""
    bank = instrument_file(ITEM_BANK)
    where = f"{ITEM_BANK}.yaml"
    for name, answer_labels in bank.answer_sets.items():
        _check(len(answer_labels) == HIGHEST_ANSWER + 1, where, f"answer set {name}: 5 labels")
    items: dict[str, tuple[Item, str]] = {}
    for section in bank.sections:
        _check(section.id is not None and section.from_ is None, where, "sections need an id")
        for entry in section.items:
            _check(isinstance(entry, ItemEntry), where, f"{entry}: give code, answers, wording")
            assert isinstance(entry, ItemEntry)
            _check(entry.code not in items, where, f"{entry.code} appears twice")
            _check(entry.wording is not None, where, f"{entry.code} has no wording")
            _check(entry.answers in bank.answer_sets, where, f"{entry.code}: unknown answers set")
            labels = tuple(bank.answer_sets[str(entry.answers)])
            items[entry.code] = (Item(entry.code, str(entry.wording), labels), str(section.id))
    _check(
        tuple(items) == KOOS_CODES,
        where,
        f"the items must be the 42 KOOS codes in order; got {', '.join(items)}",
    )
    return items


def _sections(file: InstrumentFile) -> tuple[Section, ...]:
    bank_file = instrument_file(ITEM_BANK)
    bank_sections = {section.id: section for section in bank_file.sections}
    items = item_bank()
    where = f"{file.id}.yaml"
    sections = []
    for entry in file.sections:
        source = entry
        if entry.from_ is not None:
            _check(entry.from_ in bank_sections, where, f"no KOOS section {entry.from_!r}")
            source = bank_sections[entry.from_]
        questions = []
        for item_entry in entry.items:
            code = item_entry if isinstance(item_entry, str) else item_entry.code
            _check(code in items, where, f"{code} is not a KOOS item code")
            item, _home = items[code]
            if isinstance(item_entry, ItemEntry) and item_entry.wording and file.id != ITEM_BANK:
                _check(item_entry.answers is None, where, f"{code}: answers come from KOOS")
                item = Item(code, item_entry.wording, item.labels)
            questions.append(item)
        sections.append(Section(str(source.heading), source.wording, tuple(questions)))
    return tuple(sections)


def _thresholds(file: InstrumentFile, score_ids: list[str]) -> tuple[Threshold, ...]:
    where = f"{file.id}.yaml"
    change = file.important_change
    populations = {population.id: population for population in change.populations}
    for population in change.populations:
        for scale in population.points:
            _check(scale in score_ids, where, f"MIC row {population.id}: no scale {scale!r}")
    thresholds: list[Threshold] = []
    default = None
    if change.default is not None:
        _check(change.default in populations, where, f"no MIC population {change.default!r}")
        default = populations[change.default]
    for score_id in score_ids:
        special = change.scales.get(score_id)
        if special is not None and special.from_instrument is not None:
            borrowed = load_instrument(special.from_instrument).threshold_for(
                str(special.from_scale)
            )
            _check(borrowed is not None, where, f"{score_id}: nothing to borrow")
            assert borrowed is not None
            thresholds.append(
                Threshold(
                    score_id,
                    borrowed.points,
                    borrowed.population,
                    borrowed.source,
                    derived=True,
                    note="borrowed from the KOOS score with the same questions (derived)",
                )
            )
        elif special is not None:
            thresholds.append(Threshold(score_id, None, None, None, note=special.message))
        elif default is not None and score_id in default.points:
            thresholds.append(
                Threshold(score_id, default.points[score_id], default.label, default.source)
            )
        else:
            _check(False, where, f"no minimal important change entry for {score_id!r}")
    for score_id in change.scales:
        _check(score_id in score_ids, where, f"important_change names unknown scale {score_id!r}")
    return tuple(thresholds)


def _build(file: InstrumentFile) -> Instrument:
    where = f"{file.id}.yaml"
    _check(file.id in INSTRUMENT_IDS, where, f"unknown instrument id {file.id!r}")
    _check((file.item_bank is None) == (file.id == ITEM_BANK), where, "item_bank must be koos")
    sections = _sections(file)
    asked = [item.code for section in sections for item in section.items]
    _check(len(asked) == len(set(asked)), where, "an item is asked twice")
    scales = []
    for entry in file.scales:
        _check(len(entry.items) == len(set(entry.items)), where, f"{entry.id}: repeated item")
        for code in entry.items:
            _check(code in asked, where, f"scale {entry.id}: item {code} is never asked")
        _check(entry.min_answered <= len(entry.items), where, f"{entry.id}: min too high")
        scales.append(
            Scale(entry.id, entry.label, tuple(entry.items), entry.min_answered, entry.method)
        )
    scale_ids = [scale.id for scale in scales]
    _check(set(asked) == {c for s in scales for c in s.items}, where, "an asked item is unscored")
    summary = None
    if file.summary_score is not None:
        for part in file.summary_score.of:
            _check(part in scale_ids, where, f"summary: no scale {part!r}")
        summary = Summary(
            file.summary_score.id, file.summary_score.label, tuple(file.summary_score.of)
        )
    conversion = None
    if file.conversion is not None:
        source = next((s for s in scales if s.id == file.conversion.from_scale), None)
        _check(source is not None and source.method == "sum", where, "conversion needs a sum scale")
        assert source is not None
        _check(len(source.items) * HIGHEST_ANSWER + 1 == TABLE_LENGTH, where, "table size")
        conversion = Conversion(
            file.conversion.id,
            file.conversion.label,
            file.conversion.from_scale,
            tuple(file.conversion.table),
        )
    score_ids = [*scale_ids]
    if summary is not None:
        score_ids.append(summary.id)
    if conversion is not None:
        score_ids.append(conversion.id)
    _check(len(score_ids) == len(set(score_ids)), where, "score ids must be unique")
    _check("total" not in score_ids, where, "KOOS has no total score")
    error = None
    if file.measurement_error is not None:
        e = file.measurement_error
        _check(e.low <= e.high, where, "measurement_error: low above high")
        error = MeasurementError(e.low, e.high, e.source, e.message)
    return Instrument(
        id=file.id,
        title=file.title,
        version=file.instrument_version,
        intro=file.wording,
        sections=sections,
        scales=tuple(scales),
        summary=summary,
        conversion=conversion,
        thresholds=_thresholds(file, score_ids),
        measurement_error=error,
        score_note=file.explanation,
        help=file.help,
    )


@cache
def load_instrument(instrument_id: str) -> Instrument:
    """One instrument, validated and built once per process."""
    return _build(instrument_file(instrument_id))


def load_instruments() -> tuple[Instrument, ...]:
    return tuple(load_instrument(instrument_id) for instrument_id in INSTRUMENT_IDS)
