"""Real video clips for the movement check's tests, fetched or made at test time.

`demo_clip(cache)` is Sports2D's demo clip (a real person moving outdoors, 1768×994 at 30
frames/s, BSD-3-Clause), taken from the `sports2d` wheel with pip the first time and kept in
pytest's cache folder after that; it is never committed. The other helpers make clips from it
with OpenCV: a phone-style portrait clip (frames stored on their side, with the rotation in
the file's metadata), a clip where the tracked person jumps to another place halfway (as when
the tracker switches people), and a copy scaled to 1080p for the benchmark.

Other test folders use these too (the web page's browser test uploads the demo clip):
`demo_clip(pytestconfig.cache.mkdir(CACHE_NAME))`.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

SPORTS2D = "sports2d==0.8.34"
DEMO_IN_WHEEL = "Sports2D/Demo/demo.mp4"
CACHE_NAME = "movement-clips"
"""The folder under pytest's cache (.pytest_cache/d/) that keeps the fetched clip."""


def demo_clip(cache: Path) -> Path:
    """Sports2D's demo clip in CACHE, downloaded with pip on first use (about 9 MB)."""
    target = cache / "demo.mp4"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                SPORTS2D,
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "--quiet",
                "--dest",
                work,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        (wheel,) = Path(work).glob("sports2d-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            partial = Path(work) / "demo.mp4"
            partial.write_bytes(archive.read(DEMO_IN_WHEEL))
        os.replace(partial, target)  # atomic: a parallel run sees the whole file or none
    return target


def _cv2() -> Any:
    import cv2

    return cv2


def _frames(source: Path, first: int = 0, count: int | None = None) -> tuple[list[Any], float]:
    cv2 = _cv2()
    capture = cv2.VideoCapture(str(source))
    fps = float(capture.get(cv2.CAP_PROP_FPS))
    capture.set(cv2.CAP_PROP_POS_FRAMES, first)
    frames = []
    while count is None or len(frames) < count:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    capture.release()
    return frames, fps


def write_clip(path: Path, frames: list[Any], fps: float, codec: str = "mp4v") -> Path:
    """FRAMES (BGR, all one size) as a video at PATH (MP4 or MOV with `mp4v`, WebM with
    `VP80`)."""
    cv2 = _cv2()
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), fps, (width, height))
    assert writer.isOpened(), f"OpenCV cannot write {path}"
    for image in frames:
        writer.write(image)
    writer.release()
    return path


def first_seconds(source: Path, path: Path, count: int = 30, codec: str = "mp4v") -> Path:
    """The first COUNT frames of SOURCE at half size, in the container PATH's name gives."""
    cv2 = _cv2()
    frames, fps = _frames(source, 0, count)
    half = [cv2.resize(image, (image.shape[1] // 2, image.shape[0] // 2)) for image in frames]
    return write_clip(path, half, fps, codec)


def set_rotation_90(path: Path) -> None:
    """Mark an MP4 as 'turn 90° clockwise to show', as a phone held upright does: the video
    track header's display matrix becomes [0 1; -1 0] (ISO/IEC 14496-12 `tkhd`)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"tkhd")
    version = data[at + 4]
    matrix = (at - 4) + (48 if version == 0 else 60)
    data[matrix : matrix + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))


def portrait_clip(source: Path, path: Path, count: int = 45) -> Path:
    """A portrait phone clip of the person (540×960 upright), stored as a phone stores it:
    each frame on its side (960×540) with the rotation in the metadata."""
    cv2 = _cv2()
    frames, fps = _frames(source, 0, count)
    upright = [cv2.resize(image[:, 380:920], (540, 960)) for image in frames]
    write_clip(path, [cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE) for image in upright], fps)
    set_rotation_90(path)
    return path


def jumping_clip(
    source: Path, path: Path, half: int = 75, width: int = 1768, start: int = 0
) -> tuple[Path, float]:
    """A clip whose tracked person jumps: HALF frames of SOURCE from frame START (the demo's
    man standing, then walking on the box), then the same frames mirrored left to right, so
    the person suddenly stands on the other side of the picture (as when the tracker switches
    to someone else). Returns the path and the time of the join in seconds."""
    cv2 = _cv2()
    frames, fps = _frames(source, start, half)
    height = round(frames[0].shape[0] * width / frames[0].shape[1])
    first = [cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA) for image in frames]
    write_clip(path, first + [cv2.flip(image, 1) for image in first], fps)
    return path, half / fps


def scaled_clip(source: Path, path: Path, size: tuple[int, int] = (1920, 1080)) -> Path:
    """SOURCE scaled to SIZE (1080p by default), frame by frame."""
    cv2 = _cv2()
    capture = cv2.VideoCapture(str(source))
    fps = float(capture.get(cv2.CAP_PROP_FPS))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    assert writer.isOpened(), f"OpenCV cannot write {path}"
    while True:
        ok, image = capture.read()
        if not ok:
            break
        writer.write(cv2.resize(image, size))
    writer.release()
    capture.release()
    return path
