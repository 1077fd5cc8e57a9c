"""`kneecoach session`: log today's exercises (done against prescribed, pain during them, and
how hard they felt if the person says) and how the knee was the morning after the last session.

The next-morning answer and the day's log are two things the person does, so each is its own
unit of work: a refused or failed log never loses the next-morning answer given before it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    in_cli_words,
    print_json,
    read_json_file,
    unit_of_work,
)
from kneecoach.cli.plan import dose_text, parse_day, show_today

if TYPE_CHECKING:
    from kneecoach.core.progression import Dose
    from kneecoach.services.database import Session
    from kneecoach.services.plan import StoredPlan
    from kneecoach.services.sessions import DoneExercise, LoggedEntry

YES = {"y", "yes"}
NO = {"n", "no"}


def session(
    file: Path | None = typer.Option(
        None, "--file", help="Log from a JSON file instead of answering questions."
    ),
    on: str | None = typer.Option(None, "--date", help="The session's date (YYYY-MM-DD)."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Log today's session: what you did, the worst pain, how hard it was, and the next morning."""
    from kneecoach.services.plan import current_plan

    with unit_of_work() as db:
        plan = current_plan(session=db)
    day = parse_day(on, "--date")
    if file is not None:
        log_from_file(file, day, plan, output)
        return
    log_interactively(day or date.today(), plan)


def log_from_file(path: Path, on: date | None, plan: StoredPlan, output: OutputFormat) -> None:
    from kneecoach.services.sessions import log_session, parse_session_document, record_next_morning

    with in_cli_words(file="--file"):
        document = parse_session_document(read_json_file(path, "--file"))
    if document.next_morning is not None:
        with unit_of_work() as db:
            record_next_morning(
                document.next_morning.date, document.next_morning.worse, plan, session=db
            )
    when = on or document.date or date.today()
    entries: tuple[LoggedEntry, ...] = ()
    if document.exercises:
        with unit_of_work() as db:
            refuse_while_stopped(when, plan, output, db)
            entries = log_session(
                document.exercises, when, document.warning_signs, plan, session=db
            )
    if output is OutputFormat.json:
        print_json({"plan_id": plan.id, "logged": [e.as_json() for e in entries]})
        return
    if document.next_morning is not None:
        worse = "worse" if document.next_morning.worse else "no worse"
        console.print(
            f"Noted: the morning after {document.next_morning.date}, the knee was {worse}."
        )
    if entries:
        show_logged(entries)


def refuse_while_stopped(on: date, plan: StoredPlan, output: OutputFormat, db: Session) -> None:
    """Show why the exercises are on hold (same facts as `plan show`), then refuse: exit 2."""
    from kneecoach.services.journey import care_first_refusal
    from kneecoach.services.safety_stop import stop_refusal
    from kneecoach.services.sessions import todays_doses

    today = todays_doses(on, plan, session=db)
    if today.stop is None and not today.care_first:
        return
    if output is OutputFormat.json:
        print_json({"plan_id": plan.id, "logged": [], "today": today.as_json()})
    else:
        show_today(today, session=db)
    raise stop_refusal(today.stop) if today.stop is not None else care_first_refusal()


def show_logged(entries: tuple[LoggedEntry, ...]) -> None:
    from rich.table import Table
    from rich.text import Text

    from kneecoach.data.exercises import load_catalogue

    catalogue = load_catalogue()

    def name(exercise_id: str) -> str:
        exercise = catalogue.get(exercise_id)
        return exercise.name if exercise else exercise_id

    title = f"Logged for {entries[0].on.isoformat()}" if entries else "Logged"
    table = Table(title=title, expand=True)
    table.add_column("Exercise", ratio=2)
    table.add_column("Asked", ratio=1)
    table.add_column("Done", ratio=1)
    table.add_column("Pain", justify="right")
    table.add_column("Effort", justify="right")
    for entry in entries:
        done = _dose(entry.done)
        if entry.done.exercise_id != entry.prescribed.exercise_id:
            done += f" ({name(entry.done.exercise_id)})"
        table.add_row(
            Text(name(entry.prescribed.exercise_id)),
            _dose(entry.prescribed),
            done,
            f"{entry.pain_during}/10",
            "–" if entry.effort is None else f"{entry.effort}/10",
        )
    console.print(table)
    if entries and entries[0].warning_signs:
        console.print(
            "[bold red]You logged a warning sign. Stop the exercises and run "
            "`kneecoach triage` now.[/bold red]"
        )


