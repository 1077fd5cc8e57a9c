"""docs/security.md shows the access matrix as access_matrix.yaml has it."""

from __future__ import annotations

from tests.security.matrix import load_matrix
from tests.security.matrix_doc import DOC, written


def test_the_doc_shows_the_matrix_file() -> None:
    doc = DOC.read_text()
    assert written(doc, load_matrix()) == doc, (
        "docs/security.md is out of date: run `.venv/bin/python -m tests.security.matrix_doc`"
    )
