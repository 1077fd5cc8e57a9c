"""How to film a movement check (data/movement_filming.yaml), checked at load."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from kneecoach.data.files import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilmingStep(_Strict):
    id: str
    text: str
    source: str
    basis: str | None = None

    @model_validator(mode="after")
    def _basis_is_known(self) -> FilmingStep:
        if self.basis not in (None, "product-decision"):
            raise ValueError(f"{self.id}: basis must be product-decision when given")
        return self


class Filming(_Strict):
    version: int
    title: str
    text: str
    steps: tuple[FilmingStep, ...]
    safety: tuple[str, ...]


@cache
def load_filming() -> Filming:
    return Filming.model_validate(read_yaml("movement_filming.yaml"))