def _dose(dose: Dose) -> str:
    return dose_text(dose)


def ask_next_morning(today: date, plan: StoredPlan) -> None:
    """Ask how the knee was the morning after the last session, when that is still open."""
    from kneecoach.data.planning import load_progression_rules
    from kneecoach.services.sessions import next_morning_due, record_next_morning

    with unit_of_work() as db:
        due = next_morning_due(today, plan, session=db)
    if due is None:
        return
    question = load_progression_rules().next_morning_question.format(date=due.isoformat())
    while True:
        said = typer.prompt(f"{question} [y/n, Enter to skip]", default="", show_default=False)
        said = said.strip().lower()
        if said == "":
            return
        if said in YES or said in NO:
            with unit_of_work() as db:
                record_next_morning(due, said in YES, plan, session=db)
            return
        console.print("Please answer y or n (or press Enter to skip).")


def log_interactively(today: date, plan: StoredPlan) -> None:
    from rich.text import Text

    from kneecoach.data.planning import load_progression_rules
    from kneecoach.services.safety_stop import stop_refusal
    from kneecoach.services.sessions import log_session, todays_doses

    ask_next_morning(today, plan)
    with unit_of_work() as db:
        plan_today = todays_doses(today, plan, session=db)
        show_today(plan_today, session=db)
    if plan_today.stop is not None:
        raise stop_refusal(plan_today.stop)
    if plan_today.rest_day or plan_today.stopped:
        return
    console.print("For each exercise, press Enter if you did it as asked.")
    done: list[DoneExercise] = []
    for item in plan_today.exercises:
        dose = item.dose
        asked = dose_text(dose)
        console.print(Text.assemble("\n", (item.name, "bold"), f" ({item.side}): {asked}"))
        done.append(ask_exercise(item.slot, item.dose))
    signs = []
    for sign in load_progression_rules().warning_signs:
        if typer.confirm(sign.question, default=False):
            signs.append(sign.id)
    with unit_of_work() as db:
        entries = log_session(done, today, signs, plan, session=db)
    show_logged(entries)
    console.print("Saved. Tomorrow morning, tell kneecoach how the knee feels (kneecoach session).")


def ask_number(text: str, low: int, high: int, default: int | None = None) -> int:
    """Ask until the answer is a whole number from `low` to `high` (Enter takes the default)."""
    while True:
        if default is None:
            value = typer.prompt(text, type=int)
        else:
            value = typer.prompt(text, default=default, type=int)
        if low <= value <= high:
            return int(value)
        console.print(f"Please type a whole number from {low} to {high}.")


def ask_optional_number(text: str, low: int, high: int) -> int | None:
    """Ask for a whole number from `low` to `high`; Enter skips it (None)."""
    while True:
        said = typer.prompt(text, default="", show_default=False).strip()
        if said == "":
            return None
        if said.isdigit() and low <= int(said) <= high:
            return int(said)
        console.print(f"Please type a whole number from {low} to {high}, or press Enter to skip.")


EFFORT_QUESTION = "  How hard was it? 0 = nothing, 10 = as hard as you can (Enter to skip)"


def ask_exercise(slot: str, dose: Dose) -> DoneExercise:
    from kneecoach.services.sessions import DoneExercise

    sets = ask_number("  Sets done", 0, 20, dose.sets)
    reps = hold = minutes = None
    if dose.reps is not None:
        reps = ask_number("  Reps in each set", 0, 200, dose.reps)
    if dose.hold_s is not None:
        hold = ask_number("  Seconds in each hold", 0, 600, dose.hold_s)
    if dose.minutes is not None:
        minutes = ask_number("  Minutes", 0, 300, dose.minutes)
    pain = ask_number("  Worst pain during it, 0 (none) to 10", 0, 10)
    effort = ask_optional_number(EFFORT_QUESTION, 0, 10)
    return DoneExercise(
        id=slot,
        sets=sets,
        reps=reps,
        hold_s=hold,
        minutes=minutes,
        pain_during=pain,
        effort=effort,
    )


def register(app: typer.Typer) -> None:
    app.command("session")(session)
