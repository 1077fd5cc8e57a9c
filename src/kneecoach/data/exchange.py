"""The exchange formats' knowledge: LOINC codes with their display names and the sources
checked (`exchange.yaml`), kneecoach's code system for check-in signs, and when calendar
reminders are set (`calendar.yaml`)."""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kneecoach.data.files import read_yaml

EXCHANGE_FILE = "exchange.yaml"
CALENDAR_FILE = "calendar.yaml"

LOINC_CODE = re.compile(r"^\d{1,7}-\d$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoincCode(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
    code: str
    display: str = Field(min_length=3)
    source: str = Field(min_length=10)

    @field_validator("code")
    @classmethod
    def _loinc_check_digit(cls, code: str) -> str:
        """A LOINC code ends in a mod-10 check digit: a typo in the file fails at load."""
        if not LOINC_CODE.match(code):
            raise ValueError(f"{code!r} is not shaped like a LOINC code (12345-6)")
        body, check = code.split("-")
        if loinc_check_digit(body) != int(check):
            raise ValueError(f"{code!r}: the check digit does not match")
        return code


def loinc_check_digit(body: str) -> int:
    """LOINC's Mod 10 check digit (the Luhn scheme over the digits before the hyphen)."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


class Loinc(_Strict):
    system: Literal["http://loinc.org"]
    checked_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    codes: tuple[LoincCode, ...] = Field(min_length=1)


class Unit(_Strict):
    code: str
    unit: str


class Concept(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    display: str = Field(min_length=3)
    kind: Literal["score", "minutes", "yes_no", "steps"]


class CodeSystemEntry(_Strict):
    url: str = Field(min_length=8)
    name: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$")
    basis: Literal["product-decision"]
    reason: str = Field(min_length=10)
    concepts: tuple[Concept, ...] = Field(min_length=1)


class ExchangeFile(_Strict):
    version: int
    loinc: Loinc
    score_unit: Unit
    code_system: CodeSystemEntry


@cache
def exchange_codes() -> ExchangeFile:
    """`exchange.yaml`, validated; keys and codes must be unique."""
    parsed = ExchangeFile.model_validate(read_yaml(EXCHANGE_FILE))
    for what, values in (
        ("LOINC keys", [c.key for c in parsed.loinc.codes]),
        ("LOINC codes", [c.code for c in parsed.loinc.codes]),
        ("concept codes", [c.code for c in parsed.code_system.concepts]),
    ):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(f"{EXCHANGE_FILE}: {what} used twice: {twice}")
    return parsed


def loinc(key: str) -> LoincCode | None:
    """The LOINC code kneecoach uses for `key` (`koos.pain`, `checkin.pain`), if any."""
    return next((c for c in exchange_codes().loinc.codes if c.key == key), None)


class Reminder(_Strict):
    at: time
    minutes: int = Field(ge=1, le=240)
    remind_before_min: int = Field(ge=0, le=24 * 60)
    title: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1)


class QuestionnaireReminder(Reminder):
    every_days: int = Field(ge=7, le=120)
    repeats: int = Field(ge=1, le=24)


class CalendarFile(_Strict):
    version: int
    basis: Literal["product-decision"]
    reason: str = Field(min_length=10)
    weeks: int = Field(ge=1, le=52)
    sessions: Reminder
    lessons: Reminder
    questionnaire: QuestionnaireReminder


@cache
def calendar_settings() -> CalendarFile:
    """`calendar.yaml`, validated."""
    return CalendarFile.model_validate(read_yaml(CALENDAR_FILE))
