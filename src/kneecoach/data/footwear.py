"""The footwear knowledge file: replacement thresholds, wear signs, advice, each with its source."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.shoes import Messages, Thresholds
from kneecoach.data.files import read_yaml

FILE = "footwear.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Entry):
    """Every item says where it comes from: a cited source, and the basis when it is our choice."""

    source: str = Field(min_length=3)
    basis: Literal["product-decision"] | None = None


class DistanceRule(_Sourced):
    watch_from_km: float = Field(gt=0)
    replace_by_km: float = Field(gt=0)
    basis: Literal["product-decision"]

    @model_validator(mode="after")
    def _watch_before_replace(self) -> DistanceRule:
        if self.watch_from_km >= self.replace_by_km:
            raise ValueError("watch_from_km must be below replace_by_km")
        return self


class AgeRule(_Sourced):
    replace_after_months: int = Field(gt=0)
    basis: Literal["product-decision"]


class HonestNote(_Sourced):
    text: str


class Replacement(_Entry):
    distance: DistanceRule
    age: AgeRule
    honest_note: HonestNote


class Text(_Entry):
    text: str


class MessageTexts(_Entry):
    distance_watch: Text
    distance_replace: Text
    age_replace: Text
    wear_sign: Text
    ok: Text
    retired: Text


class LevelLabel(_Entry):
    id: Literal["ok", "watch", "replace"]
    label: str


class WearSign(_Sourced):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    question: str
    advice: str | None = None


class WearAdvice(_Sourced):
    advice: str


class WearAdviceSet(_Entry):
    any_sign: WearAdvice
    no_sign: WearAdvice


class SupportAdvice(_Sourced):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    advice: str


class Stride(_Sourced):
    walking_fraction_of_height: float = Field(gt=0.2, lt=0.7)
    default_m: float = Field(gt=0.3, lt=1.5)
    basis: Literal["product-decision"]


class Footwear(_Entry):
    version: str
    replacement: Replacement
    messages: MessageTexts
    levels: list[LevelLabel]
    wear_signs: list[WearSign] = Field(min_length=1)
    wear_advice: WearAdviceSet
    support_advice: list[SupportAdvice]
    stride: Stride

    @model_validator(mode="after")
    def _ids_are_unique_and_levels_complete(self) -> Footwear:
        for kind, ids in (
            ("wear sign", [sign.id for sign in self.wear_signs]),
            ("support advice", [item.id for item in self.support_advice]),
        ):
            doubled = {i for i in ids if ids.count(i) > 1}
            if doubled:
                raise ValueError(f"{kind} id used twice: {sorted(doubled)}")
        if {level.id for level in self.levels} != {"ok", "watch", "replace"}:
            raise ValueError("levels must label ok, watch and replace")
        return self

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            watch_from_km=self.replacement.distance.watch_from_km,
            replace_by_km=self.replacement.distance.replace_by_km,
            replace_after_months=self.replacement.age.replace_after_months,
        )

    @property
    def message_templates(self) -> Messages:
        m = self.messages
        return Messages(
            distance_watch=m.distance_watch.text,
            distance_replace=m.distance_replace.text,
            age_replace=m.age_replace.text,
            wear_sign=m.wear_sign.text,
            ok=m.ok.text,
            retired=m.retired.text,
        )

    @property
    def sign_names(self) -> dict[str, str]:
        return {sign.id: sign.name for sign in self.wear_signs}

    def level_label(self, level: str) -> str:
        return next(item.label for item in self.levels if item.id == level)


@cache
def load_footwear() -> Footwear:
    """Validated once per process; a broken file fails loudly with the field named."""
    try:
        return Footwear.model_validate(read_yaml(FILE))
    except ValidationError as error:
        raise ValueError(f"{FILE} is not valid: {error}") from error
