"""A practice server in a real Chromium at 360 px: sign in, see Today, sign out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kneecoach.settings import reset_settings
from kneecoach.storage import db
from tests.conftest import DATABASE_FILE, DatabaseTemplate
from tests.e2e.conftest import LiveServer, start_server
from tests.practice import PASSWORD, make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def practice_server(
    tmp_path: Path, database_template: DatabaseTemplate, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveServer]:
    """`kneecoach serve` in server mode on an SQLite practice with one person, anna."""
    data = tmp_path / "server-data"
    database_template.copy_to(data / DATABASE_FILE)
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", f"sqlite:///{data / DATABASE_FILE}")
    reset_settings()
    make_person("anna")
    db.dispose_engines()
    server = start_server(data)
    try:
        yield server
    finally:
        server.stop()


def test_sign_in_see_today_and_sign_out_on_a_phone(practice_server: LiveServer, phone: Any) -> None:
    phone.goto(f"{practice_server.url}/today")
    phone.wait_for_url("**/login?next=/today")
    assert phone.get_by_role("heading", name="Sign in").is_visible()
    phone.get_by_label("User name").fill("anna")
    phone.get_by_label("Password").fill("not the password at all")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("alert").inner_text() == "That name and password do not match."

    phone.get_by_label("Password").fill(PASSWORD)
    with phone.expect_navigation(url="**/today"):
        phone.get_by_role("button", name="Sign in").click()
    assert phone.get_by_role("heading", level=1).first.is_visible()
    assert phone.locator("[data-signed-in]").inner_text() == "Anna"
    sign_out = phone.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360, box
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360 px"
    cookies = {cookie["name"]: cookie for cookie in phone.context.cookies()}
    assert cookies["kneecoach_session"]["httpOnly"] is True
    assert cookies["kneecoach_session"]["sameSite"] == "Lax"

    with phone.expect_navigation(url="**/login?signed_out=1"):
        sign_out.click()
    assert phone.get_by_role("status").inner_text() == "You are signed out."
    phone.goto(f"{practice_server.url}/today")
    phone.wait_for_url("**/login?next=/today")
