"""Learn: short plain lessons written from the evidence file, each with its sources."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from kneecoach.data.lessons import find_lesson, load_lessons
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Learn", "/learn", 90)


@router.get("/learn", response_class=HTMLResponse)
def lesson_list(request: Request) -> HTMLResponse:
    return render(request, "learn/list.html", {"title": "Learn", "lessons": load_lessons()})


@router.get("/learn/{lesson_id}", response_class=HTMLResponse)
def lesson_page(request: Request, lesson_id: str) -> HTMLResponse:
    lesson = find_lesson(lesson_id)
    if lesson is None:
        raise HTTPException(404, f"There is no lesson called {lesson_id!r}.")
    lessons = load_lessons()
    index = lessons.index(lesson)
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return render(
        request, "learn/lesson.html", {"title": lesson.title, "lesson": lesson, "next": following}
    )
