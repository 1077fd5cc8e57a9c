"""A pair's distance is summed by the database (years of daily steps are never loaded), with
the same rule as `core.shoes.distance_on_pair_km`: a day counts the larger of its recorded
outings and its steps estimate. Checked on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kneecoach.core.shoes import CountedDistance, distance_on_pair_km
from kneecoach.services.database import transaction
from kneecoach.services.shoes import activity_km, add_pair, list_shoes, pair_from_row
from kneecoach.storage.models.shoes import ShoeActivity, ShoePair
from tests.db import in_session

TODAY = date(2026, 6, 15)


def _entries(seed: int, days: int) -> list[CountedDistance]:
    """Steps most days, a run or two on some (some on a day with steps, some without)."""
    rng = random.Random(seed)
    first = TODAY - timedelta(days=days)
    found = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if rng.random() < 0.8:
            found.append(CountedDistance(day, round(rng.uniform(1, 9), 2), from_steps=True))
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            found.append(CountedDistance(day, round(rng.uniform(2, 12), 2)))
    return found


def _store(pair_id: str, entries: list[CountedDistance]) -> None:
    with transaction() as session:
        for n, entry in enumerate(entries):
            session.add(
                ShoeActivity(
                    pair_id=pair_id,
                    fingerprint=f"{pair_id}-{n}",
                    source="steps" if entry.from_steps else "csv",
                    on_date=entry.on,
                    distance_km=entry.km,
                    origin="test",
                )
            )


def test_the_database_sum_agrees_with_the_core_rule(database: str) -> None:
    pairs = {
        name: in_session(add_pair, name, today=TODAY, start_km=start).pair.id
        for name, start in (("Walkers", 0.0), ("Runners", 120.0), ("Spare", 5.0))
    }
    stored = {pairs["Walkers"]: _entries(1, 400), pairs["Runners"]: _entries(2, 150)}
    for pair_id, entries in stored.items():
        _store(pair_id, entries)
    with transaction() as session:
        summed = activity_km(session, list(pairs.values()))
        rows = {row.id: pair_from_row(row) for row in session.query(ShoePair)}
    for pair_id, entries in stored.items():
        expected = distance_on_pair_km(rows[pair_id], entries) - rows[pair_id].start_km
        assert summed[pair_id] == pytest.approx(expected)
    assert pairs["Spare"] not in summed  # nothing counted on it: its start distance only
    shown = {o.pair.id: o.status.distance_km for o in in_session(list_shoes, today=TODAY)}
    for pair_id, entries in stored.items():
        assert shown[pair_id] == pytest.approx(distance_on_pair_km(rows[pair_id], entries))
    assert shown[pairs["Spare"]] == pytest.approx(5.0)
