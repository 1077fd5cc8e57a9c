"""`kneecoach evidence`: where kneecoach's rules come from, for a clinician who asks why."""

from __future__ import annotations

from enum import StrEnum

import typer

from kneecoach.cli.common import console, print_json

evidence_app = typer.Typer(
    help="Where kneecoach's rules come from, for a clinician who asks why.",
    no_args_is_help=True,
)


class DecisionFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@evidence_app.command("decisions")
def decisions(
    output: DecisionFormat = typer.Option(
        DecisionFormat.table, "--format", help="table, json or markdown."
    ),
) -> None:
    """Every threshold kneecoach chose where the evidence has none, with its reason."""
    from rich.table import Table

    from kneecoach.services.knowledge import decisions_markdown, product_decisions

    found = product_decisions()
    if output is DecisionFormat.json:
        print_json({"decisions": [d.as_json() for d in found]})
        return
    if output is DecisionFormat.markdown:
        print(decisions_markdown(found), end="", flush=True)
        return
    table = Table(title=f"Product decisions ({len(found)})", show_lines=True)
    table.add_column("File", style="bold")
    table.add_column("Entry")
    table.add_column("Reason")
    for d in found:
        table.add_row(d.file, d.where, d.reason or "(no reason given)")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
