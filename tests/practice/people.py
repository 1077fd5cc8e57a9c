"""Accounts for the sharing tests, written straight into the practice's tables.

(practice-auth's `create_account` makes real ones with passwords; these tests need only the
rows a share points at.)"""

from __future__ import annotations

import uuid

from kneecoach.services.database import transaction
from kneecoach.storage.models.accounts import Account


def make_account(username: str, role: str, display_name: str | None = None) -> str:
    account_id = uuid.uuid4().hex
    with transaction() as session:
        session.add(
            Account(
                id=account_id,
                username=username,
                display_name=display_name or username.title(),
                role=role,
            )
        )
    return account_id
