"""`kneecoach course`: the self-management course, a week at a time, next to the exercises.

`kneecoach course` lists the sessions by week (what is due, what is done, when the rest
open); `course show ID` prints a session with its question; `course done ID --answer TEXT`
marks it done and keeps the answer (on this machine only; it is part of `kneecoach export`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    escape,
    print_for,
    print_json,
    unit_of_work,
)

if TYPE_CHECKING:
    from kneecoach.services.course import CourseOverview

course_app = typer.Typer(
    help="A short course about knee pain over six weeks: pain, pacing, goals, sleep, weight, "
    "flares and staying active.",
    invoke_without_command=True,
)

_STARTED_BY = {
    "plan": "day 1 of your first plan",
    "course": "the day you did your first session",
    "today": "today, as you have not started yet",
}


def _today(on: str | None) -> date:
    from kneecoach.cli.plan import parse_day

    return parse_day(on, "--date") or date.today()


def state_words(entry: dict[str, Any], this_week: int) -> str:
    """A session's state in a few words: done (and when), to do, or when it opens."""
    if entry["done"]:
        return f"done {entry['done_on']}"
    if not entry["unlocked"]:
        return f"opens {entry['opens_on']}"
    return "to do, this week" if entry["week"] == this_week else "to do"


def show_overview(overview: CourseOverview) -> None:
    from rich.table import Table

    shown = overview.as_json()
    console.print(
        f"Your course: week {shown['week']} of {shown['weeks']} (from {shown['start']}, "
        f"{_STARTED_BY[shown['started_by']]}). Done: {shown['done']} of {shown['total']}."
    )
    table = Table()
    table.add_column("Week", justify="right")
    table.add_column("Session")
    table.add_column("Id")
    table.add_column("State")
    for entry in shown["sessions"]:
        style = "bold" if entry["unlocked"] and not entry["done"] else ""
        table.add_row(
            str(entry["week"]),
            escape(entry["title"]),
            entry["id"],
            state_words(entry, shown["week"]),
            style=style if entry["week"] == shown["week"] else "",
        )
    console.print(table)
    if shown["due"]:
        console.print(f"Next: kneecoach course show {shown['due'][0]}")
    elif shown["done"] == shown["total"]:
        console.print("You have done every session. Keep your goal going: kneecoach goal show")


@course_app.callback(invoke_without_command=True)
def course(
    ctx: typer.Context,
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    on: str | None = typer.Option(None, "--date", help="Show this date (YYYY-MM-DD) as today."),
) -> None:
    """The sessions of the course by week: what is due this week, what is done, and when the
    rest open."""
    if ctx.invoked_subcommand is not None:
        return
    from kneecoach.services.course import course_overview

    day = _today(on)
    with unit_of_work() as session:
        overview = course_overview(day, session=session)
    print_for(output, overview.as_json, lambda: show_overview(overview))


@course_app.command("show")
def show(
    session_id: str = typer.Argument(..., metavar="SESSION", help="The session's id."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    on: str | None = typer.Option(None, "--date", help="Show this date (YYYY-MM-DD) as today."),
) -> None:
    """Read one session: its short lessons, its question, and your answer if you gave one."""
    from kneecoach.services.course import course_overview, course_session, session_texts

    day = _today(on)
    with unit_of_work(session_id="SESSION") as session:
        found = course_session(session_id)
        overview = course_overview(day, session=session)
        texts = session_texts(found, session=session)
    entry = next(e for e in overview.as_json()["sessions"] if e["id"] == found.id)
    if output is OutputFormat.json:
        locked: dict[str, Any] = {} if entry["unlocked"] else {"parts": [], "links": []}
        print_json(texts | entry | locked)
        return
    console.print(f"[bold]{escape(found.title)}[/bold] (week {found.week})", highlight=False)
    console.print(escape(found.summary), highlight=False)
    if not entry["unlocked"]:
        console.print(
            f"This session opens in week {found.week} of the course, on {entry['opens_on']}."
        )
        return
    for part in texts["parts"]:
        console.print()
        console.print(f"[bold]{escape(part['title'])}[/bold]", highlight=False)
        for paragraph in part["text"]:
            console.print(escape(paragraph), highlight=False)
    for link in texts["links"]:
        console.print()
        console.print(
            f"{escape(link['label'])}: {link['command']} (or {link['page']} in the web app)",
            highlight=False,
        )
    console.print()
    console.print(f"[bold]Your question:[/bold] {escape(found.question)}", highlight=False)
    if entry["done"]:
        answer = entry["answer"]
        console.print(
            f"Done on {entry['done_on']}." + (f" Your answer: {escape(answer)}" if answer else ""),
            highlight=False,
        )
    else:
        console.print(f'When you are ready: kneecoach course done {found.id} --answer "…"')
    console.print()
    console.print("Sources: " + escape("; ".join(texts["sources"])), highlight=False, style="dim")


@course_app.command("done")
def done(
    session_id: str = typer.Argument(..., metavar="SESSION", help="The session's id."),
    answer: str | None = typer.Option(
        None,
        "--answer",
        help="Your answer to the session's question (kept on this machine; optional). "
        "Given again, it replaces the old one.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Mark a session done, with your answer to its question. Doing it again is harmless."""
    from kneecoach.services.course import course_overview, course_session, mark_done

    today = date.today()
    with unit_of_work(session_id="SESSION", answer="--answer") as session:
        entry, kept = mark_done(session_id, answer, on=today, session=session)
        overview = course_overview(today, session=session)
    title = course_session(entry.id).title
    if output is OutputFormat.json:
        print_json(overview.session_json(entry))
        return
    console.print(
        f"Done: {escape(title)} ({entry.done_on.isoformat() if entry.done_on else today}). "
        + ("Your answer is saved." if kept else "No answer saved."),
        highlight=False,
    )
    shown = overview.as_json()
    console.print(f"Done: {shown['done']} of {shown['total']}.")
    if shown["due"]:
        console.print(f"Next: kneecoach course show {shown['due'][0]}")


def register(app: typer.Typer) -> None:
    app.add_typer(course_app, name="course")
