"""The handover letter: one page for the clinician whenever triage says `soon`, `urgent` or
`emergency`, from the intake or from a check-in (issue 14, section 2).

It gathers what raised the flag (the question, the person's answer, the clinical term side by
side), the timeline, the history that matters, the medicines the person chose to list, and
what kneecoach did not ask. `add_medicines` keeps a list the person adds on the letter's page
as a new version of the saved intake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.core.report import (
    ESCALATING,
    Fact,
    FlagAnswer,
    Handover,
    RaisedFlag,
    ReportWords,
    fill,
    show_day,
)
from kneecoach.core.rules import ABSENT
from kneecoach.core.triage import UNANSWERED_FLAG_ID, Flag, TriageResult, urgency
from kneecoach.data.intake_questions import load_intake_questions
from kneecoach.data.report import clinical_terms, report_words
from kneecoach.services.intake import SavedIntake, answer_at, latest_intake, save_intake
from kneecoach.services.safety_stop import safety_on
from kneecoach.services.triage import level_meaning, question_for

MAX_MEDICINES = 30
MEDICINE_LETTERS = 120


def known_facts(saved: SavedIntake | None) -> dict[str, Any]:
    """The intake's answers by path, without those that do not apply (never shown)."""
    if saved is None:
        return {}
    return {path: value for path, value in saved.intake().facts().items() if value is not ABSENT}


def _choice_labels() -> dict[str, dict[str, str]]:
    return {
        question.path: {choice.value: choice.label for choice in question.choices}
        for section in load_intake_questions()
        for question in section.questions
        if question.choices
    }


def _questions() -> dict[str, str]:
    return {
        question.path: question.question
        for section in load_intake_questions()
        for question in section.questions
        if question.question
    }


def answer_words(path: str, value: Any, words: ReportWords) -> str:
    """An answer as a person reads it: Yes, No, a choice's label, a number."""
    if value is None:
        return words["unknown"]
    if isinstance(value, bool):
        return words["answer_yes"] if value else words["answer_no"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    labels = _choice_labels().get(path, {})
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v).replace("_", " ")) for v in value) or "-"
    return labels.get(str(value), str(value).replace("_", " "))


