"""How an exercise is shown on a card: the animated illustration, steps, feel and mistakes.

The illustration is drawn by `render.illustration` from the catalogue's key poses (a pure SVG
with CSS animation, no JavaScript), cached per exercise because the catalogue is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kneecoach.core.exercises import Exercise
from kneecoach.data.exercises import load_catalogue
from kneecoach.render.illustration import draw


@dataclass(frozen=True)
class ExerciseCard:
    exercise: Exercise | None
    svg: str
    rest_s: int


@cache
def exercise_card(exercise_id: str) -> ExerciseCard:
    exercise = load_catalogue().get(exercise_id)
    if exercise is None:
        return ExerciseCard(None, "", 0)
    svg = draw(exercise.name, exercise.poses, exercise.feel)
    return ExerciseCard(exercise, svg, exercise.dose.rest_s)
