"""`kneecoach movement analyze` end to end on real clips: the JSON, the table, the strip, the
identity check where the tracked person jumps, and one clear line for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kneecoach.services.movement import analyse_video
from kneecoach.video.annotate import CAPTION_HEIGHT, GAP, LEFT_COLOUR, PANEL_HEIGHT, PANEL_WIDTH
from tests.cli_helpers import run_cli

pytestmark = pytest.mark.video

TOP_KEYS = {
    "frames",
    "frames_with_person",
    "view",
    "test",
    "side",
    "repetitions",
    "summary",
    "warnings",
    "observations",
    "findings",
    "outputs",
}
REP_KEYS = {"index", "start_s", "bottom_s", "end_s", "bottom_frame", "left", "right"}


@pytest.fixture(scope="module")
def demo_run(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """One real run of the command on the demo clip, shared by the checks below."""
    out = tmp_path_factory.mktemp("movement-out")
    done = run_cli(
        "movement", "analyze", str(demo), "--test", "single_leg_squat", "--side", "left",
        "--format", "json", "--out", str(out),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    return json.loads(done.stdout), out  # stdout is the JSON and nothing else


def test_the_json_has_every_key_of_the_issue(demo_run: tuple[dict[str, Any], Path]) -> None:
    result, _ = demo_run
    assert set(result) >= TOP_KEYS
    assert (result["test"], result["side"]) == ("single_leg_squat", "left")
    assert result["frames"] == 230
    assert result["frames_with_person"] >= 0.9 * result["frames"]
    assert result["view"] in ("front", "side", "unknown")
    for rep in result["repetitions"]:
        assert set(rep) >= REP_KEYS
        assert rep["start_s"] <= rep["bottom_s"] <= rep["end_s"] <= 230 / 30
        for side in ("left", "right"):
            assert {"fppa_deg", "flexion_deg"} <= set(rep[side])
    assert {"left", "right", "difference_fppa_deg"} <= set(result["summary"])
    for warning in result["warnings"]:
        assert warning["id"].isidentifier() and warning["message"]
    assert "person_changed" in {w["id"] for w in result["warnings"]}
    assert set(result["findings"]) == {
        "single_leg_squat_knee_caves_in",
        "single_leg_squat_pelvis_drops",
    }


def test_the_tracker_switching_to_the_passer_by_is_caught(
    demo_run: tuple[dict[str, Any], Path],
) -> None:
    """A woman walks into the demo near its end and the tracker follows her for a while."""
    result, _ = demo_run
    changes = [w["time_s"] for w in result["warnings"] if w["id"] == "person_changed"]
    assert changes and all(5.0 <= time <= 7.7 for time in changes)


def test_the_strip_shows_each_squats_deepest_frame_with_the_lines_drawn(
    demo_run: tuple[dict[str, Any], Path],
) -> None:
    from PIL import Image

    result, out = demo_run
    strip = Path(result["outputs"]["strip_png"])
    assert strip.parent == out and strip.name == "demo-squats.png"
    assert result["outputs"]["video"] is None
    reps = len(result["repetitions"])
    assert reps >= 1
    with Image.open(strip) as picture:
        assert picture.format == "PNG"
        assert picture.size == (
            reps * PANEL_WIDTH + (reps + 1) * GAP,
            PANEL_HEIGHT + CAPTION_HEIGHT + 2 * GAP,
        )
        first_panel = picture.convert("RGB").crop((GAP, GAP, GAP + PANEL_WIDTH, GAP + PANEL_HEIGHT))
        colours = first_panel.getcolors(maxcolors=PANEL_WIDTH * PANEL_HEIGHT) or []
        assert any(colour == LEFT_COLOUR and count > 100 for count, colour in colours)


def test_the_table_names_the_squats_the_view_and_the_warnings(portrait: Path) -> None:
    done = run_cli(
        "movement", "analyze", str(portrait), "--test", "double_leg_squat", "--side", "right"
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert "45 frames read; the person was found in" in done.stdout
    assert "Check: We found 0 squats" in done.stdout
    assert done.stderr == ""  # no progress bar when stderr is not a terminal


def test_the_annotated_video_is_written_with_the_frames_of_the_clip(
    portrait: Path, tmp_path: Path
) -> None:
    import cv2

    result = analyse_video(
        portrait, test="double_leg_squat", side="left", out_dir=tmp_path, annotated_video=True
    )
    written = Path(result["outputs"]["video"])
    assert written == tmp_path / "portrait-annotated.mp4"
    capture = cv2.VideoCapture(str(written))
    ok, image = capture.read()
    assert ok and image.shape[:2] == (960, 540)  # upright, like the clip
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 45
    capture.release()


def test_a_jump_of_the_tracked_person_is_warned_about_where_it_happens(
    jumping: tuple[Path, float],
) -> None:
    """The clip's second half is its first half mirrored: the body jumps across the picture.
    (The tracker's first few frames at the very start can be shaky, so the check that nothing
    fires runs over the steady part, from 0.5 s to the join.)"""
    path, join = jumping
    result = analyse_video(path, test="double_leg_squat", side="left", out_dir=None)
    changes = [w["time_s"] for w in result["warnings"] if w["id"] == "person_changed"]
    assert any(join <= time <= join + 0.5 for time in changes), result["warnings"]
    assert not [time for time in changes if 0.5 <= time < join]
    assert result["outputs"] == {"strip_png": None, "video": None}


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["{tmp}/gone.mp4"], "error: VIDEO: there is no file at {tmp}/gone.mp4"),
        (["{tmp}/notes.txt"], "error: VIDEO: notes.txt is not a video kneecoach reads: give an MP4, MOV or WebM file"),
        (["{tmp}/fake.mp4"], "error: VIDEO: fake.mp4 is not an MP4, MOV or WebM video (its content is something else)"),
        (["{demo}", "--video"], "error: --video: needs a folder to write the video into"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], line: str, tmp_path: Path, demo: Path
) -> None:
    (tmp_path / "notes.txt").write_text("squats")
    (tmp_path / "fake.mp4").write_text("not a video at all")
    filled = [a.format(tmp=tmp_path, demo=demo) for a in args]
    done = run_cli(
        "movement", "analyze", *filled, "--test", "single_leg_squat", "--side", "left"
    )  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr.strip() == line.format(tmp=tmp_path)
    assert done.stdout == ""


def test_a_wrong_test_name_is_a_usage_error() -> None:
    done = run_cli("movement", "analyze", "x.mp4", "--test", "lunge", "--side", "left")
    assert done.exit_code == 2
    assert "lunge" in done.stderr
