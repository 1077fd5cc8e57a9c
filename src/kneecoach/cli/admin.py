"""`kneecoach admin`: a practice's accounts, from the server's command line (server mode).

Whoever can run commands on the server is an admin: they make people, clinicians and admins,
turn accounts off and on, print password-reset codes, read the audit, and move a personal
backup into a person's account. None of these commands shows anyone's health data.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    escape,
    in_cli_words,
    print_for,
    progress_bar,
)
from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    from kneecoach.services.database import Session

admin_app = typer.Typer(
    help="Manage a practice's accounts (server mode): people, clinicians, admins, reset codes "
    "and the audit.",
    no_args_is_help=True,
)

USER = typer.Argument(..., help="The account's user name.", show_default=False)


@contextmanager
def practice_work() -> Iterator[Session]:
    """One unit of work on the practice's own tables; only in server mode."""
    from kneecoach.services.database import is_server_mode, transaction

    if not is_server_mode():
        raise InputError(
            "KNEECOACH_MODE",
            "kneecoach admin is for a practice server: set KNEECOACH_MODE=server first",
        )
    words = in_cli_words(username="USER", display_name="--name", password="password")
    with words, transaction() as session:
        yield session


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = typer.prompt("Password (at least 12 characters)", hide_input=True)
    again = typer.prompt("The same password again", hide_input=True)
    if first != again:
        raise InputError("password", "the two passwords you typed are not the same")
    return str(first)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _create(role: str, username: str, name: str | None, password_stdin: bool, code: bool) -> None:
    from kneecoach.core.accounts import check_password, check_username
    from kneecoach.services import accounts, logins

    with in_cli_words(username="USER"):
        user = check_username(username)
    password = None
    if not code:
        password = _read_password(password_stdin)
        with in_cli_words():
            check_password(password, user)
    with practice_work() as session:
        account = accounts.create_account(
            user, name if name is not None else user, role, password, session=session
        )
        handed = logins.make_reset_code(user, session=session) if code else None
    what = {"person": "Person", "clinician": "Clinician", "admin": "Admin"}[account.role]
    console.print(
        f"{what} {escape(account.username)} ({escape(account.display_name)}) made.",
        highlight=False,
    )
    if handed is not None:
        _, secret, expires = handed
        _show_code(account.username, secret, expires)


def _show_code(username: str, code: str, expires: datetime) -> None:
    console.print(
        f"Reset code for {escape(username)}: {code[:5]}-{code[5:]}\n"
        f"It works once, until {_when(expires)} UTC. They open /reset, type their user name, "
        "this code and a new password.",
        highlight=False,
        soft_wrap=True,
    )


NAME = typer.Option(None, "--name", help="The name people know them by (default: the user name).")
PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)
WITH_CODE = typer.Option(
    False,
    "--reset-code",
    help="Set no password: print a one-time code they use to choose their own.",
)


@admin_app.command("create-person")
def create_person(
    username: str = USER,
    name: str | None = NAME,
    password_stdin: bool = PASSWORD_STDIN,
    reset_code: bool = WITH_CODE,
) -> None:
    """Make an account for a person, with their own store for their health data."""
    _create("person", username, name, password_stdin, reset_code)


@admin_app.command("create-clinician")
def create_clinician(
    username: str = USER,
    name: str | None = NAME,
    password_stdin: bool = PASSWORD_STDIN,
    reset_code: bool = WITH_CODE,
) -> None:
    """Make an account for a clinician (they see only the people who share with them)."""
    _create("clinician", username, name, password_stdin, reset_code)


@admin_app.command("create-admin")
def create_admin(
    username: str = USER,
    name: str | None = NAME,
    password_stdin: bool = PASSWORD_STDIN,
    reset_code: bool = WITH_CODE,
) -> None:
    """Make an admin account (manages accounts on the web; never sees health data)."""
    _create("admin", username, name, password_stdin, reset_code)


@admin_app.command("disable")
def disable(username: str = USER) -> None:
    """Turn an account off: it cannot sign in, and it is signed out everywhere now."""
    from kneecoach.services import accounts

    with practice_work() as session:
        account = accounts.disable(username, session=session)
    console.print(f"{escape(account.username)} is disabled and signed out.", highlight=False)


@admin_app.command("enable")
def enable(username: str = USER) -> None:
    """Turn a disabled account back on."""
    from kneecoach.services import accounts

    with practice_work() as session:
        account = accounts.enable(username, session=session)
    console.print(f"{escape(account.username)} can sign in again.", highlight=False)


