"""The pose-model adapter on real clips: frames read upright, the person found, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.core.movement.geometry import fppa, knee_bend
from kneecoach.core.movement.track import LANDMARKS, Track
from kneecoach.video.pose import check_video_file, read_track
from tests.video.clips import first_seconds

pytestmark = pytest.mark.video


@pytest.fixture(scope="module")
def demo_track(demo: Path) -> tuple[Track, list[float]]:
    seen: list[float] = []
    return read_track(demo, progress=seen.append), seen


def test_the_demo_clip_is_read_whole_with_the_person_in_most_frames(
    demo_track: tuple[Track, list[float]],
) -> None:
    track, _ = demo_track
    assert (track.width, track.height, track.fps) == (1768, 994, 30.0)
    assert len(track.frames) == 230
    assert [frame.index for frame in track.frames] == list(range(230))
    assert track.frames[30].time_s == pytest.approx(1.0)
    found = [frame for frame in track.frames if frame.points is not None]
    assert len(found) >= 0.9 * len(track.frames)


def test_landmarks_are_pixels_inside_the_frame_with_a_visibility(
    demo_track: tuple[Track, list[float]],
) -> None:
    track, _ = demo_track
    for frame in track.frames:
        if frame.points is None:
            continue
        assert set(frame.points) == set(LANDMARKS)
        for point in frame.points.values():
            assert 0.0 <= point.visibility <= 1.0
            assert -0.25 * track.width < point.x < 1.25 * track.width
            assert -0.25 * track.height < point.y < 1.25 * track.height
    standing = track.frames[30].points  # the man stands on the box, facing the camera
    assert standing is not None
    hip, knee, ankle = standing["left_hip"], standing["left_knee"], standing["left_ankle"]
    assert hip.y < knee.y < ankle.y
    assert 200 < ankle.y - standing["nose"].y < 600  # about 370 px tall in this clip


def test_progress_runs_from_zero_to_one_in_order(demo_track: tuple[Track, list[float]]) -> None:
    _, seen = demo_track
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert 50 <= len(seen) <= 102  # about once per hundredth, not once per frame


def test_knee_angles_on_the_real_person_are_in_a_plausible_range(
    demo_track: tuple[Track, list[float]],
) -> None:
    """The man stands facing the camera and bobs down twice with his knees wide (0.4–2 s):
    knees straight much of the time, bent some, the inward angle within what a squat can
    show. Frames where the model is unsure of a leg (visibility under 0.8) are left out, as
    the analysis gates them."""
    track, _ = demo_track
    bends: list[float] = []
    angles: list[float] = []
    for frame in track.frames[12:60]:
        p = frame.points
        if p is None:
            continue
        xy = {name: (point.x, point.y) for name, point in p.items()}
        for side, other in (("left", "right"), ("right", "left")):
            joints = (f"{side}_hip", f"{side}_knee", f"{side}_ankle")
            if min(p[name].visibility for name in joints) < 0.8:
                continue
            hip, knee, ankle = (xy[name] for name in joints)
            bend = knee_bend(hip, knee, ankle)
            angle = fppa(hip, knee, ankle, xy[f"{other}_hip"])
            assert bend is not None and angle is not None
            bends.append(bend)
            angles.append(angle)
    assert len(bends) >= 80  # both legs in nearly every frame
    bends.sort()
    assert bends[len(bends) // 2] < 20 < bends[-1] < 90  # mostly straight, some bend
    assert all(-60 <= angle <= 60 for angle in angles)
    assert sorted(abs(a) for a in angles)[len(angles) // 2] < 20


def test_a_portrait_phone_clip_is_turned_upright(portrait: Path) -> None:
    track = read_track(portrait)
    assert (track.width, track.height) == (540, 960)
    upright = [
        f.points
        for f in track.frames
        if f.points is not None and f.points["left_hip"].y < f.points["left_ankle"].y
    ]
    assert len(upright) >= 0.8 * len(track.frames)


@pytest.mark.parametrize(("name", "codec"), [("squats.webm", "VP80"), ("squats.MOV", "mp4v")])
def test_webm_and_mov_files_are_read_too(demo: Path, tmp_path: Path, name: str, codec: str) -> None:
    track = read_track(first_seconds(demo, tmp_path / name, count=30, codec=codec))
    assert (track.width, len(track.frames)) == (884, 30)
    assert track.height in (496, 497)  # half of 994; a codec may round it to even
    assert sum(frame.points is not None for frame in track.frames) >= 20


def test_a_video_longer_than_the_cap_is_refused_before_it_is_read(demo: Path) -> None:
    with pytest.raises(InputError, match=r"demo.mp4 is 8 seconds long; the most .* is 5 seconds"):
        read_track(demo, max_seconds=5)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.txt", b"hello", "notes.txt is not a video kneecoach reads: give an MP4, MOV"),
        ("squat.mp4", b"", "squat.mp4 is empty"),
        ("squat.mp4", b"just some text, renamed", "is not an MP4, MOV or WebM video"),
        ("squat.MOV", b"{}", "is not an MP4, MOV or WebM video"),
    ],
)
def test_files_that_are_not_videos_are_refused_by_name_and_content(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        check_video_file(path)
    assert caught.value.field == "video"
    assert problem in caught.value.problem


def test_a_missing_file_and_a_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="there is no file at"):
        check_video_file(tmp_path / "gone.mp4")
    (tmp_path / "clip.mp4").mkdir()
    with pytest.raises(InputError, match="is a folder, not a video file"):
        check_video_file(tmp_path / "clip.mp4")


def test_a_broken_video_says_so_instead_of_failing_later(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    with pytest.raises(InputError, match=r"could not be opened as a video|no frames"):
        read_track(broken)


def test_without_the_video_extra_the_error_says_what_to_install(demo: Path) -> None:
    """A fresh interpreter where MediaPipe cannot be imported (as without kneecoach[video])."""
    probe = (
        "import sys\n"
        "sys.modules['mediapipe'] = None\n"
        "from kneecoach.cli.app import run\n"
        f"sys.exit(run(['movement', 'analyze', {str(demo)!r}, '--test', 'single_leg_squat', "
        "'--side', 'left']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=os.environ
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: VIDEO: the video tools are not installed. Install them with: "
        "pip install 'kneecoach[video]' (make install does this)"
    )
