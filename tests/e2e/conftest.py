"""A real kneecoach server (`kneecoach serve` in a subprocess) and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DatabaseTemplate
from tests.servers import LiveServer, start_server

__all__ = ["DESKTOP", "PHONE", "LiveServer", "start_server"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def live_server(tmp_path: Path, database_template: DatabaseTemplate) -> Iterator[LiveServer]:
    """A fresh server with its own data directory, stopped with SIGTERM afterwards."""
    server = start_server(tmp_path / "server-data", database_template)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's Chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    """A page 360 px wide, like a small phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
