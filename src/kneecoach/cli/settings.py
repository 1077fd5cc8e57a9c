"""`kneecoach settings`: show and change the person's settings: their country, and the units
kneecoach shows (km or miles, kg or lb, A4 or Letter).

The country decides the emergency number and the names of services in safety advice, so
`show` prints the very words a person will be told, not just a code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import OutputFormat, console, print_json, unit_of_work

if TYPE_CHECKING:
    from kneecoach.services.country import CountrySetting
    from kneecoach.services.units import UnitsSetting

settings_app = typer.Typer(
    help="Show or change your settings, such as your country (for the emergency number).",
    no_args_is_help=True,
)

_ORIGIN = {
    "stored": "chosen in kneecoach",
    "environment": "from KNEECOACH_COUNTRY",
    "none": "not set",
    "given": "given",
}

LABELS = (
    ("emergency_number", "Emergency number"),
    ("emergency_department", "Emergency department"),
    ("urgent_care", "Same-day X-ray or injury care"),
    ("same_day", "Same-day advice"),
    ("doctor", "Doctor"),
    ("pharmacist", "Pharmacist"),
)


def country_line(setting: CountrySetting) -> str:
    """One line saying which country's words are used, and why."""
    origin = _ORIGIN[setting.origin]
    if setting.code is None:
        return f"Country: {origin}. kneecoach uses general words and 112."
    if not setting.supported:
        shown = "another country" if setting.code == "other" else setting.code
        return (
            f"Country: {shown} ({origin}). kneecoach has no words for it yet, so it uses "
            "general words and 112."
        )
    return f"Country: {setting.words.name} ({setting.code}, {origin})."


def show_country(setting: CountrySetting) -> None:
    console.print(country_line(setting))
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    for key, label in LABELS:
        table.add_row(f"{label}:", getattr(setting.words, key))
    console.print(table)


def _as_json(setting: CountrySetting) -> dict[str, object]:
    words = setting.words
    return {
        "country": setting.code,
        "origin": setting.origin,
        "words": {key: getattr(words, key) for key, _ in LABELS} | {"name": words.name},
        "source": words.source,
    }


@settings_app.command("show")
def show(
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (for people) or json."
    ),
) -> None:
    """Show your settings: your country and the words it gives, and your units."""
    from kneecoach.services.country import current_country
    from kneecoach.services.units import current_units

    with unit_of_work() as session:
        setting = current_country(session=session)
        units = current_units(session=session)
    if output is OutputFormat.json:
        print_json(_as_json(setting) | {"units": units.as_json()})
        return
    show_country(setting)
    console.print(
        "Change it with: kneecoach settings country CODE (see: kneecoach settings countries)"
    )
    show_units(units)


@settings_app.command("country")
def country(
    code: str = typer.Argument(
        ..., help="Two letters (ISO 3166), such as GB, IE, US, CA, AU or NZ; or 'other'."
    ),
) -> None:
    """Set your country, so kneecoach gives the right emergency number and service names."""
    from kneecoach.services.country import set_country

    with unit_of_work() as session:
        show_country(set_country(code, session=session))


UNIT_NAMES = {"km": "km", "miles": "miles", "kg": "kg", "lb": "lb", "a4": "A4", "letter": "Letter"}


def show_units(setting: UnitsSetting) -> None:
    """One line: the units in force, and which follow the country."""
    units = setting.units.as_json()
    shown = ", ".join(
        f"{kind} {UNIT_NAMES[units[kind]]}"
        + (" (from your country)" if setting.origins[kind] == "country" else "")
        for kind in ("distance", "weight", "paper")
    )
    console.print(f"Units: {shown}.", highlight=False)


@settings_app.command("units")
def units(
    distance: str | None = typer.Option(None, "--distance", help="km or miles."),
    weight: str | None = typer.Option(None, "--weight", help="kg or lb."),
    paper: str | None = typer.Option(None, "--paper", help="a4 or letter (for printing)."),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table (for people) or json."
    ),
) -> None:
    """Show or choose the units kneecoach shows and asks for (it keeps km and kg inside).
    Until you choose, they follow your country (US: miles, lb, Letter)."""
    from kneecoach.services.units import current_units, set_units

    flags = {"distance": "--distance", "weight": "--weight", "paper": "--paper"}
    with unit_of_work(**flags) as session:
        if distance is None and weight is None and paper is None:
            setting = current_units(session=session)
        else:
            setting = set_units(distance, weight, paper, session=session)
    if output is OutputFormat.json:
        print_json(setting.as_json())
        return
    show_units(setting)


@settings_app.command("countries")
def countries() -> None:
    """List the countries kneecoach has words for (any other gives 112 and general words)."""
    from kneecoach.services.country import supported_countries

    for choice in supported_countries():
        console.print(f"{choice.code}  {choice.name}")
    console.print("other  Any other country: 112 and general words")


def register(app: typer.Typer) -> None:
    app.add_typer(settings_app, name="settings")
