"""Check-in use cases: record one, import and export CSV, list them, track the person's factors.

One date holds one check-in. Recording again for a date updates it and keeps the old answers
as a revision, so an edit never loses what was there. Each change adds one to the day's
`version` (0: no check-in yet); a writer that says which version it saw (`expected_version`)
is refused with ConflictError, and nothing written, when someone changed the day since. An import is one unit of work: either
every good row is stored or, if something unexpected fails, nothing is. Every function that
reads or writes takes the caller's session (`*, session`): the interface owns the unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Date, Integer, Row, Select, bindparam, cast, delete, func, select
from sqlalchemy.orm import Session

from kneecoach.core.checkins import (
    COLUMNS,
    FLAG_COLUMNS,
    CellProblem,
    CheckIn,
    CsvReading,
    factor_column_name,
    make_checkin,
    parse_checkins_csv,
    write_checkins_csv,
)
from kneecoach.core.errors import ConflictError, InputError, NotFoundError
from kneecoach.core.windows import DEFAULT_RANGE, RANGE_KEYS, Range, check_range, range_named
from kneecoach.services.paging import DEFAULT_DAYS, date_page
from kneecoach.storage.base import utc_now
from kneecoach.storage.locking import lock_for_write
from kneecoach.storage.models.checkins import CheckInRevision, CheckInRow, TrackedFactor
from kneecoach.storage.periods import period_index
from kneecoach.storage.upsert import insert_if_absent

Status = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class Recorded:
    status: Status
    checkin: CheckIn
    version: int


FIRST_VERSION = 1
"""A day's first check-in is version 1 (the column's default, storage/models/checkins.py)."""


@dataclass(frozen=True)
class StoredCheckIn:
    """A check-in as stored, with its version (1 when first saved, one more with each change)."""

    checkin: CheckIn
    version: int


@dataclass(frozen=True)
class Revision:
    day: date
    replaced_at: datetime
    source: str
    old_values: dict[str, Any]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, each rejected row, warnings and newly tracked factors."""

    imported: int
    updated: int
    unchanged: int
    reading: CsvReading
    new_factors: tuple[str, ...] = field(default=())
    shoe_days: int = 0

    @property
    def rejected(self) -> int:
        return len({problem.line for problem in self.reading.problems})


@dataclass(frozen=True)
class Factor:
    name: str
    question: str


def read_checkins_file(path: Path, field: str = "checkins") -> CsvReading:
    """Read and check a check-in CSV file; whole-file problems raise one InputError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(field, f"file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(field, f"{path} is a folder, not a file") from None
    except OSError as error:
        raise InputError(field, f"cannot read {path}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(field, f"{path} is not a CSV text file (it is not UTF-8 text)") from None
    return parse_checkins_csv(text, field, today=date.today())


def to_checkin(row: CheckInRow | Row[Any]) -> CheckIn:
    """A stored row (an ORM object or a plain row) as the core's CheckIn (factors as
    `factor:NAME`)."""
    values: dict[str, Any] = {column: _whole(getattr(row, column)) for column in COLUMNS[1:]}
    values["date"] = row.day
    values.update({f"factor:{name}": answer for name, answer in (row.factors or {}).items()})
    return make_checkin(values)


def _whole(value: Any) -> Any:
    """3.0 read back from a float column is the 3 that was logged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _columns_of(checkin: CheckIn) -> dict[str, Any]:
    """The row's columns for a check-in (factors as one mapping)."""
    return {
        **{column: checkin.value(column) for column in COLUMNS[1:]},
        "factors": checkin.factor_map,
    }


def _write(row: CheckInRow, checkin: CheckIn) -> None:
    for column, value in _columns_of(checkin).items():
        setattr(row, column, value)


def _locked_row(session: Session, day: date) -> CheckInRow | None:
    """The day's row as stored now, locked until the unit of work ends (see storage/locking)."""
    query = select(CheckInRow).where(CheckInRow.day == day).with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))


