"""The example intakes the tests read are copies of ../shared/examples; they must not drift."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, SHARED


def test_vendored_examples_are_identical_to_the_shared_ones() -> None:
    shared = SHARED / "examples"
    if not shared.is_dir():
        pytest.skip(
            f"../shared is not beside the checkout (looked in {shared}): nothing to compare"
        )
    vendored = {path.name: path.read_bytes() for path in EXAMPLES.glob("*.json")}
    originals = {path.name: path.read_bytes() for path in shared.glob("*.json")}
    assert sorted(vendored) == sorted(originals), "copy every ../shared/examples/*.json here"
    drifted = sorted(name for name in originals if vendored[name] != originals[name])
    assert not drifted, f"tests/fixtures/examples differ from ../shared/examples: {drifted}"
