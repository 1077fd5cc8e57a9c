"""`kneecoach exercise`: browse the exercise catalogue and draw its illustrations."""

from __future__ import annotations

from pathlib import Path

import typer

from kneecoach.cli.common import OutputFormat, console, in_cli_words, print_json
from kneecoach.core.errors import InputError

exercise_app = typer.Typer(
    help="Browse the exercises kneecoach can plan, with steps and a moving picture.",
    no_args_is_help=True,
)


def _dose_text(words: str, side: str, counted: bool) -> str:
    """A catalogue dose as the plan shows it, and "each side" where it is done on both."""
    return f"{words} each side" if side == "each" and counted else words


@exercise_app.command("list")
def list_command(
    kind: str | None = typer.Option(
        None, "--kind", help="mobility, strength, foam_roll, balance or cardio."
    ),
    target: str | None = typer.Option(
        None, "--target", help="Only exercises for this contributor, e.g. hip_abductor_weakness."
    ),
    pattern: str | None = typer.Option(
        None, "--pattern", help="Only exercises used for this pattern, e.g. patellofemoral_pain."
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    svg_dir: Path | None = typer.Option(
        None, "--svg-dir", help="Also write each listed exercise's moving picture to DIR/ID.svg."
    ),
) -> None:
    """List the exercises, with their starting dose and what they work on."""
    from rich.table import Table

    from kneecoach.services.exercises import exercise_summary, list_exercises

    with in_cli_words(kind="--kind", target="--target", pattern="--pattern"):
        found = list_exercises(kind=kind, target=target, pattern=pattern)
    if svg_dir is not None:
        _write_pictures(svg_dir, [e.id for e in found])
    if output == OutputFormat.json:
        print_json([exercise_summary(e) for e in found])
        return
    table = Table(title=f"{len(found)} exercises", show_lines=False)
    table.add_column("id", no_wrap=True)
    for column in ("name", "kind", "dose", "needs"):
        table.add_column(column)
    table.add_column("works on", overflow="fold")
    for e in found:
        d = e.dose
        table.add_row(
            e.id,
            e.name,
            e.kind,
            _dose_text(str(exercise_summary(e)["dose_words"]), d.side, d.minutes is None),
            ", ".join(e.equipment) or "nothing",
            ", ".join(e.targets or e.patterns),
        )
    console.print(table)
    if svg_dir is not None:
        console.print(f"\n{len(found)} pictures written to [bold]{svg_dir}[/bold].")


def _write_pictures(folder: Path, exercise_ids: list[str]) -> None:
    from kneecoach.services.exercises import illustration_svg

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for exercise_id in exercise_ids:
            (folder / f"{exercise_id}.svg").write_text(
                illustration_svg(exercise_id), encoding="utf-8"
            )
    except OSError as error:
        raise InputError("--svg-dir", f"cannot write to {folder}: {error.strerror}") from None


@exercise_app.command("show")
def show_command(
    exercise_id: str = typer.Argument(
        ..., metavar="ID", help="The exercise id, e.g. glute_bridge."
    ),
    svg: Path | None = typer.Option(
        None, "--svg", help="Also write its animated picture to this SVG file."
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Show one exercise: dose, steps, what to feel, common mistakes, easier and harder."""
    from kneecoach.services.exercises import exercise_details, find_exercise, illustration_svg

    exercise = find_exercise(exercise_id)
    if svg is not None:
        try:
            svg.write_text(illustration_svg(exercise.id), encoding="utf-8")
        except OSError as error:
            raise InputError("--svg", f"cannot write {svg}: {error.strerror}") from None
    if output == OutputFormat.json:
        print_json(exercise_details(exercise))
        return
    _print_exercise(exercise_details(exercise))
    if svg is not None:
        console.print(f"\nPicture written to [bold]{svg}[/bold].")


def _print_exercise(info: dict[str, object]) -> None:
    from rich.markup import escape

    def listed(key: str) -> list[str]:
        value = info.get(key)
        return [str(v) for v in value] if isinstance(value, list) else []

    dose = str(info["dose_words"])
    if info["side"] == "each" and info["minutes_each"] is None:
        dose += " each side"
    console.print(f"[bold]{escape(str(info['name']))}[/bold] ({info['id']}, {info['kind']})")
    console.print(f"Dose: {dose}, about {info['minutes']} min with rests")
    console.print(f"Needs: {', '.join(listed('equipment')) or 'nothing'}")
    if info.get("suits"):
        console.print(f"Suits: {escape(str(info['suits']))}")
    works_on = listed("targets") + listed("patterns")
    console.print(f"Works on: {', '.join(works_on)}")
    console.print("\n[bold]Steps[/bold]")
    for number, step in enumerate(listed("steps"), start=1):
        console.print(f"  {number}. {escape(step)}")
    console.print(f"\n[bold]What you should feel[/bold]\n  {escape(str(info['feel']))}")
    console.print("\n[bold]Common mistakes[/bold]")
    for mistake in listed("mistakes"):
        console.print(f"  - {escape(mistake)}")
    cautions = info.get("cautions")
    if isinstance(cautions, list) and cautions:
        console.print("\n[bold]Take care[/bold]")
        for caution in cautions:
            console.print(f"  - if {caution['when']}: {escape(caution['text'])}")
    left_out = listed("contraindications")
    if left_out:
        console.print(f"\nLeft out of a plan for: {', '.join(left_out)}")
    console.print(
        f"\nEasier: {info['easier'] or '(this is the easiest)'}   "
        f"Harder: {info['harder'] or '(this is the hardest)'}"
    )
    console.print(f"Source: {escape(str(info['source']))}")


def register(app: typer.Typer) -> None:
    app.add_typer(exercise_app, name="exercise")
