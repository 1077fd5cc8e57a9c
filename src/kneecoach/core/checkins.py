"""A daily check-in and its CSV form (`shared/spec/checkins.md`), as pure functions over text.

One row is one day. Empty cells are *unknown*, never "no". A bad row is reported with its line
and column and left out, and the rest of the file is still read: a person's months of data are
never thrown away because of one typo. Columns the spec does not know are reported as warnings
and ignored (a spreadsheet often carries a column of its own), never silently used.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final, Literal

from kneecoach.core.errors import InputError, raise_all
from kneecoach.core.limits import check_day

FACTOR_PREFIX = "factor:"
FLAG_COLUMNS: tuple[str, ...] = (
    "clicking",
    "catching",
    "locking",
    "giving_way",
    "weakness",
    "warm",
    "fever",
    "calf_pain",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("date", "pain")

Kind = Literal["date", "number", "integer", "flag", "text"]


@dataclass(frozen=True)
class ColumnRule:
    """What one column may hold: its kind, for numbers the allowed range, and what it means."""

    name: str
    kind: Kind
    low: float | None = None
    high: float | None = None
    description: str = ""

    def describe_range(self) -> str:
        if self.high is None:
            return f"{_show(self.low)} or more"
        return f"{_show(self.low)}–{_show(self.high)}"


_FLAG_MEANINGS: Mapping[str, str] = {
    "clicking": "Clicking or grinding today",
    "catching": "Catching today (a brief snag)",
    "locking": "Locking today (stuck, could not straighten it)",
    "giving_way": "The knee gave way today",
    "weakness": "The leg felt weak today",
    "warm": "The knee felt hot today",
    "fever": "A fever, or feeling hot and shivery, today",
    "calf_pain": "The calf was painful or swollen today",
}

MAX_STEPS: Final = 500_000
"""More than anyone walks in a day (about six steps a second for 24 hours): a product decision,
so a number too big for the database (10**30 once made a 500) is a clear error instead."""

COLUMN_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("date", "date", description="The day (YYYY-MM-DD), from 1900-01-01 to tomorrow"),
    ColumnRule("pain", "number", 0, 10, "Usual knee pain today, 0 (none) to 10 (worst)"),
    ColumnRule("pain_worst", "number", 0, 10, "Worst knee pain today, 0 to 10"),
    ColumnRule("swelling", "integer", 0, 3, "Swelling: 0 none, 1 mild, 2 moderate, 3 severe"),
    ColumnRule("stiffness_min", "number", 0, 24 * 60, "Morning stiffness in minutes"),
    *(ColumnRule(name, "flag", description=_FLAG_MEANINGS[name]) for name in FLAG_COLUMNS),
    ColumnRule("steps", "integer", 0, MAX_STEPS, "Steps walked today"),
    ColumnRule("exercise_pain", "number", 0, 10, "Worst pain during today's exercises, 0 to 10"),
    ColumnRule("next_morning_worse", "flag", description="Worse the morning after exercising"),
    ColumnRule("shoe", "text", description="The shoes worn most today (a pair's id or name)"),
    ColumnRule("note", "text", description="A note in the person's own words"),
)
RULES_BY_COLUMN: Mapping[str, ColumnRule] = {rule.name: rule for rule in COLUMN_RULES}
COLUMNS: tuple[str, ...] = tuple(rule.name for rule in COLUMN_RULES)
FACTOR_RULE = ColumnRule("factor", "flag", description="One of the person's own yes/no factors")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FACTOR_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE = frozenset({"1", "yes", "y", "true"})
_FALSE = frozenset({"0", "no", "n", "false"})


@dataclass(frozen=True)
class CheckIn:
    """One day's record. `None` means unknown (the cell was empty or the question skipped)."""

    day: date
    pain: float
    pain_worst: float | None = None
    swelling: int | None = None
    stiffness_min: float | None = None
    clicking: bool | None = None
    catching: bool | None = None
    locking: bool | None = None
    giving_way: bool | None = None
    weakness: bool | None = None
    warm: bool | None = None
    fever: bool | None = None
    calf_pain: bool | None = None
    steps: int | None = None
    exercise_pain: float | None = None
    next_morning_worse: bool | None = None
    shoe: str | None = None
    note: str | None = None
    factors: tuple[tuple[str, bool], ...] = field(default=())

    def value(self, column: str) -> Any:
        """The value of a spec column (`date` included) or of a `factor:NAME` column."""
        if column == "date":
            return self.day
        if column.startswith(FACTOR_PREFIX):
            return self.factor(column.removeprefix(FACTOR_PREFIX))
        if column not in RULES_BY_COLUMN:
            raise KeyError(column)
        return getattr(self, column)

    def measure(self, column: str) -> float | None:
        """A column as a number for the detectors: flags count 1 for yes and 0 for no."""
        found = self.value(column)
        if found is None or isinstance(found, str | date):
            return None
        return float(found)

    def factor(self, name: str) -> bool | None:
        return dict(self.factors).get(name)

    @property
    def factor_map(self) -> dict[str, bool]:
        return dict(self.factors)

    def values(self) -> dict[str, Any]:
        """Every known answer by column name, factors as `factor:NAME` (for storage and JSON)."""
        known: dict[str, Any] = {}
        for column in COLUMNS:
            found = self.value(column)
            if found is not None:
                known[column] = found.isoformat() if isinstance(found, date) else found
        for name, answer in self.factors:
            known[FACTOR_PREFIX + name] = answer
        return known

    def merged_with(self, newer: CheckIn) -> CheckIn:
        """A second check-in on the same day: its answers win, earlier answers it skipped stay."""
        changes = {
            column: newer.value(column) for column in COLUMNS[1:] if newer.value(column) is not None
        }
        factors = {**self.factor_map, **newer.factor_map}
        return replace(self, **changes, factors=tuple(sorted(factors.items())))


