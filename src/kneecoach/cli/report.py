"""`kneecoach report` and `kneecoach handover`: a PDF for the clinician, and the one-page
letter when the safety check says to see someone (issue 14, sections 1 and 2)."""

from __future__ import annotations

from pathlib import Path

import typer

from kneecoach.cli.common import console, in_cli_words, rich_console, unit_of_work
from kneecoach.core.errors import InputError
from kneecoach.core.units import Paper

FIELDS = {"from": "--from", "to": "--to", "period": "--from/--to", "paper": "--paper"}


def _write(out: Path, document: bytes) -> None:
    try:
        out.write_bytes(document)
    except OSError as error:
        raise InputError("--out", f"cannot write {out}: {error.strerror}") from None


def _paper(named: str | None) -> Paper:
    """The paper named with --paper, else the one chosen in the units setting."""
    from kneecoach.services.report import paper_for

    with unit_of_work(**FIELDS) as session:
        return paper_for(named, session=session)


def report(
    start: str = typer.Option(..., "--from", help="First day of the report (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last day of the report (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="Write the PDF to this file."),
    paper: str | None = typer.Option(
        None, "--paper", help="Paper size: a4 or letter (default: your units setting)."
    ),
    no_notes: bool = typer.Option(False, "--no-notes", help="Leave your own notes out."),
) -> None:
    """A PDF report of a period for your physio or doctor: safety, scores, charts, exercises."""
    from datetime import date

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from kneecoach.core.report import Period, date_of
    from kneecoach.render.report import pdf_of, report_html
    from kneecoach.services.report import gather_report

    with in_cli_words(**FIELDS):
        period = Period.checked(date_of(start, "from"), date_of(end, "to"), date.today())
    size = _paper(paper)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=rich_console(console),
        transient=True,
    ) as progress:
        task = progress.add_task("Reading your data", total=3)
        with unit_of_work(**FIELDS) as session:
            data = gather_report(period, include_notes=not no_notes, session=session)
        progress.update(task, advance=1, description="Laying out the pages")
        html = report_html(data, size)
        document = pdf_of(html)
        progress.update(task, advance=1, description="Writing the file")
        _write(out, document.data)
        progress.update(task, advance=1)
    console.print(
        f"Saved the report for {period.words()} to {out} "
        f"({document.pages} pages, {size.upper() if size == 'a4' else 'Letter'})."
    )


def handover(
    out: Path = typer.Option(..., "--out", help="Write the letter (PDF) to this file."),
    paper: str | None = typer.Option(
        None, "--paper", help="Paper size: a4 or letter (default: your units setting)."
    ),
) -> None:
    """A one-page letter for the doctor or nurse, when the safety check says to see someone."""
    from kneecoach.data.report import report_words
    from kneecoach.render.report import handover_pdf
    from kneecoach.services.handover import handover as gather_handover

    size = _paper(paper)
    with unit_of_work(**FIELDS) as session:
        letter = gather_handover(session=session)
    if letter is None:
        console.print(report_words()["no_handover"], soft_wrap=True, highlight=False, markup=False)
        raise typer.Exit(1)
    _write(out, handover_pdf(letter, size).data)
    console.print(f"Saved the letter ({letter.level_title}) to {out}.")


HANDOVER_COMMAND = "kneecoach handover --out letter.pdf"


def offer_handover(level: str) -> None:
    """After a safety check that says to see someone: the one-page letter for the clinician."""
    from kneecoach.core.report import ESCALATING
    from kneecoach.data.report import report_words

    if level in ESCALATING:
        console.print(
            f"{report_words()['open_handover']}: {HANDOVER_COMMAND}",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("handover")(handover)
