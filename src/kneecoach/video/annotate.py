"""The annotated output of a movement check: a PNG strip of the deepest point of each squat with
the hip–knee–ankle lines and the measured angles drawn, and optionally an annotated MP4.

The strip is drawn from close-ups kept while the video is read once (`Stills`, passed to
`pose.read_track` as its `on_frame`), so making it costs no second pass over the video. The
annotated video reads the video again and is made only when asked for.

OpenCV (the `video` extra) and Pillow (always installed, WeasyPrint needs it) are imported
inside the functions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kneecoach.core.movement.track import Point, Track
from kneecoach.video.pose import FIELD, VideoFrames, _import_video_tools

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image as PILImage

    Image = npt.NDArray[np.uint8]

XY = tuple[float, float]
PointsAt = Callable[[int], Mapping[str, XY]]
"""The landmark positions to draw at a frame (by its index): the analysis's cleaned ones."""

PANEL_WIDTH: Final = 300
PANEL_HEIGHT: Final = 400
"""Each close-up in the strip: the person, whole body, upright (a squat is taller than wide)."""

CAPTION_HEIGHT: Final = 96
GAP: Final = 8
MARGIN: Final = 0.18
"""Room around the body in a close-up, as a share of the body's height."""

LEFT_COLOUR: Final = (230, 159, 0)  # orange and blue: told apart with any colour vision
RIGHT_COLOUR: Final = (0, 114, 178)
TEXT_COLOUR: Final = (20, 20, 20)
BACKGROUND: Final = (255, 255, 255)

LEG_POINTS: Final = {
    "left": ("left_hip", "left_knee", "left_ankle"),
    "right": ("right_hip", "right_knee", "right_ankle"),
}


@dataclass(frozen=True)
class Still:
    """A close-up of one frame as JPEG, and where it came from: a video point (x, y) is at
    (x * scale + dx, y * scale + dy) in the close-up."""

    jpeg: bytes
    scale: float
    dx: float
    dy: float

    def place(self, point: XY) -> XY:
        return point[0] * self.scale + self.dx, point[1] * self.scale + self.dy


def close_up_box(
    points: Mapping[str, Point], width: int, height: int
) -> tuple[float, float, float]:
    """`(scale, dx, dy)` that fits the body (its landmarks plus a margin) into a panel of
    PANEL_WIDTH × PANEL_HEIGHT, centred; falls back to the whole frame."""
    xs = [p.x for p in points.values()]
    ys = [p.y for p in points.values()]
    body = max(max(ys) - min(ys), 1.0)
    box_h = body * (1 + 2 * MARGIN)
    box_w = max(max(xs) - min(xs) + 2 * MARGIN * body, 1.0)
    scale = min(PANEL_HEIGHT / box_h, PANEL_WIDTH / box_w)
    if not 0 < scale < 100:
        scale = min(PANEL_HEIGHT / height, PANEL_WIDTH / width)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2
    return scale, PANEL_WIDTH / 2 - centre_x * scale, PANEL_HEIGHT / 2 - centre_y * scale


class Stills:
    """Close-ups of the person in every frame where they were found, kept as small JPEGs (a
    minute of video is a few tens of MB) while the video is read once."""

    def __init__(self) -> None:
        self._stills: dict[int, Still] = {}

    def __call__(self, index: int, image: Image, points: Mapping[str, Point] | None) -> None:
        if not points:
            return
        cv2, _ = _import_video_tools()
        import numpy

        height, width = image.shape[:2]
        scale, dx, dy = close_up_box(points, width, height)
        matrix = numpy.array([[scale, 0.0, dx], [0.0, scale, dy]])
        close_up = cv2.warpAffine(
            image,
            matrix,
            (PANEL_WIDTH, PANEL_HEIGHT),
            flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(40, 40, 40),
        )
        ok, jpeg = cv2.imencode(".jpg", close_up, [cv2.IMWRITE_JPEG_QUALITY, 88])
        if ok:
            self._stills[index] = Still(jpeg.tobytes(), scale, dx, dy)

    def __getitem__(self, index: int) -> Still:
        return self._stills[index]

    def __contains__(self, index: object) -> bool:
        return index in self._stills

    def __len__(self) -> int:
        return len(self._stills)


