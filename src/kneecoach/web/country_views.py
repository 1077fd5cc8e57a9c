"""The country question as the welcome and settings pages show it, and reading its answer.

Both pages post one `country` field; a bad value is an error next to that field and changes
nothing, so the stored country (and with it the emergency number) stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from kneecoach.core.errors import InputError
from kneecoach.services.country import (
    OTHER,
    CountryChoice,
    CountrySetting,
    current_country,
    needs_asking,
    set_country,
    supported_countries,
)
from kneecoach.services.database import Session
from kneecoach.web.forms import FormErrors, FormValues, text


@dataclass(frozen=True)
class CountryView:
    """What `_country_form.html` needs."""

    show_form: bool
    asking: bool
    action: str
    choices: tuple[CountryChoice, ...]
    selected: str | None
    summary: str


def summary(setting: CountrySetting) -> str:
    """One sentence: whose words are used, and the emergency number they give."""
    number = setting.words.emergency_number
    if setting.code is None:
        return f"not set, so kneecoach uses general words: call {number} in an emergency."
    if not setting.supported:
        return f"a country kneecoach has no words for yet: call {number} in an emergency."
    via = " (set by KNEECOACH_COUNTRY)" if setting.origin == "environment" else ""
    return f"{setting.words.name}{via}: call {number} in an emergency."


def country_view(
    action: str, *, only_when_asking: bool, selected: str | None = None, session: Session
) -> CountryView:
    """The form for one page; `selected` keeps a value the person just sent back."""
    setting = current_country(session=session)
    asking = needs_asking(session=session)
    choices = supported_countries()
    shown = selected if selected is not None else setting.code
    known = {choice.code for choice in choices}
    if shown and shown not in known and shown != OTHER and len(shown) == 2:
        choices = (*choices, CountryChoice(shown, f"{shown} (general words)"))
    return CountryView(
        show_form=asking or not only_when_asking,
        asking=asking,
        action=action,
        choices=choices,
        selected=shown,
        summary=summary(setting),
    )


def save_country(values: FormValues, *, session: Session) -> CountrySetting:
    """Store the posted country; an empty or bad value raises InputError for `country`."""
    code = text(values, "country")
    if not code:
        raise InputError("country", "choose your country, or Other")
    return set_country(code, session=session)


def country_form_errors(values: FormValues, *, session: Session) -> FormErrors | None:
    """Store the posted country, or the errors to show next to the field (nothing changed)."""
    try:
        save_country(values, session=session)
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field, error.problem)
        return errors
    return None
