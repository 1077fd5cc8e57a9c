"""The person's units (km or miles, kg or lb, A4 or Letter), stored like the country setting.

Each choice is one row of the `preferences` table (`units.distance`, `units.weight`,
`units.paper`), so no migration was needed and export and erase see them. A unit not chosen
follows the country in force (`services.country`): a person in the US sees miles, lb and
Letter until they choose otherwise (data/units.yaml). Values are always stored in km and kg;
only what is shown and asked changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from kneecoach.core.units import (
    DISTANCES,
    PAPERS,
    WEIGHTS,
    Units,
    checked,
    kg_in,
    km_in,
    to_kg,
    to_km,
)
from kneecoach.data.intake_questions import Question
from kneecoach.data.units import units_for_country
from kneecoach.services.country import current_country

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS: Final = ("distance", "weight", "paper")
_ALLOWED: Final = {"distance": DISTANCES, "weight": WEIGHTS, "paper": PAPERS}
_PREFIX: Final = "units."
_INFO_KEY: Final = "kneecoach.units"

Origin = Literal["chosen", "country"]


@dataclass(frozen=True)
class UnitsSetting:
    """The units in force, and for each whether the person chose it or the country gave it."""

    units: Units
    origins: dict[str, Origin]
    country: str | None

    def as_json(self) -> dict[str, object]:
        return {**self.units.as_json(), "chosen": [k for k in KINDS if self.origins[k] == "chosen"]}


def _stored(*, session: Session) -> dict[str, str]:
    if _INFO_KEY in session.info:  # read once per unit of work
        known: dict[str, str] = session.info[_INFO_KEY]
        return known
    from sqlalchemy import select

    from kneecoach.storage.models.preferences import Preference

    rows = session.scalars(select(Preference).where(Preference.name.startswith(_PREFIX)))
    found: dict[str, str] = {}
    for row in rows:
        kind = row.name.removeprefix(_PREFIX)
        if kind in KINDS and row.value in _ALLOWED[kind]:  # a stray value: the country's
            found[kind] = row.value
    session.info[_INFO_KEY] = found
    return found


def current_units(*, session: Session) -> UnitsSetting:
    """The units to show: each one chosen, else the country's (data/units.yaml)."""
    country = current_country(session=session).code
    default = units_for_country(country).as_json()
    stored = _stored(session=session)
    chosen = {kind: stored.get(kind, default[kind]) for kind in KINDS}
    units = Units(
        distance=cast("Literal['km', 'miles']", chosen["distance"]),
        weight=cast("Literal['kg', 'lb']", chosen["weight"]),
        paper=cast("Literal['a4', 'letter']", chosen["paper"]),
    )
    origins: dict[str, Origin] = {k: "chosen" if k in stored else "country" for k in KINDS}
    return UnitsSetting(units, origins, country)


def set_units(
    distance: str | None = None,
    weight: str | None = None,
    paper: str | None = None,
    *,
    session: Session,
) -> UnitsSetting:
    """Store the units given (the others stay as they are); every bad one is named at once."""
    from kneecoach.core.errors import InputError, raise_all
    from kneecoach.storage.base import utc_now
    from kneecoach.storage.models.preferences import Preference

    given = {"distance": distance, "weight": weight, "paper": paper}
    values: dict[str, str] = {}
    problems: list[InputError] = []
    for kind, value in given.items():
        if value is None:
            continue
        try:
            values[kind] = checked(kind, value, _ALLOWED[kind])
        except InputError as error:
            problems.append(error)
    raise_all(problems)
    for kind, value in values.items():
        row = session.get(Preference, _PREFIX + kind)
        if row is None:
            session.add(Preference(name=_PREFIX + kind, value=value, updated_at=utc_now()))
        else:
            row.value = value
            row.updated_at = utc_now()
    session.flush()
    forget_read_units(session)
    return current_units(session=session)


MEASURED: Final = {"person.weight_kg": "weight", "shoes.main_pair_km": "distance"}
"""Intake answers that are a measure: stored in kg or km, asked in the person's unit."""
_METRIC: Final = {"weight": "kg", "distance": "km"}


def _unit_for(question: Question, units: Units) -> tuple[str, str] | None:
    """(metric unit, the person's unit) when `question` asks a measure they see otherwise."""
    kind = MEASURED.get(question.path)
    if kind is None:
        return None
    chosen = units.weight if kind == "weight" else units.distance
    return None if chosen == _METRIC[kind] else (_METRIC[kind], chosen)


def _in_units(value: float, metric: str) -> float:
    return kg_in(value, "lb") if metric == "kg" else km_in(value, "miles")


def asked_in(question: Question, units: Units) -> Question:
    """The question as asked in the person's units: "How much do you weigh, in lb?", its range
    in lb too, when they chose lb (and miles for the distance on their shoes); the answer then
    goes through `answer_stored`."""
    found = _unit_for(question, units)
    if found is None:
        return question
    metric, chosen = found

    def bound(value: float | None) -> float | None:
        return None if value is None else round(_in_units(value, metric))

    words = re.sub(rf"\b{metric}\b", chosen, question.question)
    return replace(question, question=words, min=bound(question.min), max=bound(question.max))


def answer_stored(question: Question, value: object, units: Units) -> object:
    """An answer to `asked_in(question)` as stored: lb becomes kg, miles km (to 0.1)."""
    found = _unit_for(question, units)
    if found is None or value is None:
        return value
    assert isinstance(value, int | float)
    metric = found[0]
    stored = to_kg(float(value), "lb") if metric == "kg" else to_km(float(value), "miles")
    return round(stored, 1)


def answer_shown(question: Question, value: Any, units: Units) -> Any:
    """A stored answer to `question` as the person reads it back in `asked_in(question)`:
    kg in lb, km in miles (to 0.1), so a screen shown again after Back keeps its unit."""
    found = _unit_for(question, units)
    if found is None or not isinstance(value, int | float) or isinstance(value, bool):
        return value
    return round(_in_units(float(value), found[0]), 1)


def forget_read_units(session: Session) -> None:
    """Read the stored choices again next time (their rows were removed behind this module)."""
    session.info.pop(_INFO_KEY, None)


def units_to_show(*, session: Session) -> Units:
    """Like `current_units().units`, but a database that cannot be read gives the defaults
    (a page must still show its distances)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kneecoach.core.errors import KneecoachError

    try:
        return current_units(session=session).units
    except (KneecoachError, SQLAlchemyError):
        return Units()
