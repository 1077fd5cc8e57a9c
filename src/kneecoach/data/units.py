"""The units shown until a person chooses (data/units.yaml): by country, else the default."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kneecoach.core.units import Units
from kneecoach.data.files import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitsEntry(_Strict):
    distance: Literal["km", "miles"]
    weight: Literal["kg", "lb"]
    paper: Literal["a4", "letter"]
    basis: Literal["product-decision", "published"]
    source: str = Field(min_length=10)

    def units(self) -> Units:
        return Units(distance=self.distance, weight=self.weight, paper=self.paper)


class UnitsFile(_Strict):
    version: int
    default: UnitsEntry
    countries: dict[str, UnitsEntry]


@cache
def load_units() -> UnitsFile:
    return UnitsFile.model_validate(read_yaml("units.yaml"))


def units_for_country(code: str | None) -> Units:
    """The units a person in this country (ISO 3166 alpha-2) most likely expects."""
    file = load_units()
    entry = file.countries.get((code or "").upper(), file.default)
    return entry.units()
