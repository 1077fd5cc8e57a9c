"""A real kneecoach server (`kneecoach serve` in a subprocess) and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DatabaseTemplate
from tests.servers import LiveServer, start_server

__all__ = ["DESKTOP", "PHONE", "WIDTHS", "LiveServer", "start_server", "window"]

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
WIDTHS = pytest.mark.parametrize("width", (PHONE, DESKTOP), ids=("360", "1280"))
"""Run a test at 360 px (a small phone) and at 1280 px (a laptop): its `width` argument."""


@contextmanager
def window(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    """A page of this size in a context of its own, closed afterwards."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    try:
        yield context.new_page()
    finally:
        context.close()


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
