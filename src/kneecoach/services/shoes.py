"""Shoe use cases: add, list, retire, choose defaults, check wear, estimate from steps.

Each public function is one thing a person does, done in the caller's session. The counting and
the judging happen in `core.shoes`; the thresholds and words come from `data/footwear.yaml`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kneecoach.core.activities import steps_fingerprint
from kneecoach.core.errors import LIST_SHOES, ConflictError, InputError
from kneecoach.core.limits import check_day
from kneecoach.core.shoes import (
    Pair,
    ShoeStatus,
    WearCheck,
    assess_pair,
    check_activity_type,
    check_shoe_type,
    distance_from_steps_km,
    replacement_alerts,
    stride_length_m,
    total_distance_km,
    unique_slug,
)
from kneecoach.data.footwear import Footwear, load_footwear
from kneecoach.services.units import units_to_show
from kneecoach.storage.locking import lock_for_write
from kneecoach.storage.models.shoes import ShoeActivity, ShoeDefault, ShoePair, ShoeWearCheck

MAX_START_KM = 5000.0
MAX_STEPS_PER_DAY = 200_000


@dataclass(frozen=True)
class ShoeOverview:
    """A pair as the person sees it in `shoes list`: status, reasons, defaults, last check."""

    status: ShoeStatus
    default_for: tuple[str, ...]
    last_wear_check: date | None
    summary: str
    level_label: str

    @property
    def pair(self) -> Pair:
        return self.status.pair

    def to_json(self) -> dict[str, Any]:
        pair = self.pair
        return {
            "id": pair.id,
            "name": pair.name,
            "brand": pair.brand,
            "model": pair.model,
            "type": pair.type,
            "start_date": pair.start_date.isoformat() if pair.start_date else None,
            "start_km": pair.start_km,
            "retired": pair.retired,
            "retired_on": pair.retired_on.isoformat() if pair.retired_on else None,
            "default_for": list(self.default_for),
            "distance_km": round(self.status.distance_km, 1),
            "age_months": self.status.age_months,
            "status": self.status.level,
            "reasons": [
                {"kind": r.kind, "level": r.level, "text": r.text} for r in self.status.reasons
            ],
            "summary": self.summary,
            "last_wear_check": self.last_wear_check.isoformat() if self.last_wear_check else None,
        }


@dataclass(frozen=True)
class WearQuestion:
    id: str
    name: str
    question: str


@dataclass(frozen=True)
class WearCheckResult:
    """The stored check, the advice that follows from it, and the pair's status after it."""

    overview: ShoeOverview
    check: WearCheck
    advice: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "pair": self.overview.to_json(),
            "checked_on": self.check.checked_on.isoformat(),
            "answers": dict(self.check.answers),
            "signs_present": list(self.check.signs_present),
            "advice": list(self.advice),
        }


@dataclass(frozen=True)
class StepsEstimate:
    on: date
    steps: int
    pair_id: str
    stride_m: float
    distance_km: float


@dataclass(frozen=True)
class StepsReport:
    """What an estimate from steps stored, and which entries named a shoe we do not know."""

    estimates: tuple[StepsEstimate, ...]
    unknown_shoes: tuple[tuple[date, str], ...] = field(default=())


# ---- reading pairs -------------------------------------------------------------------------


def pair_from_row(row: ShoePair) -> Pair:
    return Pair(
        id=row.id,
        name=row.name,
        type=row.type,
        start_date=row.start_date,
        start_km=row.start_km,
        brand=row.brand,
        model=row.model,
        retired=row.retired,
        retired_on=row.retired_on,
    )


def find_pair(session: Session, ref: str, field_name: str = "shoe") -> ShoePair:
    """A pair by its id, or else by its name (any case): people remember names."""
    wanted = ref.strip()
    row = session.get(ShoePair, wanted)
    if row is not None:
        return row
    by_name = [
        candidate
        for candidate in session.scalars(select(ShoePair))
        if candidate.name.casefold() == wanted.casefold()
    ]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        ids = ", ".join(sorted(p.id for p in by_name))
        raise InputError(field_name, f"several pairs are called {ref!r}; use the id ({ids})")
    raise InputError(field_name, f"no pair with id or name {ref!r}", hint=LIST_SHOES)


