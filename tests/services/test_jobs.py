"""services/jobs and services/worker: the job queue in kneecoach's own table, on an SQLite file
and on a real PostgreSQL server.

The work the tests queue is real: small job kinds registered here (they add numbers, report
progress, refuse bad input, crash, or wait until the worker stops). Waits poll the job's status
up to a deadline; nothing sleeps a fixed time.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import jobs
from kneecoach.services.worker import SOMETHING_WENT_WRONG, Worker
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from tests.db import in_session

DEADLINE_S = 60.0


def add_numbers(job_id: str, params: Mapping[str, Any], progress: jobs.Progress) -> dict[str, Any]:
    numbers = params["numbers"]
    total = 0
    for done, number in enumerate(numbers, start=1):
        total += number
        progress(done / len(numbers))
    return {"sum": total, "job": job_id}


def refuse(job_id: str, params: Mapping[str, Any], progress: jobs.Progress) -> dict[str, Any]:
    raise InputError("video", "is not a video kneecoach can read")


def crash(job_id: str, params: Mapping[str, Any], progress: jobs.Progress) -> dict[str, Any]:
    raise ZeroDivisionError("a bug deep inside")


RUNNING = threading.Event()


def until_stopped(
    job_id: str, params: Mapping[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    """Reports progress until the worker's stop makes the report raise."""
    RUNNING.set()
    while True:
        progress(0.5)
        RUNNING.wait(0.05)  # pacing between reports, not a wait for anything


KINDS: dict[str, jobs.Handler] = {
    "test_add": add_numbers,
    "test_refuse": refuse,
    "test_crash": crash,
    "test_until_stopped": until_stopped,
}


@pytest.fixture(autouse=True)
def test_kinds(database: str) -> Iterator[None]:
    """Every test here runs on SQLite and on PostgreSQL (`database`), with the kinds above."""
    for kind, handler in KINDS.items():
        jobs.register(kind, handler)
    yield
    for kind in KINDS:
        jobs.unregister(kind)


