"""Idempotency keys: the rules for a key and for "the same request", with no I/O.

A client that may send a write twice (a phone replaying what it queued offline) sends an
`Idempotency-Key` header, a new random value per write (a UUID). The server remembers the
first answer to each key: the same key with the same request gets that answer again, the same
key with another request is refused. Two requests are the same when their route and their
JSON documents (keys sorted, so spacing and order do not count) are equal.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Final

from kneecoach.core.errors import InputError

KEY_FIELD: Final = "Idempotency-Key"
"""The header's name, used as the field of its errors."""
KEY_PATTERN: Final = re.compile(r"[A-Za-z0-9_.:~-]{8,200}")
"""A UUID or any other value of 8 to 200 letters, digits and `- _ . : ~`."""
KEEP_DAYS: Final = 7
"""How long a key is remembered; a queued write is sent long before (pruned on write)."""


def checked_key(raw: str) -> str:
    """The key as sent, or InputError naming the header."""
    key = raw.strip()
    if not KEY_PATTERN.fullmatch(key):
        raise InputError(
            KEY_FIELD,
            "use 8 to 200 letters, digits or - _ . : ~ (for example a new UUID for each write)",
        )
    return key


def request_hash(route: str, document: object) -> str:
    """A fingerprint of one request: its route and its JSON document, order-free."""
    canonical = json.dumps([route, document], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def reused_key_problem(stored_route: str, route: str) -> str:
    """Why a key sent before with another request is refused."""
    if stored_route != route:
        return f"this key was already used for {stored_route}; send a new key with each new write"
    return (
        "this key was already used for a different request; nothing was saved. "
        "Send a new key with each new write"
    )
