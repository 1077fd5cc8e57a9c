"""Who may sign in to a practice (server mode), and the rules their names and passwords follow.

Pure rules over plain text: the services store accounts, the interfaces ask for them. The
password rules follow NIST SP 800-63B (section 5.1.1.2): a minimum length, no composition rules
(no "one capital and one digit"), and a refusal of the obvious (one character repeated, the
user name itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from kneecoach.core.errors import InputError, KneecoachError

Role = Literal["person", "clinician", "admin"]
ROLES: Final[tuple[Role, ...]] = ("person", "clinician", "admin")

USERNAME_MIN: Final = 3
USERNAME_MAX: Final = 64
USERNAME_PATTERN: Final = re.compile(r"^[a-z0-9._-]+$")
DISPLAY_NAME_MAX: Final = 120
PASSWORD_MIN: Final = 12
PASSWORD_MAX: Final = 1024  # hashing a megabyte of "password" would be a cheap way to load us


@dataclass(frozen=True)
class AccountView:
    """A signed-in (or listed) account: what the interfaces may know about it. Never the hash."""

    id: str
    username: str
    display_name: str
    role: Role

    @property
    def is_person(self) -> bool:
        return self.role == "person"


@dataclass(frozen=True)
class AccountSummary:
    """One row of `kneecoach admin list`."""

    account: AccountView
    created_at: datetime
    disabled_at: datetime | None
    last_sign_in_at: datetime | None


class SignInRefused(KneecoachError):
    """A wrong name, a wrong password, a disabled account or a bad code: one message for all,
    so nobody can learn which names exist."""

    def __init__(self, problem: str = "That name and password do not match.") -> None:
        super().__init__(problem)


class TooManyTries(KneecoachError):
    """Sign-in (or a reset) must wait `retry_after` seconds after many failures."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(
            f"Too many tries that did not match. Wait {_wait_words(self.retry_after)}, "
            "then try again."
        )


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def check_username(raw: str) -> str:
    """The user name as stored: lower case, 3–64 of a-z 0-9 . _ -."""
    name = raw.strip().lower()
    if not name:
        raise InputError("username", "is empty; give a user name such as anna.smith")
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise InputError(
            "username",
            f"must be {USERNAME_MIN} to {USERNAME_MAX} characters long, not {len(name)}",
        )
    if not USERNAME_PATTERN.match(name):
        raise InputError(
            "username", "may hold only letters a-z, digits 0-9, dots, dashes and underscores"
        )
    return name


def check_role(raw: str) -> Role:
    for role in ROLES:
        if raw == role:
            return role
    raise InputError("role", f"must be one of {', '.join(ROLES)}, not {raw!r}")


def check_display_name(raw: str) -> str:
    name = raw.strip()
    if not name:
        raise InputError("display_name", "is empty; give the name people know them by")
    if len(name) > DISPLAY_NAME_MAX:
        raise InputError(
            "display_name", f"must be at most {DISPLAY_NAME_MAX} characters, not {len(name)}"
        )
    if not name.isprintable():
        raise InputError("display_name", "must not hold line breaks or control characters")
    return name


def check_password(password: str, username: str) -> str:
    """A new password: at least 12 characters, not one character repeated, not the user name."""
    if len(password) < PASSWORD_MIN:
        raise InputError(
            "password", f"must be at least {PASSWORD_MIN} characters long, not {len(password)}"
        )
    if len(password) > PASSWORD_MAX:
        raise InputError("password", f"must be at most {PASSWORD_MAX} characters long")
    if len(set(password)) == 1:
        raise InputError("password", "must not be one character repeated")
    if password.strip().lower() == username.strip().lower():
        raise InputError("password", "must not be the user name")
    return password
