"""Reading and writing the check-in CSV of shared/spec/checkins.md: every column, bad rows."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.checkins import (
    COLUMNS,
    CheckIn,
    guarded,
    parse_checkins_csv,
    unguarded,
    write_checkins_csv,
)
from kneecoach.core.errors import InputError

TODAY = date(2030, 12, 31)
"""The day the tests read on: after every date they write (the window ends the next day)."""
FULL_HEADER = ",".join(COLUMNS) + ",factor:long_sitting,factor:foam_rolled"
FULL_ROW = "2026-03-14,3,5,1,15,1,0,0,1,0,0,0,0,6500,4,1,trail shoes,sore after hill,1,0"


def read(text: str) -> object:
    return parse_checkins_csv(text, today=TODAY)


def test_the_spec_columns_are_exactly_these() -> None:
    assert COLUMNS == (
        "date", "pain", "pain_worst", "swelling", "stiffness_min", "clicking", "catching",
        "locking", "giving_way", "weakness", "warm", "fever", "calf_pain", "steps",
        "exercise_pain", "next_morning_worse", "shoe", "note",
    )  # fmt: skip


def test_every_column_is_read_with_its_type() -> None:
    reading = parse_checkins_csv(FULL_HEADER + "\n" + FULL_ROW + "\n", today=TODAY)
    assert reading.problems == ()
    (c,) = reading.checkins
    assert c == CheckIn(
        day=date(2026, 3, 14), pain=3, pain_worst=5, swelling=1, stiffness_min=15,
        clicking=True, catching=False, locking=False, giving_way=True, weakness=False,
        warm=False, fever=False, calf_pain=False, steps=6500, exercise_pain=4,
        next_morning_worse=True, shoe="trail shoes", note="sore after hill",
        factors=(("foam_rolled", False), ("long_sitting", True)),
    )  # fmt: skip


def test_empty_cells_are_unknown_not_no() -> None:
    reading = parse_checkins_csv(
        "date,pain,swelling,catching,steps,factor:x\n2026-03-01,2,,,,\n", today=TODAY
    )
    (c,) = reading.checkins
    assert (c.swelling, c.catching, c.steps, c.factor("x")) == (None, None, None, None)
    assert c.factors == ()


def test_decimal_pain_is_kept_and_whole_numbers_stay_whole() -> None:
    (c,) = parse_checkins_csv("date,pain,swelling\n2026-03-01,2.5,1.0\n", today=TODAY).checkins
    assert c.pain == 2.5 and c.swelling == 1 and isinstance(c.swelling, int)


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("swelling", "5", "line 3, column swelling: 5 is out of range 0–3"),
        ("swelling", "1.5", "line 3, column swelling: 1.5 is not a whole number"),
        ("pain", "11", "line 3, column pain: 11 is out of range 0–10"),
        ("pain", "-1", "line 3, column pain: -1 is out of range 0–10"),
        ("pain", "bad", "line 3, column pain: bad is not a number"),
        ("pain", "", "line 3, column pain: is empty but required"),
        ("pain_worst", "10.5", "line 3, column pain_worst: 10.5 is out of range 0–10"),
        ("stiffness_min", "-5", "line 3, column stiffness_min: -5 is out of range 0–1440"),
        ("steps", "12.5", "line 3, column steps: 12.5 is not a whole number"),
        ("steps", "-3", "line 3, column steps: -3 is out of range 0–500000"),
        ("exercise_pain", "12", "line 3, column exercise_pain: 12 is out of range 0–10"),
        ("locking", "2", "line 3, column locking: 2 is not 0 or 1"),
        ("next_morning_worse", "maybe", "line 3, column next_morning_worse: maybe is not 0 or 1"),
        (
            "date",
            "14/03/2026",
            "line 3, column date: 14/03/2026 is not a date like 2026-03-14 (YYYY-MM-DD)",
        ),
        ("date", "2026-02-30", "line 3, column date: 2026-02-30 is not a real date"),
        ("date", "", "line 3, column date: is empty but required"),
    ],
)
def test_a_bad_cell_rejects_its_row_by_line_and_column_and_the_rest_is_read(
    column: str, cell: str, message: str
) -> None:
    values = {"date": "2026-03-02", "pain": "3", column: cell}
    header = ["date", "pain"] + ([column] if column not in ("date", "pain") else [])
    bad = ",".join(values[h] for h in header)
    good = ",".join(
        {"date": "2026-03-01"}.get(h, "1" if h != "date" else "") or "1" for h in header
    )
    good_late = good.replace("2026-03-01", "2026-03-03")
    text = "\n".join([",".join(header), good, bad, good_late]) + "\n"
    reading = parse_checkins_csv(text, today=TODAY)
    assert [str(p) for p in reading.problems] == [message]
    assert [c.day for c in reading.checkins] == [date(2026, 3, 1), date(2026, 3, 3)]


def test_every_problem_in_a_row_is_reported() -> None:
    reading = parse_checkins_csv(
        "date,pain,swelling,fever\n2026-03-01,12,4,yes please\n", today=TODAY
    )
    assert [p.column for p in reading.problems] == ["pain", "swelling", "fever"]
    assert reading.checkins == ()


def test_a_later_row_for_the_same_date_replaces_the_earlier() -> None:
    text = "date,pain\n2026-03-02,5\n2026-03-01,2\n2026-03-02,7\n"
    reading = parse_checkins_csv(text, today=TODAY)
    assert [(c.day.day, c.pain) for c in reading.checkins] == [(1, 2), (2, 7)]
    assert reading.replaced_dates == (date(2026, 3, 2),)
    assert any("line 4" in w and "line 2" in w for w in reading.warnings)


def test_unknown_columns_are_ignored_with_a_warning_naming_them() -> None:
    reading = parse_checkins_csv("date,pain,sweling,mood\n2026-03-01,2,1,ok\n", today=TODAY)
    assert len(reading.checkins) == 1
    assert reading.warnings == (
        "line 1: column 'sweling' is not a check-in column (did you mean swelling?); it was ignored",
        "line 1: column 'mood' is not a check-in column; it was ignored",
    )


def test_a_byte_order_mark_spaces_and_header_case_are_tolerated() -> None:
    text = "\ufeffDate, Pain ,Swelling\r\n2026-03-01, 4 , 1\r\n\r\n"
    (c,) = parse_checkins_csv(text, today=TODAY).checkins
    assert (c.day, c.pain, c.swelling) == (date(2026, 3, 1), 4, 1)


def test_semicolon_files_from_spreadsheets_are_read() -> None:
    (c,) = parse_checkins_csv("date;pain;swelling\n2026-03-01;4;2\n", today=TODAY).checkins
    assert c.swelling == 2


def test_factor_columns_are_normalised_and_yes_no_words_accepted() -> None:
    reading = parse_checkins_csv(
        "date,pain,factor:Long Sitting,factor:foam-rolled\n2026-03-01,2,yes,0\n", today=TODAY
    )
    assert reading.checkins[0].factors == (("foam_rolled", False), ("long_sitting", True))
    assert reading.factor_names == ("foam_rolled", "long_sitting")


def test_extra_cells_reject_the_row() -> None:
    reading = parse_checkins_csv("date,pain\n2026-03-01,2,9\n2026-03-02,3\n", today=TODAY)
    assert [str(p) for p in reading.problems] == ["line 2: has 3 cells but the header has 2"]
    assert len(reading.checkins) == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("pain,swelling\n3,1\n", "the header row has no date column"),
        ("date,swelling\n2026-03-01,1\n", "the header row has no pain column"),
        ("2026-03-01,3,1\n2026-03-02,3,1\n", "the header row has no date or pain column"),
        ('{"alerts": []}', "the header row has no date or pain column"),
        ("date,pain,pain\n2026-03-01,1,1\n", "column pain appears twice"),
        ("date,pain,factor:\n2026-03-01,1,1\n", "needs a factor name"),
        ("PK\x03\x04\x00\x00binary", "is not a CSV text file"),
    ],
)
def test_whole_file_problems_are_one_input_error(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_checkins_csv(text, field="--checkins", today=TODAY)
    assert caught.value.field == "--checkins"
    assert problem in caught.value.problem


def test_quoted_cells_with_commas_and_new_lines_keep_line_numbers_right() -> None:
    text = 'date,pain,note\n2026-03-01,2,"walked, then\nrested"\n2026-03-02,99,\n'
    reading = parse_checkins_csv(text, today=TODAY)
    assert reading.checkins[0].note == "walked, then\nrested"
    assert [str(p) for p in reading.problems] == ["line 4, column pain: 99 is out of range 0–10"]


def test_writing_uses_the_spec_columns_then_every_factor_used() -> None:
    text = write_checkins_csv(
        [
            CheckIn(
                day=date(2026, 3, 2), pain=2.5, swelling=1, locking=False, factors=(("b", True),)
            ),
            CheckIn(day=date(2026, 3, 1), pain=3, steps=4000, factors=(("a", False),)),
        ]
    )
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS) + ",factor:a,factor:b"
    assert lines[1].startswith("2026-03-01,3,,,,") and lines[1].endswith(",0,")
    assert lines[2].startswith("2026-03-02,2.5,,1,,,,0,") and lines[2].endswith(",,1")


flags = st.none() | st.booleans()
checkins = st.builds(
    CheckIn,
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    pain=st.integers(0, 10).map(float) | st.sampled_from([0.5, 2.5, 7.5]),
    pain_worst=st.none() | st.integers(0, 10).map(float),
    swelling=st.none() | st.integers(0, 3),
    stiffness_min=st.none() | st.integers(0, 300).map(float),
    clicking=flags, catching=flags, locking=flags, giving_way=flags, weakness=flags,
    warm=flags, fever=flags, calf_pain=flags,
    steps=st.none() | st.integers(0, 60000),
    exercise_pain=st.none() | st.integers(0, 10).map(float),
    next_morning_worse=flags,
    shoe=st.none() | st.sampled_from(["trail", "walker, old", 'the "blue" pair']),
    note=st.none() | st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30).filter(lambda s: s.strip() == s and s.strip() != "" and "\r" not in s),
    factors=st.dictionaries(st.sampled_from(["long_sitting", "foam_rolled", "kneeling"]), st.booleans()).map(lambda d: tuple(sorted(d.items()))),
)  # fmt: skip


@given(st.lists(checkins, max_size=8, unique_by=lambda c: c.day))
def test_write_then_read_gives_back_the_same_checkins(items: list[CheckIn]) -> None:
    reading = parse_checkins_csv(write_checkins_csv(items), today=TODAY)
    assert reading.problems == ()
    assert list(reading.checkins) == sorted(items, key=lambda c: c.day)


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab1 ,\""), max_size=12))
def test_guarding_formulas_round_trips_any_text(text: str) -> None:
    assert unguarded(guarded(text)) == text
    assert guarded(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_a_formula_note_is_exported_inert_and_imported_as_written() -> None:
    notes = ['=HYPERLINK("http://evil.example")', "+1", "-walked", "@home", "'=quoted", "plain"]
    checkins = [
        CheckIn(day=date(2026, 3, 1 + i), pain=2.0, note=note) for i, note in enumerate(notes)
    ]
    text = write_checkins_csv(checkins)
    for line in text.splitlines()[1:]:
        note_cell = next(csv.reader([line]))[COLUMNS.index("note")]
        assert note_cell[:1] not in ("=", "+", "-", "@")
    back = parse_checkins_csv(text, today=TODAY)
    assert [c.note for c in back.checkins] == notes
    assert "\n2026-03-01,2," in text, "numbers stay numbers"


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        ("2031-01-02", "2031-01-02 is in the future"),
        ("9999-12-31", "9999-12-31 is in the future"),
        ("1899-12-31", "1899-12-31 is before 1900-01-01"),
    ],
)
def test_a_row_outside_the_date_window_is_refused_like_the_form_and_the_api(
    day: str, problem: str
) -> None:
    reading = parse_checkins_csv(f"date,pain\n{day},2\n2031-01-01,3\n", today=TODAY)
    assert [str(p) for p in reading.problems] == [f"line 2, column date: {problem}"]
    assert [c.day for c in reading.checkins] == [date(2031, 1, 1)], "tomorrow is still today"
