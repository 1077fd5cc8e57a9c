"""Share codes and shares in the practice's database (SQLite and PostgreSQL): a person makes a
code, a clinician links with it once, the person lists and revokes; a wrong, used, expired or
unknown code all get one answer, and wrong codes make the clinician wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from kneecoach.core.accounts import TooManyTries
from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import sharing, throttle
from kneecoach.services.database import transaction
from kneecoach.storage.models.accounts import OneTimeCode, Share
from tests.db import in_session
from tests.practice import make_account


@pytest.fixture
def people(database: str) -> tuple[str, str, str]:
    return (
        make_account("person", "anna", display_name="Anna").id,
        make_account("clinician", "drlee", display_name="Dr Lee").id,
        make_account("clinician", "drkim", display_name="Dr Kim").id,
    )


def _wrong_answer(clinician: str, code: str) -> str:
    with pytest.raises(InputError) as refused:
        in_session(sharing.link_with_code, clinician, code)
    assert refused.value.field == "code"
    return refused.value.problem


def test_a_code_links_once_and_is_kept_only_as_a_hash(people: tuple[str, str, str]) -> None:
    anna, lee, kim = people
    made = in_session(sharing.make_share_code, anna)
    assert len(made.code) == 14 and made.code.count("-") == 2
    assert (
        timedelta(hours=23, minutes=59) < made.expires_at - datetime.now(UTC) <= timedelta(hours=24)
    )
    with transaction() as session:
        stored = session.scalars(select(OneTimeCode)).one()
        assert stored.purpose == "share" and made.code.replace("-", "") not in stored.code_hash
        assert stored.code_hash == sharing.code_hash(made.code.replace("-", ""))
    link = in_session(sharing.link_with_code, lee, made.code.lower().replace("-", " "))
    assert (link.person_name, link.clinician_name) == ("Anna", "Dr Lee")
    assert [c.clinician_name for c in in_session(sharing.clinicians_of, anna)] == ["Dr Lee"]
    assert [p.person_id for p in in_session(sharing.people_of, lee)] == [anna]
    assert in_session(sharing.people_of, kim) == []
    assert in_session(sharing.may_read, lee, anna) and not in_session(sharing.may_read, kim, anna)
    used = _wrong_answer(kim, made.code)  # a used code works no more, for anyone
    assert used == _wrong_answer(kim, "ABCD-EFGH-JKMN")  # the same words as a wrong code


def test_an_expired_code_gets_the_wrong_code_answer(people: tuple[str, str, str]) -> None:
    anna, lee, _kim = people
    made = in_session(sharing.make_share_code, anna)
    wrong = _wrong_answer(lee, "ABCD-EFGH-JKMN")
    with transaction() as session:
        session.execute(
            update(OneTimeCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert _wrong_answer(lee, made.code) == wrong
    assert _wrong_answer(lee, "not a code at all") == wrong
    assert in_session(sharing.clinicians_of, anna) == []


def test_revoking_ends_the_share_at_once(people: tuple[str, str, str]) -> None:
    anna, lee, kim = people
    in_session(sharing.link_with_code, lee, in_session(sharing.make_share_code, anna).code)
    in_session(sharing.link_with_code, kim, in_session(sharing.make_share_code, anna).code)
    in_session(sharing.revoke, anna, lee)
    assert not in_session(sharing.may_read, lee, anna)
    assert in_session(sharing.may_read, kim, anna)
    assert [c.clinician_id for c in in_session(sharing.clinicians_of, anna)] == [kim]
    with transaction() as session:
        assert session.scalars(select(Share.revoked_at).where(Share.clinician_id == lee)).one()
    with pytest.raises(NotFoundError):
        in_session(sharing.revoke, anna, lee)  # nothing left to revoke


def test_wrong_codes_make_the_clinician_wait(people: tuple[str, str, str]) -> None:
    anna, lee, kim = people
    start = datetime.now(UTC)
    for _try in range(throttle.FREE_TRIES):
        with pytest.raises(InputError):
            in_session(sharing.link_with_code, lee, "ABCD-EFGH-JKMN", now=start)
        in_session(sharing.count_wrong_code, lee, now=start)
    good = in_session(sharing.make_share_code, anna).code
    with pytest.raises(TooManyTries) as waiting:
        in_session(sharing.link_with_code, lee, good, now=start)
    assert waiting.value.retry_after == throttle.FIRST_WAIT.total_seconds()
    in_session(sharing.link_with_code, kim, in_session(sharing.make_share_code, anna).code)
    later = start + throttle.FIRST_WAIT
    assert in_session(sharing.link_with_code, lee, good, now=later).person_id == anna
