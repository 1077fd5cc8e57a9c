"""Real clips for the movement check, fetched or made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.video.clips import CACHE_NAME, demo_clip, jumping_clip, portrait_clip


@pytest.fixture(scope="session")
def demo(pytestconfig: pytest.Config) -> Path:
    """Sports2D's demo clip, downloaded with pip once and kept in pytest's cache."""
    assert pytestconfig.cache is not None
    return demo_clip(pytestconfig.cache.mkdir(CACHE_NAME))


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def portrait(demo: Path, clips: Path) -> Path:
    """1.5 s of the demo as a phone stores a portrait clip: on its side, rotation in metadata."""
    return portrait_clip(demo, clips / "portrait.mp4")


@pytest.fixture(scope="session")
def jumping(demo: Path, clips: Path) -> tuple[Path, float]:
    """The demo's first 2.5 s, then the same mirrored: the tracked person jumps across."""
    return jumping_clip(demo, clips / "jumping.mp4")
