"""The growing wait after failed sign-ins: per account name, per address, shared by every app
process on one database, and never a lock on the correct password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from kneecoach.core.accounts import TooManyTries
from kneecoach.services import accounts, audit, throttle
from kneecoach.services.database import transaction
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import LoginThrottle
from tests.practice import PASSWORD, make_person, practice_app, sign_in
from tests.web_client import BrowserClient

WRONG = "not the password at all"


def _hold_the_wait(seconds: int = 600) -> None:
    """Make every wait that has begun last `seconds` from now, so a slow machine cannot sit
    it out between two requests (the growth itself is checked with a given clock above)."""
    with transaction() as session:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.failures >= throttle.FREE_TRIES)
            .values(next_try_at=utc_now() + timedelta(seconds=seconds))
        )


def _retry_after(answer: object) -> int:
    return int(answer.headers["retry-after"])  # type: ignore[attr-defined]


def _end_the_wait() -> None:
    """Move every wait into the past, as if it had been sat out."""
    with transaction() as session:
        session.execute(update(LoginThrottle).values(next_try_at=utc_now() - timedelta(seconds=1)))


def test_the_wait_doubles_after_five_failures_up_to_fifteen_minutes() -> None:
    assert [throttle.wait_after(n).total_seconds() for n in range(4, 12)] == [
        0,
        1,
        2,
        4,
        8,
        16,
        32,
        64,
    ]
    assert throttle.wait_after(15) == throttle.MAX_WAIT == timedelta(minutes=15)
    assert throttle.wait_after(10_000) == throttle.MAX_WAIT


def test_failures_grow_the_wait_in_the_database_and_success_clears_it(database: str) -> None:
    make_person("anna")
    start = utc_now()
    keys = (throttle.account_key("anna"), throttle.address_key("10.0.0.9"))
    moment = start
    waits = []
    for _ in range(8):
        with transaction() as session:
            throttle.check(keys, session=session, now=moment)
            assert (
                accounts.authenticate(
                    "anna", WRONG, address="10.0.0.9", session=session, now=moment
                )
                is None
            )
        with transaction() as session:
            row = session.get(LoginThrottle, keys[0])
            assert row is not None
            wait = audit.aware(row.next_try_at) - moment
            waits.append(round(wait.total_seconds()))
            moment = moment + wait
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8]
    # one second early: still waiting, even for the right password
    with transaction() as session, pytest.raises(TooManyTries) as early:
        accounts.authenticate(
            "anna",
            PASSWORD,
            address="10.0.0.9",
            session=session,
            now=moment - timedelta(seconds=1),
        )
    assert early.value.retry_after == 1
    with transaction() as session:  # the wait is over: the right password works
        account = accounts.authenticate(
            "anna", PASSWORD, address="10.0.0.9", session=session, now=moment
        )
        assert account is not None
    with transaction() as session:
        assert session.get(LoginThrottle, keys[0]) is None  # the account's count starts over
        assert session.get(LoginThrottle, keys[1]) is not None  # the address's does not


def test_a_failure_long_ago_is_forgotten(database: str) -> None:
    keys = (throttle.account_key("anna"),)
    long_ago = utc_now() - throttle.FORGET_AFTER - timedelta(minutes=1)
    for _ in range(7):
        with transaction() as session:
            throttle.failed(keys, session=session, now=long_ago)
    with transaction() as session:
        throttle.failed(keys, session=session)
        failures = session.scalar(
            select(LoginThrottle.failures).where(LoginThrottle.key == keys[0])
        )
    assert failures == 1


def _fail(client: BrowserClient, username: str, times: int) -> None:
    for _ in range(times):
        assert sign_in(client, username, WRONG).status_code == 401


def test_two_workers_share_the_wait_and_the_right_password_works_after_it(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two app instances on one database are two "workers": failures on one make the other
    wait, with 429 and Retry-After; once the wait is over the right password signs in."""
    first: FastAPI = practice_app(database, monkeypatch)
    second: FastAPI = practice_app(database, monkeypatch)
    make_person("anna")
    one, two = BrowserClient(first), BrowserClient(second)
    _fail(one, "anna", 3)
    _fail(two, "anna", 2)
    with transaction() as session:  # the fifth failure, on the second worker, began a wait
        row = session.get(LoginThrottle, throttle.account_key("anna"))
        assert row is not None and row.failures == 5
        assert row.next_try_at - row.last_failure_at == timedelta(seconds=1)
    _hold_the_wait()
    waiting = sign_in(one, "anna", PASSWORD)
    assert waiting.status_code == 429
    assert 590 <= _retry_after(waiting) <= 600
    assert "Too many tries that did not match. Wait 10 minutes" in waiting.text
    api = two.post("/api/v1/session", json={"username": "anna", "password": PASSWORD})
    assert api.status_code == 429 and 590 <= _retry_after(api) <= 600
    _end_the_wait()
    assert sign_in(two, "anna", PASSWORD).status_code == 303