def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def angle_words(fppa: float | None, flexion: float | None) -> str:
    """One knee's figures in few words: `12° in, bent 80°`; `not measured` for neither.

    A positive FPPA is the knee moving inward (toward the other knee), a negative one outward."""
    parts = []
    if fppa is not None:
        if round(fppa) > 0:
            parts.append(f"{round(fppa)}° in")
        elif round(fppa) < 0:
            parts.append(f"{-round(fppa)}° out")
        else:
            parts.append("0° in line")
    if flexion is not None:
        parts.append(f"bent {round(flexion)}°")
    return ", ".join(parts) if parts else "not measured"


def _knee(repetition: Mapping[str, Any], side: str) -> Mapping[str, Any]:
    value = repetition.get(side)
    return value if isinstance(value, Mapping) else {}


def caption_lines(repetition: Mapping[str, Any]) -> list[tuple[str, tuple[int, int, int]]]:
    """What is written under a squat's close-up, each line with its colour."""
    lines = [(f"Squat {repetition['index']} at {repetition['bottom_s']:.1f} s", TEXT_COLOUR)]
    for side, colour in (("left", LEFT_COLOUR), ("right", RIGHT_COLOUR)):
        knee = _knee(repetition, side)
        words = angle_words(knee.get("fppa_deg"), knee.get("flexion_deg"))
        lines.append((f"{side.capitalize()} knee: {words}", colour))
    drop = repetition.get("pelvis_drop_deg")
    if drop is not None:
        lines.append((f"Pelvis drop: {round(drop)}°", TEXT_COLOUR))
    return lines


def _draw_legs(draw: Any, placed: Mapping[str, tuple[float, float] | None], width: int = 4) -> None:
    """Thigh and shank lines of each leg, a dot at each joint (left orange, right blue)."""
    for side, names in LEG_POINTS.items():
        colour = LEFT_COLOUR if side == "left" else RIGHT_COLOUR
        joints = [placed.get(name) for name in names]
        for start, end in itertools.pairwise(joints):
            if start is not None and end is not None:
                draw.line([start, end], fill=colour, width=width)
        for joint in joints:
            if joint is not None:
                x, y = joint
                r = width + 1
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=(255, 255, 255))


def panel(still: Still, points: Mapping[str, XY], repetition: Mapping[str, Any]) -> Any:
    """One squat's close-up with its lines drawn and its caption below (a Pillow image)."""
    import io

    from PIL import Image as PILImageModule
    from PIL import ImageDraw

    picture = PILImageModule.new("RGB", (PANEL_WIDTH, PANEL_HEIGHT + CAPTION_HEIGHT), BACKGROUND)
    with PILImageModule.open(io.BytesIO(still.jpeg)) as close_up:
        picture.paste(close_up.convert("RGB"), (0, 0))
    draw = ImageDraw.Draw(picture)
    _draw_legs(draw, {name: still.place(point) for name, point in points.items()})
    font = _font(16)
    y = PANEL_HEIGHT + 6
    for text, colour in caption_lines(repetition):
        draw.text((8, y), text, fill=colour, font=font)
        y += 21
    return picture


