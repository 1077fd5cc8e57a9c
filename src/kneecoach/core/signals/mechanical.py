"""mechanical_symptoms: new catching, locking or giving way compared with the person's usual.

Clicking is left out on purpose: painless clicking on its own is common and harmless
(evidence §6.3). Giving way is the strongest known trigger of an osteoarthritis flare
(Thomas 2021), so it is worth noticing early. Locking also goes to the red-flag detector.
"""

from __future__ import annotations

from kneecoach.core.signals.events import EventDetector


class MechanicalSymptoms(EventDetector):
    id = "mechanical_symptoms"
