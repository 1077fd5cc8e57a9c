"""The `kneecoach` command: registers the command modules and turns known errors into one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import ModuleType

import typer

from kneecoach.cli import (
    admin,
    assess,
    backup,
    calendar,
    checkin,
    course,
    db,
    evidence,
    exercise,
    export,
    flare,
    goal,
    intake,
    outcomes,
    plan,
    questionnaire,
    report,
    schema,
    score,
    selftest,
    serve,
    session,
    settings,
    share,
    shoes,
    signals,
    start,
    triage,
)
from kneecoach.cli.common import act_for, error_lines
from kneecoach.core.errors import KneecoachError

app = typer.Typer(
    name="kneecoach",
    help="Look after a sore knee at home, safely, and show your clinician what happened.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    admin,
    assess,
    backup,
    calendar,
    checkin,
    course,
    db,
    evidence,
    exercise,
    export,
    flare,
    goal,
    intake,
    outcomes,
    plan,
    questionnaire,
    report,
    schema,
    score,
    selftest,
    serve,
    session,
    settings,
    share,
    shoes,
    signals,
    start,
    triage,
)
"""Every command group, in the order `kneecoach --help` lists them; each defines `register(app)`.
They keep heavy imports inside their command functions, so importing them all stays cheap."""

_registered = False


@app.callback()
def _root(
    context: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show the full technical details of errors."),
    person: str | None = typer.Option(
        None,
        "--person",
        help="Server mode: the person whose data this command reads or writes (written to "
        "their audit).",
    ),
) -> None:
    """Look after a sore knee at home, safely, and show your clinician what happened.

    kneecoach does not diagnose. If your knee is hot and you feel unwell, you cannot put weight
    on it, or your calf is painful and swollen, get medical help today.
    """
    act_for(person, f"kneecoach {context.invoked_subcommand or ''}".strip())


def register_commands() -> None:
    """Register every command module of `COMMAND_MODULES` (each defines `register(app)`)."""
    global _registered
    if _registered:
        return
    for module in COMMAND_MODULES:
        module.register(app)
    _registered = True


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit status: 0 ok, 2 bad input, 1 unexpected, 130 stopped."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    register_commands()
    try:
        result = app(args=args, prog_name="kneecoach", standalone_mode=False)
    except KneecoachError as error:
        if debug:
            raise
        typer.echo(error_lines(error), err=True)
        return 2
    except typer.Abort:
        typer.echo("Stopped. Nothing more was saved.", err=True)
        return 130
    except typer.Exit as exit_:
        return exit_.exit_code
    except typer.TyperException as error:  # usage errors: Typer prints them itself
        show = getattr(error, "show", None)
        if callable(show):
            show()
        return int(getattr(error, "exit_code", 2))
    except Exception as error:  # the last line of defence: one line, never a traceback
        if debug:
            raise
        # Only the class: an error's text can hold SQL and the values of a query (notes, names)
        typer.echo(
            f"error: something unexpected went wrong ({type(error).__name__}). "
            "Run the same command with --debug to see the details.",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


def main() -> None:
    # Before pydantic builds its first model it looks for plugins in the entry points of every
    # installed package, which costs about as much as checking an answers file itself.
    # kneecoach uses none, and a plugin would see every answer it validates.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    sys.exit(run())
