"""Sessions as use cases: log what was done against what was asked, record the next morning,
and work out today's doses after progression.

Today's dose of each exercise comes from the pure `next_dose` (core/progression.py) walked
over that exercise's log *before* today, so it stays the same all day: the dose shown in the
morning is the dose logged as prescribed in the evening.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Row, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kneecoach.core.clinic import Held, held_decision
from kneecoach.core.errors import ConflictError, InputError
from kneecoach.core.intake import input_error_from, parse_intake
from kneecoach.core.planning import schedule_key, variants_of
from kneecoach.core.progression import (
    BAND_WORDS,
    Decision,
    Dose,
    LoadLevel,
    LoggedSession,
    ProgressionRules,
    Variant,
    gentlest_dose,
    has_load,
    next_dose,
    replay,
    safe_streak,
    show_dose,
)
from kneecoach.core.safety_stop import SafetyNotice, SafetyState
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.planning import load_plan_rules, load_progression_rules
from kneecoach.services.adjustments import held_now, held_on
from kneecoach.services.adjustments import words_for as adjustment_words
from kneecoach.services.journey import care_first_now, care_first_refusal
from kneecoach.services.paging import DEFAULT_DAYS, date_page
from kneecoach.services.plan import StoredPlan, allowed_variants, current_plan
from kneecoach.services.safety_stop import notices_json, safety_on, stop_refusal, stop_words
from kneecoach.storage.models.plans import SessionLog
from kneecoach.storage.periods import period_index

# ── What a person sends: one session, from a file or typed answers ──────────────────────────


class _Boundary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Count = Annotated[int, Field(ge=0, le=1000)]


class DoneExercise(_Boundary):
    """One exercise as done; a number left out means "as prescribed"."""

    id: str
    variant: str | None = None
    sets: Count | None = None
    reps: Count | None = None
    hold_s: Count | None = None
    minutes: Count | None = None
    pain_during: Annotated[int, Field(ge=0, le=10)]
    effort: (
        Annotated[
            int,
            Field(
                ge=0,
                le=10,
                description=(
                    "How hard it was, 0–10 on the Borg CR10 scale: 0 nothing, 10 as hard as"
                    " you can (with R reps left in reserve, give 10 − R). Left out: not told."
                    " The load rules read it: 9 or 10 steps back, an easy session at the top"
                    " of the reps lets the load go up."
                ),
            ),
        ]
        | None
    ) = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class NextMorning(_Boundary):
    date: Annotated[dt.date, Field(strict=False)]
    worse: bool


class SessionDocument(_Boundary):
    """`kneecoach session --file F.json`."""

    date: Annotated[dt.date, Field(strict=False)] | None = None
    exercises: list[DoneExercise] = []
    warning_signs: list[str] = []
    next_morning: NextMorning | None = None


def parse_session_document(raw: Any, field: str = "file") -> SessionDocument:
    if not isinstance(raw, dict):
        raise InputError(field, "must be a JSON object with an `exercises` list")
    try:
        document = SessionDocument.model_validate(raw)
    except ValidationError as error:
        raise input_error_from(error) from None
    if not document.exercises and document.next_morning is None:
        raise InputError("exercises", "give the exercises done, a next_morning answer, or both")
    return document


# ── Today's doses ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TodayExercise:
    """One exercise of today: the plan's slot, the dose after progression, and why."""

    slot: str
    name: str
    kind: str
    side: str
    decision: Decision

    @property
    def dose(self) -> Dose:
        return self.decision.after

    def as_json(self) -> dict[str, Any]:
        dose = self.dose
        return {
            "slot": self.slot,
            "id": dose.exercise_id,
            "name": self.name,
            "kind": self.kind,
            "sets": dose.sets,
            "reps": dose.reps,
            "hold_s": dose.hold_s,
            "minutes": dose.minutes,
            "load": None if dose.load is None else dose.load.as_json(),
            "tempo": dose.tempo,
            "extra_sets_painful_side": dose.extra_sets,
            "side": self.side,
            "dose": show_dose(dose),
            "action": self.decision.action,
            "rule": self.decision.rule_id,
            "changed": self.decision.changed,
            "reason": self.decision.reason,
        }


