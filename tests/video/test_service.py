"""The movement service's checks that need no video: choices, folders, an upload's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.services.movement import analyse_video, check_video


def test_an_upload_is_checked_by_its_content_before_it_is_queued(tmp_path: Path) -> None:
    clip = tmp_path / "squat.webm"
    clip.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(64))  # a WebM (Matroska) header
    check_video(clip)
    clip.write_bytes(b"<html>")
    with pytest.raises(InputError, match=r"squat\.webm is not an MP4, MOV or WebM video"):
        check_video(clip)


@pytest.mark.parametrize(
    ("test", "side", "field"),
    [("lunge", "left", "test"), ("single_leg_squat", "both", "side")],
)
def test_a_wrong_test_or_side_names_its_field(
    tmp_path: Path, test: str, side: str, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        analyse_video(tmp_path / "any.mp4", test=test, side=side, out_dir=None)
    assert caught.value.field == field
    assert "is not one of" in caught.value.problem


def test_an_output_folder_that_is_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    taken = tmp_path / "pictures"
    taken.write_text("a file")
    with pytest.raises(InputError) as caught:
        analyse_video(tmp_path / "any.mp4", test="single_leg_squat", side="left", out_dir=taken)
    assert caught.value.field == "out_dir"
