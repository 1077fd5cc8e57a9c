"""`kneecoach shoes`: the pairs you wear, how far they have gone, and when to change them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    err_console,
    escape,
    print_json,
    read_json_file,
    rich_console,
    unit_of_work,
)
from kneecoach.core.errors import InputError
from kneecoach.core.units import distance_number, show_distance

if TYPE_CHECKING:
    from kneecoach.services.shoes import ShoeOverview

shoes_app = typer.Typer(
    help="Your shoes: distance, age, wear checks and when to change them.",
    no_args_is_help=True,
)

_COLOURS = {"ok": "green", "watch": "yellow", "replace": "red"}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

FORMAT = typer.Option(OutputFormat.table, "--format", help="table (for people) or json.")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _date_option(help_text: str) -> Any:
    return typer.Option(None, "--date", formats=["%Y-%m-%d"], help=help_text)


_ADD_FLAGS = {
    "name": "--name",
    "type": "--type",
    "start_date": "--start-date",
    "start_km": "--start-km",
    "default_for": "--default-for",
    "from_intake": "--from-intake",
}
"""The services' field names as `shoes add` options."""


@shoes_app.command("add")
def add(
    name: str | None = typer.Option(
        None, "--name", help="What you call this pair, e.g. 'Trail runner'."
    ),
    brand: str | None = typer.Option(None, "--brand"),
    model: str | None = typer.Option(None, "--model"),
    shoe_type: str = typer.Option(
        "other", "--type", help="running, walking, work, casual, minimal or other."
    ),
    start_date: datetime | None = typer.Option(
        None, "--start-date", formats=["%Y-%m-%d"], help="First worn (default: today)."
    ),
    start_km: float = typer.Option(0.0, "--start-km", help="Distance already on the pair, in km."),
    start_distance: float | None = typer.Option(
        None,
        "--start-distance",
        help="Distance already on the pair, in your unit (km or miles: kneecoach settings units).",
    ),
    default_for: list[str] | None = typer.Option(
        None,
        "--default-for",
        help="Use this pair for running, walking, hiking or other when you do not choose.",
    ),
    from_intake: bool = typer.Option(
        False,
        "--from-intake",
        help="Add the main pair your saved intake describes (its km and months); the other "
        "options change what it says.",
    ),
    output: OutputFormat = FORMAT,
) -> None:
    """Add a pair of shoes."""
    from kneecoach.core.units import to_km
    from kneecoach.services.shoes import add_pair, pair_from_intake
    from kneecoach.services.units import units_to_show

    today = date.today()
    with unit_of_work(**_ADD_FLAGS) as session:
        unit = units_to_show(session=session).distance
        if start_distance is not None:
            if start_km:
                raise InputError(
                    "--start-distance", "give --start-distance or --start-km, not both"
                )
            start_km = to_km(start_distance, unit)  # typed in the person's unit, stored in km
        told = pair_from_intake(today=today, session=session) if from_intake else None
        if from_intake and told is None:
            raise InputError(
                "from_intake",
                "no saved intake says how worn your main pair is, or a pair is already stored",
            )
        overview = add_pair(
            name or (told.name if told else ""),
            today=today,
            brand=brand,
            model=model,
            shoe_type=shoe_type if told is None or shoe_type != "other" else told.shoe_type,
            start_date=_day(start_date) or (told.start_date if told else None),
            start_km=start_km or (told.start_km if told else 0.0),
            default_for=default_for or (),
            session=session,
        )
    if output is OutputFormat.json:
        print_json(overview.to_json())
        return
    pair = overview.pair
    shown = show_distance(overview.status.distance_km, unit, 0)
    line = f"Added [bold]{escape(pair.name)}[/] (id [bold]{pair.id}[/]), {shown}"
    if overview.default_for:
        line += f", default for {', '.join(overview.default_for)}"
    console.print(line + ".")


