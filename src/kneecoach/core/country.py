"""Where to get help, in the words of the person's country.

Safety advice names an emergency number and services ("call 999", "NHS 111", "A&E"). Those
differ by country, so the advice in the data files is written with placeholders and filled in
here with the words of one country (``data/countries.yaml``). A person in Ireland is told 112
and an emergency department, not 999 and A&E.

Placeholders: ``{emergency_number}``, ``{emergency_department}``, ``{urgent_care}``,
``{same_day}``, ``{doctor}``, ``{pharmacist}``.
"""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from typing import Final


@dataclass(frozen=True)
class ServiceWords:
    """One country's emergency number and service names, as a person would say them."""

    code: str
    name: str
    emergency_number: str
    emergency_department: str
    urgent_care: str
    same_day: str
    doctor: str
    pharmacist: str
    source: str


PLACEHOLDERS: Final[tuple[str, ...]] = (
    "emergency_number",
    "emergency_department",
    "urgent_care",
    "same_day",
    "doctor",
    "pharmacist",
)


def placeholders_in(text: str) -> tuple[str, ...]:
    """The placeholder names a text uses (data tests check each one exists)."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def fill(text: str, words: ServiceWords) -> str:
    """The text with every placeholder replaced by the country's words."""
    values = {key: value for key, value in asdict(words).items() if key in PLACEHOLDERS}
    return text.format_map(values)
