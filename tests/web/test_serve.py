"""`kneecoach serve`: loopback by default, clear one-line errors (the real server runs in e2e)."""

from __future__ import annotations

import socket

import pytest

from kneecoach.cli.serve import address_of, is_loopback
from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.org", "::"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_addresses_print_as_urls() -> None:
    assert address_of("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert address_of("::1", 8000) == "http://[::1]:8000"


def test_a_bad_port_is_one_line_and_status_2() -> None:
    result = run_cli("serve", "--port", "70000")
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "error: --port: must be a whole number from 1 to 65535, not 70000"
    )


def test_a_busy_port_is_one_line_and_status_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --port: cannot listen on http://127.0.0.1:")
    assert "Traceback" not in result.stderr


def test_a_bad_database_url_fails_before_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", "nosuchdb://x")
    reset_settings()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 2
    assert "KNEECOACH_DATABASE_URL" in result.stderr
    assert "running at" not in result.stdout


def test_several_workers_are_refused_in_personal_mode() -> None:
    result = run_cli("serve", "--workers", "2")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --workers: 2 workers need KNEECOACH_MODE=server; personal mode serves one "
        "person with one worker"
    )
    assert "running at" not in result.stdout


@pytest.mark.parametrize("workers", ["0", "-1", "65"])
def test_a_worker_count_out_of_range_is_one_line(
    workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    reset_settings()
    result = run_cli("serve", "--workers", workers)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --workers: must be a whole number from 1 to 64, not {workers}"
    )
