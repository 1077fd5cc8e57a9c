"""A hostile page in the same browser can't touch a personal-mode install.

The person has kneecoach open (`kneecoach serve`, personal mode, with a little of everything
stored); in the same Chromium a page from another site (a second local HTTP server on another
port and host name) tries to post the delete-everything form, to send check-ins to the API as
JSON and as text/plain, to read the export with fetch(), and to show kneecoach in a frame.
Every try fails, and the database afterwards holds exactly the rows it held before.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kneecoach.services.database import Store
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from tests.e2e.conftest import DESKTOP, LiveServer, window
from tests.postgres import free_port
from tests.security.owner_data import store_everything
from tests.security.stores import row_counts

MARKER = "hostile-target-6d2c"
HOSTILE_PAGE = """<!doctype html>
<html><head><title>Win a prize</title></head><body>
<h1>Win a prize</h1>
<iframe name="sink" id="sink"></iframe>
<form id="erase" method="post" action="{target}/settings/delete" target="sink">
  <input name="confirm" value="DELETE"><input name="csrf_token" value="{guess}">
</form>
<iframe id="framed" src="{target}/settings" onload="window.framedLoaded = true"></iframe>
<script>
const target = {target_json};
const checkin = JSON.stringify({{date: "2026-03-01", pain: 9, note: "forged"}});
window.results = {{}};
async function attempt(name, run) {{
  try {{ window.results[name] = "read: " + await run(); }}
  catch (error) {{ window.results[name] = "blocked: " + error.name; }}
}}
(async () => {{
  await attempt("json", async () => {{
    const answer = await fetch(target + "/api/v1/checkins", {{method: "POST",
      credentials: "include", headers: {{"Content-Type": "application/json"}}, body: checkin}});
    return answer.status + " " + await answer.text();
  }});
  await attempt("text", async () => {{
    const answer = await fetch(target + "/api/v1/checkins", {{method: "POST",
      credentials: "include", headers: {{"Content-Type": "text/plain"}}, body: checkin}});
    return answer.status + " " + await answer.text();
  }});
  await attempt("text_no_cors", async () => {{
    const answer = await fetch(target + "/api/v1/checkins", {{method: "POST", mode: "no-cors",
      credentials: "include", headers: {{"Content-Type": "text/plain"}}, body: checkin}});
    return answer.type + " " + await answer.text();
  }});
  await attempt("read", async () => {{
    const answer = await fetch(target + "/settings/export.json", {{credentials: "include"}});
    return await answer.text();
  }});
  await attempt("read_api", async () => {{
    const answer = await fetch(target + "/api/v1/checkins", {{credentials: "include"}});
    return await answer.text();
  }});
  window.done = true;
}})();
</script></body></html>"""


class Hostile:
    """Another site: one page, from its own HTTP server on another port."""

    def __init__(self, target: str) -> None:
        page = HOSTILE_PAGE.format(
            target=target, target_json=json.dumps(target), guess="a" * 43
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                """Quiet: the page's requests are not the test's output."""

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Hostile:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def url(self) -> str:
        """Another host name than kneecoach's 127.0.0.1: another site, not only another port."""
        return f"http://localhost:{self.port}/prize"


@pytest.fixture
def seeded(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The live server's database with the person's data in it."""
    url = f"sqlite:///{live_server.data_dir / 'kneecoach.db'}"
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    reset_settings()
    store_everything(None, MARKER)
    yield Store(url)
    db.dispose_engines()


def test_a_hostile_page_cannot_touch_a_personal_install(
    browser: Any, live_server: LiveServer, seeded: Store
) -> None:
    before = row_counts(seeded)
    assert before["checkins"] and before["shoe_pairs"]
    target = live_server.url
    with window(browser, DESKTOP) as page, Hostile(target) as hostile:
        reached: list[tuple[str, str, int]] = []
        page.on(
            "response",
            lambda r: (
                reached.append((r.request.method, r.url, r.status))
                if r.url.startswith(target)
                else None
            ),
        )
        page.goto(f"{target}/settings")  # the person has kneecoach open: its cookies are set
        assert "Settings" in page.title()

        page.goto(hostile.url)
        page.wait_for_function("window.done === true && window.framedLoaded === true")
        results = page.evaluate("window.results")
        with page.expect_response(lambda r: r.url == f"{target}/settings/delete") as erase:
            page.evaluate("document.getElementById('erase').submit()")
        framed_text = framed_content(page)

    # (a) the delete-everything form: refused
    assert erase.value.status == 403
    # (b) the API: JSON never leaves the browser (its CORS check fails); text/plain is
    # refused by the server; nothing the API answered was readable
    assert results["json"].startswith("blocked"), results
    assert results["text"].startswith("blocked"), results
    assert results["text_no_cors"] == "read: opaque ", results
    # (c) reading a page or the API with fetch: blocked by the browser (no CORS header)
    assert results["read"].startswith("blocked"), results
    assert results["read_api"].startswith("blocked"), results
    # (d) a frame: the browser refuses to show kneecoach inside another site's page
    assert framed_text, "the frame is there"
    assert MARKER not in framed_text and "Settings" not in framed_text
    framed_answers = [s for m, u, s in reached if m == "GET" and u == f"{target}/settings"]
    assert len(framed_answers) == 2, "the server answered the frame; the browser hid it"
    # Whatever reached the server was turned away: no change was accepted
    changes = [(m, u, s) for m, u, s in reached if m in ("POST", "PUT", "PATCH", "DELETE")]
    assert changes and all(status in (403, 415) for _, _, status in changes), changes
    assert row_counts(seeded) == before, "the data is all still there"


def framed_content(page: Any) -> str:
    """What the frame that tried to show kneecoach holds (Chromium's error page if blocked)."""
    for frame in page.frames:
        if frame.parent_frame is page.main_frame and "/settings" in (frame.url or ""):
            return str(frame.content())
        if frame.parent_frame is page.main_frame and frame.url.startswith("chrome-error:"):
            return str(frame.content())
    return ""
