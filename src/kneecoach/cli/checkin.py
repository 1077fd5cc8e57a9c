"""`kneecoach checkin` (the quick daily check-in) and `kneecoach checkins …` (import, export,
list, history, and the person's own factors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    err_console,
    print_json,
    rich_console,
    unit_of_work,
)
from kneecoach.core.errors import InputError, InputErrors
from kneecoach.core.windows import DEFAULT_RANGE, RANGE_KEYS

if TYPE_CHECKING:
    from kneecoach.core.checkins import CheckIn
    from kneecoach.core.signals import Alert
    from kneecoach.services.database import Session

checkins_app = typer.Typer(
    help="Your daily check-ins: import, export, list, and your own daily factors.",
    no_args_is_help=True,
)
factors_app = typer.Typer(
    help="Your own daily yes/no factors (habits and triggers).", no_args_is_help=True
)
checkins_app.add_typer(factors_app, name="factors")

LEVEL_STYLE = {"watch": "yellow", "act": "bold dark_orange", "see_professional": "bold red"}


def _parse_date(text: str | None, field: str = "--date") -> date:
    from kneecoach.core.checkins import RULES_BY_COLUMN, CellProblem, parse_cell

    if text is None or not text.strip():
        return date.today()
    try:
        value = parse_cell(RULES_BY_COLUMN["date"], text)
    except CellProblem as problem:
        raise InputError(field, str(problem)) from None
    assert isinstance(value, date)
    return value


OPTIONS: dict[str, str] = {
    "date": "--date",
    "pain": "--pain",
    "pain_worst": "--pain-worst",
    "swelling": "--swelling",
    "stiffness_min": "--stiffness",
    "clicking": "--clicking",
    "catching": "--catching",
    "locking": "--locking",
    "giving_way": "--giving-way",
    "weakness": "--weakness",
    "warm": "--warm",
    "fever": "--fever",
    "calf_pain": "--calf-pain",
    "steps": "--steps",
    "exercise_pain": "--exercise-pain",
    "next_morning_worse": "--next-morning-worse",
    "shoe": "--shoe",
    "note": "--note",
}
"""Each check-in column's option of `kneecoach checkin`."""


def option_for(field: str) -> str:
    """The option that gives a domain field (`factor:NAME` → `--factor`); else the field."""
    return "--factor" if field.startswith("factor:") else OPTIONS.get(field, field)


@contextmanager
def in_checkin_words() -> Iterator[None]:
    """Errors raised inside name the option of `kneecoach checkin` that gave the answer."""
    try:
        yield
    except InputErrors as errors:
        raise errors.renamed_each(option_for) from errors
    except InputError as error:
        raise error.renamed(option_for(error.field)) from error


def _factor_answers(factors: list[str]) -> dict[str, object]:
    """`--factor NAME=1` as the raw answer `factor:NAME` (the parser checks name and answer)."""
    answers: dict[str, object] = {}
    for item in factors:
        name, sep, answer = item.partition("=")
        if not sep:
            raise InputError("--factor", f"'{item}' should look like NAME=1 or NAME=0")
        answers["factor:" + name.strip()] = answer
    return answers


def _ask(question: str, column: str, earlier: Any, required: bool) -> Any:
    """Ask one question until the answer is usable; Enter skips (or keeps an earlier answer)."""
    from kneecoach.core.checkins import (
        FACTOR_RULE,
        RULES_BY_COLUMN,
        CellProblem,
        format_cell,
        parse_cell,
    )

    rule = FACTOR_RULE if column.startswith("factor:") else RULES_BY_COLUMN[column]
    shown = format_cell(earlier)
    suffix = f" [{shown}]" if shown else ""
    while True:
        answer = typer.prompt(question + suffix, default="", show_default=False)
        if not answer.strip():
            if earlier is not None or not required:
                return earlier
            err_console.print("  This one is needed: a number from 0 to 10.")
            continue
        try:
            return parse_cell(rule, answer)
        except CellProblem as problem:
            err_console.print(f"  {problem}. Try again, or press Enter to skip.")


