"""One error family for the whole app.

The core and the services raise these; the edges turn them into exit status 2 (CLI) or the
right HTTP status (web). Each names the field and the problem in one line a worried person can
act on. A field is a domain name (`start_date`, `answers`, `exercises.0.id`), never a
command-line option or a form field: each interface maps it to its own words.

An error may carry a `hint`: the id of the next step that would help (make a plan, list the
shoes), with any `details` it needs. The interface words it in its own terms (a command to
type, a page to open) or leaves it out; the message itself names no command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Self

# Next steps an error can point to (each interface says how to take them).
MAKE_PLAN: Final = "make_plan"
ANSWER_INTAKE: Final = "answer_intake"
LIST_SHOES: Final = "list_shoes"
LIST_EXERCISES: Final = "list_exercises"
CHOOSE_SHOE_OR_ACTIVITY: Final = "choose_shoe_or_activity"
CHOOSE_OR_SET_DEFAULT_SHOE: Final = "choose_or_set_default_shoe"
EXPORT_DATA: Final = "export_data"
LEAVE_EMPTY: Final = "leave_empty"
LIST_COURSE: Final = "list_course"
SET_GOAL: Final = "set_goal"
REPLACE_DATA: Final = "replace_data"


class KneecoachError(Exception):
    """Base of every error kneecoach expects and explains.

    `field` (when the problem belongs to one) is a domain name; the message reads
    "FIELD: PROBLEM" and `problem` is the part after the field.
    """

    def __init__(
        self,
        problem: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        details: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem
        self.hint = hint
        self.details: dict[str, str] = dict(details or {})

    def renamed(self, field: str) -> Self:
        """The same error with its field under another name (an interface's own word)."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.field = field
        clone.args = (f"{field}: {self.problem}",)
        return clone


class InputError(KneecoachError):
    """Something the person gave us is not usable: names the field and the problem."""

    field: str

    def __init__(
        self,
        field: str,
        problem: str,
        *,
        hint: str | None = None,
        details: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(problem, field=field, hint=hint, details=details)


class InputErrors(InputError):
    """Several problems found at once (a form or body with more than one bad answer).

    It reads as its first problem, so code that knows one InputError still works; `errors`
    lists every one, in the order the fields were read, so an interface can show them all."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        first = errors[0]
        super().__init__(first.field, first.problem, hint=first.hint, details=first.details)
        self.errors: tuple[InputError, ...] = tuple(errors)

    def renamed_each(self, rename: Callable[[str], str]) -> InputErrors:
        """The same problems with each field under an interface's own name."""
        return InputErrors([error.renamed(rename(error.field)) for error in self.errors])


def each_problem(error: InputError) -> tuple[InputError, ...]:
    """Every problem an InputError carries: its list when it is InputErrors, else itself."""
    return error.errors if isinstance(error, InputErrors) else (error,)


def raise_all(errors: Sequence[InputError]) -> None:
    """Raise nothing for no problems, the one error for one, InputErrors for several."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)


class ConflictError(KneecoachError):
    """The request clashes with what is already stored."""


class UnavailableError(KneecoachError):
    """Something this machine lacks (a system library): nothing the person typed is wrong, and
    the message says what to install."""


class NotFoundError(KneecoachError):
    """The thing asked for does not exist."""
