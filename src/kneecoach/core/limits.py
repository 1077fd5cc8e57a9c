"""The input limits every interface applies: how big, how deep and how far back or ahead.

One set of numbers for the API, the forms and the CLI, so bad or hostile input gets the same
clear error everywhere and can never exhaust memory, overflow the parser or break a page
later (a date in the year 9999 once stopped the progress page until it was removed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Final

from kneecoach.core.errors import InputError

MAX_BODY_BYTES: Final = 1_000_000
"""A JSON document, a form or an answers file: far more than any real one needs."""

MAX_UPLOAD_BYTES: Final = 100 * 1024 * 1024
"""Activity files (GPX, FIT, CSV) are streamed to disk up to this size."""

MAX_VIDEO_BYTES: Final = 200 * 1024 * 1024
"""A movement check's video (MP4, MOV, WebM), streamed to disk up to this size. Product
decision: a minute of 1080p phone video at 30 fps, far more than three squats per leg need."""

MAX_VIDEO_SECONDS: Final = 60
"""The longest movement-check video read (a product decision): three squats on each leg take
about 30 seconds, and the pose model reads roughly one second of video per second."""

MAX_JSON_DEPTH: Final = 32
"""Nesting of lists and objects; the deepest real document is 4 levels."""

EARLIEST_DAY: Final = date(1900, 1, 1)

CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters no one types: NUL (which PostgreSQL refuses to store, so it once made a 500 of a
shoe name or a sign-in name) and the other control codes. Tab and line breaks stay allowed."""

_STRINGS = re.compile(rb'"(?:\\.|[^"\\])*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(raw: str | bytes) -> int:
    """How deeply lists and objects nest in a JSON text (brackets inside strings ignored)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_json(raw: str | bytes, field: str) -> Any:
    """JSON within the limits, or one InputError naming the field and the problem."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_BODY_BYTES:
        raise InputError(
            field, f"is {size:,} bytes; the most kneecoach reads is {MAX_BODY_BYTES:,}"
        )
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise InputError(field, f"nests lists or objects more than {MAX_JSON_DEPTH} deep")
    try:
        document = json.loads(
            raw, parse_constant=_not_a_number(field), object_pairs_hook=_each_key_once
        )
    except json.JSONDecodeError as error:
        raise InputError(
            field, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except (RecursionError, ValueError) as error:
        raise InputError(field, f"is not valid JSON ({error})") from None
    check_texts(document, field)
    return document


def _not_a_number(field: str) -> Callable[[str], Any]:
    def refuse(name: str) -> Any:
        raise InputError(field, f"holds {name}, which is not a number: send a plain number")

    return refuse


def _each_key_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: a key sent twice is refused, not half-read."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InputError(key, "is sent twice in one object: send it once")
        found[key] = value
    return found


LONE_SURROGATES: Final = re.compile("[\ud800-\udfff]")
"""Half of a character JSON can spell (`"\\ud800"`) that no text encoding can store: it once
made a 500 of a shoe name."""


def check_text(text: str, field: str) -> str:
    """Text without control characters (tab and line breaks are fine) or broken characters."""
    if CONTROL_CHARACTERS.search(text):
        raise InputError(field, "holds a control character (such as NUL): remove it")
    if LONE_SURROGATES.search(text):
        raise InputError(field, "holds a broken character (half of a pair): remove it")
    return text


def check_texts(document: Any, field: str) -> None:
    """Every key and text in a JSON document, checked by `check_text`; a problem names the
    key it was found under."""
    if isinstance(document, str):
        check_text(document, field)
    elif isinstance(document, dict):
        for key, value in document.items():
            check_text(key, field)
            check_texts(value, key)
    elif isinstance(document, list):
        for item in document:
            check_texts(item, field)


def check_day(day: date, field: str, today: date) -> date:
    """A day between 1 January 1900 and tomorrow (a time zone ahead is still today)."""
    latest = today + timedelta(days=1)
    if day < EARLIEST_DAY:
        raise InputError(field, f"{day.isoformat()} is before {EARLIEST_DAY.isoformat()}")
    if day > latest:
        raise InputError(field, f"{day.isoformat()} is in the future")
    return day
