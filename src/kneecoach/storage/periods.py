"""Periods of days in SQL: which period (week, four weeks, …) from a first day a date falls in.

Long charts are drawn from means per period worked out by the database (`GROUP BY` period), so
a year or twenty years of days come back as a few dozen rows. The number of days between two
dates is written differently by each database, so `period_index` compiles for each one:

- SQLite stores a date as ISO text: `julianday(day) - julianday(first)` counts the days;
- PostgreSQL subtracts two dates and gets whole days.

Both divide two non-negative integers, so the division is already rounded down.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, SQLColumnExpression, bindparam, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class period_index(FunctionElement[int]):
    """`period_index(column, first, days)`: 0 for the `days` days from `first` on, 1 for the
    next `days`, and so on. Rows before `first` must be filtered out by the caller."""

    type = Integer()
    name = "period_index"
    inherit_cache = True

    def __init__(self, column: SQLColumnExpression[date], first: date, days: int) -> None:
        if days < 1:
            raise ValueError("a period holds at least one day")
        # the length is written into the SQL (a whole number, so safe), and being one of the
        # clauses it is part of the statement's cache key
        length = literal_column(str(int(days)), Integer())
        super().__init__(column, bindparam(None, first, type_=Date()), length)


def _parts(element: period_index, compiler: SQLCompiler, **kw: Any) -> tuple[str, str, str]:
    column, first, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return column, first, days


@compiles(period_index, "sqlite")
def _sqlite(element: period_index, compiler: SQLCompiler, **kw: Any) -> str:
    column, first, days = _parts(element, compiler, **kw)
    return f"(CAST(julianday({column}) - julianday({first}) AS INTEGER) / {days})"


@compiles(period_index, "postgresql")
def _postgresql(element: period_index, compiler: SQLCompiler, **kw: Any) -> str:
    column, first, days = _parts(element, compiler, **kw)
    return f"(({column} - CAST({first} AS DATE)) / {days})"


@compiles(period_index)
def _other(element: period_index, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError(f"period_index is not written for {compiler.dialect.name}")
