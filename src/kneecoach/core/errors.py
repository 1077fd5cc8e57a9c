"""One error family for the whole app.

The core raises these; the edges turn them into exit status 2 (CLI) or the right HTTP status
(web). Each names the field and the problem in one line a worried person can act on.
"""

from __future__ import annotations


class KneecoachError(Exception):
    """Base of every error kneecoach expects and explains."""


class InputError(KneecoachError):
    """Something the person gave us is not usable: names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ConflictError(KneecoachError):
    """The request clashes with what is already stored."""


class NotFoundError(KneecoachError):
    """The thing asked for does not exist."""