RECORDED_WORDS = {
    "exercise_pain": "Pain during your exercises (0 to 10)",
    "next_morning_worse": "Worse this morning after yesterday's exercise (1 yes, 0 no)",
}
"""How the check-in names the answers Today already collected with the session."""


def _interactive(day: date, given: dict[str, Any], session: Session) -> dict[str, Any]:
    from kneecoach.core.checkins import format_cell
    from kneecoach.data.signals import checkin_questions
    from kneecoach.services.checkins import checkin_on, list_factors, recorded_answers

    earlier = checkin_on(day, session=session)
    console.print(f"Check-in for {day.isoformat()}. Press Enter to skip a question.")
    values = dict(given)
    for column, answer in recorded_answers(day, session=session).items():
        if column not in values:  # Today asked it with the session: not asked twice
            values[column] = answer
            console.print(
                f"{RECORDED_WORDS[column]}: {format_cell(answer)} "
                f"(already recorded from your session; to change it, give {OPTIONS[column]}).",
                highlight=False,
            )
    for column, question in checkin_questions().items():
        if column in values:
            continue
        before = None if earlier is None else earlier.value(column)
        values[column] = _ask(question, column, before, required=column == "pain")
    for factor in list_factors(session=session):
        key = f"factor:{factor.name}"
        if key in values:
            continue
        before = None if earlier is None else earlier.factor(factor.name)
        values[key] = _ask(factor.question + " (1 yes, 0 no)", key, before, required=False)
    return values


def show_alerts(alerts: list[Alert], empty: str, flare_hint: bool = True) -> None:
    """The alerts as a table; under any alert but a red flag, where to find the flare plan
    (`flare_hint` False: a red flag was just shown, and it stops the plan instead)."""
    from rich.table import Table

    from kneecoach.cli.flare import FLARE_HINT
    from kneecoach.data.signals import detector_titles, level_labels

    if not alerts:
        console.print(empty)
        return
    titles, labels = detector_titles(), level_labels()
    table = Table(show_lines=False)
    for name in ("Date", "Level", "Sign", "Why"):
        table.add_column(name, overflow="fold")
    for alert in alerts:
        level = alert.level.name
        table.add_row(
            alert.day.isoformat(),
            f"[{LEVEL_STYLE[level]}]{labels.get(level, level)}[/]",
            titles.get(alert.id, alert.id),
            alert.why + (f"\n{alert.advice}" if alert.advice else ""),
        )
    console.print(table)
    if flare_hint and any(alert.id != "red_flag" for alert in alerts):
        console.print(FLARE_HINT, highlight=False)