def _save(
    session: Session, checkin: CheckIn, merge: bool, source: str, expected: int | None = None
) -> Recorded:
    """Add or update the day's row. The read, the merge and the write happen under the row's
    lock, so writers of one date at the same moment each see the one before (no lost update);
    two first writes of a date both succeed: the second updates the row the first added. With
    `expected` (the version the writer saw; 0 for none), a day changed since is a
    ConflictError and nothing is written, unless it already holds exactly what would be."""
    if expected is not None and expected < 0:
        raise InputError("version", f"{expected} is not a version: give 0 or more")
    lock_for_write(session)
    if expected in (None, 0):  # a first write of the day may go straight in
        now = utc_now()
        fresh = {**_columns_of(checkin), "day": checkin.day, "recorded_at": now, "updated_at": now}
        if insert_if_absent(session, CheckInRow, fresh, key=("day",)):
            return Recorded("added", checkin, FIRST_VERSION)
    # The date has a row (maybe added by another writer a moment ago): update it.
    row = _locked_row(session, checkin.day)
    if row is None:
        check_version(expected, 0, checkin.day)
        raise ConflictError(
            f"the check-in for {checkin.day.isoformat()} changed as it was saved; try again",
            field="date",
        )
    before = to_checkin(row)
    after = before.merged_with(checkin) if merge else checkin
    if after == before:
        return Recorded("unchanged", before, row.version)
    check_version(expected, row.version, checkin.day)
    session.add(
        CheckInRevision(
            checkin_id=row.id,
            day=row.day,
            replaced_at=utc_now(),
            source=source,
            old_values=before.values(),
        )
    )
    _write(row, after)
    row.updated_at = utc_now()
    session.flush()  # UPDATE … SET version = version + 1 (the model's version_id_col)
    return Recorded("updated", after, row.version)


def _seen(version: int) -> str:
    return f"version {version}" if version else "no check-in"


def check_version(expected: int | None, current: int, day: date) -> None:
    """The rule against lost updates: a writer that saw another version than the one stored
    is refused (None: the writer did not say, and merges or replaces as asked)."""
    if expected is not None and expected != current:
        raise ConflictError(
            f"someone changed the check-in for {day.isoformat()} since you opened it (you saw "
            f"{_seen(expected)}; it is now {_seen(current)}). Nothing was saved: reload it "
            "and try again",
            field="version",
        )


def record_checkin(
    checkin: CheckIn,
    merge: bool = True,
    source: str = "checkin",
    expected_version: int | None = None,
    *,
    session: Session,
) -> Recorded:
    """Store a day's check-in and count its steps on the shoe worn, in one unit of work.

    With `merge`, answers skipped now keep their earlier value. With `expected_version` (the
    version the person saw, 0 for none), a day someone changed since is a ConflictError."""
    recorded = _save(session, checkin, merge, source, expected_version)
    count_steps_on_shoes([recorded.checkin], session=session)
    return recorded


def count_steps_on_shoes(checkins: Iterable[CheckIn], *, session: Session) -> int:
    """Walking distance from each day's steps goes on the pair worn most that day.

    Only days with both steps and a shoe that names one of the person's pairs count; a day
    counted before is replaced, never added twice. Returns how many days were counted.
    """
    from kneecoach.services.intake import latest_intake
    from kneecoach.services.shoes import estimate_from_steps

    days = [(c.day, c.steps, c.shoe) for c in checkins if c.steps is not None and c.shoe]
    if not days:
        return 0
    intake = latest_intake(session=session)
    height = intake.intake().person.height_cm if intake is not None else None
    report = estimate_from_steps(days, height_cm=height, skip_unknown_shoes=True, session=session)
    return len(report.estimates)


def import_checkins(
    reading: CsvReading,
    on_row: Callable[[CheckIn], None] | None = None,
    *,
    session: Session,
) -> ImportReport:
    """Store every good row of a CSV reading (a row replaces that date's check-in)."""
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for checkin in reading.checkins:
        counts[_save(session, checkin, merge=False, source="import").status] += 1
        if on_row is not None:
            on_row(checkin)
    known = set(session.scalars(select(TrackedFactor.name)))
    new = [name for name in reading.factor_names if name not in known]
    for name in new:
        session.add(TrackedFactor(name=name, question=default_question(name)))
    session.flush()
    shoe_days = count_steps_on_shoes(reading.checkins, session=session)
    return ImportReport(
        counts["added"], counts["updated"], counts["unchanged"], reading, tuple(new), shoe_days
    )


def stored_checkins(
    first: date | None = None, last: date | None = None, *, session: Session
) -> list[StoredCheckIn]:
    """The stored check-ins with their versions in date order, optionally between two dates
    (both included)."""
    return [StoredCheckIn(to_checkin(row), row.version) for row in _rows(first, last, session)]


@dataclass(frozen=True)
class CheckInWindow:
    """The check-ins of a window (the days up to the latest check-in, or from a date on) and
    how many are saved in all, so a screen can say what it leaves out."""

    range: Range
    first: date | None  # None: from the very first check-in
    last: date | None  # the latest check-in (None before the first)
    checkins: list[StoredCheckIn]
    saved: int


def checkins_in_window(
    range_key: str = DEFAULT_RANGE, since: date | None = None, *, session: Session
) -> CheckInWindow:
    """The stored check-ins of the range (`core.windows`) ending on the latest check-in, or
    every one from `since` on when given; oldest first."""
    chosen = range_named(range_key)
    if chosen is None:
        raise InputError("range", f"{range_key!r} is not a range; use one of {RANGE_KEYS}")
    saved, latest = session.execute(select(func.count(), func.max(CheckInRow.day))).one()
    first = since if since is not None else None if latest is None else chosen.first_day(latest)
    stored = stored_checkins(first=first, session=session) if saved else []
    return CheckInWindow(chosen, first, latest, stored, int(saved))