def test_an_address_guessing_many_names_waits_too(client: BrowserClient) -> None:
    make_person("anna")
    for name in ("ann", "anne", "anna1", "annie", "hannah"):
        _fail(client, name, 1)
    _hold_the_wait()
    waiting = sign_in(client, "anna", PASSWORD)
    assert waiting.status_code == 429  # a sixth name from the same address waits
    assert 590 <= _retry_after(waiting) <= 600
    with transaction() as session:
        assert session.get(LoginThrottle, throttle.account_key("anna")) is None


def test_an_unknown_name_is_throttled_like_a_known_one(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No enumeration through the wait: a name that exists and one that does not get the same
    429 after the same number of failures."""
    app = practice_app(database, monkeypatch)
    make_person("anna")
    for name in ("anna", "nobody"):
        _end_the_wait()
        with transaction() as session:  # a fresh address count for each name
            session.execute(LoginThrottle.__table__.delete())
        client = BrowserClient(app)
        _fail(client, name, 5)
        _hold_the_wait()
        assert sign_in(client, name, WRONG).status_code == 429


def test_the_reset_page_shares_the_wait(client: BrowserClient) -> None:
    make_person("anna")
    _fail(client, "anna", 5)
    _hold_the_wait()
    answer = client.post(
        "/reset",
        data={
            "username": "anna",
            "code": "AAAAAAAAAA",
            "password": "my own new password",
            "password_again": "my own new password",
        },
    )
    assert answer.status_code == 429
    assert 590 <= _retry_after(answer) <= 600


def test_guessing_from_elsewhere_never_keeps_a_person_out_of_their_own_browser(
    practice: FastAPI,
) -> None:
    """The browser that signed in before keeps getting in while a guesser at another address
    makes the name wait; a new browser waits like the guesser."""
    make_person("dr.cole")
    own = BrowserClient(practice, client=("10.0.0.7", 50000))
    assert sign_in(own, "dr.cole").status_code == 303
    assert own.cookies.get("kneecoach_device")
    own.post("/logout")
    guesser = BrowserClient(practice, client=("203.0.113.66", 50000))
    _fail(guesser, "dr.cole", 5)
    _hold_the_wait()
    assert sign_in(guesser, "dr.cole", PASSWORD).status_code == 429
    fresh = BrowserClient(practice, client=("10.0.0.8", 50000))
    assert sign_in(fresh, "dr.cole", PASSWORD).status_code == 429  # the name waits
    assert sign_in(own, "dr.cole", PASSWORD).status_code == 303  # but not for its own browser
    assert sign_in(guesser, "dr.cole", WRONG).status_code == 429  # the guesser's address waits
    assert sign_in(fresh, "dr.cole", PASSWORD).status_code == 303  # the name's count was cleared


def test_a_device_token_helps_only_the_name_it_was_given_for(practice: FastAPI) -> None:
    make_person("anna")
    make_person("ben")
    own = BrowserClient(practice, client=("10.0.0.7", 50000))
    sign_in(own, "anna")
    device = own.cookies.get("kneecoach_device")
    guesser = BrowserClient(practice, client=("203.0.113.66", 50000))
    _fail(guesser, "ben", 5)
    _hold_the_wait()
    stranger = BrowserClient(practice, client=("10.0.0.9", 50000))
    stranger.cookies.set("kneecoach_device", device or "", domain="localhost.local", path="/")
    assert sign_in(stranger, "ben", PASSWORD).status_code == 429
