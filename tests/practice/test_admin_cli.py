"""`kneecoach admin …`, the global `--person`, and `serve`'s refusals, through the real entry
point (exit codes and the one error line), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kneecoach.services import logins
from kneecoach.services.database import transaction
from kneecoach.settings import reset_settings
from tests.cli_helpers import Result, run_cli
from tests.postgres import free_port
from tests.practice import PASSWORD, server_mode, sign_in

NEW = "a long new password"


@pytest.fixture
def server(database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    server_mode(monkeypatch, database)
    return database


def _create(role: str, username: str, *extra: str, password: str = PASSWORD) -> Result:
    return run_cli(
        "admin", f"create-{role}", username, *extra, "--password-stdin", input=f"{password}\n"
    )


def _accounts() -> list[dict[str, object]]:
    result = run_cli("admin", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listed: list[dict[str, object]] = json.loads(result.stdout)
    return listed


def test_admin_makes_lists_disables_and_enables_accounts(server: str) -> None:
    made = _create("person", "Anna", "--name", "Anna Smith")
    assert made.exit_code == 0, made.stderr
    assert made.stdout.strip() == "Person anna (Anna Smith) made."
    assert _create("clinician", "dr.cole", "--name", "Dr Sam Cole").exit_code == 0
    asked = run_cli("admin", "create-admin", "boss", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert asked.exit_code == 0, asked.stderr
    assert [(a["username"], a["role"], a["disabled_at"]) for a in _accounts()] == [
        ("anna", "person", None),
        ("boss", "admin", None),
        ("dr.cole", "clinician", None),
    ]
    table = run_cli("admin", "list")
    assert "Anna Smith" in table.stdout and "Last sign-in" in table.stdout

    assert run_cli("admin", "disable", "anna").exit_code == 0
    assert _accounts()[0]["disabled_at"] is not None
    assert run_cli("admin", "enable", "anna").exit_code == 0
    assert _accounts()[0]["disabled_at"] is None
    missing = run_cli("admin", "disable", "zed")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "error: USER: no account is called 'zed'"


@pytest.mark.parametrize(
    ("args", "password", "typed", "error"),
    [
        (("A B",), PASSWORD, None, "error: USER: may hold only letters a-z, digits 0-9, dots"),
        (("ab",), PASSWORD, None, "error: USER: must be 3 to 64 characters long, not 2"),
        (("anna",), "short", None, "error: password: must be at least 12 characters long, not 5"),
        (("anna",), "aaaaaaaaaaaaaa", None, "error: password: must not be one character repeated"),
        (("annabelle.lee",), "AnnaBelle.Lee", None, "error: password: must not be the user name"),
        (("anna", "--name", " "), PASSWORD, None, "error: --name: is empty"),
        (("anna",), PASSWORD, f"{PASSWORD}\nsomething else\n", "the two passwords you typed"),
    ],
)
def test_bad_account_details_are_one_clear_line(
    server: str, args: tuple[str, ...], password: str, typed: str | None, error: str
) -> None:
    if typed is None:
        result = _create("person", *args, password=password)
    else:
        result = run_cli("admin", "create-person", *args, input=typed)
    assert result.exit_code == 2
    assert result.stderr.startswith(error) or error in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _accounts() == []


def test_a_user_name_is_taken_whatever_its_letter_case(server: str) -> None:
    assert _create("person", "anna").exit_code == 0
    again = _create("clinician", "ANNA")
    assert again.exit_code == 2
    assert "anna is taken" in again.stderr


def test_a_reset_code_from_the_command_line_sets_a_new_password(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_cli("admin", "create-person", "anna", "--reset-code")
    assert made.exit_code == 0, made.stderr
    printed = run_cli("admin", "reset-code", "anna")  # a new code: the first stops working
    assert printed.exit_code == 0
    first = re.search(r"Reset code for anna: (\w{5})-(\w{5})", made.stdout)
    code = re.search(r"Reset code for anna: (\w{5})-(\w{5})", printed.stdout)
    assert first is not None and code is not None
    assert "It works once, until" in printed.stdout
    with transaction() as session:
        stale = logins.reset_password(
            "anna", "".join(first.groups()), NEW, address="cli-test", session=session
        )
        assert stale is None
    with transaction() as session:
        assert (
            logins.reset_password(
                "anna", "-".join(code.groups()), NEW, address="cli-test", session=session
            )
            is not None
        )
    from tests.practice import practice_app
    from tests.web_client import BrowserClient

    client = BrowserClient(practice_app(server, monkeypatch))
    assert sign_in(client, "anna", NEW).status_code == 303
    assert _accounts()[0]["last_sign_in_at"] is not None


def test_data_commands_need_person_in_server_mode_and_are_audited(server: str) -> None:
    _create("person", "anna")
    _create("clinician", "dr.cole")
    missing = run_cli("shoes", "list")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("error: --person: on a practice server, name whose data")
    assert len(missing.stderr.strip().splitlines()) == 1
    clinician = run_cli("--person", "dr.cole", "shoes", "list")
    assert clinician.exit_code == 2
    assert "dr.cole is a clinician, not a person" in clinician.stderr
    added = run_cli("--person", "anna", "shoes", "add", "--name", "Blue runners")
    assert added.exit_code == 0, added.stderr
    listed = run_cli("--person", "ANNA", "shoes", "list", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert "Blue runners" in listed.stdout

    audit = run_cli("admin", "audit", "--person", "anna", "--format", "json")
    entries = json.loads(audit.stdout)
    used = [e for e in entries if e["action"] == "command_line"]
    assert [e["detail"] for e in used] == ["kneecoach shoes", "kneecoach shoes"]
    assert {e["actor"] for e in used} == {"admin via command line"}
    assert all(e["person"] == "anna" for e in entries)
    assert (
        len(json.loads(run_cli("admin", "audit", "--limit", "1", "--format", "json").stdout)) == 1
    )
    assert "audit entr" in run_cli("admin", "audit").stdout


def test_a_personal_backup_moves_into_a_persons_account(
    server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KNEECOACH_MODE", "personal")
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", f"sqlite:///{tmp_path / 'mine' / 'own.db'}")
    reset_settings()
    assert run_cli("shoes", "add", "--name", "Blue runners").exit_code == 0
    assert run_cli("backup", str(tmp_path / "mine.json")).exit_code == 0
    server_mode(monkeypatch, server)
    _create("person", "anna")
    moved = run_cli("admin", "import-backup", "anna", str(tmp_path / "mine.json"))
    assert moved.exit_code == 0, moved.stderr
    assert "into anna's account" in " ".join(moved.stdout.split())
    assert "Blue runners" in run_cli("--person", "anna", "shoes", "list").stdout
    twice = run_cli("admin", "import-backup", "anna", str(tmp_path / "mine.json"))
    assert twice.exit_code == 2  # a restore would mix two histories
    assert run_cli("admin", "import-backup", "anna", str(tmp_path / "none.json")).exit_code == 2


def test_personal_mode_has_no_admin_and_no_person() -> None:
    admin = run_cli("admin", "list")
    assert admin.exit_code == 2
    assert admin.stderr.strip() == (
        "error: KNEECOACH_MODE: kneecoach admin is for a practice server: "
        "set KNEECOACH_MODE=server first"
    )
    person = run_cli("--person", "anna", "shoes", "list")
    assert person.exit_code == 2
    assert "is only for a practice server" in person.stderr


def test_serve_refuses_to_listen_beyond_loopback_in_personal_mode() -> None:
    result = run_cli("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --host: 0.0.0.0 would let other machines reach")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_in_server_mode_needs_its_public_name(server: str) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: KNEECOACH_ALLOWED_HOSTS: a server reached from other machines must list its "
        "public name (KNEECOACH_ALLOWED_HOSTS=kneecoach.example.org)"
    )


def test_db_upgrade_brings_every_persons_store_up_to_date(server: str) -> None:
    _create("person", "anna")
    _create("clinician", "dr.cole")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "People's stores ready: 1."
