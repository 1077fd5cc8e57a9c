"""Hypothesis histories: check-ins (some edited), factors, questionnaire answers, shoes and
their wear checks, goals and settings, stored through the services into any database URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from hypothesis import strategies as st

from kneecoach.core.checkins import CheckIn
from kneecoach.services import checkins as checkin_service
from kneecoach.services import country as country_service
from kneecoach.services import goal as goal_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services import shoes as shoe_service
from kneecoach.storage import db

TODAY = date(2026, 6, 30)
SIGNS = (
    "midsole_creased",
    "outsole_worn",
    "soft_heel_or_twists",
    "leans_on_table",
    "holes",
    "new_aches",
)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
maybe_flag = st.none() | st.booleans()


@st.composite
def checkins(draw: st.DrawFn) -> CheckIn:
    day = TODAY - timedelta(days=draw(st.integers(0, 400)))
    return CheckIn(
        day=day,
        pain=float(draw(st.integers(0, 20))) / 2,
        pain_worst=draw(st.none() | st.floats(0, 10, allow_nan=False)),
        swelling=draw(st.none() | st.integers(0, 3)),
        stiffness_min=draw(st.none() | st.floats(0, 600, allow_nan=False)),
        clicking=draw(maybe_flag),
        catching=draw(maybe_flag),
        locking=draw(maybe_flag),
        giving_way=draw(maybe_flag),
        weakness=draw(maybe_flag),
        warm=draw(maybe_flag),
        fever=draw(maybe_flag),
        calf_pain=draw(maybe_flag),
        steps=draw(st.none() | st.integers(0, 60000)),
        exercise_pain=draw(st.none() | st.floats(0, 10, allow_nan=False)),
        next_morning_worse=draw(maybe_flag),
        note=draw(st.none() | text.filter(str.strip)),
        factors=tuple(
            (name, draw(st.booleans()))
            for name in draw(st.sets(st.sampled_from(["stairs", "long_sitting"])))
        ),
    )


@dataclass(frozen=True)
class History:
    checkins: list[CheckIn]
    edits: list[int]
    koos: list[tuple[int, int]]  # (days ago, answer for every item)
    pairs: list[str]
    wear: list[bool]
    goal: str | None
    country: str | None


histories = st.builds(
    History,
    checkins=st.lists(checkins(), max_size=12, unique_by=lambda c: c.day),
    edits=st.lists(st.integers(0, 11), max_size=4),
    koos=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 4)), max_size=3),
    pairs=st.lists(
        st.text("abcdefghij ", min_size=1, max_size=12).filter(str.strip),
        max_size=2,
        unique_by=lambda n: n.strip().lower().replace(" ", ""),
    ),
    wear=st.lists(st.booleans(), min_size=6, max_size=6),
    goal=st.none()
    | st.text("abcdefgh ", min_size=3, max_size=30).filter(lambda s: len(s.strip()) >= 3),
    country=st.none() | st.sampled_from(["GB", "IE", "US"]),
)


def store(history: History, url: str) -> None:
    """Store a history through the services, one unit of work per action."""

    def run(service, *args, **kwargs):  # type: ignore[no-untyped-def]
        with db.session_scope(url) as session:
            return service(*args, session=session, **kwargs)

    if history.country:
        run(country_service.set_country, history.country)
    for name in {f for c in history.checkins for f, _ in c.factors}:
        run(checkin_service.add_factor, name)
    ids = []
    for name in history.pairs:
        ids.append(run(shoe_service.add_pair, name, today=TODAY).pair.id)
    for index, checkin in enumerate(history.checkins):
        shoe = ids[index % len(ids)] if ids and checkin.steps else None
        run(checkin_service.record_checkin, replace(checkin, shoe=shoe))
    for index in history.edits:
        if index < len(history.checkins):
            edited = history.checkins[index]
            run(checkin_service.record_checkin, replace(edited, pain=10 - edited.pain), merge=False)
    for days_ago, answer in history.koos:
        answers = {
            code: answer
            for code in (
                "S1",
                "S2",
                "S3",
                "S4",
                "S5",
                "S6",
                "S7",
                "P1",
                "P2",
                "P3",
                "P4",
                "P5",
                "P6",
                "P7",
                "P8",
                "P9",
                "A3",
                "A5",
            )
        }
        run(outcome_service.save_answers, "koos", answers, TODAY - timedelta(days=days_ago))
        run(outcome_service.save_answers, "koosjr", answers, TODAY - timedelta(days=days_ago))
    if ids:
        run(
            shoe_service.record_wear_check,
            ids[0],
            dict(zip(SIGNS, history.wear, strict=True)),
            on=TODAY,
            today=TODAY,
        )
    if history.goal:
        run(
            goal_service.set_goal,
            history.goal,
            "a bit",
            (TODAY + timedelta(days=40)).isoformat(),
            "start small",
            on=TODAY,
        )
