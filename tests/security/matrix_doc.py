"""The access matrix as tables in docs/security.md, written from access_matrix.yaml.

    .venv/bin/python -m tests.security.matrix_doc     # rewrite the tables in docs/security.md

tests/security/test_matrix_doc.py fails when the doc's tables differ from the file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

from tests.security.matrix import (
    PERSONAL_ACTORS,
    PERSONAL_KINDS,
    SERVER_ACTORS,
    Matrix,
    load_matrix,
)

DOC: Final = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START: Final = "<!-- access-matrix:start (written by python -m tests.security.matrix_doc) -->"
END: Final = "<!-- access-matrix:end -->"
SHOWN: Final = {
    "allow": "yes",
    "own": "own",
    "login": "→ sign in",
    "unauthorized": "401",
    "sign_in_refused": "401",
    "forbidden": "403",
    "cross_site": "403",
    "not_found": "404",
    "not_json": "415",
    "refused_host": "421",
}
HEADINGS: Final = {
    "anonymous": "nobody signed in",
    "owner": "the person",
    "other_person": "another person",
    "their_clinician": "their clinician",
    "other_clinician": "another clinician",
    "admin": "admin",
    "same_machine": "this machine",
    "cross_site": "another site's page",
    "form_post": "a form without the token",
    "foreign_host": "another Host name",
}
KINDS: Final = {
    "page_read": "a page, read (GET)",
    "page_change": "a page, change (POST)",
    "api_read": "the API, read (GET)",
    "api_change": "the API, change (POST, PUT, DELETE)",
}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def tables(matrix: Matrix) -> str:
    """The two tables (server mode by route, personal mode by kind) in Markdown."""
    lines = [
        "**Server mode**, every route (`yes`: allowed; `own`: allowed, on the visitor's own "
        "data; `→ sign in`: a redirect to the sign-in page; a number: that refusal; on "
        "`POST /login` and `POST /api/v1/session` anyone may try, and the 401 is the test's "
        "wrong password). "
        "The last column is personal mode on this machine (`404`: the route is only on a "
        "practice server).",
        "",
        _row(["route", *(HEADINGS[a] for a in SERVER_ACTORS), "personal mode"]),
        _row(["---"] * (len(SERVER_ACTORS) + 2)),
    ]
    for route in sorted(matrix.routes, key=lambda key: (key.path, key.method)):
        cells = [SHOWN[matrix.server_outcome(route, actor)] for actor in SERVER_ACTORS]
        personal = SHOWN[matrix.personal_outcome(route, "same_machine")]
        lines.append(_row([f"`{route.method} {route.path}`", *cells, personal]))
    lines += [
        "",
        "**Personal mode**, by kind of route (every route is tested this way):",
        "",
        _row(["route", *(HEADINGS[a] for a in PERSONAL_ACTORS)]),
        _row(["---"] * (len(PERSONAL_ACTORS) + 1)),
    ]
    for kind in PERSONAL_KINDS:
        cells = [SHOWN[matrix.personal[kind][actor]] for actor in PERSONAL_ACTORS]
        lines.append(_row([KINDS[kind], *cells]))
    return "\n".join(lines)


def written(doc: str, matrix: Matrix) -> str:
    """`doc` with the text between the markers replaced by the tables."""
    head, start, rest = doc.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"{DOC.name} has no {START} … {END} block")
    return f"{head}{START}\n{tables(matrix)}\n{END}{tail}"


def main() -> int:
    DOC.write_text(written(DOC.read_text(), load_matrix()))
    print(f"wrote the access matrix into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
