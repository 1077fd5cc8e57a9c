"""`kneecoach plan ical --out plan.ics`: your exercise days, course lessons and the monthly
questions as calendar events with reminders, for any phone or computer calendar."""

from __future__ import annotations

from pathlib import Path

import typer

from kneecoach.cli.common import console, unit_of_work
from kneecoach.core.errors import InputError


def ical(
    out: Path = typer.Option(..., "--out", help="Write the calendar (.ics) to this file."),
    tz: str | None = typer.Option(
        None,
        "--tz",
        help="Your time zone, like Europe/London (kept for next time and for the web app's "
        "calendar address). Default: the one kept, else this machine's.",
    ),
) -> None:
    """Calendar events with reminders: exercise days, course lessons, the monthly questions."""
    from kneecoach.services.calendar import plan_calendar, remember_time_zone

    with unit_of_work(time_zone="--tz") as session:
        if tz is not None:
            remember_time_zone(tz, session=session)
        made = plan_calendar(session=session, time_zone=tz)
    try:
        out.write_bytes(made.text)
    except OSError as error:
        raise InputError("--out", f"cannot write {out}: {error.strerror}") from None
    console.print(
        f"Saved {made.sessions} exercise days (weekly), {made.lessons} course lessons and the "
        f"monthly questions to {out}, with reminders, in {made.time_zone} time.",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        "Open the file on your phone or computer to add it to your calendar.", highlight=False
    )


def register(app: typer.Typer) -> None:
    from kneecoach.cli.plan import plan_app

    plan_app.command("ical")(ical)
