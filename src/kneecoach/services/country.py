"""Which country's emergency number and service names a person is shown, and storing it.

The words are resolved in this order, so the most specific answer wins:
1. a code given by the caller (an intake's ``country``);
2. the country the person chose in kneecoach (stored in the ``preferences`` table);
3. ``KNEECOACH_COUNTRY`` (a shared server, or a setup script);
4. the generic words (112 and plain service names).
A code kneecoach has no words for gives the generic words too: "112 or your local number" is
safer than another country's number.

Storing accepts any well-formed ISO 3166 alpha-2 code, not only the supported ones: a person
in France can say so, is asked no more, and gets the generic words until France is added to
``data/countries.yaml``. ``other`` (the pickers' "Other") is stored as it is, with the same
effect. Anything else is an InputError naming the field ``country``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final, Literal

from kneecoach.core.country import ServiceWords
from kneecoach.core.errors import InputError, KneecoachError
from kneecoach.data.countries import GENERIC, load_countries
from kneecoach.services.database import database_exists, sqlite_file
from kneecoach.settings import get_settings
from kneecoach.storage.quick_read import sqlite_preference

if TYPE_CHECKING:  # the database layer loads only when there is a database to read
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

FIELD: Final = "country"
OTHER: Final = "other"
_KEY: Final = "country"
_INFO_KEY: Final = "kneecoach.country"
"""Where a unit of work keeps the stored choice once read (`session.info`)."""

Origin = Literal["given", "stored", "environment", "none"]


@dataclass(frozen=True)
class CountryChoice:
    """One entry of a country picker."""

    code: str
    name: str


@dataclass(frozen=True)
class CountrySetting:
    """The country in force, where it came from, and the words it gives."""

    code: str | None
    origin: Origin
    words: ServiceWords

    @property
    def supported(self) -> bool:
        """False when the code is unknown (or absent) and the generic words are used."""
        return self.words.code != GENERIC


def normalise(code: str | None) -> str | None:
    """Upper-case two-letter code, ``other``, or None for blank; no check of the letters."""
    if code is None:
        return None
    cleaned = code.strip()
    if not cleaned:
        return None
    return OTHER if cleaned.lower() == OTHER else cleaned.upper()


def is_well_formed(code: str) -> bool:
    """Two ASCII letters (ISO 3166 alpha-2), or ``other``."""
    return code == OTHER or (len(code) == 2 and code.isascii() and code.isalpha())


def supported_countries() -> tuple[CountryChoice, ...]:
    """The countries kneecoach has words for, sorted by name (pickers add "Other" last)."""
    countries = load_countries().countries
    return tuple(
        sorted(
            (CountryChoice(code, entry.name) for code, entry in countries.items()),
            key=lambda choice: choice.name,
        )
    )


def words_for(code: str | None) -> ServiceWords:
    """The words of one code, with no fall-back to settings: unknown or None gives generic."""
    file = load_countries()
    normal = normalise(code)
    entry = file.countries.get(normal) if normal else None
    if entry is None or normal is None:
        return file.generic.words(GENERIC)
    return entry.words(normal)


def stored_country(*, session: Session | None) -> str | None:
    """The country the person chose in kneecoach, or None when they have not chosen one.

    With no database yet there is no choice to read, and checking an answers file
    (`kneecoach triage --answers`) must not create one."""
    if session is not None and _INFO_KEY in session.info:  # once per unit of work
        known: str | None = session.info[_INFO_KEY]
        return known
    if not database_exists():
        return None
    if session is None:  # a read-only command on an SQLite file: one value, no ORM
        file = sqlite_file()
        return None if file is None else sqlite_preference(file, _KEY)
    stored: str | None = session.scalar(_stored_choice())
    session.info[_INFO_KEY] = stored
    return stored


@cache
def _stored_choice() -> Select[str]:
    """The stored choice's value: a plain column read (no ORM object), built once."""
    from sqlalchemy import select

    from kneecoach.storage.models.preferences import Preference

    return select(Preference.value).where(Preference.name == _KEY)


def forget_read_country(session: Session) -> None:
    """Read the stored choice again next time (its row was removed behind this module)."""
    session.info.pop(_INFO_KEY, None)


def environment_country() -> str | None:
    """``KNEECOACH_COUNTRY``, normalised (None when unset or blank)."""
    return normalise(get_settings().country)


def current_country(code: str | None = None, *, session: Session | None) -> CountrySetting:
    """The country in force for this call, in the order the module docstring gives."""
    given = normalise(code)
    if given is not None:
        return CountrySetting(given, "given", words_for(given))
    stored = stored_country(session=session)
    if stored is not None:
        return CountrySetting(stored, "stored", words_for(stored))
    from_env = environment_country()
    if from_env is not None:
        return CountrySetting(from_env, "environment", words_for(from_env))
    return CountrySetting(None, "none", words_for(None))


def country_words(code: str | None = None, *, session: Session | None) -> ServiceWords:
    """The emergency number and service names to show: see the module docstring's order."""
    return current_country(code, session=session).words


def words_to_show(*, session: Session) -> ServiceWords:
    """Like `country_words()`, but a database that cannot be read gives the generic words.

    The page footer names the emergency number on every page, error pages included; a broken
    database setting must never hide it.
    """
    try:
        return country_words(session=session)
    except (KneecoachError, _database_error()):
        return words_for(environment_country())


def _database_error() -> type[Exception]:
    from sqlalchemy.exc import SQLAlchemyError

    return SQLAlchemyError


def needs_asking(*, session: Session) -> bool:
    """True when neither a stored choice nor KNEECOACH_COUNTRY says where the person is."""
    return stored_country(session=session) is None and environment_country() is None


def set_country(code: str, *, session: Session) -> CountrySetting:
    """Store the person's country (any ISO 3166 alpha-2 code, or ``other``) and return it."""
    from kneecoach.storage.base import utc_now
    from kneecoach.storage.models.preferences import Preference

    normal = normalise(code)
    if normal is None or not is_well_formed(normal):
        known = ", ".join(choice.code for choice in supported_countries())
        raise InputError(
            FIELD,
            f"{code.strip()!r} is not a country code: give two letters (ISO 3166), "
            f"such as {known}, or '{OTHER}'",
        )
    session.info[_INFO_KEY] = normal
    row = session.get(Preference, _KEY)
    if row is None:
        session.add(Preference(name=_KEY, value=normal, updated_at=utc_now()))
    else:
        row.value = normal
        row.updated_at = utc_now()
    session.flush()
    return CountrySetting(normal, "stored", words_for(normal))


def clear_country(*, session: Session) -> None:
    """Forget the stored choice (KNEECOACH_COUNTRY or the generic words apply again)."""
    from kneecoach.storage.models.preferences import Preference

    session.info[_INFO_KEY] = None
    row = session.get(Preference, _KEY)
    if row is not None:
        session.delete(row)
        session.flush()


def list_preferences(*, session: Session) -> dict[str, str]:
    """Every stored preference by name, for the export."""
    from sqlalchemy import select

    from kneecoach.storage.models.preferences import Preference

    rows = session.scalars(select(Preference).order_by(Preference.name))
    return {row.name: row.value for row in rows}
