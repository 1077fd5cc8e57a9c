"""`kneecoach goal`: one goal, set in SMART form and reviewed once a week.

`goal set` asks for what, how much, by when and a first weekly step (or takes them as
options); setting another goal keeps the old one in the history. `goal review` says how the
week's step went (1 to 5), with an optional note and the next step; a second review in the
same goal week replaces the first. `goal show` prints the goal, this week's step and the reviews.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, escape, print_for, unit_of_work

if TYPE_CHECKING:
    from kneecoach.services.goal import GoalOverview, StoredGoal

goal_app = typer.Typer(
    help="One goal for the next two to three months, in small weekly steps.",
    no_args_is_help=True,
)

FIELDS = {
    "what": "--what",
    "how_much": "--how-much",
    "by_when": "--by-when",
    "first_step": "--step",
    "rating": "--rating",
    "note": "--note",
    "next_step": "--next-step",
    "date": "--date",
}


def _day(on: str | None) -> date:
    """The day a command acts on: today, or an earlier day given with --date."""
    from kneecoach.cli.plan import parse_day
    from kneecoach.core.errors import InputError

    day = parse_day(on, "--date") or date.today()
    if day > date.today():
        raise InputError("--date", f"{day.isoformat()} is in the future")
    return day


def goal_line(goal: StoredGoal) -> str:
    return (
        f"{goal.what}, {goal.how_much}, by {goal.by_when.isoformat()} "
        f"(set {goal.set_on.isoformat()})"
    )


def show_goal(overview: GoalOverview) -> None:
    from rich.table import Table

    goal = overview.goal
    if goal is None:
        console.print("No goal yet. Set one with: kneecoach goal set")
        return
    console.print(f"[bold]Your goal:[/bold] {escape(goal_line(goal))}.", highlight=False)
    console.print(
        f"Goal week {overview.week}. This week's step: {escape(overview.step or '')}",
        highlight=False,
    )
    if overview.date_passed:
        console.print("The day you chose has passed. How did it go? Set a new goal when ready.")
    elif overview.review_due:
        console.print(
            "A week has passed: how did it go? kneecoach goal review --rating 1-5 "
            "[--note TEXT] [--next-step TEXT]"
        )
    if goal.reviews:
        table = Table(title="Weekly reviews")
        table.add_column("Week", justify="right")
        table.add_column("Reviewed")
        table.add_column("Step")
        table.add_column("How it went")
        table.add_column("Next step")
        for review in goal.reviews:
            note = f"\n{review.note}" if review.note else ""
            table.add_row(
                str(review.week),
                review.reviewed_on.isoformat(),
                escape(review.step),
                escape(f"{review.rating}: {review.rating_label}{note}"),
                escape(review.next_step),
            )
        console.print(table)
    for earlier in overview.earlier:
        console.print(
            f"Earlier goal {earlier.number}: {escape(goal_line(earlier))}; "
            f"{len(earlier.reviews)} review{'' if len(earlier.reviews) == 1 else 's'}.",
            highlight=False,
        )


@goal_app.command("show")
def show(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    on: str | None = typer.Option(None, "--date", help="Show this date (YYYY-MM-DD) as today."),
) -> None:
    """Your goal, this week's step, and your weekly reviews."""
    from kneecoach.services.goal import goal_overview

    with unit_of_work(**FIELDS) as session:
        overview = goal_overview(_day(on), session=session)
    print_for(output, overview.as_json, lambda: show_goal(overview))


@goal_app.command("set")
def set_goal(
    what: str = typer.Option(
        ..., "--what", prompt="What do you want to be able to do", help="What, in a few words."
    ),
    how_much: str = typer.Option(
        ...,
        "--how-much",
        prompt="How much, so you know when you get there",
        help="How much or how far (e.g. '30 minutes without a stop').",
    ),
    by_when: str = typer.Option(
        ...,
        "--by-when",
        prompt="By when (a date like 2026-09-30, or weeks like 12w)",
        help="A date (YYYY-MM-DD) or weeks from today (12w). Two to three months is good.",
    ),
    step: str = typer.Option(
        ..., "--step", prompt="Your first small step this week", help="This week's first step."
    ),
    on: str | None = typer.Option(None, "--date", help="Set it as of this earlier day."),
) -> None:
    """Set your goal (SMART: what, how much, by when) and its first weekly step. A goal you
    had before stays in your history."""
    from kneecoach.services.goal import goal_overview
    from kneecoach.services.goal import set_goal as set_one

    with unit_of_work(**FIELDS) as session:
        day = _day(on)
        had = goal_overview(day, session=session).goal
        goal = set_one(what, how_much, by_when, step, on=day, session=session)
    console.print(f"[bold]Your goal:[/bold] {escape(goal_line(goal))}.", highlight=False)
    console.print(f"This week's step: {escape(goal.first_step)}", highlight=False)
    if had is not None:
        console.print(f"Your earlier goal ({escape(had.what)}) is kept in your history.")
    review_day = day + timedelta(days=7)
    console.print(f"Look back on {review_day.isoformat()}: kneecoach goal review")


@goal_app.command("review")
def review(
    rating: str = typer.Option(
        ...,
        "--rating",
        prompt="How much of this week's step did you do (1 none, 5 all)",
        help="How much of the step you did: 1 none, 2 a little, 3 about half, 4 most, 5 all.",
    ),
    note: str | None = typer.Option(None, "--note", help="A note for yourself (optional)."),
    next_step: str | None = typer.Option(
        None, "--next-step", help="Next week's step. Default: the same step again."
    ),
    on: str | None = typer.Option(None, "--date", help="Review as of this earlier day."),
) -> None:
    """Look back on this week's step: how it went, a note, and next week's step. Reviewing
    again the same week replaces that week's review."""
    from kneecoach.services.goal import review_goal

    with unit_of_work(**FIELDS) as session:
        status, saved = review_goal(rating, next_step, note, on=_day(on), session=session)
    verb = "Saved" if status == "added" else "Updated"
    console.print(
        f"{verb} your review of goal week {saved.week}: {saved.rating} ({saved.rating_label}).",
        highlight=False,
    )
    console.print(f"Next week's step: {escape(saved.next_step)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(goal_app, name="goal")
