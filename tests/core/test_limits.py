"""The input limits: size, nesting and dates, the same for every interface."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.errors import InputError
from kneecoach.core.limits import (
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    check_day,
    json_depth,
    parse_json,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=20,
)


def nesting_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((nesting_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((nesting_of(v) for v in value.values()), default=0)
    return 0


@given(json_values)
def test_depth_is_the_nesting_of_the_document(value: object) -> None:
    assert json_depth(json.dumps(value)) == nesting_of(value)


def test_brackets_inside_strings_do_not_count() -> None:
    assert json_depth('{"note": "[[[[{{{ \\" ]]"}') == 1


def test_a_deep_document_is_one_clear_error_not_a_crash() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    with pytest.raises(InputError, match=f"more than {MAX_JSON_DEPTH} deep") as error:
        parse_json(deep, "body")
    assert error.value.field == "body"
    ok = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json(ok, "body") is not None


def test_a_big_document_is_refused_before_parsing() -> None:
    big = json.dumps({"note": "x" * MAX_BODY_BYTES})
    with pytest.raises(InputError, match="the most kneecoach reads"):
        parse_json(big, "body")


def test_broken_json_names_the_place() -> None:
    with pytest.raises(InputError, match="line 1, column"):
        parse_json('{"a": ', "answers")


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(1900, 1, 1), True),
        (date(1899, 12, 31), False),
        (date(2026, 3, 3), True),  # tomorrow: a time zone ahead
        (date(2026, 3, 4), False),
        (date(9999, 12, 31), False),
    ],
)
def test_days_lie_between_1900_and_tomorrow(day: date, ok: bool) -> None:
    today = date(2026, 3, 2)
    if ok:
        assert check_day(day, "date", today) == day
    else:
        with pytest.raises(InputError) as error:
            check_day(day, "date", today)
        assert error.value.field == "date"
