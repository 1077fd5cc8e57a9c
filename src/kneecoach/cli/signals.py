"""`kneecoach signals` (early-warning alerts) and `kneecoach insights` (what helps or hurts)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, err_console, print_json, unit_of_work

if TYPE_CHECKING:
    from kneecoach.core.checkins import CheckIn
    from kneecoach.services.signals import InsightsReport

CHECKINS_HELP = "A check-in CSV file; your stored check-ins if left out."


def _series(path: Path | None) -> list[CheckIn]:
    """Check-ins from a file (bad rows and unknown columns reported on stderr) or storage."""
    from kneecoach.services.checkins import list_checkins, read_checkins_file

    if path is None:
        with unit_of_work() as session:
            return list_checkins(session=session)
    reading = read_checkins_file(path, "--checkins")
    for problem in reading.problems:
        err_console.print(f"warning: skipped {problem}", markup=False, highlight=False)
    for warning in reading.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    return list(reading.checkins)


def _print_insights(report: InsightsReport) -> None:
    console.print(f"[bold]{report.title}[/]")
    if not report.lines:
        console.print(
            f"Not enough days yet: each comparison needs at least {report.min_days} days "
            "with and without the factor."
        )
    notable = [line for line in report.lines if line.notable]
    if report.lines and not notable:
        console.print(report.none_notable)
    for line in notable:
        console.print(f"- {line.text}", markup=False, highlight=False)
    console.print(report.caution, style="italic")


def signals(
    checkins: Path | None = typer.Option(None, "--checkins", help=CHECKINS_HELP),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    insights: bool = typer.Option(
        False, "--insights", help="Also show what seems to help or hurt."
    ),
) -> None:
    """Early-warning signs in your check-ins: each alert dated the first day the data showed it.

    Levels: watch (an early sign), act (ease the load, follow your flare plan),
    see_professional (get it checked).
    """
    from kneecoach.cli.checkin import show_alerts
    from kneecoach.services.signals import alerts_document, alerts_for, insights_for

    series = _series(checkins)
    with unit_of_work() as session:
        alerts = alerts_for(series, session=session)
    if output is OutputFormat.json:
        document = alerts_document(alerts)
        if insights:
            document["insights"] = insights_for(series).as_json()
        print_json(document)
        return
    if series:
        first, last = min(c.day for c in series), max(c.day for c in series)
        span = f" in {len(series)} check-ins ({first.isoformat()} to {last.isoformat()})"
    else:
        span = ": there are no check-ins yet"
    show_alerts(alerts, f"No warning signs{span}.")
    if insights:
        console.print()
        _print_insights(insights_for(series))


def insights(
    checkins: Path | None = typer.Option(None, "--checkins", help=CHECKINS_HELP),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """What seems to help or hurt: your symptoms on days with and without each factor."""
    from kneecoach.services.signals import insights_for

    report = insights_for(_series(checkins))
    if output is OutputFormat.json:
        print_json(report.as_json())
        return
    _print_insights(report)


def register(app: typer.Typer) -> None:
    app.command("signals")(signals)
    app.command("insights")(insights)
