"""Fixtures for the server-mode tests: the app on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.practice import practice_app
from tests.web_client import BrowserClient


@pytest.fixture
def practice(database: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """A server-mode app on `database` (SQLite, then PostgreSQL)."""
    return practice_app(database, monkeypatch)


@pytest.fixture
def client(practice: FastAPI) -> BrowserClient:
    return BrowserClient(practice)
