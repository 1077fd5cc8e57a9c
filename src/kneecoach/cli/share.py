"""`kneecoach share`: sharing a person's data with a clinician, from the server's command line.

A practice server only (KNEECOACH_MODE=server), for an admin acting for one person named with
the global `--person`: `kneecoach --person anna share code` prints a one-time share code to
hand to the person, `share list` shows their clinicians, `share revoke USER` stops one.
Each is written to the person's audit. In personal mode there is nobody to share with.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import (
    OutputFormat,
    acting_person,
    console,
    escape,
    in_cli_words,
    print_for,
)
from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    from kneecoach.core.accounts import AccountView
    from kneecoach.services.database import Session

share_app = typer.Typer(
    help="Share a person's data with a clinician (server mode, with --person): make a code, "
    "list their clinicians, revoke one.",
    no_args_is_help=True,
)


@contextmanager
def person_work(command: str) -> Iterator[tuple[Session, AccountView]]:
    """The practice's unit of work and the person named with `--person` (audited)."""
    from kneecoach.services import accounts, audit
    from kneecoach.services.database import is_server_mode, transaction

    if not is_server_mode():
        raise InputError(
            "KNEECOACH_MODE",
            "sharing with a clinician needs a practice server (KNEECOACH_MODE=server). "
            "On your own machine, show your clinician the report or the handover letter",
        )
    name = acting_person()
    if name is None:
        raise InputError("--person", "name whose sharing this is: kneecoach --person USER share …")
    with in_cli_words(username="--person", clinician="USER"), transaction() as session:
        person = accounts.account_named(name, session=session)
        if not person.is_person:
            raise InputError("--person", f"{person.username} is a {person.role}, not a person")
        audit.record(None, person.id, "command_line", f"kneecoach share {command}", session=session)
        yield session, person


@share_app.command("code")
def code(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Make a one-time share code for the person (it works once, for 24 hours)."""
    from kneecoach.services import sharing

    with person_work("code") as (session, person):
        made = sharing.make_share_code(person.id, session=session)
    print_for(
        output,
        lambda: {"code": made.code, "expires_at": made.expires_at.isoformat()},
        lambda: console.print(
            f"Share code for {escape(person.display_name)}: [bold]{made.code}[/bold]\n"
            f"It works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC. The clinician types it "
            "on their page Your people."
        ),
    )


@share_app.command("list")
def list_clinicians(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """The clinicians who can see the person's data now."""
    from kneecoach.services import accounts, sharing

    with person_work("list") as (session, person):
        links = sharing.clinicians_of(person.id, session=session)
        names = {
            link.clinician_id: getattr(
                accounts.account_by_id(link.clinician_id, session=session), "username", ""
            )
            for link in links
        }

    def show() -> None:
        if not links:
            console.print(f"{escape(person.display_name)} shares with nobody.")
            return
        for link in links:
            console.print(
                f"{escape(link.clinician_name)} ({escape(names[link.clinician_id])}), "
                f"since {link.since:%Y-%m-%d}"
            )

    print_for(
        output,
        lambda: [
            {
                "clinician": names[link.clinician_id],
                "name": link.clinician_name,
                "since": link.since.isoformat(),
            }
            for link in links
        ],
        show,
    )


@share_app.command("revoke")
def revoke(
    clinician: str = typer.Argument(..., help="The clinician's user name.", show_default=False),
) -> None:
    """Stop sharing the person's data with this clinician, from their next request."""
    from kneecoach.services import accounts, sharing

    with person_work("revoke") as (session, person):
        found = accounts.account_named(clinician, session=session)
        link = sharing.revoke(person.id, found.id, session=session)
    console.print(
        f"{escape(link.clinician_name)} can no longer see {escape(person.display_name)}'s data."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(share_app, name="share")
