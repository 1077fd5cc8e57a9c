"""course.yaml: every session has its sources and one question, weeks 1 to 6 each have one,
lessons are shown by id (never copied), and a broken file is refused when it is read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from kneecoach.data.course import CourseFile, LessonPart, OwnPart, load_course
from kneecoach.data.files import read_yaml
from kneecoach.data.lessons import load_lessons


def test_six_weeks_each_with_a_session() -> None:
    course = load_course()
    assert course.schedule.weeks == 6
    assert sorted({s.week for s in course.sessions}) == [1, 2, 3, 4, 5, 6]
    assert 6 <= len(course.sessions) <= 12


def test_every_session_has_sources_and_one_question() -> None:
    for session in load_course().sessions:
        assert session.sources, session.id
        assert session.question.count("?") in (1, 2), f"{session.id}: one question to answer"
        own = [p for p in session.parts if isinstance(p, OwnPart)]
        assert own, f"{session.id}: a session has a short lesson of its own"
        for part in own:
            assert 1 <= len(part.text) <= 6


def test_the_topics_of_the_brief_are_all_there() -> None:
    ids = {s.id for s in load_course().sessions}
    assert {
        "hurt_and_harm",
        "your_goal",
        "pacing",
        "sleep_and_rest",
        "weight_and_eating",
        "flares",
        "active_for_good",
    } <= ids


def test_lessons_are_shown_by_id_not_copied() -> None:
    lessons = {lesson.id: lesson for lesson in load_lessons()}
    course = load_course()
    shown = [p.lesson for s in course.sessions for p in s.parts if isinstance(p, LessonPart)]
    assert len(shown) >= 4 and set(shown) <= set(lessons)
    own_text = {
        t for s in course.sessions for p in s.parts if isinstance(p, OwnPart) for t in p.text
    }
    for lesson in lessons.values():
        assert not own_text & set(lesson.text), f"text of lesson {lesson.id} is copied"


def test_the_flare_session_points_to_the_flare_plan() -> None:
    flares = next(s for s in load_course().sessions if s.id == "flares")
    assert [(link.page, link.command) for link in flares.links] == [("/flare", "kneecoach flare")]


def test_pacing_is_taught_as_part_of_the_course_not_as_a_cure() -> None:
    pacing = next(s for s in load_course().sessions if s.id == "pacing")
    words = " ".join(t for p in pacing.parts if isinstance(p, OwnPart) for t in p.text)
    assert "not a cure" in words
    assert any("R45" in source for source in pacing.sources)


def test_the_schedule_and_the_goal_limits_are_product_decisions() -> None:
    course = load_course()
    assert course.schedule.basis == "product-decision" and course.schedule.reason
    assert course.goal.basis == "product-decision"
    assert [p.value for p in course.goal.scale] == [1, 2, 3, 4, 5]
    assert course.goal.suggested_weeks == 12


def cited(source: str, evidence: str, plan: str) -> bool:
    """A source is one of evidence-plan's references (R42) or its first author is in
    evidence.md (as the Learn lessons' are)."""
    tags = re.findall(r"\bR(\d+)\b", source)
    if tags:
        return all(re.search(rf"^R{tag} ", plan, re.MULTILINE) for tag in tags)
    first = source.split(" ")[0].rstrip(",.")
    return first in evidence


def test_every_source_is_in_the_evidence_files(shared_dir: Path) -> None:
    evidence = (shared_dir / "clinical" / "evidence.md").read_text()
    plan = (shared_dir / "clinical" / "evidence-plan.md").read_text()
    for session in load_course().sessions:
        for source in session.sources:
            assert cited(source, evidence, plan), f"{session.id}: {source}"
    for source in load_course().goal.sources:
        assert cited(source, evidence, plan), source


def broken(change: Any) -> dict[str, Any]:
    document: dict[str, Any] = read_yaml("course.yaml")
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["sessions"][0].pop("sources"), "sources"),
        (lambda d: d["sessions"][0].update(sources=[]), "sources"),
        (lambda d: d["sessions"][0].pop("question"), "question"),
        (lambda d: d["sessions"][1].update(id=d["sessions"][0]["id"]), "used twice"),
        (lambda d: d["sessions"].pop(4), "every week from 1 to 6"),
        (lambda d: d["sessions"][0]["parts"].append({"lesson": "no_such"}), "no lesson"),
        (lambda d: d["sessions"][0].update(basis="product-decision"), "needs its reason"),
        (lambda d: d["goal"]["scale"].pop(0), "values must be 1, 2, 3"),
        (lambda d: d["sessions"][0].update(colour="red"), "colour"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem(change: Any, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        CourseFile.model_validate(broken(change))
