"""The movement check's page: instructions, the upload (checked by content and size, kept in the
data folder), the job page and its JSON, the owner check, and "Add this to my assessment".

The app's own worker is turned off here (KNEECOACH_WORKER=off), so a queued job stays queued
while the page is read; finished checks are made through the queue's own functions with
results shaped as the analysis gives them. The real clip through the real pipeline is in
tests/web/test_movement_clip.py and tests/e2e/test_movement_check.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kneecoach.services import intake as intake_service
from kneecoach.services import jobs
from kneecoach.services import movement_check as checks
from kneecoach.settings import reset_settings
from kneecoach.web.app import create_app
from tests.db import in_session
from tests.movement_results import analysis
from tests.web_client import BrowserClient

# The first bytes of real files: an MP4 (ISO media, brand isom), a MOV (brand "qt  ") and a
# WebM (EBML with the webm doctype); the analysis would refuse the rest, the page does not care.
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(200)
MOV_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + bytes(200)
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + bytes(200)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("KNEECOACH_WORKER", "off")
    reset_settings()
    with BrowserClient(create_app()) as test_client:
        yield test_client


def movement_folder(data_dir: Path) -> list[Path]:
    folder = data_dir / "movement"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client: TestClient, content: bytes, name: str = "squat.mp4", **fields: str) -> Any:
    data = {"test": "single_leg_squat", "side": "left"} | fields
    return client.post(
        "/movement",
        data=data,
        files={"video": (name, content, "video/mp4")},
        follow_redirects=False,
    )


def test_the_page_says_how_to_film_and_is_linked_from_improve(client: TestClient) -> None:
    page = client.get("/movement")
    assert page.status_code == 200
    for words in ("knee height", "2 to 3 metres", "whole body", "tight trousers", "Film alone"):
        assert words in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrf_token"' in page.text
    assert 'href="/movement"' in client.get("/improve").text


@pytest.mark.parametrize(
    ("head", "kind"), [(MP4_HEAD, "mp4"), (MOV_HEAD, "mov"), (WEBM_HEAD, "webm")]
)
def test_sniffing_reads_the_first_bytes_not_the_name(head: bytes, kind: str) -> None:
    assert checks.sniff_video(head) == kind
    assert checks.sniff_video(b"GIF89a" + head) is None
    assert checks.sniff_video(b"<html>" + bytes(100)) is None


def test_an_upload_is_kept_in_the_data_folder_and_queued(
    database: str, client: TestClient, data_dir: Path
) -> None:
    """On an SQLite file and on PostgreSQL (`database`)."""
    answer = upload(client, MP4_HEAD, name="renamed.txt", side="right")
    assert answer.status_code == 303
    location = answer.headers["location"]
    job_id = location.rsplit("/", 1)[-1]
    assert location == f"/movement/jobs/{job_id}"
    (folder,) = movement_folder(data_dir)
    assert folder.name == job_id and (folder / "video.mp4").read_bytes() == MP4_HEAD
    assert folder.stat().st_mode & 0o777 == 0o700
    page = client.get(location)
    assert page.status_code == 200
    assert re.search(r'<progress id="job-progress" max="100" value="0"', page.text)
    assert '<noscript><meta http-equiv="refresh"' in page.text
    assert f'data-job-url="/api/v1/movement/jobs/{job_id}"' in page.text
    status = client.get(f"/api/v1/movement/jobs/{job_id}").json()
    assert status["status"] == "queued" and status["progress"] == 0
    assert (status["test"], status["side"], status["result"]) == ("single_leg_squat", "right", None)


@pytest.mark.parametrize(
    ("content", "fields", "field", "words"),
    [
        (b"<html>not a video</html>" * 10, {}, "video", "is not a video"),
        (MP4_HEAD, {"side": ""}, "side", "the leg you stand on"),
        (MP4_HEAD, {"test": "hop"}, "test", "one-leg squat"),
    ],
)
def test_bad_uploads_name_the_field_and_keep_nothing(
    client: TestClient, data_dir: Path, content: bytes, fields: dict[str, str], field: str,
    words: str,
) -> None:  # fmt: skip
    answer = upload(client, content, **fields)
    assert answer.status_code == 422
    assert f'<p class="field-error" id="{field}-error">' in answer.text and words in answer.text
    assert movement_folder(data_dir) == []
    assert in_session(jobs.list_jobs, owner=None) == []


def test_no_file_names_the_video_field(client: TestClient) -> None:
    answer = client.post("/movement", data={"test": "single_leg_squat", "side": "left"})
    assert answer.status_code == 422 and 'id="video-error"' in answer.text


def test_a_video_over_the_cap_is_refused_while_streaming(
    client: TestClient, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "MAX_VIDEO_BYTES", 1024 * 1024)  # the same check, a smaller cap
    answer = upload(client, MP4_HEAD + bytes(3 * 1024 * 1024))
    assert answer.status_code == 422 and "is larger than 1 MB" in answer.text
    assert movement_folder(data_dir) == []


def test_another_owners_check_and_odd_ids_are_not_found(client: TestClient) -> None:
    theirs = in_session(
        jobs.enqueue, checks.KIND, {"video": "video.mp4", "test": "single_leg_squat",
                                    "side": "left"}, "someone-else",
    )  # fmt: skip
    for path in (
        f"/movement/jobs/{theirs}",
        f"/movement/jobs/{theirs}/strip.png",
        f"/api/v1/movement/jobs/{theirs}",
        "/movement/jobs/..%2F..%2Fkneecoach.db/strip.png",
        "/api/v1/movement/jobs/not-a-job",
    ):
        assert client.get(path).status_code == 404, path


def finished_check(side: str, caves_in: bool | None, drops: bool | None) -> str:
    job_id = in_session(
        jobs.enqueue, checks.KIND, {"video": "video.mp4", "test": "single_leg_squat",
                                    "side": side}, None,
    )  # fmt: skip
    claimed = in_session(jobs.claim_next, "test-worker", kinds=(checks.KIND,))
    assert claimed is not None and claimed.id == job_id
    assert in_session(jobs.finish, job_id, analysis(side, caves_in, drops), worker="test-worker")
    return job_id


def test_results_pair_both_legs_and_are_added_only_when_accepted(
    database: str, client: TestClient, examples_dir: Path
) -> None:
    """On an SQLite file and on PostgreSQL (`database`)."""
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    document.pop("self_tests")
    in_session(intake_service.import_intake, document)
    left = finished_check("left", caves_in=True, drops=False)
    right = finished_check("right", caves_in=False, drops=None)
    page = client.get(f"/movement/jobs/{left}")
    assert page.status_code == 200 and "noscript" not in page.text.split("</head>")[0]
    assert (
        "Each squat" in page.text
        and "18°" in page.text
        and "Your knee stayed in line." in page.text
    )
    status = client.get(f"/api/v1/movement/jobs/{left}").json()
    assert (
        status["status"] == "done"
        and status["result"]["findings"]["single_leg_squat_knee_caves_in"]
    )
    home = client.get("/movement")
    assert "Add this to my assessment" in home.text
    assert (
        f'name="left" value="{left}"' in home.text and f'name="right" value="{right}"' in home.text
    )
    saved = in_session(intake_service.latest_intake)
    assert saved is not None and "single_leg_squat_knee_caves_in" not in saved.answers.get(
        "self_tests", {}
    ), "nothing is added before the person accepts"
    answer = client.post(
        "/movement/accept", data={"left": left, "right": right}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/movement?added=1"
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    assert saved.answers["self_tests"]["single_leg_squat_knee_caves_in"] == {
        "left": True, "right": False,
    }  # fmt: skip
    assert saved.answers["self_tests"]["single_leg_squat_pelvis_drops"] == {"left": False}
    assert "Your results are added" in client.get("/movement?added=1").text


def test_accepting_without_an_intake_says_what_to_do_first(client: TestClient) -> None:
    left = finished_check("left", caves_in=True, drops=True)
    assert "answer the questions about your knee" in client.get("/movement").text
    answer = client.post("/movement/accept", data={"left": left})
    assert answer.status_code == 422 and "intake" in answer.text


def test_erasing_everything_removes_the_videos_too(client: TestClient, data_dir: Path) -> None:
    assert upload(client, MP4_HEAD).status_code == 303
    assert movement_folder(data_dir)
    stranger = data_dir / "movement" / "a-folder-no-job-of-this-database-owns"
    stranger.mkdir()
    answer = client.post("/settings/delete", data={"confirm": "DELETE"}, follow_redirects=False)
    assert answer.status_code == 303
    assert movement_folder(data_dir) == [stranger], "only this database's checks are erased"
    assert in_session(jobs.list_jobs, owner=None) == []


def test_a_failed_check_says_why_in_plain_words(client: TestClient) -> None:
    job_id = in_session(
        jobs.enqueue, checks.KIND, {"video": "video.mp4", "test": "single_leg_squat",
                                    "side": "left"}, None,
    )  # fmt: skip
    in_session(jobs.claim_next, "test-worker", kinds=(checks.KIND,))
    in_session(jobs.fail, job_id, "video: is not a video kneecoach can read", worker="test-worker")
    page = client.get(f"/movement/jobs/{job_id}")
    assert page.status_code == 200 and "data-job-failed" in page.text
    assert "is not a video kneecoach can read" in page.text and "Try another video" in page.text
    assert "<progress" not in page.text
    status = client.get(f"/api/v1/movement/jobs/{job_id}").json()
    assert (status["status"], status["error"]) == (
        "failed",
        "video: is not a video kneecoach can read",
    )