@dataclass(frozen=True)
class Today:
    """The day's exercises, or none when a check-in's red flag stopped the plan (`safety`)
    or the newest answers say care comes first (`care_first`: an older plan waits)."""

    plan: StoredPlan
    on: date
    day: int
    exercises: tuple[TodayExercise, ...]
    safety: SafetyState = field(default_factory=SafetyState)
    planned: int = 0
    """How many exercises the plan has on this day (before any stop)."""
    care_first: bool = False

    @property
    def rest_day(self) -> bool:
        return not self.exercises and not self.safety.stopped and not self.care_first

    @property
    def stopped(self) -> bool:
        return (
            self.care_first
            or self.safety.stopped
            or any(e.decision.stopped for e in self.exercises)
        )

    @property
    def stop(self) -> SafetyNotice | None:
        return self.safety.stop

    @property
    def caution(self) -> SafetyNotice | None:
        return self.safety.caution

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "day": self.day,
            "rest_day": self.rest_day,
            "stopped": self.stopped,
            "care_first": self.care_first,
            **notices_json(self.safety),
            "exercises": [e.as_json() for e in self.exercises],
        }


@dataclass(frozen=True)
class _Context:
    plan: StoredPlan
    chain: Mapping[str, Variant]
    rules: ProgressionRules
    allowed: Callable[[str], bool]
    held: Mapping[str, Held] = field(default_factory=dict)
    """The exercises a clinician fixed (services/adjustments.py): progression leaves them."""
    store: str = ""
    """Which database the plan is in (its URL): kept replays are found by store and plan."""


def _context(plan: StoredPlan, session: Session) -> _Context:
    return _Context(
        plan=plan,
        chain=_chain(),
        rules=load_progression_rules(),
        allowed=allowed_variants(parse_intake(plan.intake), session=session),
        held=held_now(session=session),
        store=str(session.get_bind().engine.url),
    )


def _planned_dose(entry: Mapping[str, Any]) -> Dose:
    """A saved plan's dose. Plans saved before load existed have no `load`: body weight."""
    return Dose(
        exercise_id=entry["id"],
        sets=int(entry["sets"]),
        reps=entry.get("reps"),
        hold_s=entry.get("hold_s"),
        minutes=entry.get("minutes"),
        load=load_level(entry.get("load")),
        tempo=entry.get("tempo"),
        extra_sets=int(entry.get("extra_sets_painful_side") or 0),
    )


def load_level(raw: Any) -> LoadLevel | None:
    """A saved `load` ({kind, value, unit}; a band's value is its colour) or None."""
    if not isinstance(raw, Mapping) or raw.get("kind") in (None, "body_weight"):
        return None
    value = raw.get("value")
    if raw["kind"] == "band" and isinstance(value, str):
        value = BAND_WORDS.index(value) if value in BAND_WORDS else 0
    if not isinstance(value, int | float):
        return None
    return LoadLevel(str(raw["kind"]), float(value), str(raw.get("unit") or raw["kind"]))


def _logged(row: SessionLog | Row[Any]) -> LoggedSession:
    return LoggedSession(
        on=row.session_date,
        prescribed=Dose(
            row.prescribed_variant,
            row.prescribed_sets,
            row.prescribed_reps,
            row.prescribed_hold_s,
            row.prescribed_minutes,
        ),
        done=Dose(
            row.done_variant, row.done_sets, row.done_reps, row.done_hold_s, row.done_minutes
        ),
        pain_during=row.pain_during,
        next_morning_worse=row.next_morning_worse,
        warning_signs=tuple(row.warning_signs or ()),
        effort=row.effort,
    )


# How many of each slot's latest logs today's dose is first worked out from. The dose reads
# only the last session and the streak of safe sessions at the current dose before it, so a
# few dozen logs nearly always hold a break in the streak; when they do not, more are read.
RECENT_LOGS = 32


