"""Walks kept between requests, so a check-in or a page after years of data walks a few days.

The detectors' states are kept at stops (core/signals/walk.py) in this process. A kept stop
is used only while the stored check-ins it was worked out from are unchanged: each stop holds
a fingerprint of the rows from its walk's first read day to its own day (their dates, ids and
edit times), and a request compares it with the rows stored now, read in one small query. An
edit of an old day, an import or an erase changes the fingerprint, so the walk is worked out
again from the last stop before the change. Nothing is written: a new process starts cold.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.registry import walked_by
from kneecoach.core.signals.thresholds import SignalThresholds
from kneecoach.core.signals.walk import Stop, reach, start, walk_on
from kneecoach.services.checkins import list_checkins
from kneecoach.services.database import Session
from kneecoach.storage.models.checkins import CheckInRow

MAX_WALKS = 16
"""Walks kept at once (one per database and anchor); the least recently used goes first."""
MAX_STOPS = 80
"""Stops kept per walk: a walk is at most about 50 weeks long."""


@dataclass(frozen=True)
class _Kept:
    stop: Stop
    fingerprint: int


@dataclass
class _Walk:
    thresholds: SignalThresholds
    red_flag: RedFlag | None
    stops: list[_Kept]  # by day

    def fits(self, thresholds: SignalThresholds, red_flag: RedFlag | None) -> bool:
        """Kept for the same numbers and the same red-flag rules (the country's words)?"""
        same_rules = (self.red_flag is None) == (red_flag is None) and (
            red_flag is None or (self.red_flag is not None and self.red_flag.rules is red_flag.rules)
        )
        return self.thresholds is thresholds and same_rules


class _Fingerprints:
    """Running fingerprints of the stored rows from a walk's first read day, by day."""

    def __init__(self, rows: list[tuple[date, int, object]]) -> None:
        self._days: list[int] = []
        self._prints: list[int] = []
        running = 0
        for day, row_id, edited in rows:
            running = hash((running, day.toordinal(), row_id, edited))
            self._days.append(day.toordinal())
            self._prints.append(running)

    def through(self, day: date) -> int:
        """The fingerprint of the rows up to `day` (0: none)."""
        index = bisect_right(self._days, day.toordinal())
        return self._prints[index - 1] if index else 0


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
        prints = _Fingerprints(_edits_between(oldest, last, session))
        key = (str(session.get_bind().engine.url), anchor)
        stop = self._latest_fitting(key, thresholds, red_flag, last, prints)
        if stop is None:
            stop = start(anchor, detectors, thresholds)
            read_from = oldest
        else:
            read_from = stop.through + timedelta(days=1)
        if stop.through >= last:
            return stop
        checkins = list_checkins(read_from, last, session=session)
        stops = walk_on(stop, checkins, last, detectors, thresholds)
        kept = [_Kept(s, prints.through(s.through)) for s in stops]
        self._keep(key, _Walk(thresholds, red_flag, kept), prints)
        return stops[-1]

    def _latest_fitting(
        self,
        key: tuple[str, date],
        thresholds: SignalThresholds,
        red_flag: RedFlag | None,
        last: date,
        prints: _Fingerprints,
    ) -> Stop | None:
        with self._lock:
            walk = self._walks.get(key)
            if walk is None or not walk.fits(thresholds, red_flag):
                return None
            self._walks.move_to_end(key)
            for kept in reversed(walk.stops):
                through = kept.stop.through
                if through <= last and prints.through(through) == kept.fingerprint:
                    return kept.stop
        return None

    def _keep(self, key: tuple[str, date], new: _Walk, prints: _Fingerprints) -> None:
        """Add the new stops and drop the kept ones the stored rows no longer fit."""
        last = new.stops[-1].stop.through
        with self._lock:
            walk = self._walks.get(key)
            if walk is None or not walk.fits(new.thresholds, new.red_flag):
                walk = _Walk(new.thresholds, new.red_flag, [])
            fresh = {k.stop.through for k in new.stops}
            still = [
                k
                for k in walk.stops
                if k.stop.through not in fresh
                and (k.stop.through > last or prints.through(k.stop.through) == k.fingerprint)
            ]
            walk.stops = sorted([*still, *new.stops], key=lambda k: k.stop.through)[-MAX_STOPS:]
            self._walks[key] = walk
            self._walks.move_to_end(key)
            while len(self._walks) > MAX_WALKS:
                self._walks.popitem(last=False)


def _edits_between(first: date, last: date, session: Session) -> list[tuple[date, int, object]]:
    """Each stored row's date, id and last edit time, from `first` to `last`, by date."""
    query = (
        select(CheckInRow.day, CheckInRow.id, CheckInRow.updated_at)
        .where(CheckInRow.day >= first, CheckInRow.day <= last)
        .order_by(CheckInRow.day)
    )
    return [(day, row_id, edited) for day, row_id, edited in session.execute(query)]


KEEPER = WalkKeeper()
"""This process's kept walks."""
