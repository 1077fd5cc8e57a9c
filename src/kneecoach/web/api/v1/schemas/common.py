"""The base every answer model shares: keys whose value is unknown are left out, not null."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer


class Sparse(BaseModel):
    """An answer whose optional keys are left out when unknown (as the CLI's JSON does).

    `omitted` names the keys left out when None; None means every key."""

    omitted: ClassVar[frozenset[str] | None] = None

    @model_serializer(mode="wrap")
    def _leave_out_unknown(self, handler: SerializerFunctionWrapHandler) -> Any:
        shown = handler(self)
        if not isinstance(shown, dict):
            return shown
        omitted = self.omitted
        return {
            key: value
            for key, value in shown.items()
            if value is not None or (omitted is not None and key not in omitted)
        }


def without_none(value: Any) -> Any:
    """Every None left out, however deep (an intake's unknown answers)."""
    if isinstance(value, dict):
        return {key: without_none(inner) for key, inner in value.items() if inner is not None}
    if isinstance(value, list):
        return [without_none(inner) for inner in value]
    return value