def _histories(
    session: Session, plan_id: int, slots: Sequence[str], before: date
) -> dict[str, list[LoggedSession]]:
    """Each slot's logged sessions before a date that its next dose depends on, oldest first.

    `next_dose` reads the last session and the streak of safe sessions at the current dose
    behind it, so the latest `RECENT_LOGS` of each slot are read in one query (a window over
    the slots); a slot whose latest logs are all one unbroken streak is read further back, so
    the dose is the same as from the whole log, at the same cost after years of sessions."""
    found: dict[str, list[LoggedSession]] = {slot: [] for slot in slots}
    if not found:
        return found
    rules = load_progression_rules()
    limit = RECENT_LOGS
    wanted = list(found)
    while wanted:
        latest = _latest_logs(session, plan_id, wanted, before, limit)
        for slot in wanted:
            found[slot] = latest.get(slot, [])
        wanted = [
            slot
            for slot in wanted
            if len(found[slot]) == limit
            and len(safe_streak(found[slot][-1].prescribed, found[slot], rules)) == limit
        ]
        limit *= 4
    return found


def _latest_logs(
    session: Session, plan_id: int, slots: Sequence[str], before: date, limit: int
) -> dict[str, list[LoggedSession]]:
    """The latest `limit` logs of each slot before a date, oldest first, in one query (plain
    rows: a log of years is read without an ORM object per session)."""
    columns = SessionLog.__table__.c
    if limit >= ALL_LOGS:  # every log: no ranking needed
        every = session.execute(
            select(SessionLog.__table__)
            .where(
                columns.plan_id == plan_id,
                columns.slot.in_(list(slots)),
                columns.session_date < before,
            )
            .order_by(columns.session_date, columns.id)
        )
        found: dict[str, list[LoggedSession]] = {}
        for row in every:
            found.setdefault(row.slot, []).append(_logged(row))
        return found
    newest_first = (
        func.row_number()
        .over(
            partition_by=SessionLog.slot,
            order_by=(SessionLog.session_date.desc(), SessionLog.id.desc()),
        )
        .label("newest_first")
    )
    ranked = (
        select(SessionLog.id, newest_first)
        .where(
            SessionLog.plan_id == plan_id,
            SessionLog.slot.in_(list(slots)),
            SessionLog.session_date < before,
        )
        .subquery()
    )
    rows = session.scalars(
        select(SessionLog)
        .join(ranked, ranked.c.id == SessionLog.id)
        .where(ranked.c.newest_first <= limit)
        .order_by(SessionLog.session_date, SessionLog.id)
    )
    found = {}
    for logged_row in rows:
        found.setdefault(logged_row.slot, []).append(_logged(logged_row))
    return found


def _filled(
    ctx: _Context, slot: str, history: Sequence[LoggedSession]
) -> tuple[tuple[LoggedSession, Decision], ...]:
    """The slot's log with loads, tempo and reasons worked out again (core `replay`), going
    on from the last replay of the same log in this process (`_Replays`)."""
    entry = ctx.plan.exercise(slot)
    if entry is None:
        return ()
    start = _planned_dose(entry)
    allowed = frozenset(variant for variant in ctx.chain if ctx.allowed(variant))
    inputs = _ReplayInputs(start, ctx.chain, ctx.rules, allowed)
    done = REPLAYS.done_for((ctx.store, ctx.plan.id, slot), inputs, history)
    filled = replay(start, history, ctx.chain, ctx.rules, ctx.allowed, done)
    REPLAYS.keep((ctx.store, ctx.plan.id, slot), inputs, history, filled)
    return filled


_CHAIN: list[tuple[object, Mapping[str, Variant]]] = []


def _chain() -> Mapping[str, Variant]:
    """The catalogue's ladders, built once per loaded catalogue (so replays can be matched
    by the chain they used)."""
    catalogue = load_catalogue()
    if not _CHAIN or _CHAIN[0][0] is not catalogue:
        _CHAIN[:] = [(catalogue, variants_of(catalogue))]
    return _CHAIN[0][1]


@dataclass(frozen=True)
class _ReplayInputs:
    """Everything a replay's answer depends on besides the log: a kept replay is reused only
    when all of them are the very same (the chain and the rules by identity)."""

    start: Dose
    chain: Mapping[str, Variant]
    rules: ProgressionRules
    allowed: frozenset[str]

    def same_as(self, other: _ReplayInputs) -> bool:
        return (
            self.chain is other.chain
            and self.rules is other.rules
            and self.start == other.start
            and self.allowed == other.allowed
        )


@dataclass(frozen=True)
class _Replay:
    inputs: _ReplayInputs
    history: tuple[LoggedSession, ...]
    filled: tuple[tuple[LoggedSession, Decision], ...]


