"""/api/v1/settings: the units kneecoach shows (km or miles, kg or lb, A4 or Letter).

The API itself always speaks km and kg (`start_km`, `distance_km`); the units are the
person's choice for what a client shows and asks for, so every client shows the same.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from kneecoach.services import units as unit_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["settings"], responses=ERROR_RESPONSES)

Kind = Literal["distance", "weight", "paper"]


class UnitsPublic(BaseModel):
    """The units in force; `chosen` lists those the person chose (the rest follow the
    country: US miles, lb and Letter; elsewhere mostly km, kg and A4)."""

    distance: Literal["km", "miles"]
    weight: Literal["kg", "lb"]
    paper: Literal["a4", "letter"]
    chosen: list[Kind]


class UnitsChange(BaseModel):
    """The units to choose; a unit left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    distance: str | None = Field(default=None, description="km or miles", examples=["miles"])
    weight: str | None = Field(default=None, description="kg or lb", examples=["lb"])
    paper: str | None = Field(default=None, description="a4 or letter", examples=["letter"])


class SettingsPublic(BaseModel):
    country: str | None = Field(description="ISO 3166 alpha-2 code, 'other', or null")
    units: UnitsPublic


@router.get("/settings", response_model=SettingsPublic)
def read_settings(*, session: SessionDep) -> SettingsPublic:
    setting = unit_service.current_units(session=session)
    return SettingsPublic(
        country=setting.country, units=UnitsPublic.model_validate(setting.as_json())
    )


@router.put("/settings/units", response_model=UnitsPublic)
def change_units(body: UnitsChange, *, session: SessionDep) -> UnitsPublic:
    """Choose units; every bad value is named in one 422 and nothing changes."""
    setting = unit_service.set_units(body.distance, body.weight, body.paper, session=session)
    return UnitsPublic.model_validate(setting.as_json())