@shoes_app.command("list")
def list_(
    show_all: bool = typer.Option(False, "--all", help="Also show retired pairs."),
    output: OutputFormat = FORMAT,
) -> None:
    """Show each pair: distance, age and how close it is to the replace range."""
    from kneecoach.services.shoes import honest_note, list_shoes
    from kneecoach.services.units import units_to_show

    with unit_of_work() as session:
        overviews = list_shoes(today=date.today(), include_retired=show_all, session=session)
        unit = units_to_show(session=session).distance
    if output is OutputFormat.json:
        print_json({"shoes": [o.to_json() for o in overviews], "note": honest_note()})
        return
    if not overviews:
        console.print("No shoes yet. Add a pair with `kneecoach shoes add --name ...`.")
        return
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    from kneecoach.services.shoes import replace_range

    watch_km, replace_km = replace_range()
    table = Table(title="Your shoes", title_justify="left")
    table.add_column("id")
    table.add_column("name")
    table.add_column(unit, justify="right")
    table.add_column("age", justify="right")
    watch, replace = distance_number(watch_km, unit, 0), show_distance(replace_km, unit, 0)
    table.add_column(f"{watch}–{replace}", no_wrap=True)
    table.add_column("status")
    for overview in overviews:
        status, pair = overview.status, overview.pair
        colour = "dim" if pair.retired else _COLOURS[status.level]
        bar = ProgressBar(
            total=1.0,
            completed=min(status.share_of_replace_km, 1.0),
            width=12,
            complete_style=colour,
            finished_style=colour,
        )
        defaults = f"\n[dim]default: {', '.join(overview.default_for)}[/]"
        table.add_row(
            pair.id,
            escape(pair.name) + (defaults if overview.default_for else ""),
            distance_number(status.distance_km, unit, 0),
            "" if status.age_months is None else f"{status.age_months} mo",
            bar,
            f"[{colour}]{'Retired' if pair.retired else overview.level_label}[/]",
        )
    console.print(table)
    for overview in overviews:
        if overview.status.needs_attention:
            colour = _COLOURS[overview.status.level]
            console.print(
                f"[{colour}]{overview.level_label}[/] {escape(overview.summary)}", soft_wrap=True
            )
    console.print(f"[dim]{honest_note()}[/]")


@shoes_app.command("alerts")
def alerts(output: OutputFormat = FORMAT) -> None:
    """Pairs due for watching or replacing, each with the reason."""
    from kneecoach.services.shoes import honest_note, shoe_alerts

    with unit_of_work() as session:
        due = shoe_alerts(today=date.today(), session=session)
    if output is OutputFormat.json:
        print_json({"alerts": [_alert_json(o) for o in due], "note": honest_note()})
        return
    if not due:
        console.print("No pair needs a change yet.")
    for overview in due:
        colour = _COLOURS[overview.status.level]
        console.print(
            f"[{colour}]{overview.level_label}[/] {escape(overview.summary)}", soft_wrap=True
        )
    console.print(f"[dim]{honest_note()}[/]")


def _alert_json(overview: ShoeOverview) -> dict[str, Any]:
    return {
        "shoe": overview.pair.id,
        "level": overview.status.level,
        "why": overview.summary,
        "reasons": [r.text for r in overview.status.reasons],
    }


@shoes_app.command("retire")
def retire(
    pair_id: str = typer.Argument(..., metavar="ID", help="The pair's id (or its name)."),
    on: datetime | None = _date_option("The day you stopped wearing it (default: today)."),
) -> None:
    """Retire a pair: it keeps its history but leaves the alerts and the defaults."""
    from kneecoach.services.shoes import retire_pair

    today = date.today()
    from kneecoach.services.units import units_to_show

    with unit_of_work(pair="ID", date="--date") as session:
        overview = retire_pair(pair_id, on=_day(on) or today, today=today, session=session)
        unit = units_to_show(session=session).distance
    console.print(
        f"Retired {escape(overview.pair.name)} after "
        f"{show_distance(overview.status.distance_km, unit, 0)}. "
        "It is no longer a default pair."
    )


@shoes_app.command("default")
def default(
    pair_id: str = typer.Argument(..., metavar="ID", help="The pair's id (or its name)."),
    activity: str = typer.Option(..., "--activity", help="running, walking, hiking or other."),
) -> None:
    """Use this pair for an activity type when an import does not say which pair."""
    from kneecoach.services.shoes import set_default

    with unit_of_work(pair="ID", activity="--activity") as session:
        overview = set_default(pair_id, activity, today=date.today(), session=session)
    console.print(f"{escape(overview.pair.name)} is now the default pair for {activity}.")


@shoes_app.command("import")
def import_(
    paths: list[Path] = typer.Argument(
        ..., metavar="FILE...", help="GPX, FIT or CSV files or folders."
    ),
    shoe: str | None = typer.Option(None, "--shoe", help="Count everything on this pair."),
    activity: str | None = typer.Option(
        None, "--activity", help="Activity type when a file does not say it."
    ),
    output: OutputFormat = FORMAT,
) -> None:
    """Count runs and walks from GPX, FIT or CSV files on your shoes (never twice)."""
    from kneecoach.services.activities import (
        activity_files,
        import_activities,
        read_activity_file,
    )
    from kneecoach.services.shoes import list_shoes
    from kneecoach.services.units import units_to_show

    files = activity_files(paths)
    if len(files) > 1:
        from rich.progress import Progress

        with Progress(
            console=rich_console(err_console), transient=True, disable=not err_console.is_terminal
        ) as progress:
            task = progress.add_task("Reading files", total=len(files))
            parsed = []
            for path in files:
                parsed.append(read_activity_file(path))
                progress.advance(task)
    else:
        parsed = [read_activity_file(files[0])]
    with unit_of_work(shoe="--shoe", activity="--activity") as session:
        report = import_activities(parsed, shoe=shoe, activity=activity, session=session)
        overviews = list_shoes(today=date.today(), session=session)
        unit = units_to_show(session=session).distance
    if output is OutputFormat.json:
        print_json(report.to_json())
        return
    for item in report.counted:
        a = item.activity
        kind = a.activity_type or "outing"
        console.print(
            f"Counted {show_distance(a.distance_km, unit)} ({kind}, {a.on.isoformat()}) "
            f"on {item.pair_id}: " + escape(a.origin),
            soft_wrap=True,
        )
    for duplicate in report.duplicates:
        console.print(
            f"[dim]Already counted, skipped: {escape(duplicate.origin)}[/]", soft_wrap=True
        )
    for reason in report.skipped:
        console.print(f"[dim]Not counted: {escape(reason)}[/]", soft_wrap=True)
    touched = report.km_by_pair()
    for overview in overviews:
        if overview.pair.id in touched:
            colour = _COLOURS[overview.status.level]
            console.print(
                f"[{colour}]{overview.level_label}[/] {escape(overview.summary)}", soft_wrap=True
            )


