"""`kneecoach db`: look after the database (create or bring it to the newest schema)."""

from __future__ import annotations

import typer

from kneecoach.cli.common import console, err_console, progress_bar

db_app = typer.Typer(help="Look after the database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring it to the newest schema (safe to run again). In server
    mode, then every person's store too, with a progress bar and the counts at the end."""
    from kneecoach.services.database import describe_database, is_server_mode, migrate_database

    copy_before_upgrade()
    applied = migrate_database()
    where = describe_database()
    console.print(f"Database ready at {where}" + (" (updated)." if applied else "."))
    if is_server_mode():
        upgrade_people()


def upgrade_people() -> None:
    """Every person's store, one after the other; a store that fails is named and the rest go
    on, and the command then ends with status 2."""
    from kneecoach.services.practice_stores import person_ids, upgrade_stores

    people = person_ids()
    counts = {"upgraded": 0, "newest": 0, "failed": 0}
    failures: list[str] = []
    with progress_bar("Upgrading people's stores") as update:
        update("", 0, len(people))
        for done, result in enumerate(upgrade_stores(people), start=1):
            counts[result.outcome] += 1
            if result.problem is not None:
                failures.append(f"{result.account_id}: {result.problem}")
            update("", done, len(people))
    console.print(
        f"People's stores: {len(people)} in all, {counts['upgraded']} updated, "
        f"{counts['newest']} already up to date, {counts['failed']} failed.",
        highlight=False,
        soft_wrap=True,
    )
    for failure in failures:
        err_console.print(f"error: store of account {failure}", highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(2)


@db_app.command("status")
def status() -> None:
    """Show the database's schema revision and, in server mode, how many people's stores are
    at the newest one. Reads only: nothing is created or changed."""
    from kneecoach.services.database import is_server_mode
    from kneecoach.services.practice_stores import practice_status

    found = practice_status(is_server_mode())
    shown = found.revision or "none (not made yet)"
    console.print(f"Database: {found.where}", highlight=False, soft_wrap=True)
    console.print(f"Revision: {shown} (newest: {found.newest_revision})", highlight=False)
    stores = found.stores
    if stores is None and is_server_mode():
        console.print(
            "People's stores: run `kneecoach db upgrade` first.", highlight=False, soft_wrap=True
        )
    elif stores is not None:
        console.print(
            f"People's stores: {stores.newest} of {stores.total} at the newest revision "
            f"({stores.older} older, {stores.newer} newer, {stores.missing} not made yet).",
            highlight=False,
            soft_wrap=True,
        )


def copy_before_upgrade() -> None:
    """Before a migration changes an SQLite database, copy it and say where the copy went."""
    from kneecoach.services.database import backup_before_upgrade

    copy = backup_before_upgrade()
    if copy is not None:
        console.print(
            f"Saved a copy of the database before the update: {copy}",
            highlight=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
