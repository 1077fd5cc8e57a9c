"""The home self-tests (self_tests.yaml): how to do each one safely, what a pass is, its norms.

The intake wizard shows these when it asks for a result, `kneecoach selftest` prints them, and
the assessment reads the chair-stand norms table from here. Validated once at load.
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.errors import NotFoundError
from kneecoach.core.measures import ChairStandBand, ChairStandNorms
from kneecoach.data.files import read_yaml

FILE = "self_tests.yaml"
Basis = Literal["product-decision"]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Model):
    """Anything with a number in it says where the number comes from."""

    source: str | None = None
    basis: Basis | None = None

    @model_validator(mode="after")
    def _has_source_or_basis(self) -> Self:
        if not (self.source or self.basis):
            raise ValueError("give a source or basis: product-decision")
        return self


class Text(_Model):
    text: str


class Norm(_Cited):
    id: Id
    label: str
    explanation: str
    value: float | None = None
    unit: str | None = None
    evidence: str | None = None  # contributor_id.evidence_id that uses this norm


class NoNorm(_Cited):
    """Why a test has no norm (none is published) and how to use the result instead."""

    text: str


class BandRule(_Cited):
    rule: Literal["floor", "ceiling", "lower", "higher"]


class Band(_Model):
    from_age: int
    to_age: int
    female: float
    male: float


class PercentileTable(_Model):
    source: str
    below_youngest_band: BandRule
    above_oldest_band: BandRule
    other_or_unknown_sex: BandRule
    bands: list[Band] = Field(min_length=1)


class SelfTest(_Model):
    """One self-test, as shown to a person and to their clinician."""

    id: Id = ""
    title: str
    kind: Literal["number", "yes_no"]
    sides: bool
    unit: str | None = None
    question: str
    kit: Text
    why_text: str
    contributors: list[Id]  # may be empty: a test of function that feeds no contributor rule
    steps: list[str] = Field(min_length=1)
    pass_: Text = Field(alias="pass")
    safety: list[str] = Field(min_length=1)
    norms: list[Norm]
    no_norm: NoNorm | None = None  # instead of norms, when none is published
    percentile_25: PercentileTable | None = None

    @model_validator(mode="after")
    def _norms_or_why_none(self) -> Self:
        if not self.norms and self.no_norm is None:
            raise ValueError("give norms, or a no_norm note saying why there are none")
        if self.norms and self.no_norm is not None:
            raise ValueError("give norms or a no_norm note, not both")
        return self

    @property
    def answer_path(self) -> str:
        return f"self_tests.{self.id}"


class SelfTestsFile(_Model):
    version: str
    tests: dict[Id, SelfTest]


@functools.cache
def load_self_tests_file() -> SelfTestsFile:
    try:
        parsed = SelfTestsFile.model_validate(read_yaml(FILE))
    except ValidationError as error:  # a packaging bug, not a user error: fail loudly
        raise RuntimeError(f"{FILE} is not valid: {error}") from error
    tests = {key: test.model_copy(update={"id": key}) for key, test in parsed.tests.items()}
    return parsed.model_copy(update={"tests": tests})


def load_self_tests() -> tuple[SelfTest, ...]:
    """Every self-test, in the order of the file (the order the intake asks them)."""
    return tuple(load_self_tests_file().tests.values())


def find_self_test(test_id: str) -> SelfTest:
    tests = load_self_tests_file().tests
    if test_id not in tests:
        raise NotFoundError(f"no self-test called {test_id!r}; try one of: {', '.join(tests)}")
    return tests[test_id]


@functools.cache
def load_chair_stand_norms() -> ChairStandNorms:
    """The 25th-percentile table of the 30-second chair stand, for the derived measures."""
    table = find_self_test("chair_stand_30s").percentile_25
    if table is None:
        raise RuntimeError(f"{FILE}: chair_stand_30s needs its percentile_25 table")
    if table.below_youngest_band.rule != "floor" or table.above_oldest_band.rule != "ceiling":
        raise RuntimeError(f"{FILE}: only floor/ceiling band rules are supported")
    unknown_sex = table.other_or_unknown_sex.rule
    if unknown_sex not in ("lower", "higher"):
        raise RuntimeError(f"{FILE}: other_or_unknown_sex must be lower or higher")
    return ChairStandNorms(
        bands=tuple(ChairStandBand(b.from_age, b.to_age, b.female, b.male) for b in table.bands),
        unknown_sex="lower" if unknown_sex == "lower" else "higher",
    )