def default_pairs(session: Session) -> dict[str, str]:
    return {row.activity: row.pair_id for row in session.scalars(select(ShoeDefault))}


def activity_km(session: Session, pair_ids: Sequence[str]) -> dict[str, float]:
    """The distance counted on each pair, summed by the database (a pair worn for years has
    thousands of days, so the rows are never loaded).

    The rule is `core.shoes.distance_on_pair_km`'s: a day counts the larger of its recorded
    outings and its steps estimate, never both (tests check the two agree)."""
    if not pair_ids:
        return {}
    steps = ShoeActivity.source == "steps"
    day = (
        select(
            ShoeActivity.pair_id.label("pair_id"),
            func.sum(case((steps, 0.0), else_=ShoeActivity.distance_km)).label("recorded"),
            func.sum(case((steps, ShoeActivity.distance_km), else_=0.0)).label("from_steps"),
        )
        .where(ShoeActivity.pair_id.in_(pair_ids))
        .group_by(ShoeActivity.pair_id, ShoeActivity.on_date)
        .subquery()
    )
    larger = case((day.c.recorded >= day.c.from_steps, day.c.recorded), else_=day.c.from_steps)
    totals = session.execute(select(day.c.pair_id, func.sum(larger)).group_by(day.c.pair_id))
    return {pair_id: float(km or 0.0) for pair_id, km in totals}


def _overview(
    session: Session,
    row: ShoePair,
    today: date,
    footwear: Footwear,
    counted_km: float | None = None,
) -> ShoeOverview:
    """A pair's overview; COUNTED_KM is its activities' distance when the caller summed it
    already (`list_shoes` sums every pair in one query)."""
    pair = pair_from_row(row)
    if counted_km is None:
        counted_km = activity_km(session, [row.id]).get(row.id, 0.0)
    last = session.scalars(
        select(ShoeWearCheck)
        .where(ShoeWearCheck.pair_id == row.id)
        .order_by(ShoeWearCheck.checked_on.desc(), ShoeWearCheck.id.desc())
        .limit(1)
    ).first()
    check = WearCheck(last.checked_on, dict(last.answers)) if last else None
    messages = footwear.message_templates
    unit = units_to_show(session=session).distance
    status = assess_pair(
        pair,
        total_distance_km(pair, [counted_km]),
        today,
        check,
        footwear.thresholds,
        messages,
        footwear.sign_names,
        unit,
    )
    defaults = tuple(
        sorted(a for a, pair_id in default_pairs(session).items() if pair_id == row.id)
    )
    return ShoeOverview(
        status=status,
        default_for=defaults,
        last_wear_check=check.checked_on if check else None,
        summary=status.summary(messages, unit),
        level_label=footwear.level_label(status.level),
    )


# ---- use cases -----------------------------------------------------------------------------


ADD_ATTEMPTS = 50
"""How often adding a pair tries the next free id when others take it at the same moment."""


def _insert_pair(session: Session, name: str, **values: Any) -> ShoePair:
    """A new pair under the first free slug of its name (names need not be unique: a second
    pair of one name gets `slug_2`). Pairs added at the same moment each get their own id: on
    SQLite the writers take turns (storage/locking); on PostgreSQL one whose id was taken by a
    pair committed meanwhile tries the next free one."""
    lock_for_write(session)
    for _ in range(ADD_ATTEMPTS):
        taken = session.scalars(select(ShoePair.id)).all()
        row = ShoePair(id=unique_slug(name, taken), name=name, **values)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return row
    raise ConflictError("many pairs of this name are being added at once; try again", field="name")


@dataclass(frozen=True)
class PairFromIntake:
    """The main pair the intake described, ready to add: what the person already told us."""

    name: str
    shoe_type: str
    start_km: float
    start_date: date | None
    months: float | None

    def form_values(self) -> dict[str, str]:
        return {
            "name": self.name,
            "type": self.shoe_type,
            "start_km": f"{self.start_km:g}",
            "start_date": self.start_date.isoformat() if self.start_date else "",
        }


MAIN_PAIR_NAME: Final = "My main pair"


