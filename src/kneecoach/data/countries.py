"""The country file (`countries.yaml`): emergency numbers and service names, checked at load.

Safety advice is only as good as the number it gives, so a country entry with a missing or
empty field, or without a source, stops the app at load rather than showing a gap to a
person who needs help.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kneecoach.core.country import ServiceWords
from kneecoach.data.files import read_yaml

FILE = "countries.yaml"
GENERIC = "generic"

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class CountryEntry(BaseModel):
    """One country's words, as they appear in the file (every field required)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Words
    emergency_number: Words
    emergency_department: Words
    urgent_care: Words
    same_day: Words
    doctor: Words
    pharmacist: Words
    source: str = Field(min_length=10)

    def words(self, code: str) -> ServiceWords:
        return ServiceWords(code=code, **self.model_dump())


class CountriesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    countries: dict[str, CountryEntry] = Field(min_length=1)
    generic: CountryEntry

    @field_validator("countries")
    @classmethod
    def _iso_codes(cls, value: dict[str, CountryEntry]) -> dict[str, CountryEntry]:
        bad = [code for code in value if not (len(code) == 2 and code.isascii() and code.isupper())]
        if bad:
            raise ValueError(f"country codes must be two capital letters (ISO 3166): {bad}")
        return value


@cache
def load_countries() -> CountriesFile:
    """The validated file; a bad file raises pydantic's ValidationError naming the field."""
    return parse_countries(read_yaml(FILE))


def parse_countries(raw: Any) -> CountriesFile:
    """Validate a countries document (kept apart from loading so tests can feed bad ones)."""
    return CountriesFile.model_validate(raw)
