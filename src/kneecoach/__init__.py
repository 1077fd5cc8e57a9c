"""kneecoach: look after a sore knee at home, safely, and show your clinician what happened."""

__version__ = "0.1.0"