class _Replays:
    """The latest replay of each plan's exercise, kept in this process: a log of years is
    replayed once, and each later request works out only the sessions logged since.

    A kept replay is used only for the part of the log that is still exactly the same (every
    session compared, so an edited or deleted old session replays from the start) and when
    the plan's dose, the ladders, the rules and the allowed exercises are the same; `replay`
    is a pure function of these, so the answer is the one a full replay gives. At most
    `MOST` are kept (least recently used dropped first): a few people's plans, some MB."""

    MOST = 64

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, int, str], _Replay] = OrderedDict()
        self._lock = threading.Lock()

    def done_for(
        self, key: tuple[str, int, str], inputs: _ReplayInputs, history: Sequence[LoggedSession]
    ) -> tuple[tuple[LoggedSession, Decision], ...]:
        """The kept replay of the longest part of `history` it still matches; () if none."""
        with self._lock:
            kept = self._kept.get(key)
        if kept is None or not kept.inputs.same_as(inputs):
            return ()
        size = min(len(kept.history), len(history))
        same = 0
        while same < size and kept.history[same] == history[same]:
            same += 1
        return kept.filled[:same]

    def keep(
        self,
        key: tuple[str, int, str],
        inputs: _ReplayInputs,
        history: Sequence[LoggedSession],
        filled: tuple[tuple[LoggedSession, Decision], ...],
    ) -> None:
        with self._lock:
            self._kept[key] = _Replay(inputs, tuple(history), filled)
            self._kept.move_to_end(key)
            while len(self._kept) > self.MOST:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


REPLAYS = _Replays()


def _with_loads(
    ctx: _Context, histories: Mapping[str, list[LoggedSession]]
) -> dict[str, list[LoggedSession]]:
    return {
        slot: [logged for logged, _why in _filled(ctx, slot, history)]
        for slot, history in histories.items()
    }


def _loaded_slots(ctx: _Context, slots: Sequence[str]) -> list[str]:
    """The slots whose ladder has a load: their whole log is read, so loads can be replayed."""
    loaded = []
    for slot in slots:
        entry = ctx.plan.exercise(slot)
        if entry is not None and (entry.get("load") or has_load(slot, ctx.chain)):
            loaded.append(slot)
    return loaded


def _full_histories(
    ctx: _Context, session: Session, slots: Sequence[str], before: date
) -> dict[str, list[LoggedSession]]:
    """Each slot's log before a day, with its loads: the recent logs for a ladder without
    load (the dose reads only the latest streak), the whole log where load is replayed."""
    loaded = _loaded_slots(ctx, slots)
    plain = [slot for slot in slots if slot not in loaded]
    found = _histories(session, ctx.plan.id, plain, before)
    if loaded:
        every = _latest_logs(session, ctx.plan.id, loaded, before, ALL_LOGS)
        found.update({slot: every.get(slot, []) for slot in loaded})
    return _with_loads(ctx, found)


ALL_LOGS = 1_000_000
"""Read every log of a slot (a person logs at most one session of an exercise a day)."""


def _decide(ctx: _Context, slot: str, on: date, history: Sequence[LoggedSession]) -> Decision:
    entry = ctx.plan.exercise(slot)
    if entry is None:
        raise InputError("id", f"{slot!r} is not an exercise of your plan")
    current = history[-1].prescribed if history else _planned_dose(entry)
    held = held_on(ctx.held, slot, on)
    if held is not None:  # a clinician's change holds: their dose, whatever progression says
        return held_decision(current, held, adjustment_words(held))
    return next_dose(current, list(history), ctx.chain, ctx.rules, ctx.allowed)


def _eased(ctx: _Context, decision: Decision) -> Decision:
    """The day's dose softened after a check-in caution: the gentlest sets, and why."""
    gentle = gentlest_dose(decision.after, ctx.chain, ctx.rules.steps)
    if gentle == decision.after:
        return decision
    return replace(
        decision,
        rule_id="checkin_caution",
        action="regress",
        before=decision.after,
        after=gentle,
        reason=stop_words().caution_why,
    )


def _decide_on(
    ctx: _Context,
    slot: str,
    on: date,
    safety: SafetyState,
    history: Sequence[LoggedSession],
) -> Decision:
    """The dose of the day: progression, then eased when a check-in raised a caution."""
    decision = _decide(ctx, slot, on, history)
    return _eased(ctx, decision) if safety.caution is not None else decision


