"""The worker: takes queued jobs from the database and runs them, one at a time.

It runs as a thread of the web app (started and stopped with it: the embedded default) or as
`kneecoach worker` on any machine that reaches the same database (a clinic's PostgreSQL).

Unlike the other services, the worker opens its own units of work: no person and no interface
is in the loop. Each step is one short unit of work (the claim, each progress report, the
heartbeat, the end), so the long analysis never holds a lock or a transaction open.

Waiting for work polls the table, with a back-off: right after a job or a wake-up it asks again
within a quarter of a second, then waits twice as long each time it finds nothing, up to five
seconds. An idle poll is one plain read that takes no lock. The web app wakes its own worker
when it queues a job, so a person never waits for the back-off.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import weakref
from typing import Final

from kneecoach.core.errors import KneecoachError
from kneecoach.services import jobs
from kneecoach.services.database import database_exists, transaction

log = logging.getLogger("kneecoach.worker")

IDLE_MIN: Final = 0.25
IDLE_MAX: Final = 5.0
PROGRESS_EVERY: Final = 0.5
"""Seconds between progress writes: a handler may report every frame; the table hears at most
twice a second (and always the end)."""

SOMETHING_WENT_WRONG: Final = (
    "Something went wrong on our side while working on this. Nothing you gave was lost. "
    "Please try again; if it keeps happening, the server's log says more."
)


class WorkerStopping(BaseException):
    """Raised inside a handler's progress call when the worker is told to stop, so the job ends
    at once and goes back to the queue. A BaseException, so a handler's `except Exception`
    cannot swallow it."""


class JobLost(BaseException):
    """The job was put back in the queue and taken by another worker: this one stops it."""


def default_name() -> str:
    """host:pid, as the jobs table's `worker` column shows it."""
    return f"{socket.gethostname()}:{os.getpid()}"


class _Reporter:
    """The progress callback a handler gets: throttled writes, and the stop signal."""

    def __init__(self, worker: Worker, job_id: str) -> None:
        self.worker = worker
        self.job_id = job_id
        self.last_time = 0.0
        self.last_fraction = -1.0

    def __call__(self, fraction: float) -> None:
        if self.worker.stopping:
            raise WorkerStopping
        now = time.monotonic()
        if fraction < 1.0 and now - self.last_time < PROGRESS_EVERY:
            return
        if fraction == self.last_fraction:
            return
        self.last_time, self.last_fraction = now, fraction
        with transaction() as session:
            held = jobs.report_progress(
                self.job_id,
                fraction,
                "Working.",
                worker=self.worker.name,
                session=session,
            )
        if not held:
            raise JobLost


class Worker:
    """Runs jobs from the queue until told to stop."""

    def __init__(
        self,
        name: str | None = None,
        *,
        kinds: tuple[str, ...] | None = None,
        idle_min: float = IDLE_MIN,
        idle_max: float = IDLE_MAX,
        heartbeat_every: float = jobs.HEARTBEAT_EVERY.total_seconds(),
    ) -> None:
        self.name = name or default_name()
        self.kinds = kinds
        self.idle_min = idle_min
        self.idle_max = idle_max
        self.heartbeat_every = heartbeat_every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # --- control ---

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wake(self) -> None:
        """New work may be there: look now, not after the back-off."""
        self._wake.set()

    def stop(self, wait: float | None = 30.0) -> None:
        """Stop after the current step; a running job goes back to the queue."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def start_thread(self) -> threading.Thread:
        """Run in a daemon thread of this process (the web app's own worker)."""
        self._thread = threading.Thread(target=self.run, name=f"kneecoach-worker-{self.name}")
        self._thread.daemon = True
        _LOCAL.add(self)
        self._thread.start()
        return self._thread

    # --- work ---

    def run_one(self) -> jobs.JobView | None:
        """Take one job and run it to its end; None when the queue had nothing for us."""
        with transaction() as session:
            job = jobs.claim_next(self.name, kinds=self.kinds, session=session)
        if job is None:
            return None
        handler = jobs.HANDLERS.get(job.kind)
        beating = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job.id, beating), daemon=True)
        beat.start()
        try:
            if handler is None:  # claim_next only takes known kinds; a guard all the same
                self._end(job.id, error=f"kneecoach cannot run jobs of the kind {job.kind!r}.")
            else:
                self._run(job, handler)
        finally:
            beating.set()
            beat.join()
        with transaction() as session:
            return jobs.get_job(job.id, owner=job.owner, session=session)

    def _run(self, job: jobs.JobView, handler: jobs.Handler) -> None:
        try:
            result = handler(job.id, job.params, _Reporter(self, job.id))
        except WorkerStopping:
            with transaction() as session:
                jobs.release(job.id, worker=self.name, session=session)
            log.info("job %s handed back to the queue: the worker is stopping", job.id)
        except JobLost:
            log.warning("job %s was taken by another worker; this one let it go", job.id)
        except KneecoachError as error:
            self._end(job.id, error=str(error))
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            self._end(job.id, error=SOMETHING_WENT_WRONG)
        else:
            self._end(job.id, result=result)

    def _end(
        self, job_id: str, *, result: dict[str, object] | None = None, error: str | None = None
    ) -> None:
        with transaction() as session:
            if error is not None:
                jobs.fail(job_id, error, worker=self.name, session=session)
            else:
                jobs.finish(job_id, result or {}, worker=self.name, session=session)

    def _beat(self, job_id: str, done: threading.Event) -> None:
        """Beat the job's heart while it runs, so no other worker takes it for dead."""
        while not done.wait(self.heartbeat_every):
            try:
                with transaction() as session:
                    jobs.heartbeat(job_id, worker=self.name, session=session)
            except Exception:  # a missed beat is made up by the next one
                log.exception("heartbeat of job %s failed", job_id)

    def run_until_empty(self) -> int:
        """Run the jobs waiting now, one after another; returns how many ran."""
        count = 0
        while not self.stopping and self.run_one() is not None:
            count += 1
        return count

    def run(self) -> None:
        """Poll and run until `stop()`: the loop of `kneecoach worker` and the web app's thread."""
        wait = self.idle_min
        while not self.stopping:
            ran = None
            try:
                if database_exists():  # never create a database just to find it empty
                    ran = self.run_one()
            except Exception:
                log.exception("the worker could not read the queue; trying again soon")
                wait = self.idle_max
            if ran is not None:
                wait = self.idle_min
                continue
            if self._wake.wait(wait):
                self._wake.clear()
                wait = self.idle_min
            else:
                wait = min(wait * 2, self.idle_max)
        _LOCAL.discard(self)


_LOCAL: weakref.WeakSet[Worker] = weakref.WeakSet()


def wake_local_workers() -> None:
    """Tell this process's workers (the web app's thread) that a job was queued."""
    for worker in list(_LOCAL):
        worker.wake()
