"""Units: a number typed in miles (or lb) is stored in km (kg) and shown back as typed, to
the precision shown; the defaults follow the country."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.errors import InputError
from kneecoach.core.units import (
    KG_PER_LB,
    KM_PER_MILE,
    Units,
    checked,
    distance_input,
    distance_number,
    kg_in,
    km_in,
    show_distance,
    show_weight,
    to_kg,
    to_km,
)
from kneecoach.data.units import load_units, units_for_country

# what a person types: up to 5000 with one decimal (the precision a distance is shown to)
TYPED = st.decimals(min_value=0, max_value=5000, places=1, allow_nan=False, allow_infinity=False)


@given(TYPED, st.sampled_from(["km", "miles"]))
def test_a_distance_typed_comes_back_as_typed(typed: Decimal, unit: str) -> None:
    stored_km = to_km(float(typed), unit)  # type: ignore[arg-type]
    assert distance_number(stored_km, unit) == f"{typed:.1f}"  # type: ignore[arg-type]


@given(TYPED, st.sampled_from(["kg", "lb"]))
def test_a_weight_typed_comes_back_as_typed(typed: Decimal, unit: str) -> None:
    stored_kg = to_kg(float(typed), unit)  # type: ignore[arg-type]
    assert f"{kg_in(stored_kg, unit):.1f}" == f"{typed:.1f}"  # type: ignore[arg-type]


@given(st.floats(min_value=0, max_value=1e5, allow_nan=False))
def test_what_is_stored_is_metric(km: float) -> None:
    assert to_km(km_in(km, "miles"), "miles") == pytest.approx(km)
    assert km_in(km, "km") == km and to_kg(km, "kg") == km


def test_the_factors_are_the_exact_definitions() -> None:
    assert (KM_PER_MILE, KG_PER_LB) == (1.609344, 0.45359237)
    assert show_distance(8.04672, "miles") == "5.0 miles"
    assert show_distance(1.609344, "miles", 0) == "1 mile"
    assert show_distance(5, "km") == "5.0 km"
    assert show_weight(100, "lb") == "220.5 lb"
    assert (distance_input(950, "km"), distance_input(950, "miles")) == ("950", "590.3")


def test_a_unit_not_offered_is_named_with_the_choices() -> None:
    assert checked("distance", " Mi ", ("km", "miles")) == "miles"
    with pytest.raises(InputError) as caught:
        checked("weight", "stone", ("kg", "lb"))
    assert (caught.value.field, caught.value.problem) == ("weight", "'stone' is not one of kg, lb")


def test_the_defaults_follow_the_country() -> None:
    assert units_for_country("US") == Units("miles", "lb", "letter")
    assert units_for_country("us") == Units("miles", "lb", "letter")
    assert units_for_country("CA").paper == "letter"
    assert units_for_country("IE") == Units() == units_for_country(None)
    every = [load_units().default, *load_units().countries.values()]
    assert all(entry.basis and entry.source for entry in every)
