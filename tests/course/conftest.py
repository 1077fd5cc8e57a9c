"""A TestClient over a fresh app, as in tests/web (the root conftest gives each test its own
data directory)."""

from __future__ import annotations

from tests.web.conftest import client

__all__ = ["client"]