def wait_for(job_id: str, done: Callable[[jobs.JobView], bool]) -> jobs.JobView:
    """Poll the job until `done(job)` or the deadline."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        job = in_session(jobs.get_job, job_id, owner=None)
        if done(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} stuck as {job.status}"
        threading.Event().wait(0.05)


def test_a_job_is_queued_claimed_reported_and_finished() -> None:
    job_id = in_session(jobs.enqueue, "test_add", {"numbers": [1, 2]}, None)
    queued = in_session(jobs.get_job, job_id, owner=None)
    assert (queued.status, queued.progress, queued.attempts) == ("queued", 0.0, 0)
    claimed = in_session(jobs.claim_next, "worker-a")
    assert claimed is not None and claimed.id == job_id
    assert (claimed.status, claimed.worker, claimed.attempts) == ("running", "worker-a", 1)
    assert in_session(jobs.claim_next, "worker-b") is None, "a running job is nobody else's"
    assert in_session(jobs.report_progress, job_id, 0.4, "reading", worker="worker-a")
    assert not in_session(jobs.report_progress, job_id, 0.9, worker="worker-b")
    seen = in_session(jobs.get_job, job_id, owner=None)
    assert (seen.progress, seen.message) == (0.4, "reading")
    assert in_session(jobs.finish, job_id, {"sum": 3}, worker="worker-a")
    done = in_session(jobs.get_job, job_id, owner=None)
    assert (done.status, done.result, done.progress) == ("done", {"sum": 3}, 1.0)
    assert done.finished_at is not None and done.finished_at >= done.created_at
    assert not in_session(jobs.finish, job_id, {"sum": 4}, worker="worker-a"), "done is final"


def test_the_oldest_job_goes_first_and_progress_stays_within_0_and_1() -> None:
    first = in_session(jobs.enqueue, "test_add", {"numbers": [1]}, None)
    second = in_session(jobs.enqueue, "test_add", {"numbers": [2]}, None)
    claimed = in_session(jobs.claim_next, "w")
    assert claimed is not None and claimed.id == first
    in_session(jobs.report_progress, first, 7.0, worker="w")
    assert in_session(jobs.get_job, first, owner=None).progress == 1.0
    again = in_session(jobs.claim_next, "w")
    assert again is not None and again.id == second


def test_a_failed_job_keeps_the_message_for_the_person() -> None:
    job_id = in_session(jobs.enqueue, "test_add", {"numbers": []}, None)
    in_session(jobs.claim_next, "w")
    assert in_session(jobs.fail, job_id, "video: is too dark", worker="w")
    failed = in_session(jobs.get_job, job_id, owner=None)
    assert (failed.status, failed.error) == ("failed", "video: is too dark")


def test_another_owners_job_is_not_found_and_a_bad_id_names_the_field() -> None:
    job_id = in_session(jobs.enqueue, "test_add", {"numbers": [1]}, "account-1")
    assert in_session(jobs.get_job, job_id, owner="account-1").owner == "account-1"
    with pytest.raises(NotFoundError):
        in_session(jobs.get_job, job_id, owner="account-2")
    with pytest.raises(NotFoundError):
        in_session(jobs.get_job, job_id, owner=None)
    with pytest.raises(InputError) as error:
        in_session(jobs.get_job, "../../etc/passwd", owner=None)
    assert error.value.field == "job"
    with pytest.raises(InputError) as unknown:
        in_session(jobs.enqueue, "no_such_kind", {}, None)
    assert unknown.value.field == "kind"


def test_a_job_whose_worker_died_is_queued_again_then_given_up_after_three_takes() -> None:
    job_id = in_session(jobs.enqueue, "test_add", {"numbers": [1]}, None)
    in_session(jobs.claim_next, "died-1")
    assert in_session(jobs.claim_next, "w2") is None, "a fresh heartbeat is alive"
    later = jobs._now() + jobs.STALE_AFTER + timedelta(seconds=1)
    retaken = in_session(jobs.claim_next, "w2", now=later)
    assert retaken is not None and retaken.id == job_id
    assert (retaken.worker, retaken.attempts) == ("w2", 2)
    assert not in_session(jobs.heartbeat, job_id, worker="died-1"), "the dead worker lost it"
    later = later + jobs.STALE_AFTER + timedelta(seconds=1)
    third = in_session(jobs.claim_next, "w3", now=later)
    assert third is not None and third.attempts == jobs.MAX_ATTEMPTS
    later = later + jobs.STALE_AFTER + timedelta(seconds=1)
    assert in_session(jobs.claim_next, "w4", now=later) is None
    given_up = in_session(jobs.get_job, job_id, owner=None)
    assert given_up.status == "failed" and given_up.attempts == jobs.MAX_ATTEMPTS
    assert given_up.error is not None and "stopped 3 times" in given_up.error


def test_a_worker_runs_jobs_to_the_end_with_results_and_plain_errors() -> None:
    added = in_session(jobs.enqueue, "test_add", {"numbers": [2, 3, 4]}, None)
    refused = in_session(jobs.enqueue, "test_refuse", {}, None)
    crashed = in_session(jobs.enqueue, "test_crash", {}, None)
    assert Worker("w").run_until_empty() == 3
    done = in_session(jobs.get_job, added, owner=None)
    assert (done.status, done.result) == ("done", {"sum": 9, "job": added})
    bad = in_session(jobs.get_job, refused, owner=None)
    assert (bad.status, bad.error) == ("failed", "video: is not a video kneecoach can read")
    broken = in_session(jobs.get_job, crashed, owner=None)
    assert (broken.status, broken.error) == ("failed", SOMETHING_WENT_WRONG)
    assert "ZeroDivisionError" not in SOMETHING_WENT_WRONG and "Traceback" not in broken.error


def test_the_worker_thread_takes_new_work_and_hands_a_running_job_back_when_stopped() -> None:
    worker = Worker("thread-worker")
    worker.start_thread()
    try:
        job_id = in_session(jobs.enqueue, "test_add", {"numbers": [5]}, None)
        worker.wake()
        assert wait_for(job_id, lambda j: j.finished).result == {"sum": 5, "job": job_id}
        RUNNING.clear()
        long_job = in_session(jobs.enqueue, "test_until_stopped", {}, None)
        worker.wake()
        wait_for(long_job, lambda j: j.status == "running" and j.progress == 0.5)
    finally:
        worker.stop()
    back = in_session(jobs.get_job, long_job, owner=None)
    assert (back.status, back.attempts, back.worker) == ("queued", 0, None)


def test_two_workers_in_threads_never_take_the_same_job() -> None:
    ids = {in_session(jobs.enqueue, "test_add", {"numbers": [n]}, None) for n in range(24)}
    barrier = threading.Barrier(4, timeout=DEADLINE_S)

    def take_all(name: str) -> list[str]:
        barrier.wait()
        taken = []
        while (job := in_session(jobs.claim_next, name)) is not None:
            taken.append(job.id)
        return taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(take_all, [f"t{n}" for n in range(4)], timeout=DEADLINE_S))
    taken = [job_id for result in results for job_id in result]
    assert sorted(taken) == sorted(ids), "every job taken exactly once"


def _claim_in_a_process(url: str, name: str, start: Any, out: Any) -> None:
    """A worker process of its own (no shared Python lock): claims until the queue is empty."""
    import os

    os.environ["KNEECOACH_DATABASE_URL"] = url
    reset_settings()
    for kind, handler in KINDS.items():
        jobs.register(kind, handler)
    start.wait()  # both workers and the test start together
    taken = []
    while (job := in_session(jobs.claim_next, name)) is not None:
        taken.append(job.id)
    out.put(taken)
    db.dispose_engines()


def test_two_worker_processes_never_take_the_same_job(database: str) -> None:
    ids = {in_session(jobs.enqueue, "test_add", {"numbers": [n]}, None) for n in range(30)}
    db.dispose_engines()
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(3, timeout=DEADLINE_S), context.Queue()
    processes = [
        context.Process(target=_claim_in_a_process, args=(database, f"p{n}", start, out))
        for n in range(2)
    ]
    for process in processes:
        process.start()
    start.wait()
    taken = [job_id for _ in processes for job_id in out.get(timeout=DEADLINE_S)]
    for process in processes:
        process.join(DEADLINE_S)
        assert process.exitcode == 0
    assert sorted(taken) == sorted(ids), "every job taken exactly once"