def pair_from_intake(*, today: date, session: Session) -> PairFromIntake | None:
    """The intake's main pair (its km and months), when no pair is stored yet: a person who
    said "950 km, 14 months" should not have to say it again."""
    from kneecoach.services.intake import latest_intake

    if _has_any_pair(session):
        return None
    saved = latest_intake(session=session)
    if saved is None:
        return None
    shoes = saved.intake().shoes
    if shoes.main_pair_km is None and shoes.main_pair_months is None:
        return None
    months = shoes.main_pair_months
    start = None if months is None else today - timedelta(days=round(months * DAYS_PER_MONTH))
    return PairFromIntake(
        name=MAIN_PAIR_NAME,
        shoe_type=shoes.type or "other",
        start_km=float(shoes.main_pair_km or 0.0),
        start_date=start,
        months=months,
    )


DAYS_PER_MONTH: Final = 30.44


def _has_any_pair(session: Session) -> bool:
    return session.scalar(select(ShoePair.id).limit(1)) is not None


def add_pair(
    name: str,
    *,
    today: date,
    brand: str | None = None,
    model: str | None = None,
    shoe_type: str = "other",
    start_date: date | None = None,
    start_km: float = 0.0,
    default_for: Sequence[str] = (),
    session: Session,
) -> ShoeOverview:
    """Add a pair to the inventory; its id is a short slug of its name."""
    clean_name = name.strip()
    if not clean_name or len(clean_name) > 120:
        raise InputError("name", "give the pair a name of 1 to 120 characters")
    check_shoe_type(shoe_type)
    if not math.isfinite(start_km) or not 0 <= start_km <= MAX_START_KM:
        raise InputError("start_km", f"must be between 0 and {MAX_START_KM:g} km")
    first_day = start_date or today
    if first_day > today:
        raise InputError("start_date", f"{first_day.isoformat()} is in the future")
    check_day(first_day, "start_date", today)  # and not before 1900 (year 1 was taken)
    for activity in default_for:
        check_activity_type(activity, "default_for")
    row = _insert_pair(
        session,
        clean_name,
        brand=(brand or "").strip() or None,
        model=(model or "").strip() or None,
        type=shoe_type,
        start_date=first_day,
        start_km=start_km,
        retired=False,
    )
    for activity in dict.fromkeys(default_for):
        _set_default(session, row, activity)
    session.flush()
    return _overview(session, row, today, load_footwear())


def _set_default(session: Session, row: ShoePair, activity: str) -> None:
    session.execute(delete(ShoeDefault).where(ShoeDefault.activity == activity))
    session.add(ShoeDefault(activity=activity, pair_id=row.id))


def set_default(ref: str, activity: str, *, today: date, session: Session) -> ShoeOverview:
    """Make a pair the one an activity type counts on when the person does not choose."""
    check_activity_type(activity)
    row = find_pair(session, ref, "pair")
    if row.retired:
        raise InputError("pair", f"{row.name} is retired; choose a pair you still wear")
    _set_default(session, row, activity)
    session.flush()
    return _overview(session, row, today, load_footwear())


def retire_pair(ref: str, *, on: date, today: date, session: Session) -> ShoeOverview:
    """Retire a pair: it keeps its history, leaves the alerts and stops being a default."""
    row = find_pair(session, ref, "pair")
    if on > today:
        raise InputError("date", f"{on.isoformat()} is in the future")
    check_day(on, "date", today)
    row.retired = True
    row.retired_on = on
    session.execute(delete(ShoeDefault).where(ShoeDefault.pair_id == row.id))
    session.flush()
    return _overview(session, row, today, load_footwear())


def list_shoes(
    *, today: date, include_retired: bool = False, session: Session
) -> list[ShoeOverview]:
    """Every pair in use (and the retired ones when asked), with distance, age and status."""
    footwear = load_footwear()
    query = select(ShoePair).order_by(ShoePair.retired, ShoePair.name)
    if not include_retired:
        query = query.where(ShoePair.retired.is_(False))
    rows = list(session.scalars(query))
    counted = activity_km(session, [row.id for row in rows])
    return [_overview(session, row, today, footwear, counted.get(row.id, 0.0)) for row in rows]


