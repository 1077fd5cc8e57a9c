"""What the answer models share: an optional key is left out when unknown, not sent as null."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


def unknown(value: object) -> bool:
    return value is None


def left_out_when_unknown(description: str | None = None, **extra: Any) -> Any:
    """An optional key the answer leaves out when unknown (as the CLI's JSON does)."""
    return Field(default=None, exclude_if=unknown, description=description, **extra)


class LoadPublic(BaseModel):
    """How heavy a dose is: `kind` band (value: a colour), kg, rpe (effort 0–10) or rir (reps
    in reserve). No load (null) means body weight."""

    kind: str
    value: float | str
    unit: str
