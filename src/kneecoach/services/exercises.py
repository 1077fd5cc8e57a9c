"""Use cases for the exercise catalogue: list, look up, describe as JSON, draw."""

from __future__ import annotations

from typing import Any

from kneecoach.core.errors import LIST_EXERCISES, InputError, NotFoundError
from kneecoach.core.exercises import BAND_COLOURS, KINDS, Amount, Exercise, Load
from kneecoach.core.planning import variant_of
from kneecoach.core.progression import show_dose
from kneecoach.core.vocabulary import CONTRIBUTORS, PATTERNS
from kneecoach.data.exercises import load_catalogue
from kneecoach.render.illustration import draw


def list_exercises(
    kind: str | None = None, target: str | None = None, pattern: str | None = None
) -> tuple[Exercise, ...]:
    """The catalogue, optionally narrowed to a kind, a contributor or a pattern."""
    if kind is not None and kind not in KINDS:
        raise InputError("kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if target is not None and target not in CONTRIBUTORS:
        raise InputError(
            "target", f"unknown contributor {target!r}; use one of {', '.join(CONTRIBUTORS)}"
        )
    if pattern is not None and pattern not in PATTERNS:
        raise InputError(
            "pattern", f"unknown pattern {pattern!r}; use one of {', '.join(PATTERNS)}"
        )
    return load_catalogue().select(kind=kind, target=target, pattern=pattern)


def find_exercise(exercise_id: str) -> Exercise:
    """One exercise by id, or a one-line error that says where to look."""
    found = load_catalogue().get(exercise_id)
    if found is None:
        raise NotFoundError(f"exercise: no exercise called {exercise_id!r}", hint=LIST_EXERCISES)
    return found


def illustration_svg(exercise_id: str) -> str:
    """The exercise's animated drawing as a standalone SVG document."""
    exercise = find_exercise(exercise_id)
    return draw(exercise.name, exercise.poses, description=" ".join(exercise.steps))


def _amount(amount: Amount | None) -> dict[str, int] | None:
    if amount is None:
        return None
    return {"start": amount.start, "min": amount.min, "max": amount.max}


def exercise_summary(exercise: Exercise) -> dict[str, Any]:
    """The short JSON form (one row of `exercise list`)."""
    dose = exercise.dose
    start = variant_of(exercise).start
    return {
        "id": exercise.id,
        "name": exercise.name,
        "kind": exercise.kind,
        "targets": list(exercise.targets),
        "patterns": list(exercise.patterns),
        "equipment": list(exercise.equipment),
        "sets": dose.sets.start,
        "reps": dose.reps.start if dose.reps else None,
        "hold_s": dose.hold_s.start if dose.hold_s else None,
        "minutes_each": dose.minutes.start if dose.minutes else None,
        "side": dose.side,
        "minutes": exercise.minutes,
        "easier": exercise.easier,
        "harder": exercise.harder,
        "load": None if start.load is None else start.load.as_json(),
        "tempo": dose.tempo,
        "dose_words": show_dose(start, units=True),
        "start_level": exercise.start_level,
    }


def _load(load: Load | None) -> dict[str, Any] | None:
    """The catalogue's load ladder: kind, unit, and start, min and max (a band as colours)."""
    if load is None:
        return None

    def shown(value: float) -> float | str:
        return BAND_COLOURS[int(value)] if load.kind == "band" else value

    return {
        "kind": load.kind,
        "unit": load.unit,
        "start": shown(load.start),
        "min": shown(load.min),
        "max": shown(load.max),
        "step": load.step,
    }


def exercise_details(exercise: Exercise) -> dict[str, Any]:
    """The full JSON form (`exercise show --format json`)."""
    dose = exercise.dose
    return {
        **exercise_summary(exercise),
        "dose": {
            "sets": _amount(dose.sets),
            "reps": _amount(dose.reps),
            "hold_s": _amount(dose.hold_s),
            "minutes": _amount(dose.minutes),
            "side": dose.side,
            "rest_s": dose.rest_s,
            "progress": dose.progress,
            "load": _load(dose.load),
            "tempo": dose.tempo,
            "extra_sets_painful_side": dose.extra_sets_painful_side,
            "rm_steps": list(dose.rm_steps) or None,
        },
        "suits": exercise.suits,
        "stage": exercise.stage,
        "schedule": exercise.schedule,
        "chain": [e.id for e in load_catalogue().chain(exercise.id)],
        "contraindications": list(exercise.contraindications),
        "cautions": [{"when": c.when, "text": c.text} for c in exercise.cautions],
        "steps": list(exercise.steps),
        "feel": exercise.feel,
        "mistakes": list(exercise.mistakes),
        "source": exercise.source,
        "basis": exercise.basis,
    }
