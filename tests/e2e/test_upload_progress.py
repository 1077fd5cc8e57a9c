"""A GPX upload on the shoes page travels with a progress bar and lands on the chosen pair."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import gpxpy.gpx

from tests.e2e.conftest import LiveServer


def a_run_of_about_5_km(path: Path) -> Path:
    gpx = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack(name="Morning run")
    track.type = "running"
    segment = gpxpy.gpx.GPXTrackSegment()
    start = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    for i in range(101):  # 0.00045° of latitude ≈ 50 m, so 100 steps ≈ 5 km
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(
                51.5 + i * 0.00045, -0.12, time=start + timedelta(seconds=15 * i)
            )
        )
    track.segments.append(segment)
    gpx.tracks.append(track)
    path.write_text(gpx.to_xml(), encoding="utf-8")
    return path


def test_an_upload_shows_progress_then_the_result(
    live_server: LiveServer, phone: Any, tmp_path: Path
) -> None:
    phone.goto(f"{live_server.url}/shoes")
    phone.locator("#name").fill("Trail runner")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Add the pair").click()
    form = phone.locator("form[data-progress]")
    assert form.locator("progress").count() == 1
    assert form.locator(".busy").is_hidden()
    phone.locator("#files").set_input_files(str(a_run_of_about_5_km(tmp_path / "run.gpx")))
    phone.locator("#shoe").select_option("trail_runner")
    phone.get_by_role("button", name="Upload").click()
    phone.get_by_role("heading", name="Upload done").wait_for()
    assert phone.evaluate("document.documentElement.dataset.lastUpload") == "with-progress"
    assert "km added to Trail runner." in phone.locator("[data-upload-result]").inner_text()
    assert phone.evaluate("document.activeElement.hasAttribute('data-upload-result')")
