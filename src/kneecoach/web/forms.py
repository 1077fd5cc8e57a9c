"""Reading HTML forms: every value arrives as text; errors are kept per field for the template.

Forms re-render with what the person typed and the problem next to the field, so a mistake
never costs them their answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from kneecoach.core.errors import InputError

FormValues = dict[str, str | list[str]]


async def form_values(request: Request) -> FormValues:
    """The posted form as {name: text} ({name: [texts]} when a name repeats, as checkboxes do)."""
    form = await request.form()
    values: FormValues = {}
    for key in form:
        items = [item for item in form.getlist(key) if isinstance(item, str)]
        values[key] = items if len(items) > 1 else (items[0] if items else "")
    return values


FormDep = Annotated[FormValues, Depends(form_values)]
"""A page that reads a form is a plain `def` taking this: the form is parsed on the event loop
(it only awaits the body), and the page's database work runs in the threadpool."""


async def form_data(request: Request) -> FormData:
    """The posted form as parsed (uploads already streamed to temporary files on disk)."""
    return await request.form()


FormDataDep = Annotated[FormData, Depends(form_data)]


def text(values: Mapping[str, str | list[str]], name: str) -> str:
    value = values.get(name, "")
    return (value[-1] if value else "") if isinstance(value, list) else value.strip()


def texts(values: Mapping[str, str | list[str]], name: str) -> list[str]:
    value = values.get(name, [])
    return [value] if isinstance(value, str) and value else list(value)


@dataclass
class FormErrors:
    """Problems by form field name; `general` holds those that belong to no single field."""

    by_field: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str | None, problem: str) -> None:
        if name is None:
            self.general.append(problem)
        else:
            self.by_field.setdefault(name, problem)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)


def optional_day(raw: str, name: str = "date") -> date | None:
    """A YYYY-MM-DD date from a form (a date input sends that form), or None when empty."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(name, f"{raw!r} is not a date like 2026-03-31") from None


def whole_number(raw: str, name: str, low: int, high: int) -> int | None:
    """A whole number in range from a form, None when empty, or an error naming the field."""
    if raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise InputError(name, f"{raw!r} is not a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise InputError(name, f"{number} is out of range; give a number from {low} to {high}")
    return number
