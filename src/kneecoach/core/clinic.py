"""A clinician's part, as pure rules: share codes, the panel's order and plan adjustments.

No I/O here: the services read the stores and pass plain data in. A plan adjustment is a
clinician's fixed change to one exercise of the plan (a swap along its ladder, a new dose
within the exercise's range, or a pause). Automatic progression does not move an adjusted
exercise until the clinician releases the change or a newer intake is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from kneecoach.core.errors import InputError
from kneecoach.core.progression import Decision, Dose, LoadLevel, Variant

# ── Share codes ─────────────────────────────────────────────────────────────────────────────


def format_code(raw: str, group_length: int) -> str:
    """`ABCDEFGHJKMN` → `ABCD-EFGH-JKMN`: groups a person can read out."""
    return "-".join(raw[i : i + group_length] for i in range(0, len(raw), group_length))


def normalise_code(typed: str, alphabet: str, length: int) -> str | None:
    """The code as typed (any case, spaces or dashes) in its canonical form, or None when it
    cannot be a code at all. A wrong code and an unknown code get the same answer later."""
    plain = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(plain) != length or any(ch not in alphabet for ch in plain):
        return None
    return plain


# ── The clinician's panel ───────────────────────────────────────────────────────────────────

PANEL_ORDER = ("newest_alert", "worst_change", "oldest_checkin", "name")
"""The order of the panel (data/clinic.yaml `panel.order` says the same, with its basis)."""


@dataclass(frozen=True)
class PanelRow:
    """What the panel shows of one person: their latest pain, alerts, KOOS change against the
    MIC and last check-in. `change_in_mics` is the change of the questionnaire score divided by
    its minimal important change (below zero: worse); None when not measured twice."""

    person_id: str
    name: str
    latest_pain: int | None = None
    alerts: tuple[str, ...] = ()
    newest_alert_on: date | None = None
    change: float | None = None
    mic: float | None = None
    change_in_mics: float | None = None
    last_checkin: date | None = None


def panel_order(rows: Iterable[PanelRow]) -> list[PanelRow]:
    """Newest alert first; then the worst change (most MICs below zero); then the longest since
    a check-in (never checked in first); then by name. People with no alert and no change come
    after those with one."""

    def key(row: PanelRow) -> tuple[Any, ...]:
        alert = row.newest_alert_on
        change = row.change_in_mics
        checkin = row.last_checkin
        return (
            alert is None,
            -(alert.toordinal()) if alert else 0,
            change is None,
            change if change is not None else 0.0,
            checkin is not None,
            checkin.toordinal() if checkin else 0,
            row.name.casefold(),
            row.person_id,
        )

    return sorted(rows, key=key)


# ── Plan adjustments ────────────────────────────────────────────────────────────────────────

ChangeAction = Literal["swap", "dose", "pause"]
CHANGE_ACTIONS: tuple[ChangeAction, ...] = ("swap", "dose", "pause")


@dataclass(frozen=True)
class PlanChange:
    """One exercise (the plan's slot) as the clinician set it: the whole dose it stays at, or
    paused (`dose` None)."""

    slot: str
    action: ChangeAction
    dose: Dose | None

    def as_json(self) -> dict[str, Any]:
        return {"slot": self.slot, "action": self.action, "dose": dose_json(self.dose)}


@dataclass(frozen=True)
class Adjustment:
    """A clinician's change to the plan, with who, when and why; `ended_by` "released" or
    "new_intake" once it no longer holds."""

    id: int
    at: datetime
    clinician_id: str
    clinician_name: str
    reason: str
    changes: tuple[PlanChange, ...]
    released_at: datetime | None = None
    ended_by: str | None = None

    @property
    def active(self) -> bool:
        return self.ended_by is None


def dose_json(dose: Dose | None) -> dict[str, Any] | None:
    if dose is None:
        return None
    return {
        "exercise_id": dose.exercise_id,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": dose.hold_s,
        "minutes": dose.minutes,
        "load": None
        if dose.load is None
        else {"kind": dose.load.kind, "value": dose.load.value, "unit": dose.load.unit},
        "tempo": dose.tempo,
        "extra_sets": dose.extra_sets,
    }


def dose_from_json(raw: Mapping[str, Any] | None) -> Dose | None:
    if raw is None:
        return None
    load = raw.get("load")
    return Dose(
        exercise_id=str(raw["exercise_id"]),
        sets=int(raw["sets"]),
        reps=raw.get("reps"),
        hold_s=raw.get("hold_s"),
        minutes=raw.get("minutes"),
        load=None
        if not load
        else LoadLevel(str(load["kind"]), float(load["value"]), str(load.get("unit") or "")),
        tempo=raw.get("tempo"),
        extra_sets=int(raw.get("extra_sets") or 0),
    )


def change_from_json(raw: Mapping[str, Any]) -> PlanChange:
    return PlanChange(str(raw["slot"]), raw["action"], dose_from_json(raw.get("dose")))


def ladder_of(exercise_id: str, chain: Mapping[str, Variant]) -> tuple[str, ...]:
    """Every exercise on the same ladder, easiest first."""
    if exercise_id not in chain:
        return ()
    first = exercise_id
    seen = {first}
    while (easier := chain[first].easier) and easier in chain and easier not in seen:
        first = easier
        seen.add(first)
    rungs = [first]
    while (harder := chain[rungs[-1]].harder) and harder in chain and harder not in rungs:
        rungs.append(harder)
    return tuple(rungs)


@dataclass(frozen=True)
class ChangeRequest:
    """What a clinician asks for one exercise; numbers left out keep today's dose."""

    slot: str
    action: ChangeAction
    exercise_id: str | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    load: float | None = None


def _in_range(field: str, value: int | None, bounds: tuple[int, int] | None) -> None:
    if value is None:
        return
    if bounds is None:
        raise InputError(field, f"this exercise has no {field.replace('_', ' ')} to set")
    low, high = bounds
    if not low <= value <= high:
        raise InputError(field, f"{value} is outside this exercise's range {low}–{high}")


def _with_load(variant: Variant, value: float) -> LoadLevel:
    for rung in variant.load_rungs:
        if abs(rung.value - value) < 1e-6:
            return rung
    if not variant.load_rungs:
        raise InputError("load", "this exercise has no load to set")
    values = ", ".join(f"{rung.value:g}" for rung in variant.load_rungs)
    raise InputError("load", f"{value:g} is not a step of this exercise's load ({values})")


def apply_request(request: ChangeRequest, today: Dose, chain: Mapping[str, Variant]) -> PlanChange:
    """The clinician's request made into a whole, fixed dose, or InputError naming the field:
    a swap only along the exercise's own ladder, each number within the new exercise's range."""
    if request.action not in CHANGE_ACTIONS:
        raise InputError("action", f"{request.action!r} is not one of {', '.join(CHANGE_ACTIONS)}")
    if request.action == "pause":
        return PlanChange(request.slot, "pause", None)
    target = request.exercise_id or today.exercise_id
    if request.action == "swap":
        if request.exercise_id is None:
            raise InputError("exercise_id", "name the exercise to swap to")
        if target not in ladder_of(today.exercise_id, chain):
            raise InputError(
                "exercise_id", f"{target!r} is not on the same ladder as {today.exercise_id!r}"
            )
    elif target != today.exercise_id:
        raise InputError("exercise_id", "a dose change keeps the exercise; use a swap")
    variant = chain.get(target)
    if variant is None:
        raise InputError("exercise_id", f"{target!r} is not an exercise kneecoach knows")
    base = today if target == today.exercise_id else variant.start
    _in_range("sets", request.sets, variant.sets_range or (1, 10))
    _in_range("reps", request.reps, variant.reps_range)
    _in_range("hold_s", request.hold_s, variant.hold_range)
    _in_range("minutes", request.minutes, variant.minutes_range)
    load = base.load if request.load is None else _with_load(variant, request.load)
    dose = replace(
        base,
        exercise_id=target,
        sets=request.sets if request.sets is not None else base.sets,
        reps=request.reps if request.reps is not None else base.reps,
        hold_s=request.hold_s if request.hold_s is not None else base.hold_s,
        minutes=request.minutes if request.minutes is not None else base.minutes,
        load=load,
    )
    if request.action == "dose" and dose == today:
        raise InputError("sets", "this is the dose already asked: change a number")
    return PlanChange(request.slot, request.action, dose)


def ended_by(adjustment: Adjustment, latest_intake_at: datetime | None) -> str | None:
    """Why an adjustment no longer holds: "released" by the clinician, "new_intake" when the
    person saved a newer intake after it; None while it holds."""
    if adjustment.released_at is not None or adjustment.ended_by is not None:
        return adjustment.ended_by or "released"
    if latest_intake_at is not None and latest_intake_at > adjustment.at:
        return "new_intake"
    return None


def holding(
    adjustments: Sequence[Adjustment], latest_intake_at: datetime | None
) -> tuple[Adjustment, ...]:
    """The adjustments that still hold, each with its end worked out."""
    return tuple(
        a
        for a in (replace(a, ended_by=ended_by(a, latest_intake_at)) for a in adjustments)
        if a.active
    )


@dataclass(frozen=True)
class Held:
    """The change holding one slot, with the adjustment it belongs to."""

    adjustment: Adjustment
    change: PlanChange


def held_slots(adjustments: Sequence[Adjustment]) -> dict[str, Held]:
    """Each adjusted slot and the newest active change to it (a later change replaces an
    earlier one for the same exercise)."""
    found: dict[str, Held] = {}
    for adjustment in sorted(adjustments, key=lambda a: (a.at, a.id)):
        if not adjustment.active:
            continue
        for change in adjustment.changes:
            found[change.slot] = Held(adjustment, change)
    return found


def held_decision(current: Dose, held: Held, words: str) -> Decision:
    """Progression's answer for a slot a clinician fixed: their dose, "hold", and their words
    (`words` is "Changed by … on …: …", filled by the service). A paused slot never gets here:
    it is left out of the day."""
    after = held.change.dose or current
    return Decision(
        rule_id="clinician_adjustment",
        action="hold",
        before=current,
        after=after,
        reason=words,
    )