def make_checkin(values: Mapping[str, Any]) -> CheckIn:
    """Build a check-in from typed values by column name (factors as `factor:NAME`)."""
    factors = sorted(
        (key.removeprefix(FACTOR_PREFIX), bool(answer))
        for key, answer in values.items()
        if key.startswith(FACTOR_PREFIX) and answer is not None
    )
    plain = {
        key: answer
        for key, answer in values.items()
        if not key.startswith(FACTOR_PREFIX) and key != "date" and answer is not None
    }
    unknown = sorted(set(plain) - set(COLUMNS))
    if unknown:
        raise InputError(unknown[0], "is not a check-in column")
    day = values.get("date")
    if not isinstance(day, date):
        raise InputError("date", "is required (YYYY-MM-DD)")
    if plain.get("pain") is None:
        raise InputError("pain", "is required (a number from 0 to 10)")
    return CheckIn(day=day, factors=tuple(factors), **plain)


class CellProblem(ValueError):
    """One cell that cannot be read; the message says why in words a person can act on."""


def parse_cell(rule: ColumnRule, text: str) -> Any:
    """Read one cell: None when empty, else the typed value; raises CellProblem when bad."""
    cell = text.strip()
    if not cell:
        return None
    if rule.kind == "text":
        return unguarded(cell)
    if rule.kind == "date":
        return _parse_date(cell)
    if rule.kind == "flag":
        lowered = cell.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise CellProblem(f"{cell} is not 0 or 1")
    return _parse_number(rule, cell)


def _parse_date(cell: str) -> date:
    if not _DATE.match(cell):
        raise CellProblem(f"{cell} is not a date like 2026-03-14 (YYYY-MM-DD)")
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise CellProblem(f"{cell} is not a real date") from None


