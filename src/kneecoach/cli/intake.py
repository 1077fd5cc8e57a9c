"""`kneecoach intake`: the questions in the terminal, safety first; or import a file; or show.

The wizard asks the red-flag questions first and stops the moment an emergency flag fires,
with calm, clear advice and nothing more asked. Every answer may be "not sure". What was
given is always saved as a new intake version with its triage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    err_console,
    print_json,
    problem_and_next_step,
    read_json_file,
    unit_of_work,
)
from kneecoach.cli.report import offer_handover

if TYPE_CHECKING:
    from kneecoach.core.errors import KneecoachError
    from kneecoach.core.triage import Flag
    from kneecoach.core.units import Units
    from kneecoach.data.intake_questions import Question, Section
    from kneecoach.services.database import Session
    from kneecoach.services.intake import IntakeSession, SavedIntake

intake_app = typer.Typer(
    help="Answer the questions about your knee (safety first), or import or show an intake.",
)

HINTS = {
    "yes_no": "yes / no / not sure",
    "whole_number": "a whole number, or press Enter if not sure",
    "number": "a number, or press Enter if not sure",
    "choice": "type the number of one answer, or press Enter if not sure",
    "choices": "type the numbers with commas (like 1,3), none, or press Enter if not sure",
    "words": "words with commas, none, or press Enter if not sure",
    "left_right_number": "a number for each leg, or press Enter to skip",
    "left_right_yes_no": "yes / no for each leg, or press Enter to skip",
}


class _InputEnded(Exception):
    """The person (or the pipe) gave no more answers."""


def _read_line() -> str:
    try:
        return console.input("[bold cyan]> [/bold cyan]")
    except EOFError:
        raise _InputEnded from None
    except KeyboardInterrupt:
        raise typer.Abort() from None


def _ask_until_valid(question: Question, label: str | None = None, kind: str | None = None) -> Any:
    """Ask one answer (or one side of a left/right answer) until it reads well."""
    from kneecoach.core.errors import InputError
    from kneecoach.services.intake import read_answer

    while True:
        if label:
            console.print(f"  {label}:")
        text = _read_line()
        try:
            return read_answer(question, text, kind)
        except InputError as error:
            _try_again(error)


def _ask(session: IntakeSession, stored: Question, units: Units | None = None) -> None:
    """Ask one question; a weight or distance is asked in the person's unit, stored metric."""
    from kneecoach.core.errors import InputError
    from kneecoach.services.units import answer_stored, asked_in

    question = stored if units is None else asked_in(stored, units)
    console.print()
    console.print(f"[bold]{question.question}[/bold]")
    if question.help:
        console.print(f"  [dim]{question.help}[/dim]")
    for number, choice in enumerate(question.choices, start=1):
        console.print(f"  {number}. {choice.label}")
    console.print(f"  [dim]({HINTS[question.kind]})[/dim]")
    while True:
        if question.sided:
            side_kind = "number" if question.kind == "left_right_number" else "yes_no"
            sides = {
                side: _ask_until_valid(question, f"{side.capitalize()} leg", side_kind)
                for side in ("left", "right")
            }
            given = {side: value for side, value in sides.items() if value is not None}
            value: Any = given or None
        else:
            value = _ask_until_valid(question)
            if units is not None:
                value = answer_stored(stored, value, units)
        try:
            session.answer(stored, value)
            return
        except InputError as error:
            _try_again(error)


def _wants(prompt: str) -> bool:
    """A yes/no choice about the wizard itself; no answer counts as no."""
    console.print(f"[bold]{prompt}[/bold] [dim](yes / no)[/dim]")
    while True:
        said = _read_line().strip().lower()
        if said in ("y", "yes"):
            return True
        if said in ("", "n", "no", "not sure", "skip"):
            return False
        console.print("  [yellow]Please answer yes or no.[/yellow]")


def _show_guide(test_id: str) -> bool:
    """Show how to do a self-test; False when the self-test file has no entry for it."""
    from rich.panel import Panel

    from kneecoach.services.intake import self_test_guide

    guide = self_test_guide(test_id)
    if guide is None:
        return False
    lines = [f"{n}. {step}" for n, step in enumerate(guide.steps, start=1)]
    lines += [f"• {note}" for note in guide.notes]
    console.print(Panel("\n".join(lines), title=f"How to do it: {guide.name}", border_style="cyan"))
    return True


def _show_section(section: Section) -> None:
    console.print()
    console.rule(f"[bold]{section.title}[/bold]")
    if section.text:
        console.print(section.text)


def _show_emergency(flags: tuple[Flag, ...], *, session: Session) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from kneecoach.services.triage import level_meaning

    meaning = level_meaning("emergency", session=session)
    parts: list[Any] = [
        Text("Please stop here. We will not ask anything more.", style="bold"),
        Text(""),
        Text(meaning.advice, style="bold"),
    ]
    for flag in flags:
        parts += [Text(""), Text(flag.title, style="bold red"), Text(flag.advice)]
    parts += [
        Text(""),
        Text("Stay calm. Help is there for this. If you are alone, ask someone to stay with you."),
    ]
    console.print(Panel(Group(*parts), title="Get help now", border_style="red"))