def shoe_alerts(*, today: date, session: Session) -> list[ShoeOverview]:
    """Pairs in use that need watching or replacing, the most urgent first, with reasons."""
    overviews = {o.pair.id: o for o in list_shoes(today=today, session=session)}
    return [overviews[s.pair.id] for s in replacement_alerts(o.status for o in overviews.values())]


def replace_range() -> tuple[float, float]:
    """(watch from, replace by) in km, for headings."""
    limits = load_footwear().thresholds
    return limits.watch_from_km, limits.replace_by_km


def honest_note() -> str:
    return load_footwear().replacement.honest_note.text


def support_advice() -> list[tuple[str, str]]:
    return [(item.title, item.advice) for item in load_footwear().support_advice]


def wear_questions() -> list[WearQuestion]:
    return [WearQuestion(s.id, s.name, s.question) for s in load_footwear().wear_signs]


def record_wear_check(
    ref: str, answers: Mapping[str, bool], *, on: date, today: date, session: Session
) -> WearCheckResult:
    """Store a dated wear check (every sign answered) and say what follows from it."""
    footwear = load_footwear()
    known = [sign.id for sign in footwear.wear_signs]
    unknown = [sign for sign in answers if sign not in known]
    if unknown:
        raise InputError(
            "answers", f"{unknown[0]!r} is not a wear sign; use one of {', '.join(known)}"
        )
    missing = [sign for sign in known if sign not in answers]
    if missing:
        raise InputError("answers", f"no answer for {', '.join(missing)}")
    if on > today:
        raise InputError("date", f"{on.isoformat()} is in the future")
    check = WearCheck(on, {sign: bool(answers[sign]) for sign in known})
    row = find_pair(session, ref, "pair")
    session.add(ShoeWearCheck(pair_id=row.id, checked_on=on, answers=dict(check.answers)))
    session.flush()
    overview = _overview(session, row, today, footwear)
    advice = [
        footwear.wear_advice.any_sign.advice
        if check.signs_present
        else footwear.wear_advice.no_sign.advice
    ]
    advice += [s.advice for s in footwear.wear_signs if s.advice and check.answers.get(s.id)]
    return WearCheckResult(overview, check, tuple(advice))


def estimate_from_steps(
    entries: Iterable[tuple[date, int, str]],
    *,
    height_cm: float | None = None,
    skip_unknown_shoes: bool = False,
    session: Session,
) -> StepsReport:
    """Count walking distance from daily steps on the pair worn most that day.

    For the check-ins: pass (date, steps, shoe id or name) for each day. Distance is steps
    times a walking step length (0.415 × height when known, else 0.75 m; data/footwear.yaml
    says why). One estimate per date: a later one for the same date replaces it. A day with
    a recorded run or walk counts the larger of the two, never both (see core.shoes).
    """
    stride = load_footwear().stride
    if height_cm is not None and not 50 <= height_cm <= 250:
        raise InputError("height_cm", "must be between 50 and 250 cm")
    stride_m = stride_length_m(height_cm, stride.walking_fraction_of_height, stride.default_m)
    estimates: list[StepsEstimate] = []
    unknown: list[tuple[date, str]] = []
    for on, steps, shoe in entries:
        if isinstance(steps, bool) or not 0 <= steps <= MAX_STEPS_PER_DAY:
            raise InputError(f"steps on {on.isoformat()}", f"{steps} is not 0 to 200000")
        try:
            row = find_pair(session, shoe, f"shoe on {on.isoformat()}")
        except InputError:
            if not skip_unknown_shoes:
                raise
            unknown.append((on, shoe))
            continue
        km = distance_from_steps_km(steps, stride_m)
        fingerprint = steps_fingerprint(on)
        stored = session.scalars(
            select(ShoeActivity).where(ShoeActivity.fingerprint == fingerprint)
        ).first()
        if stored is None:
            stored = ShoeActivity(fingerprint=fingerprint, source="steps", on_date=on)
            session.add(stored)
        stored.pair_id = row.id
        stored.activity_type = "walking"
        stored.distance_km = km
        stored.origin = f"{steps} steps on {on.isoformat()}"
        stored.started_at = None
        session.flush()
        estimates.append(StepsEstimate(on, steps, row.id, stride_m, km))
    return StepsReport(tuple(estimates), tuple(unknown))
