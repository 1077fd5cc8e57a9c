"""`kneecoach start`: the guided flow, as an ordered list of steps.

Each step is a function that takes the flow's state and returns True to go on or False to stop.
Later issues add steps (intake, triage, assessment, plan) by inserting functions into `STEPS`,
e.g. the intake right after `welcome`. Each step is its own unit of work: what a finished step
saved stays saved when the person stops later in the flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import console, escape, unit_of_work

if TYPE_CHECKING:
    from kneecoach.services.intake import SavedIntake
    from kneecoach.services.outcomes import SavedResult


@dataclass
class FlowState:
    """What the steps have learnt so far (later steps add intake, triage and plan results)."""

    koos: SavedResult | None = None
    intake: SavedIntake | None = None
    notes: list[str] = field(default_factory=list)


Step = Callable[[FlowState], bool]


def ask_country(state: FlowState) -> bool:
    """Ask once where the person is, so the very first warning gives the right number.

    Skipped when a country is stored already or KNEECOACH_COUNTRY is set; a bad answer is
    explained and asked again (Enter means "other": 112 and general words).
    """
    from kneecoach.core.errors import InputError
    from kneecoach.services.country import needs_asking, set_country, supported_countries

    with unit_of_work() as session:
        if not needs_asking(session=session):
            return True
    choices = supported_countries()
    console.print(
        "Which country are you in? kneecoach uses it to give you the right emergency number "
        "and the names of services there."
    )
    console.print("  " + ", ".join(f"{c.code} ({c.name})" for c in choices) + ", or other")
    by_name = {c.name.lower(): c.code for c in choices}
    while True:
        answer = typer.prompt("Your country", default="other").strip()
        try:
            with unit_of_work() as session:
                setting = set_country(by_name.get(answer.lower(), answer), session=session)
        except InputError as error:
            console.print(f"[red]{error.problem}[/red]")
            continue
        from kneecoach.cli.settings import country_line

        console.print(country_line(setting) + " Change it later with: kneecoach settings country")
        return True


def welcome(state: FlowState) -> bool:
    """Say what kneecoach is and is not, when to get help now, and where the data stays."""
    from rich.panel import Panel

    from kneecoach.core.country import fill
    from kneecoach.data.welcome import load_welcome
    from kneecoach.services.country import country_words
    from kneecoach.services.database import describe_database

    words = load_welcome()
    with unit_of_work() as session:
        local = country_words(session=session)
    console.print(Panel(f"{words.does.text}\n\n{words.does_not.text}", title=words.does.title))
    urgent = "\n".join(f"• {sign.text}" for sign in words.help_now.signs)
    console.print(
        Panel(
            f"{words.help_now.text}\n{urgent}\n\n"
            f"[bold]{escape(fill(words.help_now.emergency.text, local))}[/bold]",
            title=words.help_now.title,
            border_style="red",
        )
    )
    console.print(Panel(privacy_text(describe_database()), title="Your privacy"))
    return True


def privacy_text(database: str) -> str:
    """Where the answers are kept: a file on this machine, or the database the person set."""
    if database.startswith("sqlite:///"):
        return (
            "Your answers stay on this machine. kneecoach sends nothing anywhere. "
            f"They are kept in this file:\n{database.removeprefix('sqlite:///')}"
        )
    return (
        "kneecoach sends nothing anywhere. Your answers are kept in the database you chose "
        f"(KNEECOACH_DATABASE_URL):\n{database}"
    )


def ask_about_the_knee(state: FlowState) -> bool:
    """The intake, safety questions first; stop the flow when care comes before home advice."""
    from kneecoach.cli.assess import show_report
    from kneecoach.cli.intake import run_intake_wizard
    from kneecoach.services.assessment import CARE_FIRST, assess_intake

    if not typer.confirm("Shall we start with some questions about your knee?", default=True):
        console.print("That is fine. You can answer them later with: kneecoach intake")
        return True
    state.intake = run_intake_wizard()
    if state.intake.triage.get("level") in CARE_FIRST:
        if state.intake.triage.get("level") != "emergency":
            console.print()
            with unit_of_work() as session:
                show_report(assess_intake(state.intake.intake(), session=session), session=session)
        console.print(
            "[bold]Please get the care above first.[/bold] kneecoach gives no exercises until "
            "a professional has seen your knee. Come back once they have."
        )
        return False
    return True


def show_what_we_found(state: FlowState) -> bool:
    """The look beyond the knee: what along the chain may be loading it, and the patterns."""
    from kneecoach.cli.assess import show_report
    from kneecoach.services.assessment import assess_intake

    if state.intake is not None:
        console.print()
        with unit_of_work() as session:
            show_report(assess_intake(state.intake.intake(), session=session), session=session)
    return True


def make_the_plan(state: FlowState) -> bool:
    """A week of exercise and advice aimed at what was found, kept as the current plan."""
    from kneecoach.cli.plan import show_plan
    from kneecoach.services.plan import plan_for, save_plan

    if state.intake is None:
        return True
    intake = state.intake.intake()
    with unit_of_work() as session:
        result = plan_for(intake, session=session)
        console.print()
        show_plan(result, session=session)
    if result.refused:
        return False
    if typer.confirm("Keep this as your plan, starting today?", default=True):
        with unit_of_work() as session:
            saved = save_plan(intake, result, None, state.intake.version, session=session)
        console.print(
            f"Saved (day 1 is {saved.start_date.isoformat()}). Log each session with: "
            "kneecoach session"
        )
    return True


def offer_koos(state: FlowState) -> bool:
    """Offer the 42-item KOOS questionnaire: the baseline every later change is judged from."""
    from kneecoach.cli.questionnaire import run_questionnaire

    console.print(
        "The KOOS questionnaire has 42 short questions about your knee in the last week. "
        "It takes about 10 minutes. Your answers give a starting point, so you can see later "
        "whether your knee is getting better."
    )
    if not typer.confirm("Would you like to fill it in now?", default=True):
        console.print("That is fine. You can do it later with: kneecoach questionnaire koos")
        return True
    state.koos = run_questionnaire("koos")
    return True


def point_onwards(state: FlowState) -> bool:
    """Say where to look next."""
    if state.koos is not None:
        console.print(
            "Answer the questionnaire again in a few weeks. "
            "Then see how your knee has changed with: kneecoach outcomes"
        )
    else:
        console.print("See your saved results at any time with: kneecoach outcomes")
    return True


STEPS: list[Step] = [
    ask_country,
    welcome,
    ask_about_the_knee,
    show_what_we_found,
    make_the_plan,
    offer_koos,
    point_onwards,
]


def run_flow(steps: list[Step] | None = None) -> FlowState:
    """Run the steps in order until one says stop."""
    state = FlowState()
    for step in STEPS if steps is None else steps:
        if not step(state):
            break
    return state


def register(app: typer.Typer) -> None:
    @app.command("start")
    def start_command() -> None:
        """Start here: what kneecoach does, when to get help, your knee, a plan, and a KOOS."""
        run_flow()