def _today_exercise(
    ctx: _Context,
    slot: str,
    on: date,
    safety: SafetyState,
    history: Sequence[LoggedSession],
) -> TodayExercise:
    entry = ctx.plan.exercise(slot) or {}
    decision = _decide_on(ctx, slot, on, safety, history)
    variant = ctx.chain.get(decision.after.exercise_id)
    return TodayExercise(
        slot=slot,
        name=variant.name if variant else str(entry.get("name", slot)),
        kind=str(entry.get("kind", "")),
        side=str(entry.get("side", "both")),
        decision=decision,
    )


def usual_doses(plan: StoredPlan, before: date, *, session: Session) -> dict[str, Dose]:
    """Each exercise of the plan at the dose it was last asked for before a day (the plan's own
    dose when it was never logged): what "your usual dose" means when a flare began that day."""
    slots = plan.slots()
    latest = _latest_logs(session, plan.id, slots, before, 1) if slots else {}
    loaded: dict[str, list[LoggedSession]] = {}
    if slots:  # a ladder with a load: its last load is worked out from the whole log
        ctx = _context(plan, session)
        with_load = _loaded_slots(ctx, slots)
        if with_load:
            every = _latest_logs(session, plan.id, with_load, before, ALL_LOGS)
            loaded = _with_loads(ctx, {slot: every.get(slot, []) for slot in with_load})
    doses: dict[str, Dose] = {}
    for slot in slots:
        logged = loaded.get(slot) or latest.get(slot)
        entry = plan.exercise(slot) or {}
        doses[slot] = logged[-1].prescribed if logged else _planned_dose(entry)
    return doses


def todays_doses(
    on: date | None = None, plan: StoredPlan | None = None, *, session: Session
) -> Today:
    """Today's exercises of the saved plan, each at its dose after progression, with reasons."""
    on = on or date.today()
    plan = plan or current_plan(session=session)
    day = plan.day_on(on)
    slots = [entry["id"] for entry in plan.session_on_day(day)]
    safety = safety_on(on, session=session)
    if care_first_now(session=session):
        return Today(plan, on, day, (), safety, len(slots), care_first=True)
    if safety.stopped:
        return Today(plan, on, day, (), safety, len(slots))
    ctx = _context(plan, session)
    histories = _full_histories(ctx, session, slots, on)
    exercises = tuple(
        item
        for item in (
            _today_exercise(ctx, slot, on, safety, histories[slot])
            for slot in slots
            if not _paused(ctx, slot, on)
        )
        if _on_its_day(item, day)
    )
    return Today(plan, on, day, exercises, safety, len(slots))


def _paused(ctx: _Context, slot: str, on: date) -> bool:
    """A clinician paused this exercise: it is left out of the day until they release it."""
    held = held_on(ctx.held, slot, on)
    return held is not None and held.change.action == "pause"


def _on_its_day(item: TodayExercise, day: int) -> bool:
    """A slot planned every day (tendon holds) whose rung has moved on to one done on the
    strength days (heavy slow squats: 3 times a week) follows the new rung's days."""
    exercise = load_catalogue().get(item.dose.exercise_id)
    if exercise is None or exercise.id == item.slot:
        return True
    days = load_plan_rules().schedule.get(schedule_key(exercise), ())
    return not days or day in days


# ── Logging ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class LoggedEntry:
    slot: str
    on: date
    prescribed: Dose
    done: Dose
    pain_during: int
    warning_signs: tuple[str, ...]
    note: str | None
    effort: int | None = None

    def as_json(self) -> dict[str, Any]:
        def dose(d: Dose) -> dict[str, Any]:
            return {
                "variant": d.exercise_id,
                "sets": d.sets,
                "reps": d.reps,
                "hold_s": d.hold_s,
                "minutes": d.minutes,
                "load": None if d.load is None else d.load.as_json(),
                "tempo": d.tempo,
                "dose": show_dose(d),
            }

        return {
            "slot": self.slot,
            "date": self.on.isoformat(),
            "prescribed": dose(self.prescribed),
            "done": dose(self.done),
            "pain_during": self.pain_during,
            "effort": self.effort,
            "warning_signs": list(self.warning_signs),
            "note": self.note,
        }


