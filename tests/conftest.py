"""Shared fixtures: a fresh data directory per test, real SQLite files, a real PostgreSQL server.

Migrating a new SQLite file takes a while, so the migrations run once per test session into a
template database; a test's own database starts as a copy of that template, made when the
test first opens it (so a test can still check that something creates no database at all).
On PostgreSQL the same: one database migrated per session, each test's a copy of it
(`CREATE DATABASE … TEMPLATE`). Tests of the migrations themselves opt out with
``@pytest.mark.fresh_database``.

Markers are applied here by fixture and folder: ``postgres`` for every test that uses the
PostgreSQL server, ``browser`` for every test under tests/e2e.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.storage.migrate import upgrade_to_head
from tests.postgres import create_database, drop_database, postgres_cluster, server_binaries

# Timings vary on shared machines: property tests judge behaviour, never speed.
settings.register_profile(
    "kneecoach", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("kneecoach")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# The project's own example intakes, vendored from ../shared/examples so the tests run without
# ../shared; tests/test_vendored_examples.py checks they have not drifted.
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "examples"
DATABASE_FILE = "kneecoach.db"
E2E = Path(__file__).resolve().parent / "e2e"
POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_url"})
BROWSER_FIXTURES = frozenset({"browser", "phone", "live_server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by what a test uses, so `-m "not postgres and not browser"` leaves them out."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if names & POSTGRES_FIXTURES or params.get("any_database") == "postgres":
            item.add_marker(pytest.mark.postgres)
        if names & BROWSER_FIXTURES or item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.browser)


class DatabaseTemplate:
    """One SQLite file migrated to the newest schema, made the first time a test needs it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DATABASE_FILE
        self._made = False

    def file(self) -> Path:
        if not self._made:
            engine = create_engine(f"sqlite:///{self.path}")
            try:
                upgrade_to_head(engine)
            finally:
                engine.dispose()
            leftovers = [p.name for p in self.path.parent.glob(f"{DATABASE_FILE}-*")]
            assert not leftovers, f"the template database left {leftovers} behind"
            self._made = True
        return self.path

    def copy_to(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.file(), target)


def _sqlite_file(url: str) -> Path | None:
    """The SQLite file `url` names (None for another database, memory, or a bad URL, which
    db.prepare reports)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _new_files_copied(
    template: DatabaseTemplate, folder: Path, prepare: Callable[..., bool]
) -> Callable[..., bool]:
    """`prepare` that first copies the template to any new `kneecoach.db` in `folder` (a test
    that makes a database per hypothesis example, or a second one to copy into), so no test
    migrates one from nothing unless it is marked ``fresh_database``. (Other names are left
    to migrate: a person's store is `<account>.db`, and its own upgrade is what some tests
    watch.)"""

    def prepare_copying(url: str, *more: Any) -> bool:
        target = _sqlite_file(url)
        if (
            target is not None
            and target.name == DATABASE_FILE
            and target.is_relative_to(folder)
            and not target.exists()
        ):
            template.copy_to(target)
        return prepare(url, *more)

    return prepare_copying


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> DatabaseTemplate:
    return DatabaseTemplate(tmp_path_factory.mktemp("template-database"))


@pytest.fixture(autouse=True)
def data_dir(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    database_template: DatabaseTemplate,
) -> Iterator[Path]:
    """Every test gets its own data directory and SQLite file; nothing leaks between tests.

    The SQLite file is a copy of the session's migrated template, made just before the first
    use of the database (``db.prepare``), unless the test is marked ``fresh_database``. So is
    any other new `kneecoach.db` the test opens in its own folder (a test that makes a
    database per hypothesis example, or a second one to copy into)."""
    directory = tmp_path / "kneecoach-data"
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(directory))
    monkeypatch.setenv("KNEECOACH_CACHE_DIR", str(database_template.path.parent / "parsed-data"))
    monkeypatch.delenv("KNEECOACH_DATABASE_URL", raising=False)
    reset_settings()  # settings are read once and cached: read this test's environment
    if request.node.get_closest_marker("fresh_database") is None:
        copying = _new_files_copied(database_template, tmp_path, db.prepare)
        monkeypatch.setattr(db, "prepare", copying)
    yield directory
    db.dispose_engines()
    reset_settings()


@pytest.fixture
def examples_dir() -> Path:
    """The example intakes (vendored copies of ../shared/examples/*.json)."""
    return EXAMPLES


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing (looked in {SHARED}); CI lays it beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a spare loopback port, started and stopped here."""
    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
    with postgres_cluster(bin_dir) as url:
        yield url


POSTGRES_TEMPLATE = "kc_template"


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A database on the shared server migrated to the newest schema, once per session, with
    no connection left open (PostgreSQL copies a template only when nobody is connected)."""
    engine = create_engine(create_database(postgres_server, POSTGRES_TEMPLATE))
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    return POSTGRES_TEMPLATE


@pytest.fixture
def postgres_url(
    postgres_server: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A new database on the shared server, set as KNEECOACH_DATABASE_URL: a copy of the
    migrated template, or empty for a test marked ``fresh_database``."""
    name = f"kc_{os.urandom(4).hex()}"
    template = None
    if request.node.get_closest_marker("fresh_database") is None:
        template = request.getfixturevalue("postgres_template")
    url = create_database(postgres_server, name, template=template)
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    reset_settings()
    yield url
    db.dispose_engines()
    drop_database(postgres_server, name)


@pytest.fixture
def database(any_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's database for this test: `any_database` (SQLite, then PostgreSQL), set as
    KNEECOACH_DATABASE_URL with the settings read again."""
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    return any_database


@pytest.fixture(params=["sqlite", "postgres"])
def any_database(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Runs a storage test twice: on an SQLite file and on a real PostgreSQL server."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'kneecoach.db'}"
