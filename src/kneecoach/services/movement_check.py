"""The movement check in the web app: a filmed squat becomes a background job and its result.

A person uploads a video (`start_movement_check`): it is checked (a real MP4, MOV or WebM by its
first bytes, not its name; at most `MAX_VIDEO_BYTES`), stored in the data folder under
`movement/<job id>/` (never where the web server serves files from), and queued as a
`movement_analysis` job. A worker runs `run_movement_job`, which calls the analysis
(`services.movement.analyse_video`, imported only then: the pose model is large). The page
reads the job, pairs the newest left and right single-leg results (`latest_pair`), and, only
when the person accepts, adds the findings to their self-tests (`accept_findings`).

A worker on another machine reads the same data folder (a network share set as
KNEECOACH_DATA_DIR) and the same database.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Final

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.core.limits import MAX_VIDEO_BYTES
from kneecoach.services import jobs
from kneecoach.services.database import Session
from kneecoach.settings import get_settings

KIND: Final = "movement_analysis"
TESTS: Final = ("single_leg_squat", "double_leg_squat")
SIDES: Final = ("left", "right")
CHUNK: Final = 1024 * 1024
FINDINGS: Final = ("single_leg_squat_knee_caves_in", "single_leg_squat_pelvis_drops")
"""The self-tests a single-leg squat's result can fill (`findings` of the analysis)."""

_QUICKTIME_ATOMS: Final = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def sniff_video(head: bytes) -> str | None:
    """The container a file's first bytes show: "mp4", "mov" or "webm"; None for anything else.

    MP4 and MOV are ISO media files: a box size, then `ftyp` and a brand (`qt  ` for MOV);
    old MOV files may start with another QuickTime atom. WebM is an EBML document (1A 45 DF A3)
    whose doctype is "webm"."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if len(head) >= 8 and head[4:8] in _QUICKTIME_ATOMS:
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "webm"
    return None


def movement_folder() -> Path:
    return get_settings().data_dir / "movement"


def forget_movement_files(*, session: Session) -> None:
    """Everything is being erased: the videos and pictures of the jobs in this database go too
    (they are files, not rows). Only those jobs' folders: another database's jobs (another
    person's, on a shared data folder) keep theirs."""
    for job_id in jobs.all_job_ids(session=session):
        shutil.rmtree(job_folder(job_id), ignore_errors=True)


def forget_checks_of(owner: str, *, session: Session) -> int:
    """Server mode: a person erased their data. Their movement checks live in the practice's
    queue, not in their store: the rows and the videos and pictures go now. `session` is the
    practice's unit of work; returns how many checks went."""
    ids = jobs.erase_jobs_of(owner, session=session)
    for job_id in ids:
        shutil.rmtree(job_folder(job_id), ignore_errors=True)
    return len(ids)


def job_folder(job_id: str) -> Path:
    """Where one check's video and pictures live; the id is checked to be a job id first, so
    no name can lead outside the movement folder."""
    return movement_folder() / jobs.parse_job_id(job_id)


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)


def _check_choice(value: str, allowed: tuple[str, ...], field: str, words: str) -> str:
    if value not in allowed:
        raise InputError(field, f"choose {words}")
    return value