def _parse_number(rule: ColumnRule, cell: str) -> float | int:
    try:
        number = float(cell)
    except ValueError:
        raise CellProblem(f"{cell} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellProblem(f"{cell} is not a number")
    out_of_range = (rule.low is not None and number < rule.low) or (
        rule.high is not None and number > rule.high
    )
    if out_of_range:
        raise CellProblem(f"{cell} is out of range {rule.describe_range()}")
    if rule.kind == "integer":
        if not number.is_integer():
            raise CellProblem(f"{cell} is not a whole number")
        return int(number)
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class RowProblem:
    """A rejected row: its line in the file, the column at fault and why."""

    line: int
    column: str | None
    problem: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class CsvReading:
    """What a CSV file held: the good check-ins (one per date, in date order) and the rest."""

    checkins: tuple[CheckIn, ...]
    problems: tuple[RowProblem, ...]
    warnings: tuple[str, ...]
    rows_read: int
    replaced_dates: tuple[date, ...] = ()

    @property
    def factor_names(self) -> tuple[str, ...]:
        return tuple(sorted({name for c in self.checkins for name, _ in c.factors}))


def factor_column_name(header: str) -> str:
    """`factor:Long Sitting` → `long_sitting`; raises CellProblem for an empty or odd name."""
    name = header.strip()[len(FACTOR_PREFIX) :].strip().lower()
    name = re.sub(r"[\s\-]+", "_", name)
    if not _FACTOR_NAME.match(name):
        raise CellProblem(
            f"'{header.strip()}' needs a factor name of letters, digits and _ after 'factor:'"
        )
    return name


FACTOR_KEY_PATTERN: str = "^" + FACTOR_PREFIX + _FACTOR_NAME.pattern.removeprefix("^")
"""A factor answer's key in its canonical form, `factor:long_sitting` (for schemas)."""

_EXPECTED: Mapping[Kind, str] = {
    "date": "a date like 2026-03-14 (YYYY-MM-DD)",
    "number": "a number",
    "integer": "a whole number",
    "flag": "0 or 1 (yes or no)",
    "text": "text",
}


def factor_key(key: str) -> str:
    """`factor:Long Sitting` → `factor:long_sitting`: the one rule for a factor's name (the CSV
    header's rule), so every answer kneecoach keeps can be exported and imported again."""
    try:
        return FACTOR_PREFIX + factor_column_name(key)
    except CellProblem as problem:
        raise InputError(key, str(problem)) from None


def parse_answer(column: str, raw: object) -> Any:
    """One answer by its column's rule (`factor:NAME` by the factor rule): None when empty,
    else the typed value; raises InputError naming the column. Text is read as a CSV cell is;
    a JSON number, a yes/no or a date already typed is checked by the same rule."""
    rule = FACTOR_RULE if column.startswith(FACTOR_PREFIX) else RULES_BY_COLUMN.get(column)
    if rule is None:
        raise InputError(column, "is not a check-in column (see shared/spec/checkins.md)")
    try:
        return _typed_answer(rule, raw)
    except CellProblem as problem:
        raise InputError(column, str(problem)) from None


def _typed_answer(rule: ColumnRule, raw: object) -> Any:
    if raw is None or isinstance(raw, str):
        return parse_cell(rule, raw or "")
    if isinstance(raw, bool):
        if rule.kind == "flag":
            return raw
    elif isinstance(raw, int | float):
        if rule.kind == "flag" and raw in (0, 1):
            return bool(raw)
        if rule.kind in ("number", "integer"):
            return _parse_number(rule, repr(float(raw)) if isinstance(raw, float) else str(raw))
    elif isinstance(raw, date) and rule.kind == "date":
        return raw
    shown = raw.isoformat() if isinstance(raw, date) else repr(raw)
    raise CellProblem(f"{shown} is not {_EXPECTED[rule.kind]}")


def parse_answers(raw: Mapping[str, object]) -> dict[str, Any]:
    """Every answer typed by its rule, in one order whatever the interface's own order (an
    unknown key first, then the columns in spec order, then the factors); skipped ones None.
    Raises InputError for one problem, InputErrors listing every one for several."""
    typed, problems = _typed_answers(raw)
    raise_all(problems)
    return typed


def _typed_answers(raw: Mapping[str, object]) -> tuple[dict[str, Any], list[InputError]]:
    """The answers read by their rules, and every problem found (in `parse_answers` order)."""
    problems = [
        InputError(key, "is not a check-in column (see shared/spec/checkins.md)")
        for key in raw
        if not key.startswith(FACTOR_PREFIX) and key not in RULES_BY_COLUMN
    ]
    typed: dict[str, Any] = {}
    for column in COLUMNS:
        if column in raw:
            try:
                typed[column] = parse_answer(column, raw[column])
            except InputError as error:
                problems.append(error)
    for key, answer in raw.items():
        if key.startswith(FACTOR_PREFIX):
            try:
                typed[factor_key(key)] = parse_answer(key, answer)
            except InputError as error:
                problems.append(error)
    return typed, problems


def checked_day(raw: object, *, today: date) -> date:
    """The check-in's day: required, read by the date rule, 1900-01-01 to tomorrow."""
    day = parse_answer("date", raw)
    if day is None:
        raise InputError("date", "is required (YYYY-MM-DD)")
    assert isinstance(day, date)
    return check_day(day, "date", today)


def checkin_from_answers(raw: Mapping[str, object], *, today: date) -> CheckIn:
    """The one owner of "raw answers → a valid CheckIn", for the CLI, the form and the API.

    `raw` holds answers by column name (`date`, `pain`, …, and `factor:NAME`), each as text
    (a form field, an option, a CSV cell) or already typed (JSON). Each is read by its column's
    rule; the date must fall between 1900-01-01 and tomorrow (`today` is the caller's day);
    `date` and `pain` are required. Raises InputError naming the domain field, or InputErrors
    listing every problem when there are several, so a person fixes them all in one go."""
    typed = _checked(raw, today=today, need_pain=True)
    return make_checkin(typed)


def checked_answers(raw: Mapping[str, object], *, today: date) -> dict[str, Any]:
    """Every answer typed by its rule and the day checked (`date` becomes the day), pain not
    required (a CLI that asks the rest next); every problem at once, as `checkin_from_answers`."""
    return _checked(raw, today=today, need_pain=False)


def _checked(raw: Mapping[str, object], *, today: date, need_pain: bool) -> dict[str, Any]:
    typed, problems = _typed_answers(raw)
    failed = {error.field for error in problems}
    if "date" not in failed:
        try:
            typed["date"] = checked_day(typed.get("date"), today=today)
        except InputError as error:
            problems.append(error)
    if need_pain and "pain" not in failed and typed.get("pain") is None:
        problems.append(InputError("pain", "is required (a number from 0 to 10)"))
    raise_all(sorted(problems, key=_problem_order))
    return typed


def _problem_order(error: InputError) -> int:
    """Unknown keys first, then the columns in spec order, then the factors."""
    if error.field in RULES_BY_COLUMN:
        return COLUMNS.index(error.field) + 1
    return len(COLUMNS) + 1 if error.field.startswith(FACTOR_PREFIX) else 0


def _delimiter(first_line: str) -> str:
    """Commas as the spec says; a semicolon or tab file (some spreadsheets) is read too."""
    for candidate in (",", ";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


def parse_checkins_csv(text: str, field: str = "checkins", *, today: date) -> CsvReading:
    """Read a check-in CSV; whole-file problems raise InputError(field, …), row ones are listed.

    Each cell is read by its column's rule and each date must fall in the window every
    interface keeps (1900-01-01 to the day after `today`), so a row the form or the API would
    refuse is refused here too."""
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise InputError(field, "is not a CSV text file")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise InputError(field, "the file is empty: it needs a header row starting with date,pain")
    rows = _numbered_rows(text, _delimiter(first), field)
    if not rows:
        raise InputError(field, "the file has no header row: it needs one starting with date,pain")
    header_line, header = rows[0]
    columns, warnings = _read_header(header, header_line, field)
    return _read_rows(rows[1:], columns, warnings, today)


def _numbered_rows(text: str, delimiter: str, field: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows, each with the line of the file it starts on (header = line 1)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for row in reader:
            start = line + 1
            line = reader.line_num
            if any(cell.strip() for cell in row):
                numbered.append((start, row))
    except csv.Error as error:
        raise InputError(field, f"is not a readable CSV file (line {line + 1}: {error})") from None
    return numbered


def _read_header(
    header: Sequence[str], line: int, field: str
) -> tuple[list[tuple[str, ColumnRule] | None], list[str]]:
    """Each header cell as (column, rule), or None for an ignored unknown column."""
    columns: list[tuple[str, ColumnRule] | None] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for cell in header:
        raw = cell.strip()
        if raw.lower().startswith(FACTOR_PREFIX):
            try:
                name = FACTOR_PREFIX + factor_column_name(raw)
            except CellProblem as problem:
                raise InputError(field, f"line {line}: {problem}") from None
            rule = FACTOR_RULE
        elif raw.lower() in RULES_BY_COLUMN:
            name = raw.lower()
            rule = RULES_BY_COLUMN[name]
        else:
            if raw:
                warnings.append(
                    f"line {line}: column '{raw}' is not a check-in column{_hint(raw)}; it was ignored"
                )
            columns.append(None)
            continue
        if name in seen:
            raise InputError(field, f"line {line}: column {name} appears twice in the header")
        seen.add(name)
        columns.append((name, rule))
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        found = ", ".join(c.strip() for c in header if c.strip())[:120] or "nothing"
        raise InputError(
            field,
            f"the header row has no {' or '.join(missing)} column (it has: {found}); "
            "the first row must name the columns, e.g. date,pain,swelling",
        )
    return columns, warnings


def _hint(raw: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(raw.lower(), COLUMNS, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _read_rows(
    rows: Iterable[tuple[int, list[str]]],
    columns: Sequence[tuple[str, ColumnRule] | None],
    warnings: list[str],
    today: date,
) -> CsvReading:
    by_date: dict[date, tuple[int, CheckIn]] = {}
    problems: list[RowProblem] = []
    replaced: list[date] = []
    count = 0
    for line, row in rows:
        count += 1
        checkin, row_problems = _read_row(line, row, columns, today)
        problems.extend(row_problems)
        if checkin is None:
            continue
        if checkin.day in by_date:
            earlier = by_date[checkin.day][0]
            warnings.append(
                f"line {line}: {checkin.day.isoformat()} was already on line {earlier}; "
                "the later row replaces it"
            )
            replaced.append(checkin.day)
        by_date[checkin.day] = (line, checkin)
    ordered = tuple(by_date[day][1] for day in sorted(by_date))
    return CsvReading(ordered, tuple(problems), tuple(warnings), count, tuple(replaced))


def _read_row(
    line: int,
    row: Sequence[str],
    columns: Sequence[tuple[str, ColumnRule] | None],
    today: date,
) -> tuple[CheckIn | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    extra = [cell for cell in row[len(columns) :] if cell.strip()]
    if extra:
        problems.append(
            RowProblem(line, None, f"has {len(row)} cells but the header has {len(columns)}")
        )
    values: dict[str, Any] = {}
    for index, spec in enumerate(columns):
        if spec is None:
            continue
        name, rule = spec
        cell = row[index] if index < len(row) else ""
        try:
            values[name] = parse_cell(rule, cell)
        except CellProblem as problem:
            problems.append(RowProblem(line, name, str(problem)))
    for required in REQUIRED_COLUMNS:
        if required in values and values[required] is None:
            problems.append(RowProblem(line, required, "is empty but required"))
    if isinstance(values.get("date"), date):
        try:
            check_day(values["date"], "date", today)
        except InputError as error:
            problems.append(RowProblem(line, "date", error.problem))
    if problems:
        return None, problems
    return make_checkin(values), []


def header_for(checkins: Iterable[CheckIn], extra_factors: Iterable[str] = ()) -> list[str]:
    """The spec's columns in order, then a `factor:NAME` column for every factor used."""
    names = set(extra_factors)
    for checkin in checkins:
        names.update(name for name, _ in checkin.factors)
    return [*COLUMNS, *(FACTOR_PREFIX + name for name in sorted(names))]


_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def guarded(text: str) -> str:
    """Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
    quote, so opening an export can never run anything. A text that already starts with
    quotes before such a sign gets one more, so `unguarded` gives back exactly the original."""
    return "'" + text if _FORMULA.match(text) else text


def unguarded(text: str) -> str:
    """The text as the person wrote it: one guarding quote removed (see `guarded`)."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text[1:]) else text


def format_cell(value: Any) -> str:
    """A value as the CSV writes it: empty for unknown, 0/1 for flags, no needless '.0';
    text guarded against spreadsheet formulas (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guarded(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return _show(value)
    return str(value)


def write_checkins_csv(checkins: Sequence[CheckIn], extra_factors: Iterable[str] = ()) -> str:
    """The CSV text of check-ins, in date order, with exactly the columns the reader takes."""
    header = header_for(checkins, extra_factors)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for checkin in sorted(checkins, key=lambda c: c.day):
        writer.writerow([format_cell(checkin.value(column)) for column in header])
    return out.getvalue()


def _show(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
