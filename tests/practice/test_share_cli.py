"""`kneecoach share`: an admin acting for one person on a practice server makes a code, lists
and revokes clinicians, each written to the person's audit; personal mode says it needs a
server."""

from __future__ import annotations

import json

import pytest

from kneecoach.services import audit, sharing
from kneecoach.services.database import transaction
from tests.cli_helpers import run_cli
from tests.practice import make_clinician, make_person, server_mode


def test_personal_mode_says_sharing_needs_a_server() -> None:
    result = run_cli("share", "code")
    assert result.exit_code == 2
    assert "needs a practice server (KNEECOACH_MODE=server)" in result.stderr


def test_code_list_revoke_for_one_person(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    server_mode(monkeypatch, database)
    anna = make_person("anna")
    lee = make_clinician("drlee")
    made = run_cli("--person", "anna", "share", "code", "--format", "json")
    assert made.exit_code == 0, made.stderr
    code = json.loads(made.stdout)["code"]
    with transaction() as session:
        sharing.link_with_code(lee.id, code, session=session)
    listed = run_cli("--person", "anna", "share", "list")
    assert listed.exit_code == 0 and "Drlee (drlee), since" in listed.stdout
    revoked = run_cli("--person", "anna", "share", "revoke", "drlee")
    assert revoked.exit_code == 0 and "can no longer see Anna's data" in revoked.stdout
    assert "shares with nobody" in run_cli("--person", "anna", "share", "list").stdout
    with transaction() as session:
        details = [entry.detail for entry in audit.entries_about(anna.id, session=session)]
    assert "kneecoach share revoke" in details and "kneecoach share code" in details
    no_one = run_cli("share", "list")
    assert no_one.exit_code == 2 and "--person" in no_one.stderr
    clinician = run_cli("--person", "drlee", "share", "code")
    assert clinician.exit_code == 2 and "not a person" in clinician.stderr
