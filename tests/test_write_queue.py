"""SQLite writers in one process queue fairly, and the queue is always freed."""

from __future__ import annotations

import threading

import pytest

from kneecoach.services.database import transaction
from kneecoach.storage import locking


def held() -> bool:
    """True while some unit of work holds the queue (a free queue can be taken at once)."""
    if locking._WRITERS.acquire(blocking=False):
        locking._WRITERS.release()
        return False
    return True


def test_the_queue_is_freed_on_commit_and_on_rollback() -> None:
    with transaction() as session:
        locking.lock_for_write(session)
        assert held()
    assert not held()
    with pytest.raises(RuntimeError), transaction() as session:
        locking.lock_for_write(session)
        raise RuntimeError("a failed unit of work")
    assert not held()


def test_a_second_writer_waits_for_the_first_then_goes_on() -> None:
    order: list[str] = []
    first_in = threading.Event()
    let_go = threading.Event()

    def first() -> None:
        with transaction() as session:
            locking.lock_for_write(session)
            first_in.set()
            let_go.wait(timeout=30)
            order.append("first done")

    def second() -> None:
        first_in.wait(timeout=30)
        with transaction() as session:
            locking.lock_for_write(session)
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(timeout=30)
    assert order == []
    let_go.set()
    for thread in threads:
        thread.join(timeout=60)
    assert order == ["first done", "second in"]
    assert not held()


def test_a_writer_never_waits_on_the_queue_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A holder that never lets go (a bug) costs the next writer the limit, not a hang."""
    monkeypatch.setattr(locking, "WAIT_SECONDS", 0.05)
    assert locking._WRITERS.acquire(timeout=1)
    try:
        with transaction() as session:
            locking.lock_for_write(session)  # gives up on the queue, SQLite decides
            assert not session.info.get(locking._HOLDS)
    finally:
        locking._WRITERS.release()
