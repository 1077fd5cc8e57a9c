"""The installable app in Chromium at `localhost` (a secure context, as service workers need):
the service worker installs and keeps Today and the check-in; with the network cut
(`context.set_offline(True)`) both open from this device, a check-in saved offline is kept in
the browser, and once the network is back it arrives in the database exactly once. A replay
the server refuses (409: the day was changed elsewhere) shows in the "Not sent" list with a way
to do it again. Every wait is on readiness (the worker ready, the list drawn, the row stored).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from tests.servers import http_connection

pytestmark = pytest.mark.browser

TODAY = date.today().isoformat()
WAIT_MS = 60_000  # the longest an in-page wait may take before the test fails (not a sleep)


def at_localhost(server: LiveServer) -> str:
    """The server's address by the name `localhost` (service workers need a secure context)."""
    return server.url.replace("127.0.0.1", "localhost")


def api(server: LiveServer, method: str, path: str, body: object = None) -> tuple[int, Any]:
    """Ask the server directly (not through the browser, whose network is cut)."""
    connection = http_connection(server.url)
    try:
        headers = {"content-type": "application/json"} if body is not None else {}
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers=headers)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"null")
    finally:
        connection.close()


def with_plan(server: LiveServer, examples_dir: Path) -> None:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    status, _ = api(server, "POST", "/api/v1/plan?save=true", document)
    assert status == 200


def installed(page: Any, base: str) -> None:
    """Open Today and wait until the service worker controls the page and keeps its pages."""
    page.goto(f"{base}/today")
    page.evaluate(
        """async (ms) => {
            const late = new Promise((_, fail) =>
                setTimeout(() => fail(new Error('the service worker did not start')), ms));
            await Promise.race([navigator.serviceWorker.ready, late]);  // the pages are kept
            if (!navigator.serviceWorker.controller) {
                await Promise.race([late, new Promise((done) =>
                    navigator.serviceWorker.addEventListener('controllerchange', done))]);
            }
        }""",
        WAIT_MS,
    )
    kept = page.evaluate(
        """async () => {
            const found = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const path of ['/today', '/checkin', '/offline']) {
                    if (await cache.match(path)) found.push(path);
                }
            }
            return found;
        }"""
    )
    assert sorted(kept) == ["/checkin", "/offline", "/today"]


def photograph(page: Any, name: str) -> None:
    """A screenshot for the docs when asked (`KNEECOACH_SCREENSHOTS_DIR=docs/screenshots`)."""
    folder = os.environ.get("KNEECOACH_SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-360.png"), full_page=True)


def wait_for_outbox(page: Any, state: str) -> None:
    """Wait until offline.js has drawn the list with `state` ("1 waiting", "0 waiting", …)."""
    page.locator(f'html[data-outbox="{state}"]').wait_for(state="attached")


def checkins(server: LiveServer) -> list[dict[str, Any]]:
    status, answer = api(server, "GET", "/api/v1/checkins")
    assert status == 200
    return list(answer["checkins"])


