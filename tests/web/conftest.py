"""A TestClient over a fresh app; the root conftest gives each test its own data directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kneecoach.web.app import create_app
from tests.web_client import BrowserClient


@pytest.fixture
def client() -> Iterator[TestClient]:
    with BrowserClient(create_app()) as test_client:
        yield test_client
