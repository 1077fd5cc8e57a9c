"""/api/v1/shoes: the pairs, adding a pair, and dated wear checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from kneecoach.services import shoes as shoe_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["shoes"], responses=ERROR_RESPONSES)


class NewPair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(examples=["Trail runners"])
    type: str = "other"
    brand: str | None = None
    model: str | None = None
    start_date: dt.date | None = None
    start_km: float = 0.0
    default_for: list[str] = []


class WearCheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, bool] = Field(description="Every wear sign id: true when present")
    date: dt.date | None = None


@router.get("/shoes")
def list_shoes(include_retired: bool = False, *, session: SessionDep) -> dict[str, Any]:
    today = dt.date.today()
    pairs = shoe_service.list_shoes(today=today, include_retired=include_retired, session=session)
    return {"shoes": [overview.to_json() for overview in pairs]}


@router.post("/shoes", status_code=201)
def add_pair(body: NewPair, *, session: SessionDep) -> dict[str, Any]:
    return shoe_service.add_pair(
        body.name,
        today=dt.date.today(),
        brand=body.brand,
        model=body.model,
        shoe_type=body.type,
        start_date=body.start_date,
        start_km=body.start_km,
        default_for=body.default_for,
        session=session,
    ).to_json()


@router.post("/shoes/{pair_id}/wear-check", status_code=201)
def wear_check(pair_id: str, body: WearCheckBody, *, session: SessionDep) -> dict[str, Any]:
    today = dt.date.today()
    return shoe_service.record_wear_check(
        pair_id, body.answers, on=body.date or today, today=today, session=session
    ).to_json()
