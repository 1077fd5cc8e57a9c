"""`kneecoach score`: score a KOOS, KOOS-12 or KOOS JR answers file (and optionally save it).

The output helpers here (`scores_payload`, `show_scores`, `parse_day`) are shared by the
`questionnaire` and `outcomes` commands, so every place prints scores the same way.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    err_console,
    print_json,
    read_json_file,
    unit_of_work,
)
from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    from kneecoach.core.outcomes import Instrument, Scores, ScoreValue


class InstrumentName(StrEnum):
    """The questionnaires kneecoach can score (the files in kneecoach/data/instruments/)."""

    koos = "koos"
    koos12 = "koos12"
    koosjr = "koosjr"


def parse_day(text: str | None, field: str = "--date") -> date | None:
    """A date typed as YYYY-MM-DD, or a one-line error."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"{text!r} is not a date like 2025-03-31 (YYYY-MM-DD)") from None


def format_score(value: ScoreValue, looked_up: bool = False) -> str:
    """One decimal for 0–100 scores, three for KOOS JR table values (as HSS prints them)."""
    if value is None:
        return "no score"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}" if looked_up else f"{value:.1f}"


def scores_payload(instrument: Instrument, scores: Scores) -> dict[str, Any]:
    """The JSON of shared/spec/outcomes.md, plus `version` and per-scale `answered` counts."""
    return {
        "instrument": instrument.id,
        "scores": scores.rounded(),
        "version": instrument.version,
        "answered": dict(scores.answered),
    }


def _why_no_score(instrument: Instrument, score_id: str, scores: Scores) -> str:
    for scale in instrument.scales:
        if scale.id == score_id:
            if scale.min_answered == len(scale.items):
                return f"needs all {len(scale.items)} answered"
            return f"needs {scale.min_answered} of {len(scale.items)} answered"
    if instrument.summary is not None and score_id == instrument.summary.id:
        return f"needs all {len(instrument.summary.of)} parts"
    return "needs the raw score"


def show_scores(instrument: Instrument, scores: Scores) -> None:
    """A Rich table: each score, how many of its questions were answered, and how to read it."""
    from rich.table import Table

    table = Table(title=instrument.title, title_justify="left")
    table.add_column("Part")
    table.add_column("Score", justify="right")
    table.add_column("Answered", justify="right")
    rounded = scores.rounded()
    for score_id in instrument.score_ids:
        value = rounded[score_id]
        answered = (
            f"{scores.answered[score_id]} of {scores.total_items[score_id]}"
            if score_id in scores.answered
            else ""
        )
        shown = format_score(value, looked_up=score_id in scores.looked_up)
        if value is None:
            shown = f"none: {_why_no_score(instrument, score_id, scores)}"
        table.add_row(instrument.label_of(score_id), shown, answered)
    console.print(table)
    console.print(instrument.score_note)


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score_command(
        instrument: InstrumentName = typer.Argument(..., help="koos, koos12 or koosjr."),
        answers: Path = typer.Option(
            ..., "--answers", help='JSON file of answers by KOOS code, like {"P1": 2}.'
        ),
        output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
        save: bool = typer.Option(False, "--save", help="Also store the result in the database."),
        day: str | None = typer.Option(
            None, "--date", help="The day the questions were answered (YYYY-MM-DD; default today)."
        ),
    ) -> None:
        """Score KOOS, KOOS-12 or KOOS JR answers (100 = no knee problems; KOOS has no total)."""
        from kneecoach.services.outcomes import save_answers, score_answers

        answered_on = parse_day(day)
        if answered_on is not None and not save:
            raise InputError("--date", "is only used with --save (the day to store the result for)")
        raw = read_json_file(answers, "--answers")
        scored = score_answers(instrument.value, raw)
        payload = scores_payload(scored.instrument, scored.scores)
        if save:
            with unit_of_work() as session:
                saved = save_answers(instrument.value, raw, answered_on, session=session)
            payload["saved"] = {"id": saved.id, "date": saved.answered_on.isoformat()}
        if output is OutputFormat.json:
            print_json(payload)
        else:
            show_scores(scored.instrument, scored.scores)
        if save:
            where = console if output is OutputFormat.table else err_console
            where.print(
                f"Saved for {payload['saved']['date']}. "
                "See your results over time with: kneecoach outcomes"
            )