@dataclass(frozen=True)
class CheckInPage:
    """One page of stored check-ins, oldest first; `next_before` asks for the page before."""

    checkins: tuple[StoredCheckIn, ...]
    next_before: date | None


def checkin_page(
    first: date | None = None,
    last: date | None = None,
    limit: int = DEFAULT_DAYS,
    before: date | None = None,
    *,
    session: Session,
) -> CheckInPage:
    """The `limit` latest stored check-ins from `first` to `last` (either open) before
    `before` (`services.paging`): years of days are read a page at a time."""
    check_range(first, last)
    bounds = [CheckInRow.day >= first] if first is not None else []
    if last is not None:
        bounds.append(CheckInRow.day <= last)
    page = date_page(CheckInRow.day, bounds, limit, before, session=session)
    if page.empty:
        return CheckInPage((), None)
    ends = [day for day in (page.last, last) if day is not None]
    found = stored_checkins(page.first, min(ends) if ends else None, session=session)
    return CheckInPage(tuple(found), page.next_before)


def list_checkins(
    first: date | None = None, last: date | None = None, *, session: Session
) -> list[CheckIn]:
    """The stored check-ins in date order, optionally between two dates (both included)."""
    return [to_checkin(row) for row in _rows(first, last, session)]


def checkin_count(*, session: Session) -> int:
    """How many days have a stored check-in."""
    return int(session.scalar(select(func.count()).select_from(CheckInRow)) or 0)


def each_checkin(*, session: Session, batch: int = 500) -> Iterator[CheckIn]:
    """Every stored check-in in date order, read `batch` rows at a time (a server-side cursor
    on PostgreSQL), so decades of days are never all in memory at once."""
    query = _rows_between(False, False).execution_options(yield_per=batch)
    for row in session.execute(query):
        yield to_checkin(row)


def _rows(first: date | None, last: date | None, session: Session) -> Iterable[Row[Any]]:
    """Plain rows (no ORM objects to track: years of days stay quick to read)."""
    bounds = {"first": first, "last": last}
    query = _rows_between(*(bound is not None for bound in bounds.values()))
    return session.execute(query, {name: day for name, day in bounds.items() if day is not None})


@cache
def _rows_between(from_first: bool, to_last: bool) -> Select[Any]:
    """The rows' statement, built once for each kind of range (its dates are parameters): a
    check-in's alerts read a few days this way on every write."""
    table = CheckInRow.__table__
    query = select(table).order_by(table.c.day)
    if from_first:
        query = query.where(table.c.day >= bindparam("first", type_=Date))
    if to_last:
        query = query.where(table.c.day <= bindparam("last", type_=Date))
    return query


# The columns a long chart draws as a mean per period; a yes/no column's mean is the share of
# the days answered that said yes.
MEAN_COLUMNS: tuple[str, ...] = (
    "pain",
    "pain_worst",
    "swelling",
    "stiffness_min",
    "exercise_pain",
    "clicking",
    "catching",
    "locking",
    "giving_way",
    "weakness",
)


@dataclass(frozen=True)
class PeriodMeans:
    """The check-ins of one period (e.g. a week): its first day, its last, how many days were
    logged, and each column's mean over the days that answered it (None when none did)."""

    first: date
    last: date
    days: int
    means: Mapping[str, float | None]

    def measure(self, column: str) -> float | None:
        return self.means.get(column)


def checkin_means(
    first: date, last: date, period_days: int = 7, *, session: Session
) -> list[PeriodMeans]:
    """The check-ins from `first` to `last` as means per period of `period_days` days (the
    first period starts on `first`), worked out by the database with one `GROUP BY` query, so
    years of days come back as a few dozen rows. Periods without a check-in are left out."""
    period = period_index(CheckInRow.day, first, period_days).label("period")
    flags = set(FLAG_COLUMNS)
    means = [
        func.avg(
            cast(getattr(CheckInRow, name), Integer) if name in flags else getattr(CheckInRow, name)
        ).label(name)
        for name in MEAN_COLUMNS
    ]
    query = (
        select(period, func.count(CheckInRow.id).label("days"), *means)
        .where(CheckInRow.day >= first, CheckInRow.day <= last)
        .group_by(period)
        .order_by(period)
    )
    found: list[PeriodMeans] = []
    for row in session.execute(query):
        start = first + timedelta(days=int(row.period) * period_days)
        end = min(last, start + timedelta(days=period_days - 1))
        values = {
            name: None if getattr(row, name) is None else float(getattr(row, name))
            for name in MEAN_COLUMNS
        }
        found.append(PeriodMeans(start, end, int(row.days), values))
    return found


