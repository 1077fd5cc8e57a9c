"""Early-warning signals from daily check-ins: a personal baseline and one detector per sign."""

from kneecoach.core.signals.alerts import Alert, Level
from kneecoach.core.signals.registry import ALERT_IDS, alerts_in, find_alerts, history_for
from kneecoach.core.signals.series import Series

__all__ = ["ALERT_IDS", "Alert", "Level", "Series", "alerts_in", "find_alerts", "history_for"]
