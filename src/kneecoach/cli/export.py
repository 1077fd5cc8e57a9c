"""`kneecoach export` and `kneecoach erase`: all your data out in one file, or gone."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kneecoach.cli.common import console, err_console, print_json, unit_of_work
from kneecoach.core.errors import InputError


def export(
    out: Path | None = typer.Option(
        None, "--out", help="Write to this file (JSON) instead of printing it."
    ),
) -> None:
    """Everything kneecoach holds about you, in one JSON file for you or your clinician."""
    from kneecoach.services.personal_data import (
        NewerDatabaseError,
        export_everything,
        export_tables_as_they_are,
    )

    try:
        with unit_of_work() as session:
            document = export_everything(session=session)
    except NewerDatabaseError as error:
        # A newer kneecoach made the database: leave its schema alone, take every table out.
        document = export_tables_as_they_are()
        err_console.print(
            f"note: {error.problem.split(';')[0]}; exported every table as stored.",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
    if out is None:
        print_json(document)
        return
    try:
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as error:
        raise InputError("--out", f"cannot write {out}: {error.strerror}") from None
    console.print(f"Saved everything to {out}.")


def erase(
    yes: bool = typer.Option(False, "--yes", help="Do not ask: erase at once."),
) -> None:
    """Delete everything kneecoach holds about you (the empty database stays)."""
    from kneecoach.services.personal_data import erase_everything, leave_no_remains

    if not yes and not typer.confirm(
        "This deletes all your answers, plans, check-ins, shoes, course answers and goals. "
        "Are you sure?",
        default=False,
    ):
        console.print("Nothing was deleted.")
        return
    with unit_of_work() as session:
        removed = erase_everything(session=session)
    leave_no_remains()
    console.print(f"Deleted {removed} records. Your data is gone from this machine.")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("erase")(erase)
