"""`kneecoach backup FILE` and `kneecoach restore FILE [--replace]`: everything, out and back."""

from __future__ import annotations

from pathlib import Path

import typer

from kneecoach.cli.common import console, in_cli_words, progress_bar, unit_of_work


def backup(
    file: Path = typer.Argument(..., help="Where to write the backup (a JSON file)."),
) -> None:
    """Write everything kneecoach holds into one file you can restore later."""
    from kneecoach import __version__
    from kneecoach.services.backup import make_backup, summary_of, write_backup

    with progress_bar("Saving") as update, unit_of_work(file="FILE") as session:
        document = make_backup(session=session, progress=update, app_version=__version__)
    with in_cli_words(file="FILE"):
        write_backup(document, file)
    summary = summary_of(document)
    console.print(
        f"Saved {summary.total} records from {len(summary.counts)} tables to {file}.",
        highlight=False,
    )
    console.print(
        "Keep it somewhere safe: it holds your health notes. "
        f"Restore it with: kneecoach restore {file}",
        highlight=False,
        soft_wrap=True,
    )


def restore(
    file: Path = typer.Argument(..., help="A backup written by `kneecoach backup`."),
    replace: bool = typer.Option(
        False, "--replace", help="Delete what this kneecoach holds now and load the backup."
    ),
) -> None:
    """Load a backup into an empty kneecoach (or replace what is there with --replace)."""
    from kneecoach.services.backup import read_backup, restore_backup

    with in_cli_words(file="FILE"):
        document = read_backup(file)
    with (
        progress_bar("Restoring") as update,
        unit_of_work(file="FILE", replace="--replace") as session,
    ):
        summary = restore_backup(document, replace=replace, session=session, progress=update)
    console.print(
        f"Restored {summary.total} records from {file} (made {summary.made_at[:10]}).",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