def done_dose(prescribed: Dose, done: DoneExercise) -> Dose:
    """What was done: every number not given is taken as prescribed (the load and tempo too,
    on the same variant)."""
    same = done.variant is None or done.variant == prescribed.exercise_id
    return Dose(
        exercise_id=done.variant or prescribed.exercise_id,
        sets=done.sets if done.sets is not None else prescribed.sets,
        reps=done.reps if done.reps is not None else prescribed.reps,
        hold_s=done.hold_s if done.hold_s is not None else prescribed.hold_s,
        minutes=done.minutes if done.minutes is not None else prescribed.minutes,
        load=prescribed.load if same else None,
        tempo=prescribed.tempo if same else None,
        extra_sets=prescribed.extra_sets,
    )


def log_session(
    exercises: Sequence[DoneExercise],
    on: date | None = None,
    warning_signs: Sequence[str] = (),
    plan: StoredPlan | None = None,
    *,
    session: Session,
) -> tuple[LoggedEntry, ...]:
    """Store one day's session: for each exercise the prescribed dose next to the done one."""
    on = on or date.today()
    plan = plan or current_plan(session=session)
    safety = safety_on(on, session=session)
    if safety.stop is not None and exercises:
        raise stop_refusal(safety.stop)
    if exercises and care_first_now(session=session):
        raise care_first_refusal()
    ctx = _context(plan, session)
    known_signs = {sign.id for sign in ctx.rules.warning_signs}
    for n, sign in enumerate(warning_signs):
        if sign not in known_signs:
            raise InputError(f"warning_signs.{n}", f"{sign!r} is not one of {sorted(known_signs)}")
    entries: list[LoggedEntry] = []
    known_slots = [done.id for done in exercises if plan.exercise(done.id) is not None]
    histories = _full_histories(ctx, session, known_slots, on)
    for n, done in enumerate(exercises):
        if plan.exercise(done.id) is None:
            raise InputError(
                f"exercises.{n}.id", f"{done.id!r} is not an exercise of your plan: {plan.slots()}"
            )
        if done.variant is not None and done.variant not in ctx.chain:
            raise InputError(f"exercises.{n}.variant", f"{done.variant!r} is not a known exercise")
        prescribed = _decide_on(ctx, done.id, on, safety, histories[done.id]).after
        entries.append(
            LoggedEntry(
                slot=done.id,
                on=on,
                prescribed=prescribed,
                done=done_dose(prescribed, done),
                pain_during=done.pain_during,
                warning_signs=tuple(warning_signs),
                note=done.note,
                effort=done.effort,
            )
        )
    slots = [e.slot for e in entries]
    if len(set(slots)) != len(slots):
        raise InputError("exercises", "each exercise may be logged once per day")
    already = ConflictError(
        f"session: already logged for {on.isoformat()}; one log per exercise and day"
    )
    if slots and session.scalar(
        select(SessionLog.id)
        .where(
            SessionLog.plan_id == plan.id,
            SessionLog.session_date == on,
            SessionLog.slot.in_(slots),
        )
        .limit(1)
    ):
        raise already
    try:
        session.add_all(_row(plan.id, entry) for entry in entries)
        session.flush()
    except IntegrityError:  # logged by another request at the same moment
        raise already from None
    return tuple(entries)


def _row(plan_id: int, entry: LoggedEntry) -> SessionLog:
    return SessionLog(
        plan_id=plan_id,
        session_date=entry.on,
        slot=entry.slot,
        prescribed_variant=entry.prescribed.exercise_id,
        prescribed_sets=entry.prescribed.sets,
        prescribed_reps=entry.prescribed.reps,
        prescribed_hold_s=entry.prescribed.hold_s,
        prescribed_minutes=entry.prescribed.minutes,
        done_variant=entry.done.exercise_id,
        done_sets=entry.done.sets,
        done_reps=entry.done.reps,
        done_hold_s=entry.done.hold_s,
        done_minutes=entry.done.minutes,
        pain_during=entry.pain_during,
        effort=entry.effort,
        next_morning_worse=None,
        warning_signs=list(entry.warning_signs),
        note=entry.note,
    )