@shoes_app.command("wear-check")
def wear_check(
    pair_id: str = typer.Argument(..., metavar="ID", help="The pair's id (or its name)."),
    answer: list[str] | None = typer.Option(
        None, "--answer", help="SIGN=yes or SIGN=no, for scripts (repeat for each sign)."
    ),
    answers_file: Path | None = typer.Option(
        None, "--answers", help='A JSON file like {"holes": false, "new_aches": true}.'
    ),
    on: datetime | None = _date_option("The day of the check (default: today)."),
    output: OutputFormat = FORMAT,
) -> None:
    """Look at a pair for the signs of wear, answer yes or no, and get advice."""
    from kneecoach.services.shoes import record_wear_check, support_advice, wear_questions

    given = _answers_from_file(answers_file) if answers_file else {}
    given.update(_answers_from_flags(answer or []))
    questions = wear_questions()
    asked = [q for q in questions if q.id not in given]
    if asked and output is OutputFormat.table:
        console.print("Answer each question with y (yes) or n (no).")
    for question in asked:
        given[question.id] = typer.confirm(
            question.question, default=None, err=output is OutputFormat.json
        )
    today = date.today()
    with unit_of_work(pair="ID", answers="--answer", date="--date") as session:
        result = record_wear_check(
            pair_id, given, on=_day(on) or today, today=today, session=session
        )
    if output is OutputFormat.json:
        print_json(result.to_json())
        return
    names = {q.id: q.name for q in questions}
    present = result.check.signs_present
    if present:
        console.print(
            "[red]Signs of wear:[/] " + ", ".join(names[s].lower() for s in present) + "."
        )
    for text in result.advice:
        console.print(text)
    overview = result.overview
    colour = _COLOURS[overview.status.level]
    console.print(f"[{colour}]{overview.level_label}[/] {escape(overview.summary)}", soft_wrap=True)
    console.print("\n[bold]Shoes and support[/]")
    for title, text in support_advice():
        console.print(f"[bold]{title}.[/] {text}")


def _answers_from_file(path: Path) -> dict[str, bool]:
    raw = read_json_file(path, "--answers")
    if not isinstance(raw, dict):
        raise InputError("--answers", f'{path} must hold an object like {{"holes": false}}')
    for key, value in raw.items():
        if not isinstance(value, bool):
            raise InputError("--answers", f"{path}: {key} must be true or false")
    return dict(raw)


def _answers_from_flags(flags: list[str]) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for flag in flags:
        sign, _, value = flag.partition("=")
        word = value.strip().lower()
        if not sign.strip() or word not in _YES | _NO:
            raise InputError("--answer", f"{flag!r} should look like holes=yes or holes=no")
        found[sign.strip()] = word in _YES
    return found


@shoes_app.command("steps")
def steps(
    count: int = typer.Option(..., "--steps", help="Steps walked that day."),
    shoe: str = typer.Option(..., "--shoe", help="The pair worn most that day."),
    on: datetime | None = _date_option("The day (default: today)."),
    height_cm: float | None = typer.Option(
        None, "--height-cm", help="Your height, for a better step length."
    ),
) -> None:
    """Estimate a day's walking distance from steps and count it on a pair."""
    from kneecoach.services.shoes import estimate_from_steps

    day = _day(on) or date.today()
    from kneecoach.services.units import units_to_show

    with unit_of_work(height_cm="--height-cm") as session:
        report = estimate_from_steps([(day, count, shoe)], height_cm=height_cm, session=session)
        unit = units_to_show(session=session).distance
    for estimate in report.estimates:
        console.print(
            f"{estimate.steps} steps × {estimate.stride_m:.2f} m = "
            f"{show_distance(estimate.distance_km, unit)} "
            f"on {estimate.pair_id} for {estimate.on.isoformat()} (an estimate)."
        )


def register(app: typer.Typer) -> None:
    app.add_typer(shoes_app, name="shoes")
