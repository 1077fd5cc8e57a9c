"""`kneecoach export` and `kneecoach erase`: all your data out in one file, or gone.

`kneecoach export [--out FILE]` writes everything as kneecoach's own JSON; `kneecoach export
fhir --out bundle.json` a FHIR R4B Bundle for a clinic's software; `kneecoach export csv --out
DIR` spreadsheet files (one row per day).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import typer

from kneecoach.cli.common import (
    acting_person,
    acting_store,
    console,
    err_console,
    print_json,
    progress_bar,
    unit_of_work,
)
from kneecoach.core.errors import InputError

export_app = typer.Typer(
    help="Everything kneecoach holds about you, in one JSON file for you or your clinician.",
    invoke_without_command=True,
)


@export_app.callback(invoke_without_command=True)
def export(
    ctx: typer.Context,
    out: Path | None = typer.Option(
        None, "--out", help="Write to this file (JSON) instead of printing it."
    ),
) -> None:
    """Everything kneecoach holds about you, in one JSON file for you or your clinician."""
    if ctx.invoked_subcommand is not None:
        return
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
    person = acting_person()
    if person is not None:  # server mode: their movement checks are in the practice's queue
        from kneecoach.services.accounts import account_named
        from kneecoach.services.database import transaction
        from kneecoach.services.movement_check import forget_checks_of

        with transaction() as practice:
            forget_checks_of(account_named(person, session=practice).id, session=practice)
    leave_no_remains(acting_store())  # in server mode, the --person's store
    console.print(f"Deleted {removed} records. Your data is gone from this machine.")


@export_app.command("fhir")
def export_fhir(
    out: Path = typer.Option(..., "--out", help="Write the FHIR R4B Bundle (JSON) to this file."),
) -> None:
    """Your scores and daily check-ins as a FHIR R4B Bundle, for a clinic's software."""
    from kneecoach.services.fhir import BundleStream, InvalidResourceError

    with progress_bar("Writing", on=err_console) as update, unit_of_work() as session:
        stream = BundleStream(session=session, progress=update)
        try:
            _write_whole(out, stream)
        except InvalidResourceError as error:
            raise InputError("database", f"{error}; nothing was written to {out}") from None
    console.print(
        f"Saved a FHIR R4B Bundle with {stream.entries} resources to {out}.",
        highlight=False,
        soft_wrap=True,
    )


def _write_whole(path: Path, pieces: Iterable[str]) -> None:
    """Write PIECES to a hidden file beside PATH, then rename it onto PATH: a crash or an error
    part way leaves no half file (and any file already at PATH as it was)."""
    import tempfile  # here, not at the top: `kneecoach --help` need not load it

    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
            "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.",
            suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as error:
        raise InputError("--out", f"cannot write {path}: {error.strerror}") from None
    part = Path(handle.name)
    try:
        with handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise InputError("--out", f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise


@export_app.command("csv")
def export_csv(
    out: Path = typer.Option(..., "--out", help="A folder for the CSV files (made if needed)."),
) -> None:
    """Spreadsheet files: one row per day (check-ins and scores), your sessions and shoes."""
    from kneecoach.services.csv_export import csv_files

    with unit_of_work() as session:
        files = csv_files(session=session)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError("--out", f"cannot make the folder {out}: {error.strerror}") from None
    for name, text in files.items():
        _write_text(out / name, text)
    console.print(f"Saved {', '.join(files)} to {out}.", highlight=False, soft_wrap=True)


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise InputError("--out", f"cannot write {path}: {error.strerror}") from None


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("erase")(erase)
