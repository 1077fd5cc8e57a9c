"""`kneecoach plan`: a week of exercise and advice that targets what loads the knee.

`kneecoach plan --answers F [--save]` makes the plan (or refuses it when care comes first);
`kneecoach plan show` shows the saved week with today's doses after progression.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    print_json,
    read_json_file,
    read_only_work,
    unit_of_work,
)
from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    from kneecoach.core.planning import AdviceItem, Plan
    from kneecoach.core.progression import Dose
    from kneecoach.services.database import Session
    from kneecoach.services.sessions import Today

plan_app = typer.Typer(
    help="A week of exercise and advice for your knee, and how it changes as you log.",
    invoke_without_command=True,
)

KIND_LABELS = {
    "strength": "Strength",
    "mobility": "Stretch",
    "foam_roll": "Roller",
    "balance": "Balance",
    "cardio": "Cardio",
}
TOPIC_LABELS = {
    "see_professional": "See a professional",
    "load": "Load and pain",
    "footwear": "Shoes",
    "weight": "Weight",
    "habit": "Daily habits",
}
ACTION_STYLE = {"progress": "green", "regress": "yellow", "hold": "white", "stop": "bold red"}


def parse_day(text: str | None, field: str) -> date | None:
    """A YYYY-MM-DD date from the command line, or an error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"use a date like 2025-03-01 (got {text!r})") from None


def dose_text(dose: Dose) -> str:
    """The dose as the CLI's tables show it, e.g. "2 × 10 reps", "3 × 8 reps, 6 kg, tempo
    3-1-1", "10 min" (one rule: core/progression.show_dose, with its units)."""
    from kneecoach.core.progression import show_dose

    return show_dose(dose, units=True)


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    answers: Path | None = typer.Option(
        None,
        "--answers",
        help="Intake answers (kneecoach-intake/1 JSON). Default: the latest saved intake.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    save: bool = typer.Option(False, "--save", help="Keep this plan as your current plan."),
    start: str | None = typer.Option(
        None, "--start", help="Day 1 of the saved plan (YYYY-MM-DD). Default: today."
    ),
    seen: int | None = typer.Option(
        None,
        "--version",
        min=0,
        help="With --save: the version of your current plan you saw (0: none; `kneecoach "
        "plan show --format json` shows it). If a newer plan was saved since, nothing is saved.",
    ),
) -> None:
    """Make a week's plan from your answers (refused when you need care first)."""
    if ctx.invoked_subcommand is not None:
        return
    from kneecoach.core.intake import parse_intake
    from kneecoach.services.plan import latest_saved_intake, plan_for, save_plan

    start_day = parse_day(start, "--start")
    version: int | None = None
    work = read_only_work if answers is not None and not save else unit_of_work
    with work(answers="--answers", save="--save", version="--version") as session:
        if answers is not None:
            intake = parse_intake(read_json_file(answers))
        else:
            assert session is not None  # unit_of_work always opens one
            source = latest_saved_intake(session=session)
            intake, version = source.intake, source.version
        result = plan_for(intake, session=session)
        stored = (
            save_plan(intake, result, start_day, version, expected_version=seen, session=session)
            if save and session is not None
            else None
        )
        if output is OutputFormat.json:
            payload = result.as_json()
            if stored is not None:
                payload["saved"] = {
                    "id": stored.id,
                    "version": stored.version,
                    "start_date": stored.start_date.isoformat(),
                }
            print_json(payload)
            return
        show_plan(result, session=session)
        if stored is not None:
            console.print(
                f"\nSaved as your plan (day 1 is {stored.start_date.isoformat()}). "
                "Log each session with [bold]kneecoach session[/bold]; "
                "see today's doses with [bold]kneecoach plan show[/bold]."
            )


def show_plan(result: Plan, *, session: Session | None) -> None:
    """The plan for a person: referral first, the week, then advice and what was left out."""
    from rich.panel import Panel
    from rich.text import Text

    from kneecoach.cli.triage import show_triage

    referral = [a for a in result.advice if a.topic == "see_professional"]
    if result.refused:
        show_triage(result.triage, session=session)
        console.print(
            Panel(
                Text("No exercise plan for now. " + " ".join(a.text for a in referral)),
                title="Care comes first",
                border_style="red",
            )
        )
        return
    if result.gentle:
        console.print(
            Panel(
                Text("\n\n".join(a.text for a in referral)),
                title="First: see a professional",
                border_style="yellow",
            )
        )
        show_triage(result.triage, session=session)
    else:
        from kneecoach.services.triage import message_of

        meaning = message_of(result.triage, session=session)
        console.print(
            Text.assemble(("Safety check: ", "bold"), f"{meaning.title}. ", meaning.summary)
        )
    show_level(result)
    console.print(week_table(result))
    for note in result.notes:
        console.print(Text(f"• {note}", style="italic"))
    others = [a for a in result.advice if not (result.gentle and a.topic == "see_professional")]
    show_advice(others)


def show_level(result: Plan) -> None:
    """Where the ladders start for this person, and the answers that set it."""
    if result.starting_level is not None:
        print_level(result.starting_level.as_json())


