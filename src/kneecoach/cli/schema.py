"""`kneecoach schema`: the JSON Schema of the documents kneecoach reads."""

from __future__ import annotations

import typer

from kneecoach.cli.common import print_json

schema_app = typer.Typer(help="Print the JSON Schema of a document kneecoach reads.")


@schema_app.command("intake")
def intake_schema() -> None:
    """The JSON Schema of the intake answers document (kneecoach-intake/1)."""
    from kneecoach.core.intake import Intake

    print_json(Intake.model_json_schema())


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema", no_args_is_help=True)
