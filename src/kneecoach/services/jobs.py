"""Background jobs in kneecoach's own database: long work (a video to analyse) leaves the request.

A job is queued (`enqueue`), taken by one worker (`claim_next`), tells how far it got
(`report_progress`, `heartbeat`) and ends `done` (`finish`, with a JSON result) or `failed`
(`fail`, with a message for the person, never a traceback). Each function works in the
caller's unit of work (`*, session`); the worker loop (`services/worker.py`) opens one per
step.

Two workers never take the same job:

- PostgreSQL: the claim reads the oldest queued row `FOR UPDATE SKIP LOCKED`, so a second
  worker skips the row the first one holds and takes the next (or none).
- SQLite: one writer at a time. The claim takes the write lock first (`BEGIN IMMEDIATE`,
  `storage.locking.lock_for_write`), then reads and updates the row in the same unit of work.

A worker that dies (killed, power cut) leaves its job `running` with a heartbeat that stops
moving. The next claim puts a job whose heartbeat is older than `STALE_AFTER` back in the queue
(the job survives a restart), and fails it for good once it has been taken `MAX_ATTEMPTS`
times, so one bad video cannot stop every worker in turn.

Why not procrastinate: it is a good queue, but it needs PostgreSQL (LISTEN/NOTIFY and its own
SQL functions), and kneecoach's embedded default is an SQLite file. One table and these few
functions run on both, and a worker on another machine only needs the database URL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

from sqlalchemy import and_, delete, or_, select

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services.database import Session
from kneecoach.storage.locking import lock_for_write
from kneecoach.storage.models.jobs import Job

Status = Literal["queued", "running", "done", "failed"]

MAX_ATTEMPTS: Final = 3
"""Product decision: a job is taken at most three times. A worker that died twice on the same
job will likely die again; the third stop ends it with a message for the person."""

STALE_AFTER: Final = timedelta(seconds=90)
"""Product decision: a running job not heard from for this long has lost its worker. Workers
beat every `HEARTBEAT_EVERY`, so a live one is never taken for dead."""

HEARTBEAT_EVERY: Final = timedelta(seconds=10)

GAVE_UP: Final = (
    "This job stopped {n} times before it could finish, so kneecoach stopped trying. "
    "Try again with a shorter video."
)


@dataclass(frozen=True)
class JobView:
    """A job as the services and interfaces see it (times in UTC)."""

    id: str
    kind: str
    owner: str | None
    status: Status
    params: dict[str, Any]
    progress: float
    message: str | None
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None
    worker: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite gives stored times back without a zone; they were stored as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _view(job: Job) -> JobView:
    created = _utc(job.created_at)
    assert created is not None
    return JobView(
        id=job.id,
        kind=job.kind,
        owner=job.owner,
        status=job.status,  # type: ignore[arg-type]  # the CHECK constraint keeps it one of four
        params=dict(job.params or {}),
        progress=float(job.progress),
        message=job.message,
        result=job.result,
        error=job.error,
        attempts=job.attempts,
        created_at=created,
        started_at=_utc(job.started_at),
        heartbeat_at=_utc(job.heartbeat_at),
        finished_at=_utc(job.finished_at),
        worker=job.worker,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def parse_job_id(raw: str, field: str = "job") -> str:
    """A job id is a UUID in its usual text form; anything else names the field."""
    try:
        return str(uuid.UUID(raw))
    except (ValueError, AttributeError, TypeError):
        raise InputError(field, f"{raw!r} is not a job id") from None


def new_job_id() -> str:
    return str(uuid.uuid4())


def enqueue(
    kind: str,
    params: Mapping[str, Any],
    owner: str | None = None,
    *,
    job_id: str | None = None,
    session: Session,
) -> str:
    """Queue a job of a known kind; returns its id. It runs once the unit of work commits."""
    if kind not in HANDLERS:
        raise InputError("kind", f"{kind!r} is not a kind of job kneecoach knows")
    job = Job(
        id=parse_job_id(job_id) if job_id else new_job_id(),
        kind=kind,
        owner=owner,
        status="queued",
        params=dict(params),
        progress=0.0,
        attempts=0,
        created_at=_now(),
    )
    session.add(job)
    session.flush()
    return job.id


def get_job(job_id: str, *, owner: str | None, session: Session) -> JobView:
    """One job of this owner; another owner's job is "not found", as a missing one is."""
    key = parse_job_id(job_id)
    job = session.get(Job, key)
    if job is None or job.owner != owner:
        raise NotFoundError(f"there is no job {key}", field="job")
    return _view(job)


def list_jobs(
    *, kind: str | None = None, owner: str | None, limit: int = 50, session: Session
) -> list[JobView]:
    """This owner's jobs, newest first."""
    query = select(Job).where(Job.owner.is_(None) if owner is None else Job.owner == owner)
    if kind is not None:
        query = query.where(Job.kind == kind)
    rows = session.scalars(query.order_by(Job.created_at.desc()).limit(limit))
    return [_view(job) for job in rows]


def all_job_ids(*, session: Session) -> list[str]:
    """Every job in this database, whoever owns it (to erase their files with them)."""
    return list(session.scalars(select(Job.id)))