def checkin_span(*, session: Session) -> tuple[date, date] | None:
    """The first and the last day with a check-in (None before the first one)."""
    first, last = session.execute(select(func.min(CheckInRow.day), func.max(CheckInRow.day))).one()
    return None if first is None or last is None else (first, last)


def stored_checkin_on(day: date, *, session: Session) -> StoredCheckIn | None:
    row = session.scalar(select(CheckInRow).where(CheckInRow.day == day))
    return None if row is None else StoredCheckIn(to_checkin(row), row.version)


def checkin_on(day: date, *, session: Session) -> CheckIn | None:
    stored = stored_checkin_on(day, session=session)
    return None if stored is None else stored.checkin


def revisions_of(day: date, *, session: Session) -> list[Revision]:
    """The earlier versions of a day's check-in, oldest first."""
    rows = session.scalars(
        select(CheckInRevision)
        .where(CheckInRevision.day == day)
        .order_by(CheckInRevision.replaced_at, CheckInRevision.id)
    )
    return [Revision(r.day, r.replaced_at, r.source, dict(r.old_values)) for r in rows]


def export_checkins_csv(*, session: Session) -> str:
    """Every stored check-in as CSV text, with a column for every factor used."""
    return write_checkins_csv(list_checkins(session=session))


def default_question(name: str) -> str:
    return f"Today: {name.replace('_', ' ')}?"


def checked_factor_name(name: str) -> str:
    try:
        return factor_column_name("factor:" + name)
    except CellProblem:
        raise InputError(
            "name", f"'{name}' must be letters, digits and _ (e.g. long_sitting)"
        ) from None


def add_factor(name: str, question: str | None = None, *, session: Session) -> Factor:
    """Track a new daily yes/no factor; its answers travel as the CSV column `factor:NAME`."""
    clean = checked_factor_name(name)
    text = (question or "").strip() or default_question(clean)
    if session.scalar(select(TrackedFactor).where(TrackedFactor.name == clean)) is not None:
        raise ConflictError(f"name: the factor {clean} is already tracked")
    session.add(TrackedFactor(name=clean, question=text))
    session.flush()
    return Factor(clean, text)


def list_factors(*, session: Session) -> list[Factor]:
    rows = session.scalars(select(TrackedFactor).order_by(TrackedFactor.added_at, TrackedFactor.id))
    return [Factor(row.name, row.question) for row in rows]


def remove_factor(name: str, *, session: Session) -> None:
    """Stop asking about a factor; answers already given stay in the check-ins."""
    clean = checked_factor_name(name)
    result = session.execute(delete(TrackedFactor).where(TrackedFactor.name == clean))
    if not getattr(result, "rowcount", 0):
        raise NotFoundError(f"name: no tracked factor is called {clean}")


# ── What Today already collected for a day's check-in ───────────────────────────────────────

FROM_SESSIONS: tuple[str, ...] = ("exercise_pain", "next_morning_worse")
"""The check-in answers Today collects with the session log, so the check-in needs not ask."""


def answers_from_sessions(day: date, *, session: Session) -> dict[str, Any]:
    """The check-in answers of `day` that Today already collected, by column name (only the
    known ones): `exercise_pain`, the worst pain during that day's logged exercises, and
    `next_morning_worse`, the morning answer about the session the day before (the question
    the check-in asks: "was your knee worse this morning after yesterday's exercise?")."""
    from kneecoach.storage.models.plans import SessionLog

    if day == date.min:  # no day before it (a form posting 0001-01-01 was a 500)
        return {}
    pain, morning = session.execute(
        select(
            select(func.max(SessionLog.pain_during))
            .where(SessionLog.session_date == day)
            .scalar_subquery(),
            select(func.max(cast(SessionLog.next_morning_worse, Integer)))
            .where(
                SessionLog.session_date == day - timedelta(days=1),
                SessionLog.next_morning_worse.is_not(None),
            )
            .scalar_subquery(),
        )
    ).one()
    known: dict[str, Any] = {}
    if pain is not None:
        known["exercise_pain"] = int(pain)
    if morning is not None:
        known["next_morning_worse"] = bool(morning)
    return known


def recorded_answers(day: date, *, session: Session) -> dict[str, Any]:
    """The answers of `day` Today collected, each as the check-in holds it now: the day's own
    answer when it has one (the person changed it there), else the session's."""
    collected = answers_from_sessions(day, session=session)
    if not collected:
        return {}
    stored = checkin_on(day, session=session)
    return {
        column: stored.value(column)
        if stored is not None and stored.value(column) is not None
        else value
        for column, value in collected.items()
    }
