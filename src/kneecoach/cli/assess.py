"""`kneecoach assess`: the safety check, then what along the chain may be loading the knee."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, print_json, read_json_file, read_only_work

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.table import Table

    from kneecoach.core.assessment import ContributorFinding, PatternFinding
    from kneecoach.services.assessment import AssessmentReport
    from kneecoach.services.database import Session

REGION_LABELS = {
    "hip": "Hip",
    "back": "Lower back",
    "foot_ankle": "Foot and ankle",
    "muscle_balance": "Muscle balance",
    "footwear": "Shoes",
    "load": "Activity load",
    "body": "Body weight",
}
BAR_WIDTH = 20


def bar(value: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a 0–1 value, e.g. ███████████░░░░░░░░░."""
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


def bullets(lines: Iterable[str]) -> Table:
    """The reasons, one per line, with a hanging indent."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:  # Text, not markup: "[front]" in an answer is not a style tag
        grid.add_row(Text("•"), Text(line), style="dim")
    return grid


def by_region(
    contributors: tuple[ContributorFinding, ...],
) -> list[tuple[str, list[ContributorFinding]]]:
    """Contributors grouped by region, the region with the strongest contributor first."""
    groups: dict[str, list[ContributorFinding]] = {}
    for contributor in contributors:  # already strongest first
        groups.setdefault(contributor.region, []).append(contributor)
    return list(groups.items())


def show_contributors(contributors: tuple[ContributorFinding, ...]) -> None:
    from rich.padding import Padding
    from rich.text import Text

    console.print()
    console.rule("[bold]What may be loading your knee[/bold]")
    if not contributors:
        console.print(
            "No part of the chain stands out from your answers. The home self-tests can show "
            "more: run [bold]kneecoach selftest list[/bold]."
        )
        return
    for region, members in by_region(contributors):
        console.print()
        console.print(Text(REGION_LABELS.get(region, region), style="bold underline"))
        for c in members:
            console.print(
                Text.assemble(
                    ("  " + bar(c.strength), "cyan"),
                    f" {c.strength:4.0%}  ",
                    (c.title, "bold"),
                )
            )
            console.print(Padding(Text(c.explanation), (0, 0, 0, 4)))
            console.print(Padding(bullets(c.why), (0, 0, 0, 4)))


def show_patterns(patterns: tuple[PatternFinding, ...], with_advice: bool = True) -> None:
    from rich.padding import Padding
    from rich.text import Text

    console.print()
    console.rule("[bold]Patterns your answers fit[/bold]")
    if not patterns:
        console.print("Your answers do not clearly fit any of the patterns kneecoach knows.")
        return
    for p in patterns:
        console.print()
        console.print(
            Text.assemble(
                ("  " + bar(p.fit), "magenta"),
                f" {p.fit:4.0%}  ",
                (p.title, "bold"),
            )
        )
        console.print(Padding(Text(p.summary), (0, 0, 0, 4)))
        if with_advice:
            console.print(
                Padding(Text.assemble(("What usually helps: ", "bold"), p.advice), (0, 0, 0, 4))
            )
        console.print(
            Padding(Text.assemble(("When to see someone: ", "bold"), p.safety), (0, 0, 0, 4))
        )
        reasons = [*p.why, *(f"against: {line}" for line in p.against)]
        console.print(Padding(bullets(reasons), (0, 0, 0, 4)))


def show_report(report: AssessmentReport, *, session: Session | None) -> None:
    """The safety check, then the chain beyond the knee by region, then the patterns; when a
    professional should see the knee, the findings are labelled as what to tell them."""
    from kneecoach.cli.triage import show_triage

    show_triage(report.triage, session=session)
    if report.withheld:
        return
    if report.care_first:
        console.print(
            "[bold]Get care first.[/bold] kneecoach gives no exercise advice until a doctor or "
            "nurse has seen your knee."
        )
    if report.for_the_clinician:
        console.print()
        console.rule("[bold]What to tell the doctor or physio[/bold]")
        console.print(
            "These answers may help them find the cause. Show them this, or take it with you."
        )
    show_contributors(report.assessment.contributors)
    show_patterns(report.assessment.patterns, with_advice=not report.care_first)
    console.print()
    console.print(
        "[dim italic]kneecoach does not diagnose. A pattern is a group of answers that often go "
        "together, not a name for what you have.[/dim italic]"
    )


def assess_command(
    answers: Path = typer.Option(
        ..., "--answers", help="An intake answers file (JSON, kneecoach-intake/1)."
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (easy to read) or json."
    ),
) -> None:
    """Look beyond the knee: what may be loading it (hip, back, foot, muscles, shoes, load)."""
    from kneecoach.services.assessment import assess_document

    with read_only_work(answers="--answers") as session:
        report = assess_document(read_json_file(answers, "--answers"), session=session)
        if output is OutputFormat.json:
            print_json(report.as_json())
        else:
            show_report(report, session=session)


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
