"""Intakes and check-ins for the safety-stop tests: robust red-flag cases only.

Rule words and some levels change as the clinical files are reviewed, so the tests lean on
cases whose level is settled (decisions.md): a hot knee with fever and swelling 2 is at least
urgent; a hot knee with a knee replacement is urgent or emergency; weakness with back pain is
`soon` (a nerve sign to check, not a stop).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from kneecoach.core.checkins import CheckIn
from kneecoach.core.intake import parse_intake
from tests.plan.intakes import HIKER, example, with_changes

STOP_LEVELS = ("emergency", "urgent")
START = date(2026, 3, 2)


def day(n: int) -> date:
    return START + timedelta(days=n)


def hiker() -> dict[str, Any]:
    return example(HIKER)


def hiker_with(changes: dict[str, Any]) -> dict[str, Any]:
    return with_changes(example(HIKER), changes)


def facts_of(raw: dict[str, Any]) -> dict[str, Any]:
    return parse_intake(raw).facts()


def hot_knee(on: date) -> CheckIn:
    """Warmth, fever and moderate swelling: at least urgent whatever else the intake says."""
    return CheckIn(day=on, pain=5, warm=True, fever=True, swelling=2)


def all_clear(on: date) -> CheckIn:
    """Every red-flag question answered, each with a no (or no swelling)."""
    return CheckIn(
        day=on,
        pain=2,
        warm=False,
        fever=False,
        swelling=0,
        locking=False,
        calf_pain=False,
        giving_way=False,
        weakness=False,
    )


def pain_only(on: date) -> CheckIn:
    """A check-in that skips the red-flag questions: unknown is never "the sign is gone"."""
    return CheckIn(day=on, pain=3)


RED_FLAG_ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "warm": st.booleans(),
        "fever": st.booleans(),
        "swelling": st.integers(0, 3),
        "locking": st.booleans(),
        "calf_pain": st.booleans(),
        "giving_way": st.booleans(),
        "weakness": st.booleans(),
    },
)
"""Any mix of the check-in answers that the red-flag rules read."""
