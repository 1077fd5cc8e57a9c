"""Walks kept between requests, so a check-in or a page after years of data walks a few days.

The detectors' states are kept at stops (core/signals/walk.py) in this process. A kept stop
is used only while the stored check-ins it was worked out from are unchanged: each stop holds
a fingerprint of the rows from its walk's first read day to its own day (how many, the sum of
their ids and the latest edit time), and a request compares it with the rows stored now, all
in one small aggregate query. A new row, an edit of an old day, an import or an erase changes
the fingerprint, so the walk goes on from the last stop before the change. Nothing is
written: a new process starts cold.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Select, bindparam, case, func, literal_column, select

from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.registry import walked_by
from kneecoach.core.signals.thresholds import SignalThresholds
from kneecoach.core.signals.walk import Stop, reach, start, stop_days, walk_on
from kneecoach.services.checkins import list_checkins
from kneecoach.services.database import Session
from kneecoach.storage.models.checkins import CheckInRow

MAX_WALKS = 16
"""Walks kept at once (one per database and anchor); the least recently used goes first."""
MAX_STOPS = 80
"""Stops kept per walk: a walk is at most about 50 weeks long."""
NEWEST = 3
"""The newest kept stops checked against the stored rows per request."""
FALLBACK_DAYS = (7, 14, 28, 56)
"""Older stops checked too, the newest at least this many days before the day asked: when
writes of other recent days have come in since the newest stops (several clients at once,
an import), one of these still fits and the walk goes on for weeks, not from its anchor."""


Fingerprint = tuple[Any, ...]
"""How many rows, the sum of their ids, the latest edit time: any new, edited or removed row
changes one of them (an edit sets its time to now)."""


@dataclass(frozen=True)
class _Kept:
    stop: Stop
    fingerprint: Fingerprint


@dataclass
class _Walk:
    thresholds: SignalThresholds
    red_flag: RedFlag | None
    stops: list[_Kept]  # by day

    def fits(self, thresholds: SignalThresholds, red_flag: RedFlag | None) -> bool:
        """Kept for the same numbers and the same red-flag rules (the country's words)?"""
        same_rules = (self.red_flag is None) == (red_flag is None) and (
            red_flag is None
            or (self.red_flag is not None and self.red_flag.rules is red_flag.rules)
        )
        return self.thresholds is thresholds and same_rules


class WalkKeeper:
    """The stops of recent walks, shared by the threads of one server (a lock guards them)."""

    def __init__(self) -> None:
        self._walks: OrderedDict[tuple[str, date], _Walk] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._walks.clear()

    def walk_through(
        self,
        anchor: date,
        last: date,
        thresholds: SignalThresholds,
        red_flag: RedFlag | None = None,
        *,
        session: Session,
    ) -> Stop:
        """The walk from `anchor` through `last`, going on from the latest kept stop that
        still fits the stored rows."""
        detectors = walked_by(red_flag)
        oldest = anchor - timedelta(days=reach(detectors, thresholds))
        key = (str(session.get_bind().engine.url), anchor)
        candidates = self._candidates(key, thresholds, red_flag, last)
        after = candidates[-1].stop.through if candidates else anchor - timedelta(days=1)
        asked = {k.stop.through for k in candidates} | _kept_days(anchor, after, last)
        prints = _fingerprints(oldest, asked, session)
        stop = next((k.stop for k in candidates if prints[k.stop.through] == k.fingerprint), None)
        if stop is None:
            stop = start(anchor, detectors, thresholds)
            if candidates:  # none fits: the stops from the anchor on need their prints too
                prints |= _fingerprints(oldest, _kept_days(anchor, stop.through, last), session)
        if stop.through >= last:
            return stop
        read_from = max(stop.through + timedelta(days=1), oldest)
        stops = walk_on(
            stop, list_checkins(read_from, last, session=session), last, detectors, thresholds
        )
        kept = [_Kept(s, prints[s.through]) for s in stops if s.through in prints]
        self._keep(key, _Walk(thresholds, red_flag, kept), prints)
        return stops[-1]

    def _candidates(
        self,
        key: tuple[str, date],
        thresholds: SignalThresholds,
        red_flag: RedFlag | None,
        last: date,
    ) -> list[_Kept]:
        """The kept stops worth checking for a walk to `last`, newest first."""
        with self._lock:
            walk = self._walks.get(key)
            if walk is None or not walk.fits(thresholds, red_flag):
                return []
            self._walks.move_to_end(key)
            usable = [k for k in walk.stops if k.stop.through <= last][::-1]
        chosen = usable[:NEWEST]
        for days in FALLBACK_DAYS:
            before = last - timedelta(days=days)
            older = next((k for k in usable if k.stop.through <= before), None)
            if older is not None and older not in chosen:
                chosen.append(older)
        return chosen

    def _keep(self, key: tuple[str, date], new: _Walk, prints: dict[date, Fingerprint]) -> None:
        """Add the new stops and drop the kept ones the stored rows were seen not to fit."""
        with self._lock:
            walk = self._walks.get(key)
            if walk is None or not walk.fits(new.thresholds, new.red_flag):
                walk = _Walk(new.thresholds, new.red_flag, [])
            fresh = {k.stop.through for k in new.stops}
            still = [
                k
                for k in walk.stops
                if k.stop.through not in fresh
                and prints.get(k.stop.through, k.fingerprint) == k.fingerprint
            ]
            walk.stops = sorted([*still, *new.stops], key=lambda k: k.stop.through)[-MAX_STOPS:]
            self._walks[key] = walk
            self._walks.move_to_end(key)
            while len(self._walks) > MAX_WALKS:
                self._walks.popitem(last=False)


def _kept_days(anchor: date, after: date, through: date) -> set[date]:
    """The stop days of a walk going on from `after` that will be kept: the newest MAX_STOPS.
    A walk over years (the whole series) stops every week; only the newest are worth a
    fingerprint, which is one comparison per stored row and day asked."""
    return set(stop_days(anchor, after, through)[-MAX_STOPS:])


def _fingerprints(oldest: date, days: set[date], session: Session) -> dict[date, Fingerprint]:
    """For each day, a fingerprint of the stored rows from `oldest` to that day: how many,
    the sum of their ids and the latest edit time. One statement, so all are of one moment:
    the rows are counted in the stretches between the days, then added up."""
    ordered = sorted(days)
    params: dict[str, date] = {f"day_{i}": day for i, day in enumerate(ordered)}
    stretches = session.execute(_fingerprint_query(len(ordered)), {**params, "oldest": oldest})
    found = {stretch: (count, ids or 0, edited) for stretch, count, ids, edited in stretches}
    prints: dict[date, Fingerprint] = {}
    count, ids, edited = 0, 0, None
    for i, day in enumerate(ordered):
        if i in found:
            more, more_ids, latest = found[i]
            count, ids = count + more, ids + more_ids
            edited = (
                latest if edited is None or (latest is not None and latest > edited) else edited
            )
        prints[day] = (count, ids, edited)
    return prints


@cache
def _fingerprint_query(count: int) -> Select[Any]:
    """The statement for `count` days, built once (its days are parameters): each row falls
    in the stretch of the first day on or after it."""
    days = [bindparam(f"day_{i}", type_=Date) for i in range(count)]
    stretch = case(*((CheckInRow.day <= day, i) for i, day in enumerate(days))).label("stretch")
    return (
        select(stretch, func.count(), func.sum(CheckInRow.id), func.max(CheckInRow.updated_at))
        .where(CheckInRow.day >= bindparam("oldest", type_=Date), CheckInRow.day <= days[-1])
        .group_by(literal_column("stretch"))
    )


KEEPER = WalkKeeper()
"""This process's kept walks."""
