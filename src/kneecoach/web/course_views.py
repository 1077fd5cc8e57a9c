"""The course and the goal as Today and Progress show them: this week's sessions (due or
done), the goal's step for this week with a review prompt, and the reviews as a chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kneecoach.data.course import CourseSession, find_session
from kneecoach.render.charts import LineChart, legend_entries, line_chart_svg, series_from
from kneecoach.services import course as course_service
from kneecoach.services import goal as goal_service
from kneecoach.services.database import Session


@dataclass(frozen=True)
class SessionLine:
    session: CourseSession
    done: bool
    done_on: date | None


@dataclass(frozen=True)
class CourseCard:
    week: int
    weeks: int
    done: int
    total: int
    this_week: tuple[SessionLine, ...]
    earlier_due: tuple[SessionLine, ...]  # open sessions of earlier weeks not done yet
    done_sessions: tuple[SessionLine, ...]
    goal: goal_service.GoalOverview

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def started(self) -> bool:
        return self.done > 0 or self.goal.goal is not None


def course_card(on: date, *, session: Session) -> CourseCard:
    overview = course_service.course_overview(on, session=session)
    state = overview.state
    lines = [
        SessionLine(found, entry.done, entry.done_on)
        for entry in state.sessions
        if (found := find_session(entry.id)) is not None
    ]
    by_id = {line.session.id: line for line in lines}
    return CourseCard(
        week=state.week,
        weeks=state.weeks,
        done=state.done_count,
        total=overview.total,
        this_week=tuple(by_id[s.id] for s in state.this_week if s.id in by_id),
        earlier_due=tuple(by_id[s.id] for s in state.due if s.week < state.week and s.id in by_id),
        done_sessions=tuple(line for line in lines if line.done),
        goal=goal_service.goal_overview(on, session=session),
    )


@dataclass(frozen=True)
class ReviewChart:
    svg: str
    legend: list[tuple[str, str, str]]


def reviews_chart(goal: goal_service.StoredGoal | None) -> ReviewChart | None:
    """How much of each week's step was done (1 to 5), review by review."""
    if goal is None or not goal.reviews:
        return None
    scale = goal_service.goal_words().scale
    chart = LineChart(
        title="How much of each week's step you did (1 none, 5 all)",
        y_min=1,
        y_max=len(scale),
        y_step=1,
        y_label="step done",
        series=(series_from("Step done", [(r.reviewed_on, r.rating) for r in goal.reviews]),),
        height=200,
        id="chart-goal",
    )
    return ReviewChart(line_chart_svg(chart), legend_entries(chart))