def record_next_morning(
    session_date: date, worse: bool, plan: StoredPlan | None = None, *, session: Session
) -> int:
    """Record whether the knee was worse the morning after a session; returns rows updated."""
    plan = plan or current_plan(session=session)
    rows = list(
        session.scalars(
            select(SessionLog).where(
                SessionLog.plan_id == plan.id, SessionLog.session_date == session_date
            )
        )
    )
    if not rows:
        raise InputError(
            "next_morning.date", f"no session was logged on {session_date.isoformat()}"
        )
    for row in rows:
        row.next_morning_worse = worse
    session.flush()
    return len(rows)


def next_morning_due(
    today: date | None = None, plan: StoredPlan | None = None, *, session: Session
) -> date | None:
    """The latest session day before today whose next-morning answer is still open, if it is
    recent enough to remember (progression.yaml `ask_within_days`)."""
    today = today or date.today()
    plan = plan or current_plan(session=session)
    within = load_progression_rules().next_morning_within_days
    return session.scalar(
        select(SessionLog.session_date)
        .where(
            SessionLog.plan_id == plan.id,
            SessionLog.session_date < today,
            SessionLog.session_date >= today - timedelta(days=within),
            SessionLog.next_morning_worse.is_(None),
        )
        .order_by(SessionLog.session_date.desc())
        .limit(1)
    )


def session_log(
    plan: StoredPlan | None = None,
    first: date | None = None,
    last: date | None = None,
    *,
    session: Session,
) -> tuple[dict[str, Any], ...]:
    """The logged exercises of the plan, oldest first, optionally from `first` to `last` (both
    included): every one for clinicians and reports, one day's for Today."""
    plan = plan or current_plan(session=session)
    query = select(SessionLog).where(SessionLog.plan_id == plan.id)
    if first is not None:
        query = query.where(SessionLog.session_date >= first)
    if last is not None:
        query = query.where(SessionLog.session_date <= last)
    rows = list(session.scalars(query.order_by(SessionLog.session_date, SessionLog.id)))
    explained = _explained(plan, rows, first, session=session)
    out = []
    for row in rows:
        logged, why = explained.get(row.id, (_logged(row), None))
        out.append(
            {
                "slot": row.slot,
                "date": row.session_date.isoformat(),
                "prescribed": show_dose(logged.prescribed),
                "prescribed_variant": row.prescribed_variant,
                "prescribed_load": _load_json(logged.prescribed),
                "done": show_dose(logged.done),
                "done_variant": row.done_variant,
                "pain_during": row.pain_during,
                "effort": row.effort,
                "next_morning_worse": row.next_morning_worse,
                "warning_signs": list(row.warning_signs or ()),
                "note": row.note,
                "reason": None if why is None else why.reason,
            }
        )
    return tuple(out)


@dataclass(frozen=True)
class SessionPage:
    """One page of the session log, oldest first, and the `before` of the page before it."""

    sessions: tuple[dict[str, Any], ...]
    next_before: date | None


def session_page(
    limit: int = DEFAULT_DAYS, before: date | None = None, *, session: Session
) -> SessionPage:
    """The current plan's logged exercises on the `limit` latest days with sessions before
    `before` (`services.paging`): a log of years is read a page at a time."""
    plan = current_plan(session=session)
    page = date_page(
        SessionLog.session_date, [SessionLog.plan_id == plan.id], limit, before, session=session
    )
    if page.empty:
        return SessionPage((), None)
    return SessionPage(session_log(plan, page.first, page.last, session=session), page.next_before)


def _load_json(dose: Dose) -> dict[str, Any] | None:
    return None if dose.load is None else dose.load.as_json()


