"""Alembic, driven from code so `kneecoach db upgrade` works from an installed package.

Before every upgrade the database's record (`alembic_version`) is checked against this code:

* a revision this code does not know (a newer kneecoach made the database) stops everything
  with `UnknownRevisionsError`: nothing is migrated, nothing is guessed;
* a database from before commit eca979e ("Chain the migrations in one line") is repaired
  first. Until then 0002_intakes, 0003_checkins and 0004_shoes each revised 0001_outcomes
  directly (a branched graph with up to three heads); eca979e chained them
  0001 → 0002 → 0003 → 0004, so the same rows now mean something else: a lone `0004_shoes`
  claims intakes and check-ins it never had (Alembic skips them), and `0002_intakes` beside
  `0004_shoes` "overlaps". See `repair_steps` for the rule. The old migrations stay as they are.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Final, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).parent / "migrations"

REWIRED: Final[dict[str, frozenset[str]]] = {
    "0002_intakes": frozenset({"intakes"}),
    "0003_checkins": frozenset({"checkins", "checkin_revisions", "tracked_factors"}),
    "0004_shoes": frozenset({"shoe_pairs", "shoe_defaults", "shoe_activities", "shoe_wear_checks"}),
}
"""The revisions eca979e rewired, each with the tables it creates (all it does): whether one of
them ran is read from the tables, since the old and the new graph read the same rows apart."""

Step = tuple[Literal["stamp", "upgrade"], str]


class UnknownRevisionsError(Exception):
    """The database records revisions this code has never heard of: a newer kneecoach made it."""

    def __init__(self, revisions: Sequence[str]) -> None:
        super().__init__(", ".join(revisions))
        self.revisions = tuple(revisions)


class UnrepairableSchemaError(Exception):
    """Some, not all, of a revision's tables are there: no release ever left it like that."""

    def __init__(self, revision: str, missing: Collection[str]) -> None:
        super().__init__(f"{revision} is half there (missing {', '.join(sorted(missing))})")
        self.revision = revision
        self.missing = tuple(sorted(missing))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def head_revisions(engine: Engine) -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def chain(script: ScriptDirectory) -> list[str]:
    """Every revision of this code, oldest first (the migrations are one straight line)."""
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def unknown_revisions(engine: Engine) -> tuple[str, ...]:
    """Revisions the database records that this code does not have (empty when all is well)."""
    known = set(chain(ScriptDirectory.from_config(alembic_config(engine))))
    return tuple(sorted(current_revisions(engine) - known))


def repair_steps(
    order: Sequence[str], recorded: Collection[str], tables: Collection[str]
) -> list[Step]:
    """The stamps and single-step upgrades that put a pre-chain database on the chain.

    The rule: a rewired revision (`REWIRED`) ran exactly when all of its tables exist; every
    other revision up to the newest recorded one ran (the old graphs only ever held 0001 and
    the rewired three, and after eca979e Alembic's record is right). When the record agrees
    (one row, and the rewired revisions it implies are the ones whose tables exist) there is
    nothing to repair: []. Otherwise walk the chain from 0001 up to the newest revision recorded
    or present, stamping each revision that ran and upgrading one step for each that did not;
    the usual upgrade to head follows. This also mends a database the broken upgrade already
    stamped at head without intakes or check-ins, and it may be run again after an
    interruption (it reads the tables, not only the record).
    """
    if not recorded:
        return []
    have = set(tables)
    for revision, made in REWIRED.items():
        if have & made and not made <= have:
            raise UnrepairableSchemaError(revision, made - have)
    position = {revision: index for index, revision in enumerate(order)}
    newest = max(position[r] for r in recorded)
    ran = {r for r, made in REWIRED.items() if r in position and made <= have}
    implied = {r for r in REWIRED if r in position and position[r] <= newest}
    if len(recorded) == 1 and ran == implied:
        return []
    top = max([newest, *(position[r] for r in ran)])
    steps: list[Step] = [("stamp", order[0])]
    for revision in order[1 : top + 1]:
        missing = revision in REWIRED and revision not in ran
        steps.append(("upgrade" if missing else "stamp", revision))
    return steps


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the schema to the newest revisions; True when something was applied.

    Raises `UnknownRevisionsError` (before touching anything) when the database is newer than
    this code, and `UnrepairableSchemaError` when its tables match no release."""
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    order = chain(script)
    current = current_revisions(engine)
    unknown = sorted(current - set(order))
    if unknown:
        raise UnknownRevisionsError(unknown)
    steps = repair_steps(order, current, inspect(engine).get_table_names())
    for action, revision in steps:
        if action == "stamp":
            command.stamp(config, revision, purge=True)
        else:
            command.upgrade(config, revision)
    if not steps and current == frozenset(script.get_heads()):
        return False
    command.upgrade(config, "heads")
    return True
