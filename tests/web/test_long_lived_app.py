"""The served app sets aside what it loads at start from the garbage collector's full passes
(a full pass over the loaded app stalled every request under load); the apps tests build do
not, so a test run's memory is collected as usual."""

from __future__ import annotations

import gc

from kneecoach.web.app import create_app, create_served_app
from tests.web_client import BrowserClient


def test_the_served_app_sets_its_start_aside() -> None:
    assert gc.get_freeze_count() == 0
    try:
        with BrowserClient(create_served_app()) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 10_000  # the modules, routes and templates
    finally:
        gc.unfreeze()


def test_an_app_built_for_a_test_leaves_the_collector_alone() -> None:
    with BrowserClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() == 0
