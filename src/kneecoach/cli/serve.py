"""`kneecoach serve`: run the web app on this machine (loopback unless told otherwise)."""

from __future__ import annotations

import ipaddress
import socket
from types import FrameType
from typing import TYPE_CHECKING

import typer

from kneecoach.cli.common import console
from kneecoach.core.errors import InputError

if TYPE_CHECKING:
    import uvicorn

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can reach the server."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def port_is_free(host: str, port: int) -> bool:
    """Try to bind first, so a busy port is one clear line rather than a server log."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError:
        return False
    return True


MAX_WORKERS = 64


def check_workers(workers: int) -> None:
    """Several workers only serve a practice: personal mode is one person on this machine, and
    one process answers them at once (a second would only share one SQLite file)."""
    from kneecoach.settings import get_settings

    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(
            "--workers", f"must be a whole number from 1 to {MAX_WORKERS}, not {workers}"
        )
    if workers > 1 and not get_settings().is_server:
        raise InputError(
            "--workers",
            f"{workers} workers need KNEECOACH_MODE=server; personal mode serves one person "
            "with one worker",
        )


def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on. Loopback keeps it on this machine."
    ),
    port: int = typer.Option(8000, "--port", help="Port to listen on (1–65535)."),
    workers: int = typer.Option(
        1,
        "--workers",
        help="App processes sharing the port (server mode only; see docs/deploy.md).",
    ),
) -> None:
    """Run the kneecoach web app and print its address. Stop it with Ctrl+C or SIGTERM."""
    if not 1 <= port <= 65535:
        raise InputError("--port", f"must be a whole number from 1 to 65535, not {port}")
    if not host.strip():
        raise InputError("--host", "must not be empty")
    check_workers(workers)

    from kneecoach.settings import get_settings

    settings = get_settings()
    if not is_loopback(host) and not settings.is_server:
        raise InputError(
            "--host",
            f"{host} would let other machines reach your data, and personal mode has no "
            "sign-in; use 127.0.0.1, or run a practice server (KNEECOACH_MODE=server)",
        )
    if not is_loopback(host) and not settings.allowed_host_names:
        raise InputError(
            "KNEECOACH_ALLOWED_HOSTS",
            "a server reached from other machines must list its public name "
            "(KNEECOACH_ALLOWED_HOSTS=kneecoach.example.org)",
        )

    import uvicorn

    from kneecoach.cli.db import copy_before_upgrade
    from kneecoach.services.database import describe_database, migrate_database

    if not port_is_free(host, port):
        raise InputError("--port", f"cannot listen on {address_of(host, port)}: in use or not here")
    copy_before_upgrade()
    migrate_database()  # a bad KNEECOACH_DATABASE_URL fails here, in one line, before serving
    mode = (
        "server mode: people sign in; answers to "
        + ", ".join(settings.allowed_host_names or ("this machine",))
        if settings.is_server
        else "personal mode: this machine only, no sign-in"
    )
    console.print(f"kneecoach is running at {address_of(host, port)} ({mode})", highlight=False)
    console.print(f"Data: {describe_database()}. Stop with Ctrl+C.", highlight=False)
    if workers > 1:
        console.print(f"Workers: {workers} processes.", highlight=False)
    config = uvicorn.Config(
        "kneecoach.web.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        workers=workers,
        server_header=False,  # no "server: uvicorn": nothing to tell an attacker what runs here
    )

    class Server(uvicorn.Server):
        """Uvicorn finishes open requests on SIGINT/SIGTERM, then re-raises the signal; we
        stop there instead, so a service manager sees a clean exit (status 0)."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            captured = getattr(self, "_captured_signals", None)
            if isinstance(captured, list):
                captured.clear()

    server = Server(config)
    try:
        if workers > 1:
            run_workers(config)
        else:
            server.run()
    except SystemExit:  # uvicorn exits this way when it cannot start
        raise InputError("--port", f"could not serve on {address_of(host, port)}") from None
    console.print("kneecoach stopped.")


def run_workers(config: uvicorn.Config) -> None:
    """Uvicorn's own supervisor: it binds the port once, starts `config.workers` processes that
    each build the app from its factory, restarts one that dies, and on SIGTERM stops them all.
    Nothing a request needs lives in one worker's memory (docs/deploy.md, "Several workers")."""
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[config.bind_socket()]).run()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
