"""swelling_rising: swelling creeping up over days, often before the pain does (evidence §6.2)."""

from __future__ import annotations

from kneecoach.core.signals.rising import RisingDetector


class SwellingRising(RisingDetector):
    id = "swelling_rising"
    unit_digits = 1
