"""The KOOS family of outcome scores: answers in, subscale scores out, change judged against MIC.

Instruments are data (`kneecoach/data/instruments/*.yaml`); this module only holds the typed
shape they load into and the small scorer that walks them, so KOOS, KOOS-12 and KOOS JR share
one implementation (the awell-score "instrument as data" idea). Validated questionnaires are
scored exactly as published: a subscale is 100 − 25 × the mean of the answered items (KOOS
Scoring 2012), `None` when fewer than the minimum are answered, and there is never a total.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from kneecoach.core.errors import InputError

ItemCode = str
ScoreValue = float | int | None


def _codes(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{number}" for number in range(1, count + 1))


KOOS_CODES: tuple[ItemCode, ...] = (
    *_codes("S", 7),
    *_codes("P", 9),
    *_codes("A", 17),
    *_codes("SP", 5),
    *_codes("Q", 4),
)
"""The 42 official KOOS item codes (shared/spec/outcomes.md). KOOS-12 and KOOS JR reuse them."""

LOWEST_ANSWER = 0
HIGHEST_ANSWER = 4
_ALLOWED = f"a whole number from {LOWEST_ANSWER} to {HIGHEST_ANSWER}"
_CODE_RANGES = "S1–S7, P1–P9, A1–A17, SP1–SP5 or Q1–Q4"


@dataclass(frozen=True)
class Item:
    """One question: its official code, wording, and answer labels in 0 → 4 order."""

    code: ItemCode
    wording: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A block of questions that share a heading and an instruction on the form."""

    heading: str
    instruction: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Scale:
    """A separately scored scale: its items and how many must be answered for a score.

    `method` is "transformed_mean" (100 − 25 × mean of the answered items) or "sum" (the
    plain sum, used for the KOOS JR raw score).
    """

    id: str
    label: str
    items: tuple[ItemCode, ...]
    min_answered: int
    method: Literal["transformed_mean", "sum"] = "transformed_mean"


@dataclass(frozen=True)
class Summary:
    """A score made of other scores (KOOS-12 summary): their mean, only when all exist."""

    id: str
    label: str
    of: tuple[str, ...]


@dataclass(frozen=True)
class Conversion:
    """A published lookup table from one integer score to another (KOOS JR raw → interval)."""

    id: str
    label: str
    source_scale: str
    table: tuple[float, ...]


@dataclass(frozen=True)
class Threshold:
    """The minimal important change (MIC) shown for one scale, and where it comes from.

    `points` is None when the evidence gives no MIC for this scale; `note` then says so.
    `derived` marks a value borrowed from another instrument (KOOS-12 QOL uses KOOS QOL).
    """

    scale: str
    points: float | None
    population: str | None
    source: str | None
    derived: bool = False
    note: str | None = None


@dataclass(frozen=True)
class MeasurementError:
    """The smallest change one person's score must make to stand out from noise (MDC range)."""

    low: float
    high: float
    source: str
    note: str


@dataclass(frozen=True)
class Instrument:
    """A questionnaire as data: what to ask, how to score it, how to judge change."""

    id: str
    title: str
    version: str
    intro: str | None
    sections: tuple[Section, ...]
    scales: tuple[Scale, ...]
    summary: Summary | None = None
    conversion: Conversion | None = None
    thresholds: tuple[Threshold, ...] = ()
    measurement_error: MeasurementError | None = None
    score_note: str = ""
    help: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        """Every question in the order it is asked."""
        return tuple(item for section in self.sections for item in section.items)

    @property
    def score_ids(self) -> tuple[str, ...]:
        """The keys of `Scores.values`, in display order."""
        ids = [scale.id for scale in self.scales]
        if self.summary is not None:
            ids.append(self.summary.id)
        if self.conversion is not None:
            ids.append(self.conversion.id)
        return tuple(ids)

    def label_of(self, score_id: str) -> str:
        for scale in self.scales:
            if scale.id == score_id:
                return scale.label
        if self.summary is not None and self.summary.id == score_id:
            return self.summary.label
        if self.conversion is not None and self.conversion.id == score_id:
            return self.conversion.label
        raise KeyError(score_id)

    def threshold_for(self, score_id: str) -> Threshold | None:
        for threshold in self.thresholds:
            if threshold.scale == score_id:
                return threshold
        return None


@dataclass(frozen=True)
class Scores:
    """The scores of one set of answers. `values` holds None where no score can be given."""

    instrument: str
    values: Mapping[str, ScoreValue]
    answered: Mapping[str, int] = field(default_factory=dict)
    total_items: Mapping[str, int] = field(default_factory=dict)
    looked_up: frozenset[str] = frozenset()  # values read from a published table, kept as is

    def rounded(self) -> dict[str, ScoreValue]:
        """Scores as printed and stored: one decimal, half up; integers and table values as is."""
        return {
            key: value if key in self.looked_up else round_score(value)
            for key, value in self.values.items()
        }


