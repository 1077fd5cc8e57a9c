"""A movement check survives a restart of the server that was measuring it.

A real `kneecoach serve` (whose own worker thread runs the job) takes Sports2D's demo clip;
while the job is running the server gets SIGTERM, as a service manager sends it. The worker
hands the job back to the queue (queued, the take not counted), the server exits cleanly, and
a new server on the same data folder finishes the job. (A worker that dies without a word,
SIGKILL, leaves a stale heartbeat instead: tests/services/test_jobs.py covers that requeue.)

Waits poll the job's JSON up to a deadline; nothing sleeps a fixed time."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kneecoach.services import jobs
from kneecoach.settings import reset_settings
from tests.conftest import DatabaseTemplate
from tests.db import in_session
from tests.servers import LiveServer, start_server
from tests.video.clips import CACHE_NAME, demo_clip

pytestmark = pytest.mark.server

DEADLINE_S = 900.0
TOKEN = "a-form-token-for-the-restart-test-0123456789"


@pytest.fixture(scope="module")
def demo(pytestconfig: pytest.Config) -> Path:
    assert pytestconfig.cache is not None
    return demo_clip(pytestconfig.cache.mkdir(CACHE_NAME))


def job_of(server: LiveServer, job_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/v1/movement/jobs/{job_id}", timeout=30, trust_env=False)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def wait_for(server: LiveServer, job_id: str, ready: Any) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_S
    while not ready(job := job_of(server, job_id)):
        assert time.monotonic() < deadline, f"job still {job['status']} at {job['progress']}"
        threading.Event().wait(0.2)
    return job


def test_a_job_running_at_shutdown_is_finished_by_the_next_server(
    tmp_path: Path,
    database_template: DatabaseTemplate,
    demo: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "server-data"
    first = start_server(data, database_template)
    try:
        with demo.open("rb") as video:
            answer = httpx.post(
                f"{first.url}/movement",
                data={"csrf_token": TOKEN, "test": "single_leg_squat", "side": "left"},
                files={"video": ("demo.mp4", video, "video/mp4")},
                cookies={"kneecoach_csrf": TOKEN},
                timeout=120,
                trust_env=False,
            )
        assert answer.status_code == 303, answer.text
        job_id = answer.headers["location"].rsplit("/", 1)[-1]
        wait_for(first, job_id, lambda j: j["status"] == "running" and j["progress"] > 0)
    finally:
        status = first.stop()
    assert status == 0, "the server stopped cleanly, its worker too"
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(data))
    reset_settings()
    handed_back = in_session(jobs.get_job, job_id, owner=None)
    assert (handed_back.status, handed_back.attempts, handed_back.worker) == ("queued", 0, None)
    second = start_server(data)
    try:
        done = wait_for(second, job_id, lambda j: j["status"] in ("done", "failed"))
    finally:
        second.stop()
    assert done["status"] == "done", done["error"]
    assert done["attempts"] == 1 and done["result"]["frames"] > 200
