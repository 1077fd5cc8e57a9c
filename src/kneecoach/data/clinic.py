"""Sharing with a clinician: the share code's shape, the limits and the words (clinic.yaml)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecoach.data.files import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    source: str
    basis: str | None = None


class ShareCode(Sourced):
    alphabet: str = Field(min_length=16)
    groups: int = Field(ge=1, le=6)
    group_length: int = Field(ge=2, le=8)
    lifetime_hours: int = Field(ge=1, le=24 * 14)

    @model_validator(mode="after")
    def _plain_letters(self) -> ShareCode:
        if len(set(self.alphabet)) != len(self.alphabet):
            raise ValueError("share_code.alphabet: a letter is written twice")
        if not self.alphabet.isalnum() or self.alphabet != self.alphabet.upper():
            raise ValueError("share_code.alphabet: only capital letters and digits")
        return self


class NoteLimits(Sourced):
    max_length: int = Field(ge=50, le=2000)  # the column holds 2000


class AdjustmentLimits(Sourced):
    reason_max_length: int = Field(ge=20, le=500)  # the column holds 500


class PanelOrder(Sourced):
    order: tuple[str, ...]
    alert_days: int = Field(ge=1, le=365)


class Said(_Strict):
    text: str


class Words(_Strict):
    changed_by: Said
    paused: Said
    wrong_code: Said
    note_empty: Said
    note_too_long: Said
    reason_missing: Said


class Clinic(_Strict):
    version: int
    share_code: ShareCode
    note: NoteLimits
    adjustment: AdjustmentLimits
    panel: PanelOrder
    words: Words


@cache
def load_clinic() -> Clinic:
    return Clinic.model_validate(read_yaml("clinic.yaml"))
