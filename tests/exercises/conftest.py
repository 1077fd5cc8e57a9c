"""The packaged catalogue files as plain data, for tests that break one thing at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kneecoach.data.exercises import catalogue_files


@pytest.fixture
def files() -> dict[str, Any]:
    """A private deep copy of the real packaged files, to break one thing at a time."""
    return copy.deepcopy(catalogue_files())


def entry_in(files: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    """One exercise's entry in those files, to change in place."""
    for doc in files.values():
        for entry in doc.get("exercises", []):
            if entry["id"] == exercise_id:
                return entry  # type: ignore[no-any-return]
    raise KeyError(exercise_id)
