"""The pure rules of a clinician's part (core/clinic.py): share codes, the panel's order, the
wait after wrong codes, and plan adjustments (what may change, what holds, what ends it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kneecoach.core.clinic import (
    PANEL_ORDER,
    Adjustment,
    ChangeRequest,
    PanelRow,
    PlanChange,
    apply_request,
    change_from_json,
    ended_by,
    format_code,
    held_decision,
    held_slots,
    holding,
    ladder_of,
    normalise_code,
    panel_order,
)
from kneecoach.core.errors import InputError
from kneecoach.core.planning import variants_of
from kneecoach.core.progression import Dose
from kneecoach.data.clinic import load_clinic
from kneecoach.data.exercises import load_catalogue

ALPHABET = load_clinic().share_code.alphabet


def test_codes_read_out_in_groups_and_typed_any_way() -> None:
    assert format_code("ABCDEFGHJKMN", 4) == "ABCD-EFGH-JKMN"
    assert normalise_code(" abcd-efgh jkmn ", ALPHABET, 12) == "ABCDEFGHJKMN"
    assert normalise_code("ABCD-EFGH-JKM", ALPHABET, 12) is None  # too short
    assert normalise_code("ABCD-EFGH-JKM0", ALPHABET, 12) is None  # 0 is never in a code
    assert not set("IL01O") & set(ALPHABET)


def _row(name: str, **kw: object) -> PanelRow:
    return PanelRow(person_id=name, name=name, **kw)  # type: ignore[arg-type]


def test_panel_puts_the_newest_alert_first_then_the_worst_change() -> None:
    rows = [
        _row("quiet", last_checkin=date(2026, 11, 30)),
        _row("worse", change_in_mics=-1.5, last_checkin=date(2026, 11, 30)),
        _row("slightly worse", change_in_mics=-0.2),
        _row("old alert", newest_alert_on=date(2026, 11, 1)),
        _row("new alert", newest_alert_on=date(2026, 11, 29)),
        _row("better", change_in_mics=2.0),
        _row("silent"),  # never checked in: before those who do
    ]
    order = [row.name for row in panel_order(rows)]
    assert order == [
        "new alert",
        "old alert",
        "worse",
        "slightly worse",
        "better",
        "silent",
        "quiet",
    ]


def test_the_data_file_states_the_panel_rule_the_code_uses() -> None:
    panel = load_clinic().panel
    assert panel.order == PANEL_ORDER and panel.basis == "product-decision"


CHAIN = variants_of(load_catalogue())


def _laddered() -> tuple[str, str]:
    """An exercise with a harder rung, and that rung."""
    for variant in CHAIN.values():
        if variant.harder and variant.harder in CHAIN and variant.reps_range:
            return variant.id, variant.harder
    raise AssertionError("no ladder in the catalogue")


def test_a_swap_stays_on_the_ladder_and_numbers_within_the_range() -> None:
    easy, hard = _laddered()
    assert hard in ladder_of(easy, CHAIN) and easy in ladder_of(hard, CHAIN)
    today = CHAIN[easy].start
    swapped = apply_request(ChangeRequest(easy, "swap", exercise_id=hard), today, CHAIN)
    assert swapped.dose is not None and swapped.dose.exercise_id == hard
    other = next(v.id for v in CHAIN.values() if v.id not in ladder_of(easy, CHAIN))
    with pytest.raises(InputError) as off_ladder:
        apply_request(ChangeRequest(easy, "swap", exercise_id=other), today, CHAIN)
    assert off_ladder.value.field == "exercise_id" and "same ladder" in off_ladder.value.problem
    low, high = CHAIN[easy].reps_range or (0, 0)
    with pytest.raises(InputError) as too_many:
        apply_request(ChangeRequest(easy, "dose", reps=high + 1), today, CHAIN)
    assert too_many.value.field == "reps" and f"{low}–{high}" in too_many.value.problem
    fewer = apply_request(ChangeRequest(easy, "dose", reps=low), today, CHAIN)
    assert fewer.dose is not None and fewer.dose.reps == low
    paused = apply_request(ChangeRequest(easy, "pause"), today, CHAIN)
    assert paused.dose is None and paused.action == "pause"
    assert change_from_json(fewer.as_json()) == fewer


AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _adjustment(n: int, slot: str, at: datetime = AT, **kw: object) -> Adjustment:
    change = PlanChange(slot, "dose", Dose(slot, sets=n, reps=8))
    return Adjustment(n, at, "c1", "Dr Lee", "because", (change,), **kw)  # type: ignore[arg-type]


def test_an_adjustment_holds_until_released_or_a_newer_intake() -> None:
    held = _adjustment(1, "squat")
    assert ended_by(held, None) is None
    assert ended_by(held, datetime(2026, 12, 1, tzinfo=UTC)) is None  # the intake before it
    assert ended_by(held, datetime(2026, 12, 4, tzinfo=UTC)) == "new_intake"
    released = _adjustment(2, "squat", released_at=AT, ended_by="released")
    assert ended_by(released, None) == "released"
    assert [a.id for a in holding([held, released], None)] == [1]


def test_the_newest_change_to_an_exercise_is_the_one_that_holds() -> None:
    older = _adjustment(1, "squat")
    newer = _adjustment(2, "squat", at=datetime(2026, 12, 5, tzinfo=UTC))
    held = held_slots([newer, older])
    assert held["squat"].adjustment.id == 2
    decision = held_decision(Dose("squat", 3, 12), held["squat"], "Changed by Dr Lee")
    assert decision.action == "hold" and decision.after == Dose("squat", 2, 8)
    assert decision.rule_id == "clinician_adjustment" and decision.reason == "Changed by Dr Lee"
