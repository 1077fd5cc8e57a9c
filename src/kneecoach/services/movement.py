"""The movement check: a video of squats in, the knee alignment per squat out.

`analyse_video` reads the video with the pose-model adapter (`kneecoach.video`, the optional
`video` extra, imported only here and only when a video is analysed), measures it with the pure
`core.movement.analysis.analyse`, and writes the annotated pictures into `out_dir`. Nothing is
stored in the database: the result is returned as JSON for the interface (or a job) to keep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    from kneecoach.core.movement.rules import Side, Test

TESTS: Final = ("single_leg_squat", "double_leg_squat")
SIDES: Final = ("left", "right")

STRIP_NAME: Final = "{stem}-squats.png"
VIDEO_NAME: Final = "{stem}-annotated.mp4"


def _choice(field: str, value: str, allowed: tuple[str, str]) -> None:
    if value not in allowed:
        raise InputError(field, f"{value!r} is not one of {', '.join(allowed)}")


def check_choices(test: str, side: str) -> tuple[Test, Side]:
    """The test and the side as the analysis takes them, or an InputError naming the field."""
    _choice("test", test, TESTS)
    _choice("side", side, SIDES)
    return cast("Test", test), cast("Side", side)


def _output_folder(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            "out_dir", f"the folder {out_dir} could not be made ({error.strerror})"
        ) from None
    if not out_dir.is_dir():
        raise InputError("out_dir", f"{out_dir} is a file, not a folder")
    return out_dir


def check_video(path: Path) -> None:
    """Refuse early what cannot be a video (a missing file, a wrong name, other content), as
    `analyse_video` would, without loading the pose model: an upload can be checked before it
    is queued. MP4, MOV and WebM are told apart by their first bytes, not only their name."""
    from kneecoach.video.pose import check_video_file

    check_video_file(path)


def analyse_video(
    path: Path,
    *,
    test: str,
    side: str,
    out_dir: Path | None,
    progress: Callable[[float], None] | None = None,
    annotated_video: bool = False,
) -> dict[str, Any]:
    """Measure the squats in the video at PATH.

    Returns the analysis's JSON (frames, view, repetitions, summary, warnings, observations,
    findings) plus `outputs`: `strip_png`, the close-ups of each squat's deepest point with the
    lines drawn (None without `out_dir` or when no squat was found), and `video`, the annotated
    MP4 (only with `annotated_video`). `progress(fraction)` is called as frames are read.

    Raises InputError for a file that is not a readable video (or too long), a wrong test or
    side, an output folder that cannot be made, or when the `video` extra is not installed."""
    checked_test, checked_side = check_choices(test, side)
    if annotated_video and out_dir is None:
        raise InputError("annotated_video", "needs a folder to write the video into")
    folder = _output_folder(out_dir) if out_dir is not None else None

    from kneecoach.core.movement.analysis import analyse
    from kneecoach.data.movement import load_movement_rules
    from kneecoach.video.annotate import Stills, write_strip, write_video
    from kneecoach.video.pose import read_track

    rules = load_movement_rules()
    stills = Stills() if folder is not None else None
    track = read_track(path, progress=progress, on_frame=stills)
    analysis = analyse(track, test=checked_test, side=checked_side, rules=rules)
    result = analysis.to_json()

    outputs: dict[str, str | None] = {"strip_png": None, "video": None}
    if folder is not None and stills is not None:
        strip_path = folder / STRIP_NAME.format(stem=path.stem)
        strip = write_strip(stills, result, analysis.points_at, strip_path)
        outputs["strip_png"] = str(strip) if strip is not None else None
        if annotated_video:
            video_path = folder / VIDEO_NAME.format(stem=path.stem)
            written = write_video(path, track, result, analysis.points_at, video_path)
            outputs["video"] = str(written)
    result["outputs"] = outputs
    return result


def compare_results(earlier: Mapping[str, Any], later: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What changed between two saved results of `analyse_video` (the same test and side), in
    plain words; a change smaller than the smallest detectable difference reads as no change."""
    from kneecoach.core.movement.analysis import change_between
    from kneecoach.data.movement import load_movement_rules

    for name, result in (("earlier", earlier), ("later", later)):
        if not isinstance(result.get("summary"), Mapping) or "test" not in result:
            raise InputError(name, "is not the JSON of a movement check")
    if earlier.get("test") != later.get("test"):
        raise InputError(
            "later",
            f"is a {later.get('test')} and the earlier one a {earlier.get('test')}: "
            "compare two videos of the same test",
        )
    return [
        dict(item) for item in change_between(dict(earlier), dict(later), load_movement_rules())
    ]
