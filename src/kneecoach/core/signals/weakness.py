"""weakness_rising: the knee feeling weak on more days than usual (evidence §6.3)."""

from __future__ import annotations

from kneecoach.core.signals.events import EventDetector


class WeaknessRising(EventDetector):
    id = "weakness_rising"
