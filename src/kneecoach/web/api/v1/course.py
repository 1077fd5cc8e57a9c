"""/api/v1 course and goal: the sessions with progress, marking one done, the goal and its
weekly reviews. The same services as `kneecoach course` and `kneecoach goal`."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body, Response

from kneecoach.services import course as course_service
from kneecoach.services import goal as goal_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.api.v1.schemas.course import (
    CourseDoneCreate,
    CoursePublic,
    CourseSessionPublic,
    CourseSessionStatePublic,
    GoalCreate,
    GoalPublic,
    GoalReviewCreate,
    GoalReviewRecorded,
    GoalReviewsPublic,
    GoalStatePublic,
)
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["course and goal"], responses=ERROR_RESPONSES)


@router.get("/course", response_model=CoursePublic)
def course(*, session: SessionDep) -> CoursePublic:
    """Every session by week with its state today: open or when it opens, done, the answer."""
    overview = course_service.course_overview(dt.date.today(), session=session)
    return CoursePublic.model_validate(overview.as_json())


@router.get("/course/{session_id}", response_model=CourseSessionPublic)
def course_session(session_id: str, *, session: SessionDep) -> CourseSessionPublic:
    """A session's words (its parts and links only once its week has opened) and its state."""
    found = course_service.course_session(session_id)
    overview = course_service.course_overview(dt.date.today(), session=session)
    entry = overview.state.find(found.id)
    assert entry is not None
    texts = course_service.session_texts(found, session=session)
    if not entry.unlocked:
        texts |= {"parts": [], "links": []}
    return CourseSessionPublic.model_validate(texts | overview.session_json(entry))


@router.post("/course/{session_id}/done", response_model=CourseSessionStatePublic)
def mark_done(
    session_id: str,
    body: CourseDoneCreate = Body(default_factory=CourseDoneCreate),
    *,
    session: SessionDep,
) -> CourseSessionStatePublic:
    """Mark a session done today, with the answer (optional). Again: the first day stays, a
    new answer replaces the old. A session whose week has not opened is 409."""
    today = dt.date.today()
    entry, _answer = course_service.mark_done(session_id, body.answer, on=today, session=session)
    overview = course_service.course_overview(today, session=session)
    return CourseSessionStatePublic.model_validate(overview.session_json(entry))


@router.get("/goal", response_model=GoalStatePublic)
def goal(*, session: SessionDep) -> GoalStatePublic:
    """The goal in force (or null), its week and step, whether a review is due, and the
    earlier goals."""
    overview = goal_service.goal_overview(dt.date.today(), session=session)
    return GoalStatePublic.model_validate(overview.as_json())


@router.post("/goal", status_code=201, response_model=GoalPublic)
def set_goal(body: GoalCreate, *, session: SessionDep) -> GoalPublic:
    """Set a new goal from today; the one before stays in `earlier`."""
    stored = goal_service.set_goal(
        body.what, body.how_much, body.by_when, body.first_step, on=dt.date.today(), session=session
    )
    return GoalPublic.model_validate(stored.as_json())


@router.get("/goal/reviews", response_model=GoalReviewsPublic)
def reviews(*, session: SessionDep) -> GoalReviewsPublic:
    """The weekly reviews of the goal in force, oldest first."""
    overview = goal_service.goal_overview(dt.date.today(), session=session)
    found = overview.goal.reviews if overview.goal else ()
    return GoalReviewsPublic.model_validate({"reviews": [r.as_json() for r in found]})


@router.post(
    "/goal/reviews",
    response_model=GoalReviewRecorded,
    status_code=201,
    responses={200: {"model": GoalReviewRecorded, "description": "This week's review, updated"}},
)
def review(
    body: GoalReviewCreate, response: Response, *, session: SessionDep
) -> GoalReviewRecorded:
    """Review this goal week: 201 when added, 200 when this week's review is updated (one
    review per goal week). No goal yet is 404."""
    status, saved = goal_service.review_goal(
        body.rating, body.next_step, body.note, on=dt.date.today(), session=session
    )
    if status == "updated":
        response.status_code = 200
    return GoalReviewRecorded.model_validate({"status": status, "review": saved.as_json()})
