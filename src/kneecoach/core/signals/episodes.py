"""Episodes: a detector alerts once when a sign starts and again only when it gets worse.

A person should not be told the same thing every day. An episode starts on the first day a
level is reached, raises a new alert only when the level rises, and ends after a number of
calm days in a row, after which the next rise is news again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from kneecoach.core.signals.alerts import Level

B = TypeVar("B")


@dataclass
class Episode(Generic[B]):
    """The running state of one detector over a series (mutable, local to one `detect`)."""

    calm_days: int
    level: Level | None = None
    started: date | None = None
    frozen: B | None = None
    _calm: int = field(default=0)

    def __deepcopy__(self, memo: dict[int, Any]) -> Episode[B]:
        """A copy to walk on (core/signals/walk.py), made field by field: the generic copy
        rebuilds it through pickling's hooks, a few hundred calls per check-in."""
        frozen = copy.deepcopy(self.frozen, memo)
        return Episode(self.calm_days, self.level, self.started, frozen, self._calm)

    @property
    def active(self) -> bool:
        return self.level is not None

    def see(self, day: date, level: Level | None, baseline: B | None) -> bool:
        """Record a day's verdict; True when it is news (a new episode or a higher level)."""
        if level is None:
            if self.active:
                self._calm += 1
                if self._calm >= self.calm_days:
                    self.level = self.started = self.frozen = None
                    self._calm = 0
            return False
        self._calm = 0
        if self.level is None:
            self.level, self.started, self.frozen = level, day, baseline
            return True
        if level > self.level:
            self.level = level
            return True
        return False
