"""One database per test module and kind of database, made and seeded once and reused by every
request of the module (the matrix is a few hundred requests: making a database each would take
minutes).

The root conftest gives each test a fresh data directory and settings; `use_database` puts the
module's database back in the environment for each test (settings are read per request).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecoach.settings import reset_settings
from kneecoach.storage import db
from tests.conftest import DatabaseTemplate
from tests.postgres import create_database, drop_database

DATABASES = (
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
)
"""`params` of a module-scoped database fixture: SQLite, then PostgreSQL (marked `postgres`)."""


@pytest.fixture(scope="module")
def module_env(
    tmp_path_factory: pytest.TempPathFactory, database_template: DatabaseTemplate
) -> Iterator[pytest.MonkeyPatch]:
    """A monkeypatch for module-scoped set-up (undone when the module ends), with a data
    folder of the module's own."""
    dispose = db.dispose_engines
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KNEECOACH_DATA_DIR", str(tmp_path_factory.mktemp("module-data")))
        patch.setenv("KNEECOACH_CACHE_DIR", str(database_template.path.parent / "parsed-data"))
        # The engines live as long as the module, as in a running server: each test of the
        # module would otherwise connect and check the migrations again.
        patch.setattr(db, "dispose_engines", lambda: None)
        reset_settings()
        yield patch
    dispose()
    reset_settings()


@pytest.fixture(scope="module", params=DATABASES)
def module_database(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_template: DatabaseTemplate,
    module_env: pytest.MonkeyPatch,
) -> Iterator[str]:
    """An empty, migrated database for this module, on SQLite then on PostgreSQL."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("module-database")
        target = folder / "kneecoach.db"
        database_template.copy_to(target)
        yield f"sqlite:///{target}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"kc_m_{os.urandom(4).hex()}"
    url = create_database(server, name)
    try:
        yield url
    finally:
        db.dispose_engines()  # the module's engines (module_env keeps them until here)
        drop_database(server, name)


def use_database(monkeypatch: pytest.MonkeyPatch, url: str, **settings: str) -> None:
    """Point this test's settings at `url` (and any other KNEECOACH_ settings given)."""
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    for name, value in settings.items():
        monkeypatch.setenv(f"KNEECOACH_{name.upper()}", value)
    reset_settings()


def data_folder(url: str) -> Path | None:
    """The folder of an SQLite database file, None for PostgreSQL."""
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]).parent if url.startswith(prefix) else None
