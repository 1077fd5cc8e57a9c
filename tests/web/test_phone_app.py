"""The installable app's routes: a valid web app manifest whose icons are real PNGs of the
sizes it says, the service worker with the right type, scope and a versioned cache, the offline
page, every page linking the manifest under an unchanged strict CSP, and the reminder setting
(saved, refused with the field named, cleared). The new words read at grade 8 or below."""

from __future__ import annotations

import json
import re
import struct

import pytest
import textstat
from fastapi.testclient import TestClient

from kneecoach.services import reminders as reminder_service
from kneecoach.web.app import CONTENT_SECURITY_POLICY
from kneecoach.web.pages.phone_app import SHELL, manifest
from tests.db import in_session
from tests.test_readability import MAX_GRADE


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_the_manifest_has_what_an_install_needs_and_its_icons_are_there(
    client: TestClient,
) -> None:
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    document = answer.json()
    assert document == manifest()
    for key in ("name", "short_name", "start_url", "display", "icons", "theme_color"):
        assert document.get(key), key
    assert document["start_url"] == "/today" and document["scope"] == "/"
    assert document["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", document["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", document["background_color"])
    purposes: dict[str, set[int]] = {"any": set(), "maskable": set()}
    for icon in document["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        assert got.headers["content-type"].startswith(icon["type"]), icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(got.content)
            assert icon["sizes"] == f"{width}x{height}"
            purposes[icon["purpose"]].add(width)
    assert purposes == {"any": {192, 512}, "maskable": {192, 512}}
    assert client.get("/icons/icon-100.png").status_code == 404
    assert client.get("/icons/other-192.png").status_code == 404


def test_the_maskable_icon_fills_its_square_and_the_other_has_round_corners(
    client: TestClient,
) -> None:
    import zlib

    def corner_alpha(data: bytes) -> int:
        # the first IDAT holds all rows here; row 0, pixel 0's alpha (after the filter byte)
        start = data.index(b"IDAT") + 4
        length = struct.unpack(">I", data[start - 8 : start - 4])[0]
        return zlib.decompress(data[start : start + length])[4]

    assert corner_alpha(client.get("/icons/maskable-192.png").content) == 255
    assert corner_alpha(client.get("/icons/icon-192.png").content) == 0


def test_the_service_worker_is_served_for_the_whole_site_with_a_versioned_cache(
    client: TestClient,
) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-cache"
    source = answer.text
    version = re.search(r'var VERSION = "([0-9a-f]{12})";', source)
    assert version is not None, "the cache name carries no version"
    assert "__SHELL__" not in source and json.dumps(list(SHELL)) in source
    for path in SHELL:
        assert client.get(path).status_code == 200, path
    # writes and the API are never answered from a cache
    assert 'request.method !== "GET"' in source and '"/api/"' in source


@pytest.mark.parametrize("path", ["/", "/today", "/checkin", "/settings", "/offline"])
def test_every_page_links_the_manifest_under_the_same_strict_policy(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text
    assert '<script src="/static/offline.js" defer></script>' in page.text
    assert 'id="outbox"' in page.text
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'self'" in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


def test_the_check_in_form_can_be_kept_offline(client: TestClient) -> None:
    page = client.get("/checkin").text
    assert 'data-offline="checkin"' in page


def test_a_reminder_is_saved_refused_with_its_field_named_and_cleared(
    client: TestClient,
) -> None:
    page = client.get("/settings/app")
    assert page.status_code == 200 and "What works where" in page.text
    assert 'href="/settings/app"' in client.get("/settings").text

    bad_zone = client.post(
        "/settings/app/reminder", data={"reminder_time": "20:30", "reminder_zone": "Europe/Londn"}
    )
    assert bad_zone.status_code == 422
    assert "&#39;Europe/Londn&#39; is not a time zone we know" in bad_zone.text
    assert 'id="reminder_zone-error"' in bad_zone.text
    assert 'value="20:30"' in bad_zone.text  # what was typed is still there
    assert in_session(reminder_service.reminder) is None

    bad_time = client.post(
        "/settings/app/reminder", data={"reminder_time": "25:00", "reminder_zone": "UTC"}
    )
    assert bad_time.status_code == 422 and 'id="reminder_time-error"' in bad_time.text

    saved = client.post(
        "/settings/app/reminder",
        data={"reminder_time": "07:05", "reminder_zone": " Europe/Berlin "},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    chosen = in_session(reminder_service.reminder)
    assert chosen is not None and chosen.as_json() == {"time": "07:05", "zone": "Europe/Berlin"}
    page = client.get(saved.headers["location"]).text
    assert 'data-time="07:05" data-zone="Europe/Berlin"' in page
    assert "You will be reminded at 07:05 (Europe/Berlin)" in page

    cleared = client.post("/settings/app/reminder", data={"action": "clear"})
    assert cleared.status_code == 200 and in_session(reminder_service.reminder) is None
    # the time zone is one setting for everything (the calendar file reads it too): it stays
    assert in_session(reminder_service.stored_zone) == "Europe/Berlin"
    assert 'value="Europe/Berlin"' in cleared.text and "Stop reminders" not in cleared.text


@pytest.mark.parametrize("path", ["/settings/app", "/offline"])
def test_the_new_pages_read_at_grade_8_or_below(client: TestClient, path: str) -> None:
    page = client.get(path).text
    main = page[page.index('<main id="main"') : page.index("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    assert len(words.split()) > 80
    assert textstat.flesch_kincaid_grade(words) <= MAX_GRADE, words
