"""Read a video and find the person's body landmarks in each frame with MediaPipe's pose model.

`read_track(path)` checks the file, reads it frame by frame with OpenCV (a phone's rotation
metadata applied, so a portrait clip stays upright), runs MediaPipe's legacy pose solution
(`model_complexity=1`, the one model that ships inside the wheel) on each frame and returns a
`core.movement.track.Track` in pixel coordinates with each landmark's visibility.

MediaPipe and OpenCV come with the optional `video` extra and are imported inside the
functions here, never when the module loads.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kneecoach.core.errors import InputError
from kneecoach.core.limits import MAX_VIDEO_SECONDS
from kneecoach.core.movement.track import LANDMARKS, Frame, Point, Track

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

FIELD: Final = "video"
"""The field every problem with the video file is reported under."""

VIDEO_SUFFIXES: Final = (".mp4", ".m4v", ".mov", ".webm")
"""What phones and browsers record: MP4 (and Apple's M4V), QuickTime MOV and WebM."""

MODEL_COMPLEXITY: Final = 1
"""The only pose model inside the mediapipe wheel (0 and 2 are downloaded at run time)."""

INSTALL_HINT: Final = (
    "the video tools are not installed. Install them with: pip install 'kneecoach[video]' "
    "(make install does this)"
)

_ISO_BOX_TYPES: Final = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_MATROSKA_MAGIC: Final = b"\x1a\x45\xdf\xa3"

Progress = Callable[[float], None]
FrameSink = Callable[[int, "Image", "Mapping[str, Point] | None"], None]
"""Called with each frame's index, its picture (BGR, upright) and the landmarks found in it."""


def check_video_file(path: Path) -> None:
    """Raise a clear InputError unless PATH is a file that looks like an MP4, MOV or WebM video.

    The name and the first bytes are both checked: a renamed text file is refused here, before
    the pose model loads."""
    if not path.exists():
        raise InputError(FIELD, f"there is no file at {path}")
    if not path.is_file():
        raise InputError(FIELD, f"{path} is a folder, not a video file")
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        raise InputError(
            FIELD,
            f"{path.name} is not a video kneecoach reads: give an MP4, MOV or WebM file",
        )
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except OSError as error:
        raise InputError(FIELD, f"{path.name} could not be read ({error.strerror})") from None
    if not head:
        raise InputError(FIELD, f"{path.name} is empty")
    if head[4:8] not in _ISO_BOX_TYPES and not head.startswith(_MATROSKA_MAGIC):
        raise InputError(
            FIELD, f"{path.name} is not an MP4, MOV or WebM video (its content is something else)"
        )


def _import_video_tools() -> tuple[Any, Any]:
    """`(cv2, mediapipe pose solution)`, or the plain-words InputError when the extra is missing."""
    try:
        import cv2
        from mediapipe.python.solutions import pose as mp_pose
    except ImportError:
        raise InputError(FIELD, INSTALL_HINT) from None
    return cv2, mp_pose


def _flush_c_streams() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def native_logs_quiet() -> Iterator[None]:
    """Keep MediaPipe's start-up chatter (TensorFlow Lite and absl lines written by its C++ code
    straight to the process's stderr) off the terminal while the model loads, so a command's
    output stays readable. Python's own sys.stderr is untouched."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        _flush_c_streams()  # what the C code buffered goes to /dev/null too
        os.dup2(saved, 2)
        os.close(saved)


def _points(landmarks: Any, index_of: dict[str, int], width: int, height: int) -> dict[str, Point]:
    """MediaPipe's normalised landmarks as pixel coordinates (x right, y down) by our names."""
    marks = landmarks.landmark
    points = {}
    for name, index in index_of.items():
        mark = marks[index]
        points[name] = Point(x=mark.x * width, y=mark.y * height, visibility=float(mark.visibility))
    return points


class PoseModel:
    """MediaPipe's pose solution for one video: `find(image_rgb)` gives the landmarks or None.

    Tracking mode (`static_image_mode=False`): the model follows the person from frame to frame,
    which is faster than detecting them afresh and is how it is meant to read a video. No
    smoothing inside the model: `core.movement` rejects outliers and smooths, each step on its
    own and testable."""

    def __init__(self) -> None:
        _cv2, mp_pose = _import_video_tools()
        import numpy

        self._index_of = {name: int(mp_pose.PoseLandmark[name.upper()]) for name in LANDMARKS}
        with native_logs_quiet():
            self._pose = mp_pose.Pose(
                static_image_mode=False,
                model_complexity=MODEL_COMPLEXITY,
                smooth_landmarks=False,
                enable_segmentation=False,
            )
            # The graph opens its models on its own threads after it is built; one blank
            # frame waits for that, so their log lines fall inside the quiet spell
            self._pose.process(numpy.zeros((64, 64, 3), numpy.uint8))
        self._quiet_frames = 2

    def find(self, image_rgb: Image) -> dict[str, Point] | None:
        height, width = image_rgb.shape[:2]
        if self._quiet_frames:  # the landmark model loads with the first person found, and logs
            with native_logs_quiet():
                result = self._pose.process(image_rgb)
            if result.pose_landmarks is not None:
                self._quiet_frames -= 1
        else:
            result = self._pose.process(image_rgb)
        if result.pose_landmarks is None:
            return None
        return _points(result.pose_landmarks, self._index_of, width, height)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PoseModel:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class VideoFrames:
    """The frames of a video file, upright (rotation metadata applied), read once in order.

    Opening it checks what can be checked before any frame is decoded: that OpenCV can open
    it, its frame rate, and its length against MAX_VIDEO_SECONDS when the file states it."""

    def __init__(self, path: Path, *, max_seconds: float = MAX_VIDEO_SECONDS) -> None:
        check_video_file(path)
        cv2, _ = _import_video_tools()
        self._cv2 = cv2
        self.path = path
        self.max_seconds = max_seconds
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise InputError(FIELD, f"{path.name} could not be opened as a video")
        # FFmpeg's backend turns frames upright by default; ask for it in case that ever changes
        self._capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        fps = float(self._capture.get(cv2.CAP_PROP_FPS))
        if not math.isfinite(fps) or not 1 <= fps <= 480:
            self.close()
            raise InputError(FIELD, f"{path.name} does not say its frame rate")
        self.fps = fps
        count = self._capture.get(cv2.CAP_PROP_FRAME_COUNT)
        self.expected_frames = int(count) if math.isfinite(count) and count > 0 else None
        """The frame count the file states (None when it does not, as in some WebM files)."""
        if self.expected_frames is not None and self.expected_frames > self._frame_cap():
            seconds = self.expected_frames / fps
            self.close()
            raise self._too_long(seconds)

    def _frame_cap(self) -> int:
        return math.floor(self.max_seconds * self.fps) + 1

    def _too_long(self, seconds: float) -> InputError:
        return InputError(
            FIELD,
            f"{self.path.name} is {seconds:.0f} seconds long; the most kneecoach reads is "
            f"{self.max_seconds:.0f} seconds (three squats on each leg take about 30)",
        )

    def __iter__(self) -> Iterator[Image]:
        """Each frame as a BGR picture; the InputError for a video too long to read."""
        read = 0
        while True:
            ok, image = self._capture.read()
            if not ok or image is None:
                break
            read += 1
            if read > self._frame_cap():
                raise self._too_long(read / self.fps)
            yield image
        if read == 0:
            raise InputError(FIELD, f"{self.path.name} has no frames that could be read")

    def close(self) -> None:
        self._capture.release()

    def __enter__(self) -> VideoFrames:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class _ProgressReporter:
    """Calls `progress(fraction)` as frames are read: from 0.0, at most once per hundredth, and
    1.0 at the end. Without a stated frame count only the start and the end are known."""

    def __init__(self, progress: Progress | None, expected: int | None) -> None:
        self._progress = progress
        self._expected = expected
        self._last = -1.0

    def __call__(self, frames_done: int) -> None:
        if self._progress is None or not self._expected:
            return
        fraction = min(frames_done / self._expected, 0.99)
        if fraction - self._last >= 0.01:
            self._last = fraction
            self._progress(fraction)

    def start(self) -> None:
        if self._progress is not None:
            self._last = 0.0
            self._progress(0.0)

    def done(self) -> None:
        if self._progress is not None:
            self._progress(1.0)


def read_track(
    path: Path,
    *,
    progress: Progress | None = None,
    on_frame: FrameSink | None = None,
    max_seconds: float = MAX_VIDEO_SECONDS,
) -> Track:
    """The landmarks of the person in each frame of the video at PATH.

    `progress(fraction)` is called as frames are read (0.0 to 1.0); `on_frame(index, image, points)`
    sees each upright BGR frame and its landmarks (the annotated output keeps small copies of them). Raises
    InputError naming the problem for a missing, unreadable, empty or too long video, or when
    the `video` extra is not installed."""
    cv2, _ = _import_video_tools()
    frames: list[Frame] = []
    width = height = 0
    with VideoFrames(path, max_seconds=max_seconds) as video, PoseModel() as model:
        report = _ProgressReporter(progress, video.expected_frames)
        report.start()
        for index, image in enumerate(video):
            height, width = image.shape[:2]
            points = model.find(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            if on_frame is not None:
                on_frame(index, image, points)
            frames.append(Frame(index=index, time_s=index / video.fps, points=points))
            report(index + 1)
        fps = video.fps
    report.done()
    return Track(width=width, height=height, fps=fps, frames=tuple(frames))
