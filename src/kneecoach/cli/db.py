"""`kneecoach db`: look after the database (create or bring it to the newest schema)."""

from __future__ import annotations

import typer

from kneecoach.cli.common import console

db_app = typer.Typer(help="Look after the database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring it to the newest schema (safe to run again)."""
    from kneecoach.services.database import describe_database, migrate_database

    copy_before_upgrade()
    applied = migrate_database()
    where = describe_database()
    console.print(f"Database ready at {where}" + (" (updated)." if applied else "."))
    _upgrade_people()


def _upgrade_people() -> None:
    """Server mode: every person's store to the newest schema too."""
    from kneecoach.services.database import is_server_mode, transaction

    if not is_server_mode():
        return
    from kneecoach.services.accounts import upgrade_person_stores

    with transaction() as session:
        count = upgrade_person_stores(session=session)
    console.print(f"People's stores ready: {count}.", highlight=False)


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
