"""`kneecoach outcomes`: saved questionnaire results over time, and whether the change matters.

A change is judged against the minimal important change (MIC) of one named population and
study; one person's change can still be noise, so the individual measurement error is shown too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import OutputFormat, console, print_json, unit_of_work
from kneecoach.cli.score import InstrumentName, format_score

if TYPE_CHECKING:
    from kneecoach.core.outcomes import Change, Instrument, ScoreValue
    from kneecoach.services.outcomes import History

NO_RESULTS = (
    "No saved results yet. Answer a questionnaire with `kneecoach questionnaire koos`, "
    "or save a file with `kneecoach score koos --answers FILE --save`."
)


VERDICTS = {
    "improved": "Yes, better",
    "worse": "Yes, worse",
    "below_mic": "No",
    "no_mic": "Not known (no MIC)",
    "not_computable": "No score to compare",
}


def mic_text(instrument: Instrument, scale: str) -> str:
    threshold = instrument.threshold_for(scale)
    if threshold is None or threshold.points is None:
        return "–"
    return f"{threshold.points:g}" + (" (derived)" if threshold.derived else "")


def caution(instrument: Instrument) -> str:
    error = instrument.measurement_error
    if error is None:
        return (
            "The evidence gives no measurement error for this questionnaire. "
            "For one person, a small change may just be noise."
        )
    return (
        f"{error.note} Individual minimal detectable change (MDC): "
        f"{error.low:g}–{error.high:g} points. Source: {error.source}."
    )


def _signed(points: float | None) -> str:
    if points is None:
        return "–"
    return "0.0" if points == 0 else f"{points:+.1f}"


def _threshold_payload(instrument: Instrument, scale: str) -> dict[str, Any]:
    threshold = instrument.threshold_for(scale)
    if threshold is None:
        return {"mic": None, "mic_population": None, "mic_source": None, "mic_derived": False}
    return {
        "mic": threshold.points,
        "mic_population": threshold.population,
        "mic_source": threshold.source,
        "mic_derived": threshold.derived,
        "mic_note": threshold.note,
    }


def history_payload(history: History) -> dict[str, Any]:
    """One instrument's results, each result's change from the first, the latest verdicts."""
    chosen = history.instrument
    results = []
    for result, changes in zip(history.results, history.changes, strict=True):
        results.append(
            {
                "id": result.id,
                "date": result.answered_on.isoformat(),
                "version": result.version,
                "scores": result.scores,
                "change_from_first": {c.scale: c.points for c in changes} if changes else None,
            }
        )
    error = chosen.measurement_error
    return {
        "instrument": chosen.id,
        "results": results,
        "change": [
            {
                "scale": change.scale,
                "first": change.first,
                "latest": change.latest,
                "change": change.points,
                "verdict": change.verdict,
                "may_be_noise": change.may_be_noise,
                **_threshold_payload(chosen, change.scale),
            }
            for change in history.latest_changes
        ],
        "measurement_error": None
        if error is None
        else {"low": error.low, "high": error.high, "source": error.source},
        "caution": caution(chosen),
    }


def _cell(value: ScoreValue, change: Change | None, looked_up: bool) -> str:
    shown = format_score(value, looked_up)
    if change is None or change.points is None:
        return shown
    return f"{shown} ({_signed(change.points)})"


def show_history(history: History) -> None:
    from rich.table import Table

    chosen = history.instrument
    looked_up = {chosen.conversion.id} if chosen.conversion else set()
    table = Table(title=f"{chosen.title}: your results", title_justify="left")
    table.add_column("Date")
    for score_id in chosen.score_ids:
        # headings without the bracketed abbreviation, so five scores fit in 80 columns
        table.add_column(chosen.label_of(score_id).split(" (")[0], justify="right")
    for result, changes in zip(history.results, history.changes, strict=True):
        by_scale = {change.scale: change for change in changes}
        table.add_row(
            result.answered_on.isoformat(),
            *(
                _cell(result.scores.get(s), by_scale.get(s), s in looked_up)
                for s in chosen.score_ids
            ),
        )
    console.print(table)
    if len(history.results) < 2:
        console.print("Answer again in a few weeks to see how your knee changes.")
        return
    console.print("In brackets: the change from your first result. Up is better.")
    first, latest = history.results[0], history.results[-1]
    verdicts = Table(
        title=f"Change from {first.answered_on.isoformat()} to {latest.answered_on.isoformat()}",
        title_justify="left",
    )
    verdicts.add_column("Part")
    verdicts.add_column("Change", justify="right")
    verdicts.add_column("MIC", justify="right")
    verdicts.add_column("Important change?")
    sources: dict[str, str] = {}
    missing: dict[str, list[str]] = {}
    for change in history.latest_changes:
        verdicts.add_row(
            chosen.label_of(change.scale),
            _signed(change.points),
            mic_text(chosen, change.scale),
            VERDICTS[change.verdict],
        )
        threshold = chosen.threshold_for(change.scale)
        if threshold is not None and threshold.points is not None:
            derived = " (derived: same questions as KOOS)" if threshold.derived else ""
            sources[f"{threshold.population} — {threshold.source}"] = derived
        elif threshold is not None and threshold.note:
            missing.setdefault(threshold.note, []).append(chosen.label_of(change.scale))
    console.print(verdicts)
    for where, derived in sources.items():
        console.print(
            "MIC = minimal important change: the smallest change that matters to people. "
            f"Ours is from: {where}{derived}."
        )
    for note, labels in missing.items():
        console.print(f"{', '.join(labels)}: {note}")
    console.print(f"Caution: {caution(chosen)}")


def register(app: typer.Typer) -> None:
    @app.command("outcomes")
    def outcomes_command(
        instrument: InstrumentName | None = typer.Option(
            None, "--instrument", help="Only this questionnaire: koos, koos12 or koosjr."
        ),
        output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    ) -> None:
        """Your saved questionnaire results over time and whether the change is important."""
        from kneecoach.services.outcomes import outcome_histories

        with unit_of_work() as session:
            histories = outcome_histories(instrument.value if instrument else None, session=session)
        if output is OutputFormat.json:
            print_json({"outcomes": [history_payload(history) for history in histories]})
            return
        if not histories:
            console.print(NO_RESULTS)
            return
        for history in histories:
            show_history(history)
            console.print()
