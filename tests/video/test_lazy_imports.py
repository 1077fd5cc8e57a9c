"""MediaPipe and OpenCV (large, the optional `video` extra) load only when a video is analysed:
never for `kneecoach --help`, the movement commands' help, or the web server's start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_startup import modules_after

HEAVY = {"mediapipe", "cv2", "numpy", "kneecoach.video.pose"}


@pytest.mark.parametrize(
    "args", [["--help"], ["movement", "--help"], ["movement", "analyze", "--help"]]
)
def test_the_cli_starts_without_the_pose_model(args: list[str], tmp_path: Path) -> None:
    assert not modules_after(args, tmp_path) & HEAVY


def test_the_web_app_imports_without_the_pose_model(tmp_path: Path) -> None:
    probe = "import sys, json\nimport kneecoach.web.app\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "KNEECOACH_DATA_DIR": str(tmp_path)}
    env.pop("KNEECOACH_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "kneecoach.web.app" in loaded
    assert not loaded & HEAVY
