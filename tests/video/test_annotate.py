"""The annotated output's pure parts: the words under each close-up and where the body goes."""

from __future__ import annotations

import pytest

from kneecoach.core.movement.track import Point
from kneecoach.video.annotate import (
    LEFT_COLOUR,
    PANEL_HEIGHT,
    PANEL_WIDTH,
    RIGHT_COLOUR,
    Still,
    angle_words,
    bottom_frames,
    caption_lines,
    close_up_box,
)


@pytest.mark.parametrize(
    ("fppa", "flexion", "words"),
    [
        (12.4, None, "12° in"),
        (-4.6, None, "5° out"),
        (0.2, None, "0° in line"),
        (None, 81.0, "bent 81°"),
        (9.0, 70.2, "9° in, bent 70°"),
        (None, None, "not measured"),
    ],
)
def test_a_knee_is_described_in_few_words(
    fppa: float | None, flexion: float | None, words: str
) -> None:
    assert angle_words(fppa, flexion) == words


def test_the_caption_names_the_squat_each_knee_in_its_colour_and_the_pelvis() -> None:
    rep = {
        "index": 2,
        "bottom_s": 3.27,
        "left": {"fppa_deg": 17.0, "flexion_deg": None},
        "right": {"fppa_deg": None, "flexion_deg": None},
        "pelvis_drop_deg": 4.4,
    }
    assert caption_lines(rep) == [
        ("Squat 2 at 3.3 s", (20, 20, 20)),
        ("Left knee: 17° in", LEFT_COLOUR),
        ("Right knee: not measured", RIGHT_COLOUR),
        ("Pelvis drop: 4°", (20, 20, 20)),
    ]
    assert "Pelvis" not in " ".join(
        text for text, _ in caption_lines({**rep, "pelvis_drop_deg": None})
    )


def test_bottom_frames_follow_the_repetitions_and_skip_missing_ones() -> None:
    reps = [
        {"index": 1, "bottom_frame": 40},
        {"index": 2, "bottom_frame": None},
        {"index": 3, "bottom_frame": 95},
    ]
    assert [frame for frame, _ in bottom_frames({"repetitions": reps})] == [40, 95]
    assert bottom_frames({}) == []


def test_the_close_up_fits_the_whole_body_centred_in_the_panel() -> None:
    points = {
        "nose": Point(1000, 200, 1.0),
        "left_ankle": Point(1040, 800, 1.0),
        "right_ankle": Point(960, 800, 1.0),
    }
    scale, dx, dy = close_up_box(points, 1920, 1080)
    still = Still(b"", scale, dx, dy)
    xy = {name: (p.x, p.y) for name, p in points.items()}
    top = still.place(xy["nose"])
    bottom = still.place(xy["left_ankle"])
    assert 0 < top[1] < bottom[1] < PANEL_HEIGHT
    assert (top[1] + bottom[1]) / 2 == pytest.approx(PANEL_HEIGHT / 2)
    assert 0 < still.place(xy["right_ankle"])[0] < still.place(xy["left_ankle"])[0] < PANEL_WIDTH
    assert bottom[1] - top[1] == pytest.approx(PANEL_HEIGHT / 1.36)  # a margin above and below
