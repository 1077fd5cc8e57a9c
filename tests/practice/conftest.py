"""Fixtures for the server-mode tests: the app on SQLite and on PostgreSQL.

A person's SQLite store starts as a copy of the session's migrated template (as the practice's
own file does), so making a person costs a file copy rather than eleven migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from kneecoach.storage import db
from tests.conftest import DatabaseTemplate
from tests.practice import practice_app
from tests.web_client import BrowserClient


@pytest.fixture(autouse=True)
def people_from_template(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, database_template: DatabaseTemplate
) -> None:
    migrate = db.prepare
    people = data_dir / "people"

    def prepare(url: str, schema: str | None = None) -> bool:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            file = Path(parsed.database)
            if file.parent == people and not file.exists():
                database_template.copy_to(file)
        return migrate(url, schema)

    monkeypatch.setattr(db, "prepare", prepare)


@pytest.fixture
def practice(database: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """A server-mode app on `database` (SQLite, then PostgreSQL)."""
    return practice_app(database, monkeypatch)


@pytest.fixture
def client(practice: FastAPI) -> BrowserClient:
    return BrowserClient(practice)