@admin_app.command("list")
def list_accounts(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Every account: user name, name, role, when made, disabled, last sign-in."""
    from rich.table import Table

    from kneecoach.services import accounts

    with practice_work() as session:
        rows = accounts.list_accounts(session=session)

    def show() -> None:
        table = Table(title=f"{len(rows)} account{'s' if len(rows) != 1 else ''}")
        for column in ("User name", "Name", "Role", "Made", "Disabled", "Last sign-in"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                escape(row.account.username),
                escape(row.account.display_name),
                row.account.role,
                _when(row.created_at),
                _when(row.disabled_at),
                _when(row.last_sign_in_at),
            )
        console.print(table)

    print_for(
        output,
        lambda: [
            {
                "username": row.account.username,
                "display_name": row.account.display_name,
                "role": row.account.role,
                "created_at": row.created_at.isoformat(),
                "disabled_at": row.disabled_at.isoformat() if row.disabled_at else None,
                "last_sign_in_at": row.last_sign_in_at.isoformat() if row.last_sign_in_at else None,
            }
            for row in rows
        ],
        show,
    )


@admin_app.command("reset-code")
def reset_code(username: str = USER) -> None:
    """Print a one-time code (24 hours) to set a new password at /reset; an older one stops."""
    from kneecoach.services import logins

    with practice_work() as session:
        account, code, expires = logins.make_reset_code(username, session=session)
    _show_code(account.username, code, expires)


@admin_app.command("audit")
def audit(
    person: str | None = typer.Option(None, "--person", help="Only entries about this person."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="How many, newest first."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """The audit log: who looked at whose data, and what admins did."""
    from rich.table import Table

    from kneecoach.services import accounts
    from kneecoach.services import audit as audit_service

    with practice_work() as session:
        person_id = None
        if person is not None:
            with in_cli_words(username="--person"):
                person_id = accounts.account_named(person, session=session).id
        found = audit_service.entries(session=session, limit=limit, person_id=person_id)
        names = {
            row.account.id: row.account.username for row in accounts.list_accounts(session=session)
        }

    def about(entry: audit_service.AuditView) -> str:
        return names.get(entry.person_id, entry.person_id) if entry.person_id else ""

    def show() -> None:
        table = Table(title=f"{len(found)} audit entr{'y' if len(found) == 1 else 'ies'}")
        for column in ("When (UTC)", "Who", "Role", "About", "Action", "Detail"):
            table.add_column(column)
        for entry in found:
            table.add_row(
                _when(entry.at),
                escape(entry.actor_name),
                entry.actor_role,
                escape(about(entry)),
                entry.action,
                escape(entry.detail),
            )
        console.print(table)

    print_for(
        output,
        lambda: [
            {
                "at": entry.at.isoformat(),
                "actor": entry.actor_name,
                "actor_role": entry.actor_role,
                "person": about(entry) or None,
                "action": entry.action,
                "detail": entry.detail,
            }
            for entry in found
        ],
        show,
    )


@admin_app.command("import-backup")
def import_backup(
    username: str = USER,
    file: Path = typer.Argument(..., help="A backup written by `kneecoach backup`."),
    replace: bool = typer.Option(
        False, "--replace", help="Delete what the person's store holds now and load the backup."
    ),
) -> None:
    """Move a personal kneecoach's backup into a person's account on this server."""
    from kneecoach.services import accounts
    from kneecoach.services import audit as audit_service
    from kneecoach.services.backup import read_backup, restore_backup
    from kneecoach.services.database import store_of, transaction

    with practice_work() as session:
        with in_cli_words(username="USER"):
            account = accounts.account_named(username, session=session)
        if not account.is_person:
            raise InputError("USER", f"{account.username} is a {account.role}, not a person")
    with in_cli_words(file="FILE"):
        document = read_backup(file)
    with (
        progress_bar("Restoring") as update,
        in_cli_words(file="FILE", replace="--replace"),
        transaction(store_of(account.id)) as person_session,
    ):
        summary = restore_backup(document, replace=replace, session=person_session, progress=update)
    with practice_work() as session:
        audit_service.record(
            None,
            account.id,
            "backup_imported",
            f"{summary.total} records loaded from {file.name}",
            session=session,
        )
    console.print(
        f"Restored {summary.total} records from {file} into {escape(account.username)}'s account.",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
