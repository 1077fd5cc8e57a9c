"""`kneecoach questionnaire`: answer KOOS, KOOS-12 or KOOS JR in the terminal, one item at a time.

Answers are typed as numbers; `b` goes back, `s` skips, `q` quits without saving. It reads plain
lines, so it works the same with a keyboard or with answers piped in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import console, unit_of_work
from kneecoach.cli.score import InstrumentName, parse_day

if TYPE_CHECKING:
    from kneecoach.core.outcomes import Instrument, Item, Section
    from kneecoach.services.outcomes import SavedResult

KEYS_HELP = "Type the number of your answer. b = back, s = skip, q = quit (nothing is saved)."


class QuitQuestionnaire(Exception):
    """The person typed q: stop asking and save nothing."""


@dataclass(frozen=True)
class Step:
    """One question with the section it belongs to, as the asking loop needs it."""

    section: Section
    item: Item


def _steps(instrument: Instrument) -> list[Step]:
    return [Step(section, item) for section in instrument.sections for item in section.items]


def _show_section(section: Section, previous: Section | None) -> None:
    console.print()
    if previous is None or previous.heading != section.heading:
        console.rule(f"[bold]{section.heading}[/bold]", align="left")
    if section.instruction:
        console.print(section.instruction)


def _show_question(step: Step, number: int, total: int, current: int | None) -> None:
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    console.print()
    header = Table.grid(padding=(0, 2))
    header.add_row(
        f"[bold]Question {number} of {total}[/bold]",
        ProgressBar(total=total, completed=number - 1, width=30),
        f"({step.item.code})",
    )
    console.print(header)
    console.print(f"[bold]{step.item.wording}[/bold]")
    for choice, label in enumerate(step.item.labels, start=1):
        console.print(f"  {choice}. {label}")
    if current is not None:
        console.print(f"Your answer was: {current + 1}. {step.item.labels[current]}")


def _read_choice(options: int) -> int | str:
    """A number 1..options (returned as the 0-based answer), or one of b, s, q."""
    while True:
        reply = str(typer.prompt(f"Answer (1-{options}, b, s, q)")).strip().lower()
        if reply in {"b", "s", "q"}:
            return reply
        if reply.isdigit() and 1 <= int(reply) <= options:
            return int(reply) - 1
        console.print(f"Please type a number from 1 to {options}, or b, s or q.")


def ask_items(instrument: Instrument) -> dict[str, int]:
    """Ask every item in order; return the answers given (skipped items are left out)."""
    steps = _steps(instrument)
    answers: dict[str, int] = {}
    index = 0
    shown_section: Section | None = None
    while index < len(steps):
        step = steps[index]
        if step.section is not shown_section:
            _show_section(step.section, shown_section)
            shown_section = step.section
        _show_question(step, index + 1, len(steps), answers.get(step.item.code))
        choice = _read_choice(len(step.item.labels))
        if choice == "q":
            raise QuitQuestionnaire
        if choice == "b":
            if index == 0:
                console.print("This is the first question.")
            else:
                index -= 1
            continue
        if choice == "s":
            answers.pop(step.item.code, None)
        else:
            assert isinstance(choice, int)
            answers[step.item.code] = choice
        index += 1
    return answers


def run_questionnaire(instrument_id: str, answered_on: date | None = None) -> SavedResult | None:
    """The whole flow: introduce, ask, show the scores, save. None when the person quit."""
    from kneecoach.services.outcomes import instrument, save_answers, score_answers

    chosen = instrument(instrument_id)
    console.rule(f"[bold]{chosen.title}[/bold]")
    console.print(chosen.help)
    if chosen.intro:
        console.print(chosen.intro)
    console.print(KEYS_HELP)
    try:
        answers = ask_items(chosen)
    except QuitQuestionnaire:
        console.print("You stopped the questionnaire. Nothing was saved.")
        return None
    console.print()
    if not answers:
        console.print(
            "You skipped every question, so there is nothing to score. Nothing was saved."
        )
        return None
    scored = score_answers(instrument_id, answers)
    from kneecoach.cli.score import show_scores

    show_scores(chosen, scored.scores)
    with unit_of_work() as session:
        saved = save_answers(instrument_id, answers, answered_on, session=session)
    console.print(
        f"Saved for {saved.answered_on.isoformat()}. "
        "See your results over time with: kneecoach outcomes"
    )
    return saved


def register(app: typer.Typer) -> None:
    @app.command("questionnaire")
    def questionnaire_command(
        instrument: InstrumentName = typer.Argument(
            InstrumentName.koos, help="koos (42 questions), koos12 (12) or koosjr (7)."
        ),
        day: str | None = typer.Option(
            None, "--date", help="The day you answer for (YYYY-MM-DD; default today)."
        ),
    ) -> None:
        """Answer a knee questionnaire here, one question at a time; the result is saved."""
        answered_on = parse_day(day)
        run_questionnaire(instrument.value, answered_on)
