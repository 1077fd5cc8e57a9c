"""`kneecoach selftest`: how to do each home self-test safely, what a pass is, and its norms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import OutputFormat, console, print_json

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from kneecoach.data.self_tests import SelfTest

selftest_app = typer.Typer(
    help="Home self-tests: how to do them safely and what the results mean.",
    no_args_is_help=True,
)


def self_test_as_json(test: SelfTest) -> dict[str, Any]:
    data = test.model_dump(by_alias=True, exclude_none=True)
    data["answer_path"] = test.answer_path
    return data


@selftest_app.command("list")
def list_command(
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (easy to read) or json."
    ),
) -> None:
    """List the self-tests and what each one tells us."""
    from rich.table import Table
    from rich.text import Text

    from kneecoach.data.self_tests import load_self_tests

    tests = load_self_tests()
    if output is OutputFormat.json:
        print_json([self_test_as_json(t) for t in tests])
        return
    table = Table(title="Home self-tests", show_lines=True)
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("test", style="bold")
    table.add_column("what it tells us")
    for test in tests:
        table.add_row(Text(test.id), Text(test.title), Text(test.why_text))
    console.print(table)
    console.print("Show how to do one: [bold]kneecoach selftest show ID[/bold]")


@selftest_app.command("show")
def show_command(
    test_id: str = typer.Argument(..., metavar="ID", help="A self-test id from `selftest list`."),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (easy to read) or json."
    ),
) -> None:
    """Show the steps, the pass mark, the safety notes and the norms of one self-test."""
    from kneecoach.core.errors import InputError, NotFoundError
    from kneecoach.data.self_tests import find_self_test

    try:
        test = find_self_test(test_id)
    except NotFoundError as error:
        raise InputError("ID", str(error)) from None
    if output is OutputFormat.json:
        print_json(self_test_as_json(test))
        return
    show_self_test(test)


def _listed(marks_and_lines: list[tuple[str, Text]]) -> Table:
    """Lines with a hanging indent: the mark (1., •) in its own column."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for mark, line in marks_and_lines:
        grid.add_row(mark, line)
    return grid


def show_self_test(test: SelfTest) -> None:
    """One self-test as a panel a person can follow step by step."""
    from rich.console import Group, RenderableType
    from rich.panel import Panel
    from rich.text import Text

    def cited(source: str | None, basis: str | None) -> Text:
        decision = " (a kneecoach product decision)" if basis else ""
        return Text(f"Source: {source or ''}{decision}", style="dim")

    parts: list[RenderableType] = [
        Text(test.why_text),
        Text(""),
        Text.assemble(("You need: ", "bold"), test.kit.text),
        Text(""),
        Text("Steps", style="bold underline"),
        _listed([(f"{n}.", Text(step)) for n, step in enumerate(test.steps, start=1)]),
        Text(""),
        Text.assemble(("Pass: ", "bold green"), test.pass_.text),
        Text(""),
        Text("Safety", style="bold underline"),
        _listed([("•", Text(note)) for note in test.safety]),
        Text(""),
        Text("Norms", style="bold underline"),
    ]
    norms: list[tuple[str, Text]] = []
    for norm in test.norms:
        norms.append(("•", Text.assemble((f"{norm.label}: ", "bold"), norm.explanation)))
        norms.append(("", cited(norm.source, norm.basis)))
    if test.no_norm is not None:
        norms.append(("•", Text.assemble(("No norms: ", "bold"), test.no_norm.text)))
        norms.append(("", cited(test.no_norm.source, test.no_norm.basis)))
    parts.append(_listed(norms))
    table = test.percentile_25
    if table is not None:
        parts += [Text(""), Text("25th percentile by age (women / men)", style="bold underline")]
        rows = [
            (f"{b.from_age}–{b.to_age}:", Text(f"{b.female:g} / {b.male:g}")) for b in table.bands
        ]
        rows.append(("", cited(table.source, None)))
        for rule in (
            table.below_youngest_band,
            table.above_oldest_band,
            table.other_or_unknown_sex,
        ):
            rows.append(("", cited(rule.source, rule.basis)))
        parts.append(_listed(rows))
    parts += [
        Text(""),
        Text(f"Your answer goes in {test.answer_path}: {test.question}", style="italic"),
    ]
    console.print(Panel(Group(*parts), title=test.title, border_style="cyan", expand=True))


def register(app: typer.Typer) -> None:
    app.add_typer(selftest_app, name="selftest")
