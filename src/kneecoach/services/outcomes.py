"""Outcome questionnaires as things a person does: score answers, save them, look back over time."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kneecoach.core.errors import InputError
from kneecoach.core.outcomes import (
    Change,
    Instrument,
    Scores,
    ScoreValue,
    changes_from_first,
    score,
    validate_answers,
)
from kneecoach.data.instruments import INSTRUMENT_IDS, load_instrument
from kneecoach.services.paging import DEFAULT_DAYS, date_page
from kneecoach.storage.models.outcomes import QuestionnaireResponse


@dataclass(frozen=True)
class ScoredAnswers:
    """Validated answers (only the instrument's own items) and their scores."""

    instrument: Instrument
    answers: dict[str, int]
    scores: Scores


@dataclass(frozen=True)
class SavedResult:
    """One stored response, with the scores as they were printed (one decimal)."""

    id: int
    instrument: str
    version: str
    answered_on: date
    answers: dict[str, int]
    scores: dict[str, ScoreValue]


@dataclass(frozen=True)
class History:
    """An instrument's saved results in date order and how each moved from the first."""

    instrument: Instrument
    results: tuple[SavedResult, ...]
    changes: tuple[tuple[Change, ...], ...]  # one tuple per result; empty for the first
    saved: int = 0
    """How many results are saved in all (the results may be a window of them)."""
    next_before: date | None = None
    """For a page (`history_pages`): the `before` of the page of older results."""

    @property
    def latest_changes(self) -> tuple[Change, ...]:
        return self.changes[-1] if self.changes else ()


def instrument(instrument_id: str) -> Instrument:
    """The instrument with this id, or a one-line error listing the ones that exist."""
    if instrument_id not in INSTRUMENT_IDS:
        raise InputError(
            "instrument", f"{instrument_id!r} is not known; use {', '.join(INSTRUMENT_IDS)}"
        )
    return load_instrument(instrument_id)


def score_answers(instrument_id: str, raw: object) -> ScoredAnswers:
    """Check an answers document (any KOOS code is allowed) and score it for one instrument."""
    chosen = instrument(instrument_id)
    answers = validate_answers(raw)
    own = {item.code for item in chosen.items}
    kept = {code: value for code, value in answers.items() if code in own}
    return ScoredAnswers(chosen, kept, score(chosen, kept))


def save_answers(
    instrument_id: str, raw: object, answered_on: date | None = None, *, session: Session
) -> SavedResult:
    """Score and store one response: every answer, the printed scores, the version, the date."""
    scored = score_answers(instrument_id, raw)
    if not scored.answers:
        raise InputError("answers", "no question was answered, so there is nothing to save")
    when = answered_on or date.today()
    if when > date.today():
        raise InputError("date", f"{when.isoformat()} is in the future")
    row = QuestionnaireResponse(
        instrument=scored.instrument.id,
        instrument_version=scored.instrument.version,
        answered_on=when,
        answers=dict(scored.answers),
        scores=scored.scores.rounded(),
    )
    session.add(row)
    session.flush()
    return _result(row)


def saved_results(instrument_id: str | None = None, *, session: Session) -> list[SavedResult]:
    """Stored responses, oldest first (by the date answered, then the order saved)."""
    if instrument_id is not None:
        instrument(instrument_id)
    query = select(QuestionnaireResponse).order_by(
        QuestionnaireResponse.answered_on, QuestionnaireResponse.id
    )
    if instrument_id is not None:
        query = query.where(QuestionnaireResponse.instrument == instrument_id)
    return [_result(row) for row in session.scalars(query)]


def each_saved_result(
    instrument_ids: Collection[str], *, session: Session, batch: int = 200
) -> Iterator[SavedResult]:
    """The stored responses of these instruments, oldest first like `saved_results`, read
    `batch` rows at a time so years of questionnaires are never all in memory at once."""
    query = (
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.instrument.in_(tuple(instrument_ids)))
        .order_by(QuestionnaireResponse.answered_on, QuestionnaireResponse.id)
        .execution_options(yield_per=batch)
    )
    for row in session.scalars(query):
        yield _result(row)


def outcome_histories(
    instrument_id: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    *,
    session: Session,
) -> list[History]:
    """For each instrument with saved results: the results answered from `first_day` to
    `last_day` (both kept; every result when not given) and each one's change from the
    first result ever saved."""
    counts = _saved_counts(instrument_id, session=session)
    known_ids = tuple(counts)
    query = select(QuestionnaireResponse).where(QuestionnaireResponse.instrument.in_(known_ids))
    if first_day is not None:
        query = query.where(QuestionnaireResponse.answered_on >= first_day)
    if last_day is not None:
        query = query.where(QuestionnaireResponse.answered_on <= last_day)
    order = (QuestionnaireResponse.answered_on, QuestionnaireResponse.id)
    rows = [_result(row) for row in session.scalars(query.order_by(*order))]
    histories = []
    for known in known_ids:
        own = tuple(result for result in rows if result.instrument == known)
        first = session.scalars(
            select(QuestionnaireResponse)
            .where(QuestionnaireResponse.instrument == known)
            .order_by(*order)
            .limit(1)
        ).one()
        chosen = load_instrument(known)
        changes = tuple(
            ()
            if result.id == first.id
            else changes_from_first(chosen, _result(first).scores, result.scores)
            for result in own
        )
        histories.append(History(chosen, own, changes, saved=counts[known]))
    return histories


def history_pages(
    instrument_id: str | None = None,
    limit: int = DEFAULT_DAYS,
    before: date | None = None,
    *,
    session: Session,
) -> list[History]:
    """Each instrument's results on its `limit` latest days with results before `before`
    (`services.paging`), oldest first, with `next_before` for the page of older ones."""
    pages = []
    for known, saved in _saved_counts(instrument_id, session=session).items():
        where = [QuestionnaireResponse.instrument == known]
        page = date_page(QuestionnaireResponse.answered_on, where, limit, before, session=session)
        if page.empty:  # asked for days before the first result
            pages.append(History(load_instrument(known), (), (), saved=saved))
            continue
        (found,) = outcome_histories(known, page.first, page.last, session=session)
        pages.append(replace(found, next_before=page.next_before))
    return pages


def _saved_counts(instrument_id: str | None, *, session: Session) -> dict[str, int]:
    """How many results each instrument has (only those with any), in the usual order."""
    if instrument_id is not None:
        instrument(instrument_id)
    known_ids = INSTRUMENT_IDS if instrument_id is None else (instrument_id,)
    counts: dict[str, int] = {
        known: count
        for known, count in session.execute(
            select(QuestionnaireResponse.instrument, func.count())
            .where(QuestionnaireResponse.instrument.in_(known_ids))
            .group_by(QuestionnaireResponse.instrument)
        )
    }
    return {known: counts[known] for known in known_ids if counts.get(known)}


def _result(row: QuestionnaireResponse) -> SavedResult:
    return SavedResult(
        id=row.id,
        instrument=row.instrument,
        version=row.instrument_version,
        answered_on=row.answered_on,
        answers={str(code): int(value) for code, value in _mapping(row.answers).items()},
        scores=dict(_mapping(row.scores)),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