def checkin(
    day: str | None = typer.Option(None, "--date", help="The day (YYYY-MM-DD); today if left out."),
    pain: str | None = typer.Option(None, "--pain", help="Pain today, 0–10."),
    pain_worst: str | None = typer.Option(None, "--pain-worst", help="Worst pain today, 0–10."),
    swelling: str | None = typer.Option(
        None, "--swelling", help="0 none, 1 mild, 2 moderate, 3 severe."
    ),
    stiffness: str | None = typer.Option(
        None, "--stiffness", "--stiffness-min", help="Morning stiffness in minutes."
    ),
    clicking: str | None = typer.Option(None, "--clicking", help="1 yes, 0 no."),
    catching: str | None = typer.Option(None, "--catching", help="1 yes, 0 no."),
    locking: str | None = typer.Option(None, "--locking", help="1 yes, 0 no."),
    giving_way: str | None = typer.Option(None, "--giving-way", help="1 yes, 0 no."),
    weakness: str | None = typer.Option(None, "--weakness", help="1 yes, 0 no."),
    warm: str | None = typer.Option(None, "--warm", help="The knee feels hot: 1 yes, 0 no."),
    fever: str | None = typer.Option(None, "--fever", help="1 yes, 0 no."),
    calf_pain: str | None = typer.Option(
        None, "--calf-pain", help="Calf sore or swollen: 1 yes, 0 no."
    ),
    steps: str | None = typer.Option(None, "--steps", help="Steps today."),
    exercise_pain: str | None = typer.Option(
        None, "--exercise-pain", help="Worst pain in today's exercises, 0–10."
    ),
    next_morning_worse: str | None = typer.Option(
        None, "--next-morning-worse", help="1 yes, 0 no."
    ),
    shoe: str | None = typer.Option(None, "--shoe", help="The shoes worn most."),
    note: str | None = typer.Option(None, "--note", help="A note."),
    factor: list[str] = typer.Option(
        [], "--factor", help="One of your factors: NAME=1 or NAME=0 (repeat)."
    ),
    ask: bool = typer.Option(False, "--ask", help="Ask the questions not given as flags."),
    version: int | None = typer.Option(
        None,
        "--version",
        min=0,
        help="The version of the day's check-in you saw (0: none yet; `kneecoach checkins "
        "list --format json` shows it). If the day changed since, nothing is saved.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """The quick daily check-in (under 30 seconds). Press Enter to skip a question.

    Give answers as flags (e.g. --pain 3 --swelling 1) to log without questions. A second
    check-in on the same day updates it; earlier answers you skip are kept, and the old
    version is kept in the history. With --version, a day someone changed since you looked
    is refused (exit 2) and nothing is saved.
    """
    from kneecoach.cli.safety import show_safety_message
    from kneecoach.core.checkins import checked_answers, checkin_from_answers, format_cell
    from kneecoach.services.checkins import record_checkin, recorded_answers
    from kneecoach.services.safety_stop import checkin_safety
    from kneecoach.services.signals import alerts_document, stored_alerts_on

    today = date.today()
    raw: dict[str, object] = {
        "date": day if day and day.strip() else today.isoformat(),
        "pain": pain,
        "pain_worst": pain_worst,
        "swelling": swelling,
        "stiffness_min": stiffness,
        "clicking": clicking,
        "catching": catching,
        "locking": locking,
        "giving_way": giving_way,
        "weakness": weakness,
        "warm": warm,
        "fever": fever,
        "calf_pain": calf_pain,
        "steps": steps,
        "exercise_pain": exercise_pain,
        "next_morning_worse": next_morning_worse,
        "shoe": shoe,
        "note": note,
        **_factor_answers(factor),
    }
    with in_checkin_words():  # every option is checked (all problems listed) before anything
        typed = checked_answers(raw, today=today)  # is asked or stored
        when = typed["date"]
    given = {key: value for key, value in typed.items() if key != "date" and value is not None}
    with in_checkin_words(), unit_of_work(version="--version") as session:
        asking = ask or not given
        values = _interactive(when, given, session) if asking else given
        values["date"] = when
        kept = {  # kept from the session unless given (the questions said so already)
            column: answer
            for column, answer in recorded_answers(when, session=session).items()
            if column not in values
        }
        values |= kept
        if values.get("pain") is None:
            from kneecoach.services.checkins import checkin_on

            earlier = checkin_on(when, session=session)
            values["pain"] = None if earlier is None else earlier.pain
        checkin = checkin_from_answers(values, today=today)
        recorded = record_checkin(checkin, expected_version=version, session=session)
        alerts = stored_alerts_on(when, session=session)
        safety = checkin_safety(recorded.checkin, session=session)
    if output is OutputFormat.json:
        print_json(
            {
                "status": recorded.status,
                "checkin": {**recorded.checkin.values(), "version": recorded.version},
                **alerts_document(alerts),
                "safety": None if safety is None else safety.as_json(),
            }
        )
        return
    word = {"added": "Saved", "updated": "Updated", "unchanged": "No change to"}[recorded.status]
    if safety is not None:  # the red flag first, in the intake's words; its alert is the same
        show_safety_message(safety)
        alerts = [alert for alert in alerts if alert.id != "red_flag"]
        console.print(f"{word} your check-in for {when.isoformat()}.")
        if alerts:
            show_alerts(alerts, "", flare_hint=False)
        return
    console.print(f"{word} your check-in for {when.isoformat()}.")
    for column, answer in kept.items():
        console.print(
            f"{RECORDED_WORDS[column]}: {format_cell(answer)} (already recorded from your "
            f"session; to change it, give {OPTIONS[column]}).",
            highlight=False,
        )
    red_flag = any(alert.id == "red_flag" for alert in alerts)
    show_alerts(alerts, "No new warning signs today.", flare_hint=not red_flag)


@checkins_app.command("import")
def import_file(
    path: Path = typer.Argument(..., help="A CSV file with a header row (date,pain,…)."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Import check-ins from CSV. A row replaces that date's check-in (the old one is kept in
    the history); bad rows are reported by line and column and the rest is still imported."""
    from rich.progress import Progress

    from kneecoach.services.checkins import import_checkins, read_checkins_file

    reading = read_checkins_file(path, field=str(path))
    with unit_of_work() as session:
        if output is OutputFormat.json:
            report = import_checkins(reading, session=session)
        else:
            with Progress(console=rich_console(err_console), transient=True) as progress:
                task = progress.add_task("Importing", total=len(reading.checkins))
                report = import_checkins(
                    reading, on_row=lambda _c: progress.advance(task), session=session
                )
    problems = [str(p) for p in reading.problems]
    if output is OutputFormat.json:
        print_json(
            {
                "imported": report.imported,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "problems": problems,
                "warnings": list(reading.warnings),
                "new_factors": list(report.new_factors),
                "shoe_days": report.shoe_days,
            }
        )
        return
    console.print(
        f"Imported {report.imported}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {report.rejected} (from {reading.rows_read} rows in {path.name})."
    )
    for line in problems:
        console.print(f"  rejected: {line}", markup=False, highlight=False)
    for line in reading.warnings:
        console.print(f"  note: {line}", markup=False, highlight=False)
    if report.new_factors:
        console.print("Now tracking your factors: " + ", ".join(report.new_factors) + ".")
    if report.shoe_days:
        console.print(
            f"Walking from your steps on {report.shoe_days} days was added to your shoes "
            "(see: kneecoach shoes list)."
        )


@checkins_app.command("export")
def export_file(
    path: Path | None = typer.Argument(
        None, help="Where to write the CSV; standard output if left out."
    ),
) -> None:
    """Export every check-in as CSV, with exactly the columns import reads."""
    from kneecoach.services.checkins import export_checkins_csv

    with unit_of_work() as session:
        text = export_checkins_csv(session=session)
    if path is None:
        typer.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot write the file: {error.strerror}") from None
    rows = max(0, text.count("\n") - 1)
    console.print(f"Wrote {rows} check-ins to {path}.")


@checkins_app.command("list")
def list_command(
    since: str | None = typer.Option(
        None, "--since", help="Every check-in from this date (YYYY-MM-DD) on."
    ),
    range_key: str = typer.Option(
        DEFAULT_RANGE,
        "--range",
        help=f"How far back from your latest check-in: {RANGE_KEYS} (all: every day).",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """List your check-ins, oldest first: the last 12 weeks unless you choose."""
    from rich.table import Table

    from kneecoach.core.checkins import format_cell
    from kneecoach.services.checkins import checkins_in_window

    first = _parse_date(since, "--since") if since else None
    with unit_of_work(range="--range") as session:
        window = checkins_in_window(range_key, first, session=session)
    stored = window.checkins
    if output is OutputFormat.json:
        print_json(
            {
                "checkins": [{**s.checkin.values(), "version": s.version} for s in stored],
                "window": {
                    "range": None if since else window.range.key,
                    "first": window.first.isoformat() if window.first else None,
                    "last": window.last.isoformat() if window.last else None,
                    "shown": len(stored),
                    "saved": window.saved,
                },
            }
        )
        return
    checkins = [s.checkin for s in stored]
    if not checkins:
        console.print(
            "No check-ins yet. Run `kneecoach checkin` or `kneecoach checkins import F.csv`."
        )
        return
    columns = (
        "date",
        "pain",
        "swelling",
        "stiffness_min",
        "catching",
        "locking",
        "giving_way",
        "weakness",
        "steps",
        "shoe",
    )
    headers = (
        "date",
        "pain",
        "swell",
        "stiff min",
        "catch",
        "lock",
        "gave way",
        "weak",
        "steps",
        "shoe",
    )
    table = Table()
    for header in headers:
        table.add_column(header, no_wrap=header == "date")
    for item in checkins:
        table.add_row(*(format_cell(item.value(c)) for c in columns))
    console.print(table)
    if len(stored) < window.saved:
        console.print(
            f"{len(stored)} of your {window.saved} check-ins"
            + (f" (the last {window.range.label})" if not since else "")
            + ". Older days: --range 1y, --range all or --since YYYY-MM-DD.",
            markup=False,
            highlight=False,
        )


@checkins_app.command("history")
def history(
    day: str = typer.Argument(..., help="The date (YYYY-MM-DD)."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Show a day's check-in and every earlier version of it."""
    from kneecoach.core.checkins import format_cell
    from kneecoach.services.checkins import checkin_on, revisions_of

    when = _parse_date(day, "date")
    with unit_of_work() as session:
        current = checkin_on(when, session=session)
        if current is None:
            raise InputError("date", f"there is no check-in for {when.isoformat()}")
        revisions = revisions_of(when, session=session)
    if output is OutputFormat.json:
        print_json(
            {
                "current": current.values(),
                "revisions": [
                    {
                        "replaced_at": r.replaced_at.isoformat(),
                        "source": r.source,
                        "values": r.old_values,
                    }
                    for r in revisions
                ],
            }
        )
        return
    console.print(f"{when.isoformat()} now: {_summary(current)}", markup=False, highlight=False)
    for revision in revisions:
        console.print(
            f"  before {revision.replaced_at:%Y-%m-%d %H:%M} UTC ({revision.source}): "
            + ", ".join(
                f"{k}={format_cell(v)}" for k, v in revision.old_values.items() if k != "date"
            ),
            markup=False,
            highlight=False,
        )
    if not revisions:
        console.print("  (never edited)")


def _summary(checkin: CheckIn) -> str:
    from kneecoach.core.checkins import format_cell

    return ", ".join(f"{k}={format_cell(v)}" for k, v in checkin.values().items() if k != "date")


@factors_app.command("add")
def factors_add(
    name: str = typer.Argument(..., help="A short name, e.g. long_sitting."),
    question: str | None = typer.Argument(
        None, help='The question, e.g. "Did you sit for over 2 hours?"'
    ),
) -> None:
    """Track a daily yes/no factor; it is asked in each check-in and exported as factor:NAME."""
    from kneecoach.services.checkins import add_factor

    with unit_of_work() as session:
        added = add_factor(name, question, session=session)
    console.print(f"Tracking {added.name}: {added.question}", markup=False, highlight=False)


@factors_app.command("list")
def factors_list(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """List your tracked factors."""
    from kneecoach.services.checkins import list_factors

    with unit_of_work() as session:
        factors = list_factors(session=session)
    if output is OutputFormat.json:
        print_json({"factors": [{"name": f.name, "question": f.question} for f in factors]})
        return
    if not factors:
        console.print(
            'No factors yet. Add one: kneecoach checkins factors add long_sitting "Did you sit for over 2 hours?"',
            markup=False,
        )
    for item in factors:
        console.print(f"{item.name}: {item.question}", markup=False, highlight=False)


@factors_app.command("remove")
def factors_remove(name: str = typer.Argument(..., help="The factor's name.")) -> None:
    """Stop asking about a factor (answers already logged are kept)."""
    from kneecoach.services.checkins import remove_factor

    with unit_of_work() as session:
        remove_factor(name, session=session)
    console.print(f"Stopped tracking {name}. Its past answers are kept.")


def register(app: typer.Typer) -> None:
    app.command("checkin")(checkin)
    app.add_typer(checkins_app, name="checkins")
