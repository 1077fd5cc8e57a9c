"""The movement check on a 1080p clip, against a bare loop of the same pose model run alongside.

The clip is Sports2D's demo (a real person outdoors, 230 frames at 30 frames/s) scaled to
1920×1080 with OpenCV; it is fetched with pip into pytest's cache the first time, as the tests
do. The baseline is the least any analysis must do: read each frame with OpenCV, turn it to
RGB and run MediaPipe's pose model on it (same settings as kneecoach's adapter). The measured
run is `services.movement.analyse_video` with an output folder: the same reading and model
plus the landmark mapping, the close-ups for the strip, the analysis and the PNG. Runs
alternate (baseline, analysis, baseline, ...) so a machine that gets busier slows both.

Targets (issue #16): the analysis adds at most 15% to the bare loop, and it reads at least as
fast as the clip plays (real time) on a 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, Figure, Section, judged, peak_rss_mb, recorded

SECTION = "video"


def _clip(work: Path) -> Path:
    from tests.video.clips import CACHE_NAME, demo_clip, scaled_clip

    demo = demo_clip(ROOT / ".pytest_cache" / "d" / CACHE_NAME)
    return scaled_clip(demo, work / "demo-1080p.mp4")


def bare_loop(path: Path) -> int:
    """Read every frame and run the pose model on it, nothing else; the frames read."""
    import cv2
    import numpy
    from mediapipe.python.solutions import pose as mp_pose

    capture = cv2.VideoCapture(str(path))
    model = mp_pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=False)
    model.process(numpy.zeros((64, 64, 3), numpy.uint8))  # as the adapter warms it up
    frames = 0
    while True:
        ok, image = capture.read()
        if not ok:
            break
        model.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        frames += 1
    model.close()
    capture.release()
    return frames


def analysis(path: Path, out: Path) -> dict[str, Any]:
    from kneecoach.services.movement import analyse_video

    return analyse_video(path, test="single_leg_squat", side="left", out_dir=out)


def _timed(fn: Any, *args: Any) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds of this process (every thread), and FN's value."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, value


def run(quick: bool) -> Section:
    runs = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="kneecoach-bench-video-") as tmp:
        work = Path(tmp)
        clip = _clip(work)
        bare: list[float] = []
        bare_cpu: list[float] = []
        full: list[float] = []
        full_cpu: list[float] = []
        frames = 0
        result: dict[str, Any] = {}
        for _ in range(runs):
            wall, cpu, frames = _timed(bare_loop, clip)
            bare.append(wall)
            bare_cpu.append(cpu)
            wall, cpu, result = _timed(analysis, clip, work / "out")
            full.append(wall)
            full_cpu.append(cpu)
    bare_s, full_s = statistics.median(bare), statistics.median(full)
    bare_cpu_s, full_cpu_s = statistics.median(bare_cpu), statistics.median(full_cpu)
    clip_s = frames / 30.0
    note = f"median of {runs}; {frames} frames of 1920×1080"
    figures: list[Figure] = [
        judged(
            SECTION,
            "analyse a 1080p clip, CPU time",
            full_cpu_s,
            "s",
            at_most=1.15,
            baseline=bare_cpu_s,
            baseline_name="bare pose loop",
            note=note + "; CPU seconds of every thread, steady on a shared machine",
        ),
        judged(
            SECTION,
            "analyse a 1080p clip, wall time",
            full_s,
            "s",
            at_most=1.15,
            baseline=bare_s,
            baseline_name="bare pose loop",
            note=note,
        ),
        judged(
            SECTION,
            "analysis speed, 1080p (× real time)",
            clip_s / full_s,
            "×",
            at_least=1.0,
            target_unit="×",
            note=f"{frames / full_s:.0f} frames/s (wall) for a 30 frames/s clip",
        ),
        recorded(
            SECTION,
            "CPU seconds per second of 1080p video",
            full_cpu_s / clip_s,
            "s",
            note="under 2 keeps up with the clip on an idle 2-core machine",
        ),
        recorded(
            SECTION,
            "bare pose loop speed, 1080p",
            frames / bare_s,
            "frames/s",
            note="OpenCV read + MediaPipe pose, model_complexity=1",
        ),
        recorded(SECTION, "peak memory of the run", peak_rss_mb(os.getpid()), "MB"),
    ]
    details = [
        (
            "Movement check on the 1080p demo clip",
            f"frames with a person: {result.get('frames_with_person')} of {result.get('frames')}; "
            f"view: {result.get('view')}; repetitions: {len(result.get('repetitions', []))}",
        )
    ]
    return Section(figures, details)