def _explained(
    plan: StoredPlan, rows: Sequence[SessionLog], first: date | None, *, session: Session
) -> dict[int, tuple[LoggedSession, Decision]]:
    """Each row's dose with its load, and the one line that explains why it was asked
    (target beside what was done, with the reason).

    A ladder with a load has its whole log replayed (the load follows from it); one without
    reads only the recent log before the window, as today's dose does."""
    if not rows:
        return {}
    ctx = _context(plan, session)
    slots = sorted({row.slot for row in rows})
    loaded = _loaded_slots(ctx, slots)
    found: dict[int, tuple[LoggedSession, Decision]] = {}
    if loaded:
        by_slot: dict[str, list[Row[Any]]] = {}
        table = SessionLog.__table__.c
        every = session.execute(  # plain rows: a log of years without an ORM object each
            select(SessionLog.__table__)
            .where(table.plan_id == plan.id, table.slot.in_(loaded))
            .order_by(table.session_date, table.id)
        )
        for row in every:
            by_slot.setdefault(row.slot, []).append(row)
        for slot, slot_rows in by_slot.items():
            replayed = _filled(ctx, slot, [_logged(row) for row in slot_rows])
            found.update({row.id: pair for row, pair in zip(slot_rows, replayed, strict=False)})
    plain = [slot for slot in slots if slot not in loaded and plan.exercise(slot) is not None]
    if plain:
        before = _histories(session, plan.id, plain, first) if first is not None else {}
        for slot in plain:
            history = list(before.get(slot, []))
            for own in (r for r in rows if r.slot == slot):
                logged = _logged(own)
                decision = _decide(ctx, slot, own.session_date, history)
                found[own.id] = (logged, decision)
                history.append(logged)
    return found


# ── Adherence: sessions done against asked ──────────────────────────────────────────────────


@dataclass(frozen=True)
class Adherence:
    """One period of the plan (a day, or a week on a long chart): the exercises the plan asked
    for on its days and the exercises logged on them."""

    first: date
    last: date
    asked: int
    done: int


def adherence(
    plan: StoredPlan, first: date, last: date, period_days: int = 1, *, session: Session
) -> list[Adherence]:
    """Exercises done against exercises asked, per period of `period_days` days from `first`
    to `last` (periods start on `first`; days before the plan started are left out).

    What was asked comes from the plan's weekly days; what was done is counted by the
    database, one `GROUP BY` period query, so a long window costs one short answer."""
    start = max(first, plan.start_date)
    if start > last:
        return []
    period = period_index(SessionLog.session_date, first, period_days).label("period")
    counted = session.execute(
        select(period, func.count(SessionLog.id))
        .where(
            SessionLog.plan_id == plan.id,
            SessionLog.session_date >= start,
            SessionLog.session_date <= last,
        )
        .group_by(period)
    )
    done = {int(index): int(count) for index, count in counted}
    asked: dict[int, int] = {}
    day = start
    while day <= last:
        index = (day - first).days // period_days
        asked[index] = asked.get(index, 0) + len(plan.session_on_day(plan.day_on(day)))
        day += timedelta(days=1)
    periods: list[Adherence] = []
    for index in sorted(asked):
        begins = max(start, first + timedelta(days=index * period_days))
        ends = min(last, first + timedelta(days=(index + 1) * period_days - 1))
        periods.append(Adherence(begins, ends, asked[index], done.get(index, 0)))
    return periods


# ── Dose changes: progressions and regressions with their reasons (the PDF report) ─────────


@dataclass(frozen=True)
class DoseChangeFound:
    """A logged session asked for another dose than the one before it, and the rule why."""

    slot: str
    on: date
    decision: Decision


def dose_changes(
    plan: StoredPlan, first: date, last: date, *, session: Session
) -> list[DoseChangeFound]:
    """Each change of an exercise's prescribed dose logged from `first` to `last`, with the
    decision `next_dose` made from the log before it (the same rule Today used)."""
    ctx = _context(plan, session)
    rows = session.scalars(
        select(SessionLog)
        .where(SessionLog.plan_id == plan.id, SessionLog.session_date <= last)
        .order_by(SessionLog.session_date, SessionLog.id)
    )
    by_slot: dict[str, list[LoggedSession]] = {}
    for row in rows:
        by_slot.setdefault(row.slot, []).append(_logged(row))
    found: list[DoseChangeFound] = []
    for slot, history in by_slot.items():
        for index in range(1, len(history)):
            before, now = history[index - 1], history[index]
            if now.on < first or now.prescribed == before.prescribed:
                continue
            decision = next_dose(
                before.prescribed, history[:index], ctx.chain, ctx.rules, ctx.allowed
            )
            if decision.after != now.prescribed:  # changed by hand or by a caution: say so
                decision = replace(decision, before=before.prescribed, after=now.prescribed)
            found.append(DoseChangeFound(slot, now.on, decision))
    return sorted(found, key=lambda change: (change.on, change.slot))
