"""Check-in bodies and answers, generated from `core.checkins.COLUMN_RULES`.

A new column in the rules appears here, in the API and in its OpenAPI document (with its kind,
range and description) with no hand edit. Each answer is read by the core's own rule
(`parse_answer`), so `"pain": 11` fails with the same words as the form, the CLI and the CSV
import; the whole body then goes through `checkin_from_answers` (factor names, the date
window, the required answers).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from kneecoach.core.checkins import (
    COLUMN_RULES,
    FACTOR_KEY_PATTERN,
    FACTOR_PREFIX,
    FACTOR_RULE,
    ColumnRule,
    checked_day,
    factor_key,
    parse_answer,
)
from kneecoach.core.errors import InputError
from kneecoach.web.api.v1.schemas.common import left_out_when_unknown
from kneecoach.web.api.v1.schemas.paging import DatePageQuery
from kneecoach.web.errors import ANSWER_ERROR

REQUIRED = frozenset({"date", "pain"})
"""The answers a check-in cannot be stored without."""


CHECKIN_EXAMPLE = {"date": "2026-03-14", "pain": 3, "swelling": 1, "stiffness_min": 10}

_TYPES: dict[str, Any] = {
    "date": dt.date,
    "number": float,
    "integer": int,
    "flag": bool,
    "text": str,
}
_PUBLIC_TYPES: dict[str, Any] = {**_TYPES, "number": int | float}


def _factor_keys_schema(schema: dict[str, Any]) -> None:
    """The person's own factors: `factor:NAME` keys with a yes/no answer, nothing else."""
    schema["patternProperties"] = {
        FACTOR_KEY_PATTERN: {
            "anyOf": [{"type": "boolean"}, {"type": "null"}],
            "description": FACTOR_RULE.description + " (`factor:NAME`, as in the CSV)",
        }
    }
    schema["additionalProperties"] = False


def _factor_problems(data: Any) -> list[InitErrorDetails]:
    """Each `factor:NAME` key or answer the core's rules refuse, as a validation error."""
    if not isinstance(data, dict):
        return []
    problems: list[InitErrorDetails] = []
    for key, answer in data.items():
        if not isinstance(key, str) or not key.startswith(FACTOR_PREFIX):
            continue
        try:
            factor_key(key)
            parse_answer(key, answer)
        except InputError as error:
            custom = PydanticCustomError(ANSWER_ERROR, "{problem}", {"problem": error.problem})
            problems.append({"type": custom, "loc": (key,), "input": answer})
    return problems


def _again(detail: ErrorDetails) -> InitErrorDetails:
    """A reported error as one to raise again (a core rule's keeps its own words)."""
    kind: str | PydanticCustomError = detail["type"]
    if kind == ANSWER_ERROR:
        kind = PydanticCustomError(ANSWER_ERROR, "{problem}", {"problem": detail["msg"]})
    again: InitErrorDetails = {"type": kind, "loc": detail["loc"], "input": detail["input"]}
    if "ctx" in detail:
        again["ctx"] = detail["ctx"]
    return again


def _by_rule(column: str) -> BeforeValidator:
    def check(raw: object) -> object:
        try:
            if column == "date":  # the date window too, so every problem comes in one answer
                return checked_day(raw, today=dt.date.today())
            return parse_answer(column, raw)
        except InputError as error:
            raise PydanticCustomError(
                ANSWER_ERROR, "{problem}", {"problem": error.problem}
            ) from None

    return BeforeValidator(check)


def _range(rule: ColumnRule) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if rule.low is not None:
        bounds["minimum"] = rule.low
    if rule.high is not None:
        bounds["maximum"] = rule.high
    return bounds


def _create_field(rule: ColumnRule) -> Any:
    kind = _TYPES[rule.kind]
    typed = kind if rule.name in REQUIRED else kind | None
    default = ... if rule.name in REQUIRED else None
    return (
        Annotated[
            typed,
            _by_rule(rule.name),
            Field(description=rule.description, json_schema_extra=_range(rule) or None),
        ],
        default,
    )


def _public_field(rule: ColumnRule) -> Any:
    kind = _PUBLIC_TYPES[rule.kind]
    typed = kind if rule.name in REQUIRED else kind | None
    extra = _range(rule) or None
    if rule.name in REQUIRED:
        return (Annotated[typed, Field(description=rule.description, json_schema_extra=extra)], ...)
    return (typed, left_out_when_unknown(rule.description, json_schema_extra=extra))