def bottom_frames(result: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """`(frame index, repetition)` of each squat's deepest point, in order."""
    return [
        (int(rep["bottom_frame"]), rep)
        for rep in result.get("repetitions", [])
        if rep.get("bottom_frame") is not None
    ]


def strip_image(
    stills: Stills, result: Mapping[str, Any], points_at: PointsAt
) -> PILImage.Image | None:
    """The close-ups of the deepest frames side by side, or None when there is no squat."""
    from PIL import Image as PILImageModule

    panels = []
    for frame_index, repetition in bottom_frames(result):
        if frame_index in stills:
            panels.append(panel(stills[frame_index], points_at(frame_index), repetition))
    if not panels:
        return None
    width = len(panels) * PANEL_WIDTH + (len(panels) + 1) * GAP
    strip = PILImageModule.new("RGB", (width, PANEL_HEIGHT + CAPTION_HEIGHT + 2 * GAP), BACKGROUND)
    for number, picture in enumerate(panels):
        strip.paste(picture, (GAP + number * (PANEL_WIDTH + GAP), GAP))
    return strip


def write_strip(
    stills: Stills, result: Mapping[str, Any], points_at: PointsAt, path: Path
) -> Path | None:
    """Save the strip as PNG at PATH; None (and no file) when no squat was found."""
    strip = strip_image(stills, result, points_at)
    if strip is None:
        return None
    strip.save(path, format="PNG", optimize=False)
    return path


def _caption_overlay(repetition: Mapping[str, Any], height: int) -> Image:
    """A repetition's caption as a BGR picture to stamp on video frames, scaled to the video."""
    import numpy
    from PIL import Image as PILImageModule
    from PIL import ImageDraw

    size = max(14, height // 40)
    lines = caption_lines(repetition)
    font = _font(size)
    box = PILImageModule.new("RGB", (size * 17, int(size * 1.35) * len(lines) + size), BACKGROUND)
    draw = ImageDraw.Draw(box)
    for number, (text, colour) in enumerate(lines):
        draw.text((size // 2, size // 2 + number * int(size * 1.35)), text, fill=colour, font=font)
    return numpy.asarray(box)[:, :, ::-1].copy()


def _repetition_at(
    repetitions: Sequence[Mapping[str, Any]], time_s: float
) -> Mapping[str, Any] | None:
    """The squat whose deepest point has passed and which has not ended at TIME_S."""
    for rep in repetitions:
        end = rep.get("end_s")
        if rep["bottom_s"] <= time_s and (end is None or time_s <= end):
            return rep
    return None


def write_video(
    video: Path, track: Track, result: Mapping[str, Any], points_at: PointsAt, path: Path
) -> Path:
    """The video again with each leg's lines drawn on every frame and, from each squat's deepest
    point to its end, that squat's figures: an MP4 at PATH."""
    cv2, _ = _import_video_tools()
    from kneecoach.core.errors import InputError

    repetitions = list(result.get("repetitions", []))
    overlays = {id(rep): _caption_overlay(rep, track.height) for rep in repetitions}
    fourcc = cv2.VideoWriter_fourcc(*"mp4v")
    writer = cv2.VideoWriter(str(path), fourcc, track.fps, (track.width, track.height))
    if not writer.isOpened():
        raise InputError(FIELD, f"the annotated video could not be written to {path}")
    thickness = max(2, track.height // 270)
    try:
        with VideoFrames(video) as frames:
            for index, image in enumerate(frames):
                if index < len(track.frames):
                    _draw_frame(cv2, image, points_at(index), thickness)
                    rep = _repetition_at(repetitions, track.frames[index].time_s)
                    if rep is not None:
                        _stamp(image, overlays[id(rep)], thickness)
                writer.write(image)
    finally:
        writer.release()
    return path


def _stamp(image: Image, overlay: Image, at: int) -> None:
    """OVERLAY copied onto IMAGE at (AT, AT), cut to fit."""
    h = min(overlay.shape[0], image.shape[0] - at)
    w = min(overlay.shape[1], image.shape[1] - at)
    if h > 0 and w > 0:
        image[at : at + h, at : at + w] = overlay[:h, :w]


def _draw_frame(cv2: Any, image: Image, points: Mapping[str, XY], thickness: int) -> None:
    for side, names in LEG_POINTS.items():
        red, green, blue = LEFT_COLOUR if side == "left" else RIGHT_COLOUR
        colour = (blue, green, red)
        joints = [points.get(name) for name in names]
        for start, end in itertools.pairwise(joints):
            if start is not None and end is not None:
                cv2.line(
                    image,
                    (round(start[0]), round(start[1])),
                    (round(end[0]), round(end[1])),
                    colour,
                    thickness,
                    cv2.LINE_AA,
                )
        for joint in joints:
            if joint is not None:
                cv2.circle(
                    image,
                    (round(joint[0]), round(joint[1])),
                    thickness + 2,
                    colour,
                    -1,
                    cv2.LINE_AA,
                )
