"""The check-in safety message in the terminal: the same facts and words as the web page.

`kneecoach plan show`, `kneecoach session` and `kneecoach checkin` print it through here, so a
red flag reads the same wherever it is met: one level's headline and actions, the person's
answers, each flag at that level with its advice, and whether the exercises are on hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecoach.cli.common import console

if TYPE_CHECKING:
    from kneecoach.services.safety_stop import SafetyMessage

LEVEL_STYLE = {"emergency": "bold red", "urgent": "bold red", "soon": "bold dark_orange"}


def show_safety_message(message: SafetyMessage) -> None:
    """Print a check-in's red flag: stopped or not, the level, the answers, each flag."""
    from rich.panel import Panel
    from rich.text import Text

    from kneecoach.services.safety_stop import stop_words

    words = stop_words()
    style = LEVEL_STYLE.get(message.level.id, "bold")
    lines = Text()
    if message.stop is not None:
        stop = message.stop
        lines.append(f"Stopped: yes, since {stop.since.isoformat()}\n", style=style)
        lines.append(f"{words.stop_title}. {words.stopped_since(stop.since)}\n\n")
    elif message.caution is not None:
        lines.append(f"{words.caution_title}. {words.caution_message}\n\n", style=style)
    lines.append(f"{message.level.summary}\n", style="bold")
    lines.append(f"{message.level.advice}\n")
    if message.answers:
        lines.append("\nWhat you told us:\n", style="bold")
        for answer in message.answers:
            lines.append(f"  • {answer}\n")
    lines.append("\nWhy:\n", style="bold")
    for flag in message.leading_flags:
        lines.append(f"  • {flag.title} [{flag.id}, {flag.level}]. ", style="bold")
        lines.append(f"{flag.advice}\n")
    for flag in message.other_flags:
        lines.append(f"  • {flag.title} [{flag.id}, {flag.level}].\n")
    title = f"{message.level.title} ({message.level.id})"
    console.print(Panel(lines, title=title, title_align="left", border_style=style))
    from kneecoach.cli.report import offer_handover

    offer_handover(message.level.id)
