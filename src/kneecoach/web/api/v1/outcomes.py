"""/api/v1/outcomes: score KOOS, KOOS-12 and KOOS JR answers, save them, list saved results."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from kneecoach.services import outcomes
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.api.v1.schemas.paging import DatePageQuery
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["outcomes"], responses=ERROR_RESPONSES)

ScoreValue = float | int | None


class ScoreRequest(BaseModel):
    """Answers by official KOOS item code (0–4; 0 = no problem). Absent codes are unanswered."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(examples=[{"P1": 2, "P2": 1, "S6": 0}])
    save: bool = Field(False, description="Store the response as well as scoring it")
    date: dt.date | None = Field(None, description="Day answered (YYYY-MM-DD); today if absent")


class SavedRef(BaseModel):
    id: int
    answered_on: date


class ScoreResponse(BaseModel):
    instrument: str
    version: str
    scores: dict[str, ScoreValue]
    answered: dict[str, int]
    saved: SavedRef | None = None


class ResultOut(BaseModel):
    id: int
    answered_on: date
    version: str
    scores: dict[str, ScoreValue]
    answers: dict[str, int]


class ChangeOut(BaseModel):
    scale: str
    first: ScoreValue
    latest: ScoreValue
    points: float | None
    verdict: str
    may_be_noise: bool | None


class HistoryOut(BaseModel):
    instrument: str
    title: str
    results: list[ResultOut]
    latest_changes: list[ChangeOut] = Field(
        description="The newest result on this page: each score's change since the first ever"
    )
    saved: int = Field(description="How many results of this questionnaire are saved in all")
    next_before: date | None = Field(
        default=None,
        description="Send as `before` for the page of older days; null on the oldest page",
    )


class OutcomesQuery(DatePageQuery):
    """Each questionnaire's results on its `limit` latest days with results, before `before`."""

    instrument: str | None = Field(default=None, description="Only koos, koos12 or koosjr")


class HistoriesOut(BaseModel):
    outcomes: list[HistoryOut]


@router.post("/outcomes/{instrument}/score", response_model=ScoreResponse)
def score_answers(instrument: str, body: ScoreRequest, *, session: SessionDep) -> ScoreResponse:
    """Score one set of answers (and store them when `save` is true)."""
    scored = outcomes.score_answers(instrument, body.answers)
    saved = None
    if body.save:
        result = outcomes.save_answers(instrument, body.answers, body.date, session=session)
        saved = SavedRef(id=result.id, answered_on=result.answered_on)
    return ScoreResponse(
        instrument=scored.instrument.id,
        version=scored.instrument.version,
        scores=scored.scores.rounded(),
        answered=dict(scored.scores.answered),
        saved=saved,
    )


@router.get("/outcomes", response_model=HistoriesOut)
def list_outcomes(query: Annotated[OutcomesQuery, Query()], *, session: SessionDep) -> HistoriesOut:
    """Saved results by instrument, oldest first, with each score's change since the first:
    a page of the `limit` latest days with results (30 unless asked) of each questionnaire;
    its `next_before` asks for the page of older days."""
    return HistoriesOut(
        outcomes=[
            HistoryOut(
                instrument=history.instrument.id,
                title=history.instrument.title,
                results=[
                    ResultOut(
                        id=result.id,
                        answered_on=result.answered_on,
                        version=result.version,
                        scores=result.scores,
                        answers=result.answers,
                    )
                    for result in history.results
                ],
                latest_changes=[
                    ChangeOut(
                        scale=change.scale,
                        first=change.first,
                        latest=change.latest,
                        points=change.points,
                        verdict=change.verdict,
                        may_be_noise=change.may_be_noise,
                    )
                    for change in history.latest_changes
                ],
                saved=history.saved,
                next_before=history.next_before,
            )
            for history in outcomes.history_pages(
                query.instrument, query.limit, query.before, session=session
            )
        ]
    )
