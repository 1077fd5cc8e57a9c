"""stiffness_rising: morning stiffness lasting longer than usual (evidence §6.1).

Beyond the personal trend it keeps one plain limit: stiffness of more than 30 minutes most
mornings for two weeks is worth showing a doctor (NICE QS33), whatever the usual was.
"""

from __future__ import annotations

from kneecoach.core.signals.rising import RisingDetector


class StiffnessRising(RisingDetector):
    id = "stiffness_rising"
    unit_digits = 0
