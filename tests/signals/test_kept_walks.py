"""Walks kept between requests (services/signal_walks.py) never show what the stored data no
longer says: every answer equals working it out afresh, after new days, edits of old days,
imports, an erase and a change of country, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals import alerts_in
from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.data.signals import load_signal_thresholds
from kneecoach.services import checkins as checkin_service
from kneecoach.services import country as country_service
from kneecoach.services import personal_data
from kneecoach.services import signals as signal_service
from kneecoach.services.signal_walks import KEEPER
from kneecoach.services.triage import red_flag_rules
from kneecoach.settings import reset_settings
from tests.db import in_session
from tests.history import seed_checkins

END = date.today() - timedelta(days=20)


@pytest.fixture
def database(any_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    KEEPER.clear()
    return any_database


def afresh(first: date, last: date) -> list:  # type: ignore[type-arg]
    """The alerts worked out from the stored rows with nothing kept."""
    checkins = in_session(checkin_service.list_checkins)
    rules = in_session(red_flag_rules)
    return alerts_in(checkins, first, last, load_signal_thresholds(), RedFlag(rules))


def kept(first: date, last: date) -> list:  # type: ignore[type-arg]
    return in_session(signal_service.stored_alerts_between, first, last)


def record(checkin: CheckIn) -> None:
    in_session(checkin_service.record_checkin, checkin)


def swollen(day: date) -> CheckIn:
    return CheckIn(day=day, pain=6, swelling=3, stiffness_min=55, giving_way=True, catching=True)


def test_kept_walks_follow_new_days_and_edits_of_old_ones(database: str) -> None:
    seed_checkins(300, END)
    window = (END - timedelta(weeks=12), END)
    assert kept(*window) == afresh(*window)
    assert kept(END, END) == afresh(END, END)

    for offset in range(1, 8):  # a week of new days, each worked on from the last stop
        day = END + timedelta(days=offset)
        record(swollen(day))
        assert kept(day, day) == afresh(day, day)
    assert any(a.day > END for a in kept(END, END + timedelta(days=7)))

    # An edit of a day deep inside the kept walks: every view of it changes at once.
    old = END - timedelta(days=40)
    before = kept(old, END)
    for back in range(5):
        record(swollen(old - timedelta(days=back)))
    after = kept(old, END)
    assert after == afresh(old, END)
    assert after != before


def test_an_import_and_an_erase_are_seen(database: str, tmp_path: Path) -> None:
    seed_checkins(200, END)
    window = (END - timedelta(weeks=6), END)
    quiet = kept(*window)
    csv = tmp_path / "days.csv"
    rows = ["date,pain,swelling,stiffness_min,catching,giving_way,warm,fever"]
    for back in range(12):
        rows.append(f"{(END - timedelta(days=back)).isoformat()},7,3,60,1,1,1,{int(back == 3)}")
    csv.write_text("\n".join(rows) + "\n")
    in_session(checkin_service.import_checkins, checkin_service.read_checkins_file(csv))
    loud = kept(*window)
    assert loud == afresh(*window)
    assert loud != quiet
    assert any(a.id == "red_flag" for a in loud)

    in_session(personal_data.erase_everything)
    assert kept(*window) == [] == afresh(*window)


def test_a_new_country_gives_its_own_words(database: str) -> None:
    seed_checkins(120, END)
    record(CheckIn(day=END, pain=5, warm=True, swelling=2, fever=True))
    in_session(country_service.set_country, "IE")
    in_ireland = kept(END, END)
    assert in_ireland == afresh(END, END)
    in_session(country_service.set_country, "US")
    in_the_us = kept(END, END)
    assert in_the_us == afresh(END, END)
    assert "911" in " ".join(a.advice for a in in_the_us if a.id == "red_flag")
    assert "911" not in " ".join(a.advice for a in in_ireland if a.id == "red_flag")


def test_days_written_out_of_order_by_several_clients(database: str) -> None:
    """Like ten phones catching up at once: each write lands between days already kept."""
    seed_checkins(150, END - timedelta(days=40))
    clients = 5
    for i in range(8):
        for client in range(clients):
            day = END - timedelta(days=39) + timedelta(days=client + clients * i)
            record(swollen(day) if (client + i) % 3 == 0 else CheckIn(day=day, pain=3))
            assert kept(day, day) == afresh(day, day), day
    window = (END - timedelta(weeks=12), END)
    assert kept(*window) == afresh(*window)
