"""Reasons in plain words: the assessment's `why` lines name answer paths ("signs.clicking =
true"); a person should instead read the question they answered and what they said."""

from __future__ import annotations

import re
from functools import cache

from kneecoach.data.intake_questions import Question
from kneecoach.services.intake import intake_sections

_FACT = re.compile(r"^(?P<path>[a-z_][a-z0-9_.]*) = (?P<value>.+)$")
_SIDES = ("left", "right")


@cache
def _questions() -> dict[str, Question]:
    return {q.path: q for section in intake_sections() for q in section.questions}


def _label(question: Question, value: str) -> str:
    for choice in question.choices:
        if choice.value == value:
            return choice.label
    return value.replace("_", " ")


def _show_value(question: Question | None, raw: str) -> str:
    if raw == "true":
        return "yes"
    if raw == "false":
        return "no"
    if raw.startswith("[") and raw.endswith("]"):
        items = [item.strip() for item in raw[1:-1].split(",") if item.strip()]
        if not items:
            return "none"
        return ", ".join(_label(question, i) if question else i for i in items)
    return _label(question, raw) if question else raw


def plain_reason(line: str) -> str:
    """`pain.location = [front]` → `Where does it hurt? You said: At the front`."""
    match = _FACT.match(line)
    if match is None:
        return line[:1].upper() + line[1:]
    path, raw = match["path"], match["value"]
    side = None
    if path.rsplit(".", 1)[-1] in _SIDES:
        path, side = path.rsplit(".", 1)
    question = _questions().get(path)
    if question is None:
        return line
    said = _show_value(question, raw)
    where = f" ({side} side)" if side else ""
    return f"{question.question}{where} You said: {said}."


def strength_words(strength: float) -> str:
    """How much the answers point at a contributor, in words (the number is in the API)."""
    if strength >= 0.6:
        return "strong signs"
    if strength >= 0.3:
        return "some signs"
    return "a few signs"