def erase_jobs_of(owner: str, *, session: Session) -> list[str]:
    """Server mode: a person erased their data, so their jobs in the practice's queue go too
    (a running one with them: its worker finds it gone and stops). Returns their ids, for the
    files."""
    ids = list(session.scalars(select(Job.id).where(Job.owner == owner)))
    if ids:
        session.execute(delete(Job).where(Job.id.in_(ids)))
    return ids


def _stale(now: datetime, stale_after: timedelta) -> Any:
    return and_(Job.status == "running", Job.heartbeat_at < now - stale_after)


def claim_next(
    worker: str,
    *,
    kinds: Collection[str] | None = None,
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
    session: Session,
) -> JobView | None:
    """Take the oldest queued job for this worker (None when there is none), first putting back
    in the queue any job whose worker stopped beating (or failing it after `MAX_ATTEMPTS`).

    The caller commits right away: the job is the worker's from that commit on."""
    moment = now or _now()
    wanted = tuple(kinds) if kinds is not None else tuple(HANDLERS)
    # A plain read first: an idle worker's poll takes no lock at all.
    waiting = session.scalar(
        select(Job.id)
        .where(Job.kind.in_(wanted), or_(Job.status == "queued", _stale(moment, stale_after)))
        .limit(1)
    )
    if waiting is None:
        return None
    lock_for_write(session)
    postgres = session.get_bind().dialect.name == "postgresql"
    stale = session.scalars(
        select(Job)
        .where(Job.kind.in_(wanted), _stale(moment, stale_after))
        .with_for_update(skip_locked=postgres)
    ).all()
    for job in stale:
        if job.attempts >= MAX_ATTEMPTS:
            job.status = "failed"
            job.error = GAVE_UP.format(n=job.attempts)
            job.finished_at = moment
        else:
            job.status = "queued"
            job.message = "Waiting to start again."
        job.worker = None
    session.flush()
    queued = session.scalars(
        select(Job)
        .where(Job.kind.in_(wanted), Job.status == "queued")
        .order_by(Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=postgres)
    ).first()
    if queued is None:
        return None
    job = queued
    job.status = "running"
    job.worker = worker
    job.attempts += 1
    job.started_at = moment
    job.heartbeat_at = moment
    job.progress = 0.0
    job.message = "Starting."
    session.flush()
    return _view(job)


def _held(job_id: str, worker: str, session: Session) -> Job | None:
    """The job if this worker still holds it (running, its name): a worker whose job was put
    back and taken by another must not write over the other's work."""
    lock_for_write(session)
    job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()
    if job is None or job.status != "running" or job.worker != worker:
        return None
    return job


def report_progress(
    job_id: str, fraction: float, message: str | None = None, *, worker: str, session: Session
) -> bool:
    """Record how far the job got (0..1, clamped) and beat its heart; False when this worker
    no longer holds the job (it should stop)."""
    job = _held(job_id, worker, session)
    if job is None:
        return False
    job.progress = min(1.0, max(0.0, float(fraction)))
    if message is not None:
        job.message = message
    job.heartbeat_at = _now()
    return True


def heartbeat(job_id: str, *, worker: str, session: Session) -> bool:
    """Say the worker is still on the job; False when it no longer holds it."""
    job = _held(job_id, worker, session)
    if job is None:
        return False
    job.heartbeat_at = _now()
    return True


def finish(job_id: str, result: Mapping[str, Any], *, worker: str, session: Session) -> bool:
    """The job is done, with its result."""
    job = _held(job_id, worker, session)
    if job is None:
        return False
    job.status = "done"
    job.result = dict(result)
    job.progress = 1.0
    job.message = "Done."
    job.finished_at = _now()
    return True


def fail(job_id: str, error: str, *, worker: str, session: Session) -> bool:
    """The job cannot be done: `error` is for the person (plain words, no traceback)."""
    job = _held(job_id, worker, session)
    if job is None:
        return False
    job.status = "failed"
    job.error = error
    job.finished_at = _now()
    return True


def release(job_id: str, *, worker: str, session: Session) -> bool:
    """A worker stopping cleanly hands its job back to the queue; the take does not count."""
    job = _held(job_id, worker, session)
    if job is None:
        return False
    job.status = "queued"
    job.worker = None
    job.attempts = max(0, job.attempts - 1)
    job.progress = 0.0
    job.message = "Waiting to start again."
    return True


# --- What each kind of job runs ----------------------------------------------------------

Progress = Callable[[float], None]
Handler = Callable[[str, Mapping[str, Any], Progress], dict[str, Any]]
"""A job's work: its id, its params and a progress callback (0..1) in, its JSON result out. It raises
`InputError` for a problem the person can fix; the message becomes the job's error."""


def _movement_analysis(
    job_id: str, params: Mapping[str, Any], progress: Progress
) -> dict[str, Any]:
    from kneecoach.services.movement_check import run_movement_job  # the pose model loads late

    return run_movement_job(job_id, params, progress)


HANDLERS: dict[str, Handler] = {"movement_analysis": _movement_analysis}
"""Each kind of job and its handler; a handler imports its heavy parts when it runs."""


def register(kind: str, handler: Handler) -> None:
    """Add a kind of job (the tests register small real ones)."""
    HANDLERS[kind] = handler


def unregister(kind: str) -> None:
    HANDLERS.pop(kind, None)