def _read_value(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def flag_answers(
    why: Iterable[str], facts: Mapping[str, Any], words: ReportWords
) -> tuple[FlagAnswer, ...]:
    """The answers behind a flag (its `why` lines, ``signs.warm = true``): the question, the
    answer in plain words and the clinical term, each answer once."""
    terms = clinical_terms()
    questions = _questions()
    found: dict[str, FlagAnswer] = {}
    for line in why:
        if line.endswith(" unknown") or line.endswith(" not answered"):
            path, value = line.rsplit(" ", 2 if line.endswith("not answered") else 1)[0], None
        elif " = " in line:
            path, shown = line.split(" = ", 1)
            # the answer that fired the rule (a check-in's, not the intake's); a list from facts
            value = facts.get(path) if shown.startswith("[") else _read_value(shown)
        else:
            continue
        if path in found:
            continue
        plain = answer_words(path, value, words)
        term = terms.get(path)
        if term is None:
            clinical = f"{path}: {plain}"
        elif value is None:
            clinical = f"{words['unknown']}: " + fill(term, {"value": "?"})
        else:
            clinical = fill(term, {"value": plain})
        question = questions.get(path) or question_for(path)
        found[path] = FlagAnswer(question, plain, clinical)
    return tuple(found.values())


def raised_flags(
    flags: Sequence[Flag],
    day: date,
    where: str,
    facts: Mapping[str, Any],
    words: ReportWords,
    *,
    session: Session,
) -> tuple[RaisedFlag, ...]:
    """Flags as the letter and the report show them, most urgent first."""
    shown: list[RaisedFlag] = []
    for flag in sorted(flags, key=lambda f: urgency(f.level)):
        if flag.level not in ESCALATING:
            continue
        level = level_meaning(flag.level, session=session)
        shown.append(
            RaisedFlag(
                day=day,
                where=where,
                level=flag.level,
                level_title=level.title,
                title=flag.title,
                answers=flag_answers(flag.why, facts, words),
            )
        )
    return tuple(shown)


def intake_flags(
    saved: SavedIntake, words: ReportWords, *, session: Session
) -> tuple[RaisedFlag, ...]:
    """The escalating flags of a saved intake (the unanswered-questions flag last)."""
    result = TriageResult.from_json(saved.triage)
    flags = [f for f in result.flags if f.id != UNANSWERED_FLAG_ID]
    flags += [f for f in result.flags if f.id == UNANSWERED_FLAG_ID]
    facts = known_facts(saved)
    day = saved.recorded_at.astimezone().date()
    return raised_flags(flags, day, "intake", facts, words, session=session)


def handover(today: date | None = None, *, session: Session) -> Handover | None:
    """The letter now, or None when neither the intake nor a check-in escalates."""
    today = today or date.today()
    words = report_words()
    saved = latest_intake(session=session)
    facts = known_facts(saved)
    flags: list[RaisedFlag] = []
    if saved is not None:
        flags += intake_flags(saved, words, session=session)
    state = safety_on(today, session=session)
    notice = state.stop or state.caution
    if notice is not None:
        checkin_facts = dict(facts)
        flags = [
            *raised_flags(
                notice.flags, notice.since, "check-in", checkin_facts, words, session=session
            ),
            *flags,
        ]
    flags = [f for f in flags if f.level in ESCALATING]
    if not flags:
        return None
    flags.sort(key=lambda f: urgency(f.level))
    level = level_meaning(flags[0].level, session=session)
    asked_on = saved.recorded_at.astimezone().date() if saved is not None else today
    medicines = answer_at(saved.answers, "history.medicines") if saved is not None else None
    return Handover(
        words=words,
        made_on=today,
        level=level.id,
        level_title=level.title,
        level_summary=level.summary,
        flags=tuple(flags),
        person=person_facts(facts, words),
        timeline=_timeline(facts, asked_on, words),
        history=_history(facts, words),
        medicines=None if medicines is None else tuple(str(m) for m in medicines),
        not_asked=words.not_asked,
    )


def knee_words(side: Any, words: ReportWords) -> str:
    return words.text.get(f"knee_{side}", words["knee_unknown"]) if side else words["knee_unknown"]


def person_facts(
    facts: Mapping[str, Any], words: ReportWords, *, knee: bool = True
) -> tuple[Fact, ...]:
    """Which knee (unless `knee` is false), age and sex, as far as the person gave them."""
    shown = [Fact(words["knee"], knee_words(facts.get("knee.side"), words))] if knee else []
    if facts.get("person.age") is not None:
        shown.append(Fact(words["age"], str(facts["person.age"])))
    if facts.get("person.sex") is not None:
        shown.append(Fact(words["sex"], str(facts["person.sex"])))
    return tuple(shown)


def _ago(days: float, asked_on: date, words: ReportWords) -> str:
    on = asked_on - timedelta(days=round(days))
    return fill(
        words["days_ago"],
        {"days": _number(days), "day": show_day(asked_on), "on": show_day(on)},
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _timeline(facts: Mapping[str, Any], asked_on: date, words: ReportWords) -> tuple[Fact, ...]:
    terms = clinical_terms()
    shown: list[Fact] = []
    onset = facts.get("history.onset")
    if onset is not None:
        plain = answer_words("history.onset", onset, words)
        shown.append(
            Fact(words["onset"], plain, fill(terms["history.onset"], {"value": str(onset)}))
        )
    weeks = facts.get("history.weeks_since_onset")
    if weeks is not None:
        shown.append(
            Fact(
                words["began"],
                fill(words["weeks_ago"], {"weeks": _number(weeks), "day": show_day(asked_on)}),
            )
        )
    if onset == "injury":
        days = facts.get("history.injury.days_ago")
        if days is not None:
            shown.append(Fact(words["injury"], _ago(days, asked_on, words)))
        mechanism = facts.get("history.injury.mechanism")
        if mechanism is not None:
            shown.append(
                Fact(
                    words["injury_how"],
                    answer_words("history.injury.mechanism", mechanism, words),
                    fill(terms["history.injury.mechanism"], {"value": str(mechanism)}),
                )
            )
    swelling = facts.get("signs.swelling_started_days_ago")
    if swelling is not None:
        shown.append(Fact(words["swelling_began"], _ago(swelling, asked_on, words)))
    elif facts.get("history.injury.swelling_within_hours") is not None:
        hours = facts["history.injury.swelling_within_hours"]
        shown.append(
            Fact(
                words["swelling_began"],
                fill(words["hours_after"], {"hours": _number(hours)}),
                fill(terms["history.injury.swelling_within_hours"], {"value": _number(hours)}),
            )
        )
    surgery = facts.get("history.recent_surgery_weeks")
    if surgery is not None:
        kind = facts.get("history.knee_surgery_type") or words["unknown"]
        shown.append(
            Fact(
                words["surgery"],
                fill(words["surgery_weeks"], {"weeks": _number(surgery), "kind": kind}),
            )
        )
    return tuple(shown)


HISTORY_PATHS: tuple[tuple[str, str], ...] = (
    ("history.knee_replacement", "replacement"),
    ("general.anticoagulants_or_bleeding_disorder", "blood_thinners"),
    ("history.knee_injection_or_surgery_last_6_weeks", "injection"),
    ("general.immunosuppressed", "weak_defences"),
    ("general.diabetes", "diabetes"),
    ("general.cancer_history", "cancer"),
)


def _history(facts: Mapping[str, Any], words: ReportWords) -> tuple[Fact, ...]:
    terms = clinical_terms()
    shown = []
    for path, key in HISTORY_PATHS:
        plain = answer_words(path, facts.get(path), words)
        shown.append(Fact(words[key], plain, fill(terms[path], {"value": plain})))
    return tuple(shown)


def parse_medicines(text: str) -> list[str]:
    """Medicines typed one per line (or separated by commas), each kept once."""
    found = [part.strip() for line in text.splitlines() for part in line.split(",")]
    kept = list(dict.fromkeys(part for part in found if part))
    if len(kept) > MAX_MEDICINES:
        raise InputError("history.medicines", f"list at most {MAX_MEDICINES} medicines")
    for medicine in kept:
        if len(medicine) > MEDICINE_LETTERS:
            raise InputError(
                "history.medicines", f"write each medicine in {MEDICINE_LETTERS} letters or fewer"
            )
    return kept


def add_medicines(medicines: Sequence[str], *, session: Session) -> SavedIntake:
    """Keep the medicines the person listed as a new version of the latest intake (its triage
    and assessment as they were)."""
    saved = latest_intake(session=session)
    if saved is None:
        raise NotFoundError("intake: there are no saved answers to add medicines to")
    document = dict(saved.answers)
    history = dict(document.get("history") or {})
    history["medicines"] = list(medicines)
    document["history"] = history
    from kneecoach.core.intake import parse_intake

    intake = parse_intake(document)
    return save_intake(
        intake, TriageResult.from_json(saved.triage), saved.assessment, session=session
    )