def round_score(value: ScoreValue, places: int = 1) -> ScoreValue:
    """Round half up (41.65 → 41.7), unlike Python's round() which rounds half to even.

    Integers (the KOOS JR raw sum) and None pass through unchanged.
    """
    if value is None or isinstance(value, int):
        return value
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _describe(value: object) -> str:
    """The value as it appeared in the JSON file, so the person can find it."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def validate_answer(code: ItemCode, value: object) -> int:
    """One answer must be a JSON whole number 0–4 (not "2", not 2.0, not true, not null)."""
    field_name = f"answers.{code}"
    shown = _describe(value)
    if value is None:
        raise InputError(
            field_name, f"null is not an answer; give {_ALLOWED}, or leave {code} out if unanswered"
        )
    if isinstance(value, bool):
        raise InputError(field_name, f"{shown} is not an answer; give {_ALLOWED}")
    if isinstance(value, str):
        raise InputError(field_name, f"{shown} is text; give {_ALLOWED} without quotes")
    if isinstance(value, float) and value.is_integer():
        raise InputError(field_name, f"{shown} is not allowed; give {_ALLOWED} (write 2, not 2.0)")
    if isinstance(value, float):
        raise InputError(field_name, f"{shown} is not a whole number; give {_ALLOWED}")
    if not isinstance(value, int):
        raise InputError(field_name, f"{shown} is not allowed; give {_ALLOWED}")
    if not LOWEST_ANSWER <= value <= HIGHEST_ANSWER:
        raise InputError(field_name, f"{shown} is out of range; give {_ALLOWED}")
    return value


def validate_answers(raw: object, codes: Sequence[ItemCode] = KOOS_CODES) -> dict[ItemCode, int]:
    """Check a parsed answers document and return it as {code: 0–4}.

    Every key must be a KOOS code (any of the 42, for every instrument: a full KOOS answer file
    also scores as KOOS-12 and KOOS JR). An absent code is an unanswered item.
    """
    if not isinstance(raw, dict):
        kind = {list: "a list", str: "text", type(None): "null"}.get(type(raw), _describe(raw))
        raise InputError(
            "answers",
            f'must be a JSON object of item codes and answers, like {{"P1": 2}}; got {kind}',
        )
    known = set(codes)
    answers: dict[ItemCode, int] = {}
    for code, value in raw.items():
        if code not in known:
            raise InputError(
                f"answers.{code}",
                f"{_describe(code)} is not a KOOS item code; use {_CODE_RANGES}",
            )
        answers[code] = validate_answer(code, value)
    return answers


def _scale_score(scale: Scale, given: Sequence[int]) -> Fraction | int | None:
    if len(given) < scale.min_answered:
        return None
    if scale.method == "sum":
        return sum(given)
    return 100 - Fraction(25 * sum(given), len(given))


def score(instrument: Instrument, answers: Mapping[ItemCode, int]) -> Scores:
    """Score validated answers; codes the instrument does not use are ignored."""
    exact: dict[str, Fraction | int | None] = {}
    answered: dict[str, int] = {}
    for scale in instrument.scales:
        given = [answers[code] for code in scale.items if code in answers]
        answered[scale.id] = len(given)
        exact[scale.id] = _scale_score(scale, given)
    if instrument.summary is not None:
        parts = [exact[part] for part in instrument.summary.of]
        exact[instrument.summary.id] = (
            None
            if any(p is None for p in parts)
            else Fraction(sum(p for p in parts if p is not None), len(parts))
        )
    values: dict[str, ScoreValue] = {
        key: value if value is None or isinstance(value, int) else float(value)
        for key, value in exact.items()
    }
    if instrument.conversion is not None:
        raw = exact[instrument.conversion.source_scale]
        values[instrument.conversion.id] = (
            None if raw is None else instrument.conversion.table[int(raw)]
        )
    totals = {scale.id: len(scale.items) for scale in instrument.scales}
    looked_up = frozenset({instrument.conversion.id} if instrument.conversion else ())
    return Scores(instrument.id, values, answered, totals, looked_up)


# --- change over time --------------------------------------------------------------------

Verdict = Literal["improved", "worse", "below_mic", "no_mic", "not_computable"]


@dataclass(frozen=True)
class Change:
    """How one score moved from the first result, and whether that is an important change."""

    scale: str
    first: ScoreValue
    latest: ScoreValue
    points: float | None
    verdict: Verdict
    may_be_noise: bool | None


def change_between(first: ScoreValue, latest: ScoreValue) -> float | None:
    """latest − first on the printed (one-decimal) scores, exact in decimal: 53.3 − 41.7 = 11.6."""
    if first is None or latest is None:
        return None
    return float(Decimal(repr(latest)) - Decimal(repr(first)))


def judge_change(
    points: float | None, threshold: Threshold | None, higher_is_better: bool = True
) -> Verdict:
    """Compare a change with the MIC: reaching it (≥) counts as an important change."""
    if points is None:
        return "not_computable"
    if threshold is None or threshold.points is None:
        return "no_mic"
    better = points if higher_is_better else -points
    if better >= threshold.points:
        return "improved"
    if -better >= threshold.points:
        return "worse"
    return "below_mic"


def changes_from_first(
    instrument: Instrument,
    first: Mapping[str, ScoreValue],
    latest: Mapping[str, ScoreValue],
) -> tuple[Change, ...]:
    """The change of every score from the first result to a later one, each judged against MIC.

    The KOOS JR raw score is left out: it runs the other way (higher = worse) and its interval
    score says the same thing on a 0–100 scale.
    """
    error = instrument.measurement_error
    changes = []
    for score_id in instrument.score_ids:
        if instrument.conversion is not None and score_id == instrument.conversion.source_scale:
            continue
        points = change_between(first.get(score_id), latest.get(score_id))
        noise = None if points is None or error is None else abs(points) < error.high
        changes.append(
            Change(
                scale=score_id,
                first=first.get(score_id),
                latest=latest.get(score_id),
                points=points,
                verdict=judge_change(points, instrument.threshold_for(score_id)),
                may_be_noise=noise,
            )
        )
    return tuple(changes)