def test_a_check_in_saved_offline_arrives_once_when_back_online(
    live_server: LiveServer, browser: Any, examples_dir: Path
) -> None:
    with_plan(live_server, examples_dir)
    base = at_localhost(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        installed(page, base)
        context.set_offline(True)

        page.goto(f"{base}/today")  # from this device
        assert page.locator('html[data-from-cache][data-offline-why="offline"]').count() == 1
        assert page.locator("#offline-note").is_visible()
        assert page.locator("article.card.exercise").count() > 0

        page.goto(f"{base}/checkin")
        assert page.locator("html[data-from-cache]").count() == 1
        page.locator('input[name="pain"][value="4"]').check()
        page.get_by_label("Mild").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.wait_for_url("**/offline?kept=checkin")
        assert page.locator("#kept-checkin").is_visible()
        wait_for_outbox(page, "1 waiting")
        assert page.locator("#outbox li[data-state=waiting]").count() == 1
        photograph(page, "offline-kept")
        assert checkins(live_server) == []  # nothing reached the server
        kept = page.evaluate("kneecoachOutbox.all()")
        assert kept[0]["body"]["pain"] == 4 and kept[0]["body"]["swelling"] == 1
        assert all_violations(page) == []

        context.set_offline(False)  # the browser says "online": the list is sent
        wait_for_outbox(page, "0 waiting")
        assert page.locator("#outbox").is_hidden()
        assert page.locator("#outbox-sent").is_visible()
        stored = checkins(live_server)
        assert len(stored) == 1
        assert (stored[0]["date"], stored[0]["pain"], stored[0]["swelling"]) == (TODAY, 4, 1)
        assert stored[0]["version"] == 1

        # The same write sent again (a lost answer, another tab): the first answer, no new row
        again = page.evaluate(
            """async (item) => {
                const r = await fetch(item.url, {method: 'POST', body: JSON.stringify(item.body),
                    headers: {'content-type': 'application/json', 'Idempotency-Key': item.key}});
                return [r.status, r.headers.get('Idempotent-Replayed'), await r.json()];
            }""",
            kept[0],
        )
        assert again[0] == 201 and again[1] == "true" and again[2]["checkin"]["version"] == 1
        assert len(checkins(live_server)) == 1 and checkins(live_server)[0]["version"] == 1
    finally:
        context.close()


def test_a_replay_refused_with_409_is_listed_as_not_sent_with_a_way_to_redo_it(
    live_server: LiveServer, browser: Any, examples_dir: Path
) -> None:
    with_plan(live_server, examples_dir)
    base = at_localhost(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        installed(page, base)
        page.goto(f"{base}/checkin")  # online: the form shows version 0 (no check-in today)
        context.set_offline(True)
        page.locator('input[name="pain"][value="6"]').check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.wait_for_url("**/offline?kept=checkin")
        wait_for_outbox(page, "1 waiting")

        # meanwhile the day is logged elsewhere (another device, the CLI)
        status, _ = api(live_server, "POST", "/api/v1/checkins", {"date": TODAY, "pain": 2})
        assert status == 201

        context.set_offline(False)
        wait_for_outbox(page, "1 not_sent")
        item = page.locator("#outbox li[data-state=not_sent]")
        assert item.is_visible()
        assert page.locator("#outbox-title").inner_text() == "Not sent"
        assert "changed the check-in for" in item.inner_text()
        assert checkins(live_server)[0]["pain"] == 2  # nothing was overwritten
        assert all_violations(page) == []
        photograph(page, "not-sent")

        # "Open it again": the answers are filled in on a fresh form, and saving keeps them
        with page.expect_navigation():
            item.get_by_role("link", name="Open it again").click()
        page.locator("#redo-note").wait_for(state="visible")
        assert page.locator('input[name="pain"][value="6"]').is_checked()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.wait_for_url("**/checkin/done*")
        stored = checkins(live_server)
        assert len(stored) == 1 and stored[0]["pain"] == 6 and stored[0]["version"] == 2
        page.goto(f"{base}/today")
        wait_for_outbox(page, "0 waiting")
    finally:
        context.close()


def all_violations(page: Any) -> list[str]:
    """Axe's findings at every impact (the new pages are held to all of them)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


def test_exercises_logged_offline_are_sent_once_when_back_online(
    live_server: LiveServer, browser: Any, examples_dir: Path
) -> None:
    with_plan(live_server, examples_dir)
    base = at_localhost(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        installed(page, base)
        context.set_offline(True)
        page.goto(f"{base}/today")
        assert page.locator("html[data-from-cache]").count() == 1
        # nothing ticked: told so, nothing kept
        page.get_by_role("button", name="Save today's session").click()
        page.locator("[data-offline-empty]").wait_for(state="visible")
        assert page.evaluate("kneecoachOutbox.all()") == []

        slot = page.locator('input[type="checkbox"][name^="sets_"]').first
        name = str(slot.get_attribute("name"))
        slot.check()
        page.locator(
            f'input[type="radio"][name="pain_{name.removeprefix("sets_")}"][value="3"]'
        ).check()
        page.locator(
            f'input[type="radio"][name="effort_{name.removeprefix("sets_")}"][value="8"]'
        ).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's session").click()
        page.wait_for_url("**/offline?kept=session")
        assert page.locator("#kept-session").is_visible()
        wait_for_outbox(page, "1 waiting")
        assert api(live_server, "GET", "/api/v1/sessions")[1]["sessions"] == []

        context.set_offline(False)
        wait_for_outbox(page, "0 waiting")
        logged = api(live_server, "GET", "/api/v1/sessions")[1]["sessions"]
        assert len(logged) == 1
        assert (logged[0]["slot"], logged[0]["pain_during"]) == (name.removeprefix("sets_"), 3)
        assert logged[0]["effort"] == 8  # the offline body carries the effort too
        assert logged[0]["date"] == TODAY
    finally:
        context.close()


def test_chromium_finds_the_app_installable_and_the_reminder_page_works(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    base = at_localhost(live_server)
    # A profile on disk: Chromium does not install apps from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    page = context.new_page()
    try:
        installed(page, base)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

        page.goto(f"{base}/settings/app")
        assert all_violations(page) == []
        page.locator("#reminder_time").fill("19:45")
        page.get_by_role("button", name="Use this device's time zone").click()
        zone = page.locator("#reminder_zone").input_value()
        assert zone  # the browser's own zone, filled in
        with page.expect_navigation():
            page.get_by_role("button", name="Save the reminder").click()
        assert page.get_by_text(f"You will be reminded at 19:45 ({zone})").is_visible()
        kept = page.evaluate("JSON.parse(localStorage.getItem('kneecoach-reminder'))")
        assert (kept["time"], kept["zone"]) == ("19:45", zone)
        assert page.locator("#notify-status").inner_text() == "not allowed yet"
        assert page.get_by_role("button", name="Allow notifications").is_visible()
        assert all_violations(page) == []

        context.grant_permissions(["notifications"], origin=base)
        page.reload()
        assert page.locator("#notify-status").inner_text() == "allowed"
        assert page.get_by_role("button", name="Allow notifications").is_hidden()
        page.get_by_role("button", name="Show a reminder now").click()
        page.locator("html[data-reminder]").wait_for(state="attached")
        assert page.locator("html").get_attribute("data-reminder") == "shown"
        assert page.locator("#notify-result").is_visible()
        photograph(page, "phone-app")
        shown = page.evaluate(
            """async (ms) => {
                const registration = await navigator.serviceWorker.ready;
                const until = Date.now() + ms;
                while (Date.now() < until) {
                    const found = await registration.getNotifications({tag: 'kneecoach-reminder'});
                    if (found.length) return found.map((n) => n.body);
                    await new Promise((next) => requestAnimationFrame(next));
                }
                return [];
            }""",
            WAIT_MS,
        )
        assert shown == ["Time for your knee: your exercises and a 30-second check-in."]

        page.goto(f"{base}/offline")
        assert all_violations(page) == []
    finally:
        context.close()


def test_a_save_that_cannot_reach_the_server_while_online_is_not_lost(
    live_server: LiveServer, browser: Any, examples_dir: Path
) -> None:
    """The browser says "online" but kneecoach cannot be reached (a weak signal, the server
    off): the post fails, the page says it was not saved, and saving again keeps it here."""
    with_plan(live_server, examples_dir)
    base = at_localhost(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        installed(page, base)
        page.goto(f"{base}/checkin")
        assert page.locator("html[data-from-cache]").count() == 0  # from the server
        live_server.stop()
        page.locator('input[name="pain"][value="7"]').check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.locator("#post-not-sent").wait_for(state="visible")
        assert page.locator('html[data-offline-why="not-sent"]').count() == 1

        page.go_back()
        page.locator('input[name="pain"][value="7"]').check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.wait_for_url("**/offline?kept=checkin")
        wait_for_outbox(page, "1 waiting")
        kept = page.evaluate("kneecoachOutbox.all()")
        assert kept[0]["body"]["pain"] == 7
    finally:
        context.close()


def test_the_reminder_comes_at_the_chosen_time_in_the_chosen_zone_while_open(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    """The browser's clock is Playwright's: run a minute forward, no sleeping."""
    base = at_localhost(live_server)
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    page = context.new_page()
    try:
        context.grant_permissions(["notifications"], origin=base)
        installed(page, base)
        page.goto(f"{base}/settings/app")
        page.locator("#reminder_time").fill("09:01")
        page.locator("#reminder_zone").fill("Asia/Tokyo")  # 00:01 UTC
        with page.expect_navigation():
            page.get_by_role("button", name="Save the reminder").click()

        page.clock.install(time="2026-12-01T00:00:00Z")  # 09:00 in Tokyo
        page.goto(f"{base}/today")
        page.clock.run_for(59_000)
        assert page.evaluate("localStorage.getItem('kneecoach-reminder-shown')") is None
        page.clock.run_for(2_000)  # 09:01 in Tokyo
        page.clock.resume()
        page.locator("html[data-reminder]").wait_for(state="attached")
        assert page.locator("html").get_attribute("data-reminder") == "shown"
        shown = page.evaluate(
            """async (ms) => {
                const registration = await navigator.serviceWorker.ready;
                const until = performance.now() + ms;
                while (performance.now() < until) {
                    const found = await registration.getNotifications({tag: 'kneecoach-reminder'});
                    if (found.length) return found.map((n) => n.body);
                    await new Promise((next) => setTimeout(next, 50));
                }
                return [];
            }""",
            WAIT_MS,
        )
        assert shown == ["Time for your knee: your exercises and a 30-second check-in."]
        assert page.evaluate("localStorage.getItem('kneecoach-reminder-shown')") == "2026-12-01"
    finally:
        context.close()


def test_a_check_in_page_kept_from_yesterday_saves_today_and_never_overwrites(
    live_server: LiveServer, browser: Any, examples_dir: Path
) -> None:
    """The copy of the check-in was saved yesterday; today, with no network, it opens as
    today's form seen empty (version 0). The day was logged on another device meanwhile, so
    the replay is refused and listed, and the other device's answers stay."""
    with_plan(live_server, examples_dir)
    base = at_localhost(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    tomorrow = date.fromordinal(date.today().toordinal() + 1).isoformat()
    try:
        installed(page, base)
        context.set_offline(True)
        page.clock.install(time=f"{tomorrow}T12:00:00")  # the browser's next day, local time
        page.goto(f"{base}/checkin")
        assert page.locator("html[data-from-cache]").count() == 1
        assert page.locator("input#date").input_value() == tomorrow
        assert page.locator('input[name="version"]').input_value() == "0"
        page.locator('input[name="pain"][value="5"]').check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save today's check-in").click()
        page.wait_for_url("**/offline?kept=checkin")
        wait_for_outbox(page, "1 waiting")
        kept = page.evaluate("kneecoachOutbox.all()")
        assert (kept[0]["body"]["date"], kept[0]["body"]["version"]) == (tomorrow, 0)

        status, _ = api(live_server, "POST", "/api/v1/checkins", {"date": tomorrow, "pain": 1})
        assert status == 201  # logged elsewhere meanwhile
        context.set_offline(False)
        wait_for_outbox(page, "1 not_sent")
        stored = [c for c in checkins(live_server) if c["date"] == tomorrow]
        assert stored == [{"date": tomorrow, "pain": 1, "version": 1}]
    finally:
        context.close()
