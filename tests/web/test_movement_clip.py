"""A real clip through the real pipeline, from the page: Sports2D's demo clip (fetched with pip
at test time, tests/video/clips.py) is uploaded, the web app's own worker thread analyses it
with MediaPipe in the background, and the page and its JSON show the result and the strip.

Waits poll the job's JSON up to a deadline; nothing sleeps a fixed time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kneecoach.web.app import create_app
from tests.video.clips import CACHE_NAME, demo_clip
from tests.web_client import BrowserClient

DEADLINE_S = 900.0  # MediaPipe on a busy 2-core machine; the clip is 8 s long


@pytest.fixture(scope="module")
def demo(pytestconfig: pytest.Config) -> Path:
    assert pytestconfig.cache is not None
    return demo_clip(pytestconfig.cache.mkdir(CACHE_NAME))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with BrowserClient(create_app()) as test_client:  # the lifespan starts the worker thread
        yield test_client


def wait_until_finished(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_S
    seen: list[float] = []
    while True:
        job = client.get(f"/api/v1/movement/jobs/{job_id}").json()
        seen.append(job["progress"])
        if job["status"] in ("done", "failed"):
            job["seen"] = seen
            return job
        assert time.monotonic() < deadline, f"still {job['status']} at {job['progress']}"
        threading.Event().wait(0.2)


def test_the_demo_clip_is_measured_in_the_background_and_shown(
    client: TestClient, demo: Path, data_dir: Path
) -> None:
    answer = client.post(
        "/movement",
        data={"test": "single_leg_squat", "side": "left"},
        files={"video": ("demo.mp4", demo.read_bytes(), "video/mp4")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].rsplit("/", 1)[-1]
    job = wait_until_finished(client, job_id)
    assert job["status"] == "done", job["error"]
    assert job["seen"] == sorted(job["seen"]), "progress only moves forward"
    result = job["result"]
    assert result["frames"] > 200 and result["frames_with_person"] >= 0.9 * result["frames"]
    assert result["repetitions"], "the demo's person bends and rises: squats are found"
    assert all(w["id"] and w["message"] for w in result["warnings"]), result["warnings"]
    assert result["outputs"]["strip_png"].startswith("out/")
    page = client.get(f"/movement/jobs/{job_id}")
    assert page.status_code == 200 and "Each squat" in page.text
    assert "<progress" not in page.text and "noscript" not in page.text.split("</head>")[0]
    for warning in result["warnings"]:
        assert f'data-warning="{warning["id"]}"' in page.text
    picture = client.get(job["strip_png"])
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG\r\n\x1a\n")
    folder = data_dir / "movement" / job_id
    assert (folder / "video.mp4").stat().st_size == demo.stat().st_size