def store_video(stream: BinaryIO, folder: Path) -> Path:
    """Copy an uploaded video into `folder` in chunks, checking its kind by its first bytes and
    its size as it goes; returns the stored file. Nothing stays behind when it is refused."""
    head = stream.read(64)
    kind = sniff_video(head)
    if kind is None:
        raise InputError(
            "video",
            "is not a video kneecoach can read: use an MP4, MOV or WebM file from your phone",
        )
    _private_folder(folder)
    target = folder / f"video.{kind}"
    size = len(head)
    try:
        with target.open("wb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > MAX_VIDEO_BYTES:
                    raise InputError(
                        "video",
                        f"is larger than {MAX_VIDEO_BYTES // 2**20} MB: film only the squats, "
                        "about 30 seconds",
                    )
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if size == len(head) and size < 64:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError("video", "is empty or cut short: choose the file again")
    return target


def start_movement_check(
    stream: BinaryIO | None,
    *,
    test: str,
    side: str,
    owner: str | None,
    session: Session,
) -> str:
    """Check and store an uploaded video and queue its analysis; returns the job id.

    `session` is the queue's unit of work (the configured database)."""
    problems: list[InputError] = []
    for value, allowed, field, words in (
        (test, TESTS, "test", "the one-leg squat or the two-leg squat"),
        (side, SIDES, "side", "the leg you stand on: left or right"),
    ):
        try:
            _check_choice(value, allowed, field, words)
        except InputError as error:
            problems.append(error)
    if problems:
        raise problems[0]
    if stream is None:
        raise InputError("video", "choose the video file to upload")
    job_id = jobs.new_job_id()
    folder = job_folder(job_id)
    stored = store_video(stream, folder)
    try:
        jobs.enqueue(
            KIND,
            {"video": stored.name, "test": test, "side": side},
            owner,
            job_id=job_id,
            session=session,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job_id


def run_movement_job(
    job_id: str, params: Mapping[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    """The worker's part: analyse the stored video; the result is the analysis JSON with its
    pictures named relative to the job's folder."""
    from kneecoach.services.movement import analyse_video  # type: ignore[import-untyped,unused-ignore]  # movement-video's module

    name = str(params.get("video", ""))
    if not name or PurePath(name).name != name:
        raise InputError("video", "the stored video has a name kneecoach did not give it")
    folder = job_folder(job_id)
    video = folder / name
    if not video.is_file():
        raise InputError("video", "the uploaded video is no longer there: please upload it again")
    out = folder / "out"
    _private_folder(out)
    result = dict(
        analyse_video(
            video,
            test=params["test"],
            side=params["side"],
            out_dir=out,
            progress=progress,
        )
    )
    outputs = result.get("outputs") or {}
    kept: dict[str, str | None] = {}
    for key, value in outputs.items():
        kept[key] = _inside(folder, value)
    result["outputs"] = kept
    return result


def _inside(folder: Path, value: Any) -> str | None:
    """A file the analysis wrote, named relative to the job's folder; None if it is elsewhere."""
    if not value:
        return None
    path = Path(str(value))
    path = path if path.is_absolute() else folder / "out" / path
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


@dataclass(frozen=True)
class MovementCheck:
    """One uploaded check: the job and, once done, the analysis."""

    job: jobs.JobView

    @property
    def test(self) -> str:
        return str(self.job.params.get("test", ""))

    @property
    def side(self) -> str:
        return str(self.job.params.get("side", ""))

    @property
    def analysis(self) -> dict[str, Any] | None:
        return self.job.result if self.job.status == "done" else None

    @property
    def findings(self) -> dict[str, bool | None]:
        found = (self.analysis or {}).get("findings") or {}
        return {key: found.get(key) for key in FINDINGS}


def movement_check(job_id: str, *, owner: str | None, session: Session) -> MovementCheck:
    job = jobs.get_job(job_id, owner=owner, session=session)
    if job.kind != KIND:
        raise NotFoundError(f"there is no movement check {job.id}", field="job")
    return MovementCheck(job)


def movement_checks(*, owner: str | None, session: Session) -> list[MovementCheck]:
    """This person's checks, newest first."""
    return [MovementCheck(j) for j in jobs.list_jobs(kind=KIND, owner=owner, session=session)]


def latest_pair(
    checks: list[MovementCheck],
) -> dict[str, MovementCheck | None]:
    """The newest finished single-leg squat on each standing leg."""
    pair: dict[str, MovementCheck | None] = {"left": None, "right": None}
    for check in checks:  # newest first
        finished = check.analysis is not None and check.test == "single_leg_squat"
        if finished and check.side in pair and pair[check.side] is None:
            pair[check.side] = check
    return pair


def picture_file(check: MovementCheck, output: str = "strip_png") -> Path:
    """The annotated picture of a finished check; NotFoundError when there is none. The name
    comes from the stored result and must lie inside the job's own folder."""
    analysis = check.analysis or {}
    name = (analysis.get("outputs") or {}).get(output)
    folder = job_folder(check.job.id).resolve()
    if isinstance(name, str) and name:
        path = (folder / name).resolve()
        if path.is_relative_to(folder) and path.is_file():
            return path
    raise NotFoundError("this check has no picture", field=output)


def findings_to_add(pair: Mapping[str, MovementCheck | None]) -> dict[str, dict[str, bool]]:
    """What accepting would add: per self-test, the sides the videos could measure."""
    added: dict[str, dict[str, bool]] = {}
    for test_id in FINDINGS:
        sides = {}
        for side, check in pair.items():
            value = check.findings.get(test_id) if check is not None else None
            if isinstance(value, bool):
                sides[side] = value
        if sides:
            added[test_id] = sides
    return added


def accept_findings(
    pair: Mapping[str, MovementCheck | None], *, session: Session
) -> dict[str, dict[str, bool]]:
    """Add the paired results to the person's self-tests (their newest intake, plan made
    again); only called when the person accepts. `session` is the person's unit of work."""
    from kneecoach.services.self_tests import record_self_test

    added = findings_to_add(pair)
    if not added:
        raise InputError(
            "findings", "the videos could not measure the knee or the hip: film them again"
        )
    for test_id, sides in added.items():
        record_self_test(test_id, {f"self_tests.{test_id}": sides}, session=session)
    return added
