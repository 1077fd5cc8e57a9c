"""`kneecoach triage`: is it safe to look after this knee at home, and if not, how soon to go."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, print_json, read_json_file, read_only_work

if TYPE_CHECKING:
    from kneecoach.core.triage import TriageResult
    from kneecoach.services.database import Session

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self_care": "bold black on green",
}
BORDER = {"emergency": "red", "urgent": "dark_orange", "soon": "yellow", "self_care": "green"}
LABEL = {"emergency": "EMERGENCY", "urgent": "URGENT", "soon": "SOON", "self_care": "SELF CARE"}


def show_triage(result: TriageResult, *, session: Session | None) -> None:
    """A clear panel: the level and what to do now, each flag's advice, the open questions."""
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    from kneecoach.services.triage import message_of, question_for

    meaning = message_of(result, session=session)
    parts: list[RenderableType] = [
        Text.assemble((f" {LABEL[result.level]} ", LEVEL_STYLE[result.level]), "  ", meaning.title),
        Text(""),
        Text(meaning.advice, style="bold"),
    ]
    if result.leading_flags:
        parts += [Text(""), Text("Why:", style="bold underline")]
    for flag in result.leading_flags:
        parts.append(
            Text.assemble(("• ", BORDER[flag.level]), (flag.title, "bold"), f" ({flag.level})")
        )
        parts.append(Padding(Text(flag.advice), (0, 0, 0, 2)))
        if flag.why:
            why = Text(f"Your answers: {'; '.join(flag.why)}", style="dim")
            parts.append(Padding(why, (0, 0, 0, 2)))
    if result.other_flags:
        parts += [Text(""), Text("Also tell them about:", style="bold underline")]
        parts += [Text(f"• {flag.title}") for flag in result.other_flags]
    if result.missing and result.level != "emergency":  # nothing may distract from help now
        parts += [
            Text(""),
            Text("Please answer these safety questions:", style="bold underline"),
        ]
        parts += [Text(f"• {question_for(path)}  [{path}]") for path in result.missing]
    parts += [
        Text(""),
        Text(
            "kneecoach does not diagnose. If you feel worse or are worried, get help sooner.",
            style="dim italic",
        ),
    ]
    console.print(
        Panel(
            Group(*parts),
            # Text, not str: a str title is read as markup, which loads Rich's emoji table
            title=Text("Safety check"),
            border_style=BORDER[result.level],
            expand=True,
        )
    )


def triage_command(
    answers: Path = typer.Option(
        ...,
        "--answers",
        help="An intake answers file (JSON, kneecoach-intake/1).",
        dir_okay=True,
        exists=False,
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (easy to read) or json."
    ),
) -> None:
    """Check the answers for warning signs: whether home care is safe, and whom to see."""
    from kneecoach.services.triage import triage_document

    with read_only_work(answers="--answers") as session:
        result = triage_document(read_json_file(answers, "--answers"), session=session)
        if output is OutputFormat.json:
            print_json(result.as_json())
        else:
            show_triage(result, session=session)


def register(app: typer.Typer) -> None:
    app.command("triage")(triage_command)
