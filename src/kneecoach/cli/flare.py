"""`kneecoach flare`: your flare plan, what to keep, what to pause, and how to build back up."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, escape, print_json, unit_of_work

if TYPE_CHECKING:
    from rich.table import Table

    from kneecoach.core.flare import FlareAdvice, FlareExercise, FlarePlan, FlareStart

FLARE_HINT = "Your flare plan: kneecoach flare"
"""The line the commands that show a flare alert print under it."""

ARROW = " → "


def start_words(start: FlareStart) -> str:
    """Where day 1 came from, in a few words."""
    from kneecoach.data.signals import detector_titles

    when = start.on.isoformat()
    if start.source == "given":
        return f"It started on {when}, as you said."
    if start.source == "alert" and start.alert is not None:
        title = detector_titles().get(start.alert, start.alert)
        return f"It started on {when}, going by your check-in alert “{title}”."
    return "No flare alert in your check-ins, so day 1 is today."


def build_back_words(exercise: FlareExercise) -> str:
    """ "1 × 10 → 2 × 10 (usual)"; "as usual" when nothing was eased."""
    from kneecoach.core.progression import show_dose

    if not exercise.build_back:
        return "as usual"
    return ARROW.join(show_dose(d) for d in exercise.build_back) + " (usual)"


def _bullets(title: str, items: tuple[FlareAdvice, ...]) -> None:
    if not items:
        return
    console.print(f"\n[bold]{escape(title)}[/]")
    for item in items:
        console.print(f"• [bold]{escape(item.label)}:[/] {escape(item.text)}", highlight=False)


def _table(title: str, *columns: tuple[str, int]) -> Table:
    """A full-width table with lines between rows; each column with its share of the width."""
    from rich.table import Table

    table = Table(title=title, show_lines=True, expand=True)
    for name, ratio in columns:
        table.add_column(name, ratio=ratio)
    return table


def show_flare_plan(plan: FlarePlan) -> None:
    from rich.panel import Panel

    from kneecoach.core.progression import show_dose

    head = f"Today ({plan.today.isoformat()}) is day {plan.day} of your flare. "
    head += start_words(plan.start)
    body = head if plan.on_hold else f"{head}\n\n{plan.summary}"
    if plan.note:
        body += f"\n\n{plan.note}"
    console.print(Panel(escape(body), title=plan.title, title_align="left", border_style="cyan"))
    if plan.on_hold:
        _bullets("When to see someone", plan.see_someone)
        return
    for phase in plan.phases:
        dates = (
            f"{phase.first_date.isoformat()} to {phase.last_date.isoformat()}"
            if phase.last_date is not None
            else f"from {phase.first_date.isoformat()}"
        )
        now = " ◀ now" if phase.id == plan.phase else ""
        console.print(f"\n[bold]{escape(phase.title)}[/] ({dates}){now}")
        console.print(escape(phase.text), highlight=False)
    if plan.exercises:
        table = _table(
            "Your exercises in this flare",
            ("Exercise", 2),
            ("Days 1 to 3", 2),
            ("Day 4 on, one step at a time", 3),
        )
        for exercise in plan.exercises:
            easy = "" if exercise.easy is None else f": {show_dose(exercise.easy)}"
            table.add_row(
                f"[bold]{escape(exercise.name)}[/]\n{escape(exercise.why)}",
                escape(exercise.label + easy),
                build_back_words(exercise),
            )
        console.print(table)
    if plan.groups:
        table = _table(
            "What to keep and what to pause", ("Exercises", 2), ("Days 1 to 3", 1), ("Why", 3)
        )
        for group in plan.groups:
            table.add_row(escape(group.label), escape(group.action_label), escape(group.why))
        console.print(table)
    console.print("\n[bold]Building back up[/]")
    for line in plan.build_back:
        console.print(f"• {escape(line)}", highlight=False)
    _bullets("Daily life and sport", plan.activities)
    _bullets("Easing the pain", (*plan.comfort, *plan.pain_relief))
    _bullets("When to see someone", plan.see_someone)
    console.print(
        "The safety questions: kneecoach checkin (heat, fever, locking) or kneecoach intake.",
        highlight=False,
    )


def flare(
    since: str | None = typer.Option(
        None,
        "--since",
        help="The day the flare started (YYYY-MM-DD); your latest flare alert, or today, if "
        "left out.",
    ),
    on: str | None = typer.Option(None, "--date", help="Show this date (YYYY-MM-DD) as today."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Your flare plan: what to keep and what to pause for a few days, and how to build back.

    Made from your saved plan and answers; without a plan it is the general flare plan. A
    warning sign in a check-in puts it on hold: get help first.
    """
    from kneecoach.cli.plan import parse_day
    from kneecoach.cli.safety import show_safety_message
    from kneecoach.services.flare import flare_plan_for
    from kneecoach.services.safety_stop import notice_message

    first = parse_day(since, "--since")
    today = parse_day(on, "--date") or date.today()
    with unit_of_work(since="--since") as session:
        report = flare_plan_for(first, today, session=session)
        message = notice_message(report.safety.stop or report.safety.caution, session=session)
    if output is OutputFormat.json:
        print_json(report.as_json())
        return
    if message is not None:
        show_safety_message(message)
    show_flare_plan(report.plan)


def register(app: typer.Typer) -> None:
    app.command("flare")(flare)