VERSION_SEEN = (
    "The version of the day's check-in you read (0: there was none yet). If someone changed "
    "the day since, the answer is 409 and nothing is saved. Leave it out to merge "
    "(`merge=true`) or replace (`merge=false`) whatever is stored."
)
VERSION_STORED = "The check-in's version: 1 when first saved, one more with each change."


class _CheckInBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=_factor_keys_schema)

    version: int | None = Field(default=None, ge=0, description=VERSION_SEEN)

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """The columns' problems and the factors' (`factor:NAME` keys, read by the core's
        rule) in one answer, so a client fixes every answer at once."""
        factor_problems = _factor_problems(data)
        try:
            body = handler(data)
        except ValidationError as error:
            raise ValidationError.from_exception_data(
                cls.__name__, [*map(_again, error.errors()), *factor_problems]
            ) from None
        if factor_problems:
            raise ValidationError.from_exception_data(cls.__name__, factor_problems)
        return body

    def answers(self) -> dict[str, object]:
        """The answers given, by column name (factors as `factor:NAME`), for the core parser
        (which refuses any other key by name)."""
        return self.model_dump(exclude_unset=True, exclude={"version"})


CheckInCreate = create_model(
    "CheckInCreate",
    __base__=_CheckInBody,
    __doc__="One day's check-in: the CSV columns of shared/spec/checkins.md as keys, plus a "
    "`factor:NAME` key for each of the person's own yes/no factors, and optionally the "
    "`version` you read.",
    **{rule.name: _create_field(rule) for rule in COLUMN_RULES},
)


class _CheckInAnswer(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=_factor_keys_schema)


CheckInPublic = create_model(
    "CheckInPublic",
    __base__=_CheckInAnswer,
    __doc__="A stored check-in: only the answers known (factors as `factor:NAME`), and its "
    "version.",
    **{rule.name: _public_field(rule) for rule in COLUMN_RULES},
    version=(int, Field(ge=1, description=VERSION_STORED)),
)


class AlertPublic(BaseModel):
    """An alert of shared/spec/checkins.md (id, date, level, why) with kneecoach's extras."""

    id: str
    date: dt.date
    level: Literal["watch", "act", "see_professional"]
    why: str
    advice: str | None = left_out_when_unknown()
    value: float | None = left_out_when_unknown()
    baseline: float | None = left_out_when_unknown()
    flags: list[str] | None = left_out_when_unknown()


class AlertsPublic(BaseModel):
    alerts: list[AlertPublic]


class SafetyFlagPublic(BaseModel):
    id: str
    level: str
    title: str
    advice: str


class SafetyNoticePublic(BaseModel):
    """The red-flag message a check-in raised: the flag, since when, and the answers behind it."""

    flag: str
    level: str
    since: dt.date
    answers: list[str]
    title: str
    advice: str
    flags: list[SafetyFlagPublic]


class SafetyMessagePublic(BaseModel):
    """What a check-in's red flag means, in the intake's words: the level, each flag, the
    person's answers behind them, and whether it stops the plan."""

    level: str
    title: str
    summary: str
    advice: str
    answers: list[str]
    flags: list[SafetyFlagPublic]
    stopped: bool


class CheckInRecorded(BaseModel):
    """What recording a check-in did, its safety message, and where that day's alerts are."""

    status: Literal["added", "updated", "unchanged"]
    checkin: CheckInPublic
    alerts_url: str = Field(
        description="GET this for the trend alerts dated that day "
        "(`/api/v1/signals?first=DAY&last=DAY`)."
    )
    safety: SafetyMessagePublic | None = Field(
        description="The red-flag message the check-in raised (a stop or a caution), or null."
    )


class CheckInsQuery(DatePageQuery):
    """A page of the check-ins between two days (either open)."""

    first: dt.date | None = Field(default=None, description="Only days from this date on")
    last: dt.date | None = Field(default=None, description="Only days up to this date")


class CheckInsPublic(BaseModel):
    checkins: list[CheckInPublic]
    next_before: dt.date | None = Field(
        description="Pass as `before` for the page of older days (null: this is the oldest)"
    )


class InsightPublic(BaseModel):
    factor: str
    label: str
    symptom: str
    lag_days: int
    with_mean: float
    with_days: int
    without_mean: float
    without_days: int
    difference: float
    notable: bool
    text: str


class InsightsPublic(BaseModel):
    """Symptoms on days with and without each factor, biggest differences first."""

    caution: str
    min_days: int
    comparisons: list[InsightPublic]
    too_few_days: list[str]
    first: dt.date | None = Field(description="The first day compared (null: no check-ins)")
    last: dt.date | None = Field(description="The last day compared (null: no check-ins)")