def run_intake_wizard() -> SavedIntake:
    """Ask the intake questions in the terminal, save the answers and show the triage.

    `kneecoach start` calls this after its welcome.
    """
    from kneecoach.cli.triage import show_triage
    from kneecoach.services.intake import IntakeSession, save_intake

    wizard = IntakeSession()
    console.print(
        "[bold]Let's look at your knee.[/bold] Answer what you can. "
        "[dim]You can say 'not sure' to any question. Press Ctrl+C to stop.[/dim]"
    )
    from kneecoach.services.units import units_to_show

    with unit_of_work() as session:
        units = units_to_show(session=session)
        shown_section: str | None = None
        offered_self_tests: bool | None = None
        declined_tests: set[str] = set()
        guided_tests: set[str] = set()
        try:
            for section, question in wizard.next_questions():
                if section.id != shown_section:
                    _show_section(section)
                    shown_section = section.id
                if question.self_test is not None:
                    if offered_self_tests is None:
                        offered_self_tests = _wants("Would you like to do the self-tests now?")
                    test = question.self_test
                    if not offered_self_tests or test in declined_tests:
                        wizard.skip(question)
                        continue
                    if test not in guided_tests:
                        guided_tests.add(test)
                        console.print()
                        _show_guide(test)
                        if not _wants("Would you like to do this test now?"):
                            declined_tests.add(test)
                            wizard.skip(question)
                            continue
                _ask(wizard, question, units)
                stop = wizard.stop_if_emergency(session=session)
                if stop is not None:
                    console.print()
                    _show_emergency(stop.flags, session=session)
                    console.print(
                        f"[dim]Your answers so far are saved (intake {stop.saved.version}).[/dim]"
                    )
                    offer_handover("emergency")
                    return stop.saved
        except _InputEnded:
            console.print()
            console.print("[dim]No more answers given: the rest are left as not known.[/dim]")
        result = wizard.result(session=session)
        saved = save_intake(wizard.intake(), result, session=session)
        console.print()
        show_triage(result, session=session)
        console.print(f"Your answers are saved as intake {saved.version}.")
        offer_handover(result.level)
        return saved


@intake_app.callback(invoke_without_command=True)
def intake(
    ctx: typer.Context,
    answers: Path | None = typer.Option(
        None, "--answers", help="Import an intake answers file (JSON) instead of answering here."
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (easy to read) or json (with --answers)."
    ),
) -> None:
    """Answer the questions about your knee, safety first, and save them as a new version."""
    if ctx.invoked_subcommand is not None:
        return
    if answers is None:
        run_intake_wizard()
        return
    from kneecoach.cli.triage import show_triage
    from kneecoach.core.triage import TriageResult
    from kneecoach.services.intake import import_intake

    with unit_of_work(answers="--answers") as session:
        saved = import_intake(read_json_file(answers, "--answers"), session=session)
        if output is OutputFormat.json:
            print_json(saved.as_json())
            return
        show_triage(TriageResult.from_json(saved.triage), session=session)
    console.print(f"Saved as intake {saved.version}.")
    offer_handover(str(saved.triage.get("level")))


@intake_app.command("show")
def show(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Show the newest saved intake: its answers and its safety check."""
    from rich.table import Table

    from kneecoach.cli.triage import show_triage
    from kneecoach.core.errors import NotFoundError
    from kneecoach.core.intake import parse_intake
    from kneecoach.core.triage import TriageResult
    from kneecoach.services.intake import latest_intake

    with unit_of_work() as session:
        saved = latest_intake(session=session)
        if saved is None:
            raise NotFoundError("no intake saved yet: run `kneecoach intake` first")
        if output is OutputFormat.json:
            print_json(saved.as_json())
            return
        when = saved.recorded_at.strftime("%Y-%m-%d %H:%M UTC")
        table = Table(title=f"Intake {saved.version} ({when})", show_lines=False)
        table.add_column("answer")
        table.add_column("value")
        for path, value in sorted(parse_intake(saved.answers).facts().items()):
            if isinstance(value, bool | int | float | str | list):
                table.add_row(path, str(value).lower() if isinstance(value, bool) else str(value))
        console.print(table)
        show_triage(TriageResult.from_json(saved.triage), session=session)


@intake_app.command("list")
def list_command(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """List every saved intake version with its safety level."""
    from rich.table import Table

    from kneecoach.services.intake import list_intakes

    with unit_of_work() as session:
        saved = list_intakes(session=session)
    if output is OutputFormat.json:
        print_json([item.as_json() for item in saved])
        return
    if not saved:
        err_console.print("No intake saved yet: run `kneecoach intake` first.")
        return
    table = Table(title="Saved intakes")
    for column in ("version", "saved (UTC)", "safety level", "flags"):
        table.add_column(column)
    for item in saved:
        flags = ", ".join(str(flag["id"]) for flag in item.triage.get("flags", []))
        table.add_row(
            str(item.version),
            item.recorded_at.strftime("%Y-%m-%d %H:%M"),
            str(item.triage.get("level")),
            flags or "-",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")


def _try_again(error: KneecoachError) -> None:
    """An answer the question cannot take: say why, and the prompt asks again."""
    from rich.markup import escape

    console.print(f"  [yellow]{escape(problem_and_next_step(error))}. Please try again.[/yellow]")