def print_level(level: dict[str, Any] | None) -> None:
    """The starting level as a plan's JSON holds it (absent in plans saved before it)."""
    from rich.text import Text

    if not level:
        return
    name = level.get("name") or level.get("level")
    console.print(Text.assemble(("Where you start: ", "bold"), (f"the {name} level", "bold")))
    for reason in level.get("reasons", []):
        console.print(Text(f"• {reason}"))


def week_table(result: Plan) -> Any:
    """One row per exercise: name and why, dose, side and its days; minutes per day below."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Your week (up to {result.minutes_per_day} minutes a day)",
        caption=day_minutes(result),
        show_lines=True,
        expand=True,
    )
    table.add_column("Exercise", ratio=3)
    table.add_column("Dose", ratio=1)
    table.add_column("Side")
    table.add_column("Days", no_wrap=True)
    for exercise in result.exercises:
        days = [
            str(s.day) for s in result.sessions if any(e.id == exercise.id for e in s.exercises)
        ]
        name = Text.assemble(
            (exercise.name, "bold"),
            (f"  {KIND_LABELS.get(exercise.kind, exercise.kind).lower()}\n", "cyan"),
            (exercise.why, "dim"),
        )
        if exercise.start_reason:
            name.append(f"\nWhy this step: {exercise.start_reason}", style="green")
        for caution in exercise.cautions:
            name.append(f"\nCareful: {caution}", style="yellow")
        table.add_row(
            name,
            dose_text(exercise.dose()),
            exercise.side,
            " ".join(days),
        )
    return table


def day_minutes(result: Plan) -> str:
    parts = []
    for day in range(1, 8):
        session = result.session_for(day)
        parts.append(f"day {day}: {session.minutes} min" if session else f"day {day}: rest")
    return "; ".join(parts)


def show_advice(items: list[AdviceItem]) -> None:
    from rich.text import Text

    if not items:
        return
    console.print(Text("\nAdvice", style="bold underline"))
    for item in items:
        console.print(
            Text.assemble((f"{TOPIC_LABELS.get(item.topic, item.topic)}: ", "bold"), item.text)
        )


@plan_app.command("show")
def show(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    on: str | None = typer.Option(None, "--date", help="Show this date (YYYY-MM-DD) as today."),
) -> None:
    """This week from your saved plan, with today's doses after progression and why."""
    from kneecoach.services.plan import current_plan
    from kneecoach.services.sessions import todays_doses

    day = parse_day(on, "--date") or date.today()
    with unit_of_work() as session:
        stored = current_plan(session=session)
        today = todays_doses(day, stored, session=session)
        if output is OutputFormat.json:
            print_json(
                {
                    "plan_id": stored.id,
                    "version": stored.version,
                    "start_date": stored.start_date.isoformat(),
                    "today": today.as_json(),
                    "sessions": stored.plan.get("sessions", []),
                    "advice": stored.plan.get("advice", []),
                    "starting_level": stored.plan.get("starting_level"),
                }
            )
            return
        if today.stop is None and not today.care_first:  # on hold: no week offered either
            print_level(stored.plan.get("starting_level"))
            show_week(stored.plan, today.day)
        show_today(today, session=session)


def show_week(plan: dict[str, Any], today: int) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Your week")
    table.add_column("Day", justify="right")
    table.add_column("Exercises")
    sessions = {s["day"]: s for s in plan.get("sessions", [])}
    for day in range(1, 8):
        names = [e["name"] for e in sessions.get(day, {}).get("exercises", [])]
        label = f"{day} ◀ today" if day == today else str(day)
        style = "bold" if day == today else ""
        table.add_row(label, Text(", ".join(names) or "rest"), style=style)
    console.print(table)


def show_today(today: Today, *, session: Session) -> None:
    from rich.table import Table
    from rich.text import Text

    from kneecoach.cli.safety import show_safety_message
    from kneecoach.services.safety_stop import notice_message

    if today.care_first:
        console.print(
            f"Today ({today.on.isoformat()}) is day {today.day}: your newest answers say to get "
            "care first, so your exercises wait. See whom to contact with "
            "[bold]kneecoach intake show[/bold]."
        )
        return
    message = notice_message(today.stop or today.caution, session=session)
    if message is not None:
        show_safety_message(message)
    if today.stop is not None:
        console.print(
            f"Today ({today.on.isoformat()}) is day {today.day}: no exercises while on hold."
        )
        return
    if today.rest_day:
        console.print(f"Today ({today.on.isoformat()}) is day {today.day}: a rest day.")
        return
    table = Table(
        title=f"Today, {today.on.isoformat()} (day {today.day})", show_lines=True, expand=True
    )
    table.add_column("Exercise", ratio=2)
    table.add_column("Dose", ratio=1)
    table.add_column("Side")
    table.add_column("Why this dose", ratio=3)
    for item in today.exercises:
        dose = item.dose
        table.add_row(
            Text(item.name),
            dose_text(dose),
            item.side,
            Text(item.decision.reason, style=ACTION_STYLE[item.decision.action]),
        )
    console.print(table)
    if today.stopped:
        console.print(
            Text("Stop: a warning sign was logged. Run `kneecoach triage` first.", style="bold red")
        )


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
