"""A daily reminder: the time of day and the time zone the person chose.

Pure rules only: reading the time the person typed. Whether a time zone exists is a look-up
in the system's time zone database (services/reminders.py); when and how the reminder shows is
the interface's (the web app's Notification, while it is open).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Final

from kneecoach.core.errors import InputError

TIME_FIELD: Final = "reminder_time"
ZONE_FIELD: Final = "reminder_zone"
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Reminder:
    """Remind at `at` (hours and minutes) in the time zone `zone` (an IANA name)."""

    at: time
    zone: str

    def as_json(self) -> dict[str, str]:
        return {"time": self.at.strftime("%H:%M"), "zone": self.zone}


def parse_reminder_time(raw: str) -> time:
    """`"20:30"` → 20:30; InputError naming the field otherwise."""
    found = _TIME.fullmatch(raw.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise InputError(TIME_FIELD, f"{raw.strip()!r} is not a time: write it like 20:30")
    return time(int(found[1]), int(found[2]))
