"""Units for showing and asking: km or miles, kg or lb, A4 or Letter paper.

kneecoach stores every distance in km and every weight in kg. These pure functions turn a
stored value into the person's unit for display, and a number typed in their unit back into
km or kg, so nothing stored ever depends on a setting. The factors are exact by definition
(the international yard and pound, 1959).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from kneecoach.core.errors import InputError

Distance = Literal["km", "miles"]
Weight = Literal["kg", "lb"]
Paper = Literal["a4", "letter"]

KM_PER_MILE: Final = 1.609344
KG_PER_LB: Final = 0.45359237

DISTANCES: Final[tuple[str, ...]] = get_args(Distance)
WEIGHTS: Final[tuple[str, ...]] = get_args(Weight)
PAPERS: Final[tuple[str, ...]] = get_args(Paper)
PAPER_NAMES: Final = {"a4": "A4", "letter": "Letter"}
DISTANCE_DIGITS: Final = 1
"""Distances are shown to 0.1 km or 0.1 mile."""


@dataclass(frozen=True)
class Units:
    distance: Distance = "km"
    weight: Weight = "kg"
    paper: Paper = "a4"

    def as_json(self) -> dict[str, str]:
        return {"distance": self.distance, "weight": self.weight, "paper": self.paper}


def km_in(km: float, unit: Distance) -> float:
    """A stored distance (km) in `unit`."""
    return km / KM_PER_MILE if unit == "miles" else km


def to_km(value: float, unit: Distance) -> float:
    """A distance typed in `unit`, in km for storing."""
    return value * KM_PER_MILE if unit == "miles" else value


def kg_in(kg: float, unit: Weight) -> float:
    """A stored weight (kg) in `unit`."""
    return kg / KG_PER_LB if unit == "lb" else kg


def to_kg(value: float, unit: Weight) -> float:
    """A weight typed in `unit`, in kg for storing."""
    return value * KG_PER_LB if unit == "lb" else value


def distance_number(km: float, unit: Distance, digits: int = DISTANCE_DIGITS) -> str:
    """`3.1`: a stored distance as a number in `unit`, rounded to `digits` places."""
    return f"{km_in(km, unit):.{digits}f}"


def distance_input(km: float, unit: Distance) -> str:
    """`950`, `590.3`: a stored distance to fill a form field in `unit` (no trailing .0)."""
    return f"{round(km_in(km, unit), DISTANCE_DIGITS):g}"


def show_distance(km: float, unit: Distance, digits: int = DISTANCE_DIGITS) -> str:
    """`3.1 miles`, `5.0 km`: a stored distance in words, in the person's unit."""
    number = distance_number(km, unit, digits)
    return f"{number} {'mile' if unit == 'miles' and float(number) == 1 else unit}"


def show_weight(kg: float, unit: Weight, digits: int = 1) -> str:
    return f"{kg_in(kg, unit):.{digits}f} {unit}"


def checked(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """One unit choice, lower-cased, or an InputError naming the setting and the choices."""
    cleaned = value.strip().lower()
    if cleaned == "mi":
        cleaned = "miles"
    if cleaned not in allowed:
        raise InputError(name, f"{value.strip()!r} is not one of {', '.join(allowed)}")
    return cleaned
