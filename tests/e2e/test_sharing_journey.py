"""Sharing with a clinician in a real browser at 360 px, on a practice server (`kneecoach serve`
in server mode): the person makes a code, the clinician links with it, sees the person and
leaves a note, the person reads it and revokes, and the clinician's next request is refused.
Every page stays within the phone's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kneecoach.settings import reset_settings
from tests.conftest import DatabaseTemplate
from tests.e2e.conftest import PHONE, start_server, window
from tests.e2e.test_pages_audit import axe_violations
from tests.practice import PASSWORD, make_account

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    """No wider than the phone, and axe-clean at any impact."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert axe_violations(page) == [], page.url


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_share_note_and_revoke_at_360_px(
    tmp_path: Path,
    database_template: DatabaseTemplate,
    monkeypatch: pytest.MonkeyPatch,
    browser: Any,
) -> None:
    data_dir = tmp_path / "server-data"
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(data_dir))
    reset_settings()
    make_account("person", "anna", display_name="Anna Berg")
    make_account("clinician", "drlee", display_name="Dr Lee")
    server = start_server(data_dir)
    try:
        with window(browser, PHONE) as anna, window(browser, PHONE) as lee:
            _sign_in(anna, server.url, "anna")
            anna.goto(f"{server.url}/settings/access")
            _fits(anna)
            anna.get_by_role("button", name="Make a share code").click()
            code = anna.locator("[data-share-code]").inner_text()
            assert len(code) == 14
            _fits(anna)

            _sign_in(lee, server.url, "drlee")
            assert lee.url.endswith("/clinic")
            lee.get_by_label("Share code").fill(code.lower())
            with lee.expect_navigation():
                lee.get_by_role("button", name="Add").click()
            assert lee.locator("[data-person]").count() == 1
            _fits(lee)
            with lee.expect_navigation():
                lee.get_by_role("link", name="Anna Berg").click()
            person_url = lee.url
            _fits(lee)
            lee.get_by_label("Your note to Anna Berg").fill("<b>Slow</b> squats this week")
            with lee.expect_navigation():
                lee.get_by_role("button", name="Send the note").click()
            assert "Your note is saved" in lee.content()

            anna.goto(f"{server.url}/today")
            note = anna.locator(".from-clinician [data-note]")
            assert "<b>Slow</b> squats this week" in note.inner_text()  # shown as text
            _fits(anna)
            anna.goto(f"{server.url}/settings/access")
            assert "Dr Lee" in anna.locator(".audit").inner_text()
            with anna.expect_navigation():
                anna.get_by_role("button", name="Stop sharing with Dr Lee").click()
            assert "can no longer see your data" in anna.content()

            answer = lee.goto(person_url)
            assert answer is not None and answer.status == 404
            lee.goto(f"{server.url}/clinic")
            assert lee.locator("[data-person]").count() == 0
            assert "Nobody shares with you yet" in lee.content()
    finally:
        server.stop()
