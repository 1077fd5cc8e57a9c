"""The Learn page's lessons (`lessons.yaml`): short plain lessons, each with its sources."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kneecoach.data.files import read_yaml

FILE = "lessons.yaml"


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    text: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    basis: Literal["product-decision"] | None = None


class LessonsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    lessons: tuple[Lesson, ...] = Field(min_length=6, max_length=10)


@cache
def load_lessons() -> tuple[Lesson, ...]:
    """The lessons in reading order; ids must be unique."""
    parsed = LessonsFile.model_validate(read_yaml(FILE))
    ids = [lesson.id for lesson in parsed.lessons]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"{FILE}: lesson ids used twice: {duplicated}")
    return parsed.lessons


def find_lesson(lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in load_lessons() if lesson.id == lesson_id), None)
