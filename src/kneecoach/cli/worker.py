"""`kneecoach worker`: run background jobs (movement checks) from the database's queue.

The web app runs a worker of its own (KNEECOACH_WORKER=thread, the default). Start this on
another machine, with the same KNEECOACH_DATABASE_URL (PostgreSQL) and the same data folder
(KNEECOACH_DATA_DIR, a network share: the videos are there), when one machine is not enough;
set KNEECOACH_WORKER=off on the web server to leave all the work to these.
"""

from __future__ import annotations

import signal
from types import FrameType

import typer

from kneecoach.cli.common import console


def worker(
    once: bool = typer.Option(
        False, "--once", help="Run the jobs waiting now, then stop (for a timer or a test)."
    ),
    name: str = typer.Option(
        "", "--name", help="This worker's name in the jobs table (default: host:pid)."
    ),
) -> None:
    """Run queued jobs until stopped with Ctrl+C or SIGTERM (a job in progress goes back to
    the queue)."""
    from kneecoach.services.database import describe_database, migrate_database
    from kneecoach.services.worker import Worker

    migrate_database()  # a bad KNEECOACH_DATABASE_URL fails here, in one line
    runner = Worker(name or None)
    if once:
        count = runner.run_until_empty()
        console.print(f"Ran {count} job{'' if count == 1 else 's'}.", highlight=False)
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        runner.stop(wait=None)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    console.print(
        f"kneecoach worker {runner.name} is waiting for jobs in {describe_database()}. "
        "Stop with Ctrl+C.",
        highlight=False,
        soft_wrap=True,
    )
    runner.run()
    console.print("kneecoach worker stopped.")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
