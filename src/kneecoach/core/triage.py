"""Safety triage: is home care safe, and if not, whom to see and how soon.

The rules are data (``data/red_flags.yaml``); this module only walks them. Two principles from
the product decisions shape it:

- Unknown is never "no". A red-flag question left unanswered is listed in ``missing`` and
  lifts the level to at least ``soon``, with advice to answer it. Any other unknown answer is
  simply not evidence: a rule whose condition is unknown does not fire.
- The level is the level of the most urgent flag, and ``self_care`` only when none fires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from kneecoach.core.country import ServiceWords, fill
from kneecoach.core.intake import Intake
from kneecoach.core.rules import Condition, evaluate

LevelId = Literal["emergency", "urgent", "soon", "self_care"]
PathwayId = Literal["after_surgery", "child_under_9", "calming"]

PATHWAYS: Final[tuple[PathwayId, ...]] = ("after_surgery", "child_under_9", "calming")
"""Rules that replace the generic plan: the first two refuse it, `calming` limits it."""

REFUSING_PATHWAYS: Final[frozenset[str]] = frozenset({"after_surgery", "child_under_9"})

LEVELS: Final[tuple[LevelId, ...]] = ("emergency", "urgent", "soon", "self_care")
"""Most urgent first."""

UNANSWERED_FLAG_ID: Final = "unanswered_safety_questions"


def urgency(level: str) -> int:
    """A sortable rank: 0 for emergency up to 3 for self care."""
    return LEVELS.index(level)


def most_urgent(levels: Iterable[str]) -> LevelId:
    """The most urgent of some levels; ``self_care`` when there are none."""
    ranked = sorted(levels, key=urgency)
    return LEVELS[urgency(ranked[0])] if ranked else "self_care"


@dataclass(frozen=True)
class Level:
    """What a level means for the person: whom to contact and how soon."""

    id: LevelId
    title: str
    summary: str
    advice: str


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    title: str
    level: LevelId
    when: Condition
    advice: str
    source: str
    basis: str | None = None
    pathway: PathwayId | None = None


@dataclass(frozen=True)
class SafetyQuestion:
    """A red-flag question: its answer path and the plain question a person is asked."""

    path: str
    question: str


@dataclass(frozen=True)
class QuestionGroup:
    """Red-flag questions that apply always (`applies_when` None) or in one situation."""

    name: str
    questions: tuple[SafetyQuestion, ...]
    applies_when: Condition | None = None


@dataclass(frozen=True)
class UnansweredAdvice:
    title: str
    level: LevelId
    advice: str
    source: str
    basis: str | None = None


@dataclass(frozen=True)
class RedFlagRules:
    """The whole red-flag knowledge file, validated."""

    version: str
    levels: tuple[Level, ...]
    question_groups: tuple[QuestionGroup, ...]
    rules: tuple[RedFlagRule, ...]
    unanswered: UnansweredAdvice
    _fired: dict[tuple[tuple[str, Any], ...], tuple[Flag, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    """The flags each set of answers fires, worked out once: most days of check-ins repeat a
    few answer sets, and every check-in, page and alert asks again."""

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def question_for(self, path: str) -> str | None:
        for group in self.question_groups:
            for question in group.questions:
                if question.path == path:
                    return question.question
        return None

    def red_flag_paths(self) -> tuple[str, ...]:
        """Every red-flag question path, whatever the situation."""
        return tuple(q.path for g in self.question_groups for q in g.questions)

    def in_words_of(self, words: ServiceWords) -> RedFlagRules:
        """The same rules with every piece of advice naming this country's services."""
        return replace(
            self,
            levels=tuple(
                replace(
                    level,
                    summary=fill(level.summary, words),
                    advice=fill(level.advice, words),
                )
                for level in self.levels
            ),
            rules=tuple(replace(rule, advice=fill(rule.advice, words)) for rule in self.rules),
            unanswered=replace(self.unanswered, advice=fill(self.unanswered.advice, words)),
        )


@dataclass(frozen=True)
class Flag:
    """A fired rule: what to do, where the rule comes from, and the answers behind it."""

    id: str
    level: LevelId
    title: str
    advice: str
    source: str
    why: tuple[str, ...] = ()
    pathway: PathwayId | None = None

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "advice": self.advice,
            "source": self.source,
            "why": list(self.why),
        }
        if self.pathway is not None:
            shown["pathway"] = self.pathway
        return shown


@dataclass(frozen=True)
class TriageResult:
    level: LevelId
    flags: tuple[Flag, ...]
    missing: tuple[str, ...]
    message: Level | None = None
    """The level's one headline and one set of actions, in the person's country's words."""

    @property
    def leading_flags(self) -> tuple[Flag, ...]:
        """The flags at the result's own level: their advice is what the person acts on, so a
        page never shows two orders (an ambulance and a GP visit) side by side."""
        return tuple(f for f in self.flags if f.level == self.level and f.id != UNANSWERED_FLAG_ID)

    @property
    def other_flags(self) -> tuple[Flag, ...]:
        """Less urgent flags: worth telling the professional, but not a second set of orders."""
        return tuple(f for f in self.flags if f.level != self.level and f.id != UNANSWERED_FLAG_ID)

    @property
    def pathways(self) -> tuple[PathwayId, ...]:
        """The pathways the fired rules name, most urgent rule first, each once."""
        return tuple(dict.fromkeys(f.pathway for f in self.flags if f.pathway is not None))

    def as_json(self) -> dict[str, Any]:
        """The `kneecoach triage --format json` document (shared/spec/intake.md)."""
        shown: dict[str, Any] = {
            "level": self.level,
            "flags": [flag.as_json() for flag in self.flags],
            "missing": list(self.missing),
        }
        if self.message is not None:
            shown["message"] = {
                "title": self.message.title,
                "summary": self.message.summary,
                "advice": self.message.advice,
            }
        return shown

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> TriageResult:
        """Read back a stored result (as `as_json` wrote it)."""
        flags = tuple(
            Flag(
                id=str(flag["id"]),
                level=_level(flag["level"]),
                title=str(flag.get("title", flag["id"])),
                advice=str(flag["advice"]),
                source=str(flag["source"]),
                why=tuple(str(line) for line in flag.get("why", ())),
                pathway=_pathway(flag.get("pathway")),
            )
            for flag in raw.get("flags", ())
        )
        missing = tuple(str(path) for path in raw.get("missing", ()))
        level = _level(raw["level"])
        message = raw.get("message")
        meaning = (
            Level(level, str(message["title"]), str(message["summary"]), str(message["advice"]))
            if isinstance(message, Mapping)
            else None
        )
        return cls(level=level, flags=flags, missing=missing, message=meaning)


def _level(value: Any) -> LevelId:
    for level in LEVELS:
        if value == level:
            return level
    raise ValueError(f"not a triage level: {value!r}")


def _pathway(value: Any) -> PathwayId | None:
    for pathway in PATHWAYS:
        if value == pathway:
            return pathway
    return None


def _rules_of(rules: RedFlagRules | Iterable[RedFlagRule]) -> tuple[RedFlagRule, ...]:
    return rules.rules if isinstance(rules, RedFlagRules) else tuple(rules)


def fired_flags(
    facts: Mapping[str, Any], rules: RedFlagRules | Iterable[RedFlagRule]
) -> tuple[Flag, ...]:
    """The flags whose conditions are true for these answers, most urgent first.

    Unknown answers are ignored: a rule that depends on one does not fire. The daily
    check-in calls this with the few answers a check-in holds.
    """
    if isinstance(rules, RedFlagRules):
        try:
            key = tuple(sorted(facts.items()))
            hash(key)
        except TypeError:  # an answer that is a list: worked out each time
            return _fire(facts, rules.rules)
        found = rules._fired.get(key)
        if found is None:
            if len(rules._fired) >= FIRED_MEMO_SIZE:
                rules._fired.clear()
            found = rules._fired[key] = _fire(facts, rules.rules)
        return found
    return _fire(facts, _rules_of(rules))


FIRED_MEMO_SIZE = 4096
"""Answer sets remembered per rules file (a bound on memory, far above a person's variety)."""


def _fire(facts: Mapping[str, Any], rules: Iterable[RedFlagRule]) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for rule in rules:
        outcome = evaluate(rule.when, facts)
        if outcome.truth is True:
            flags.append(
                Flag(
                    rule.id,
                    rule.level,
                    rule.title,
                    rule.advice,
                    rule.source,
                    outcome.because,
                    rule.pathway,
                )
            )
    return _most_urgent_first(flags)


def _most_urgent_first(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    return tuple(sorted(flags, key=lambda flag: urgency(flag.level)))  # stable: file order


def questions_that_apply(
    facts: Mapping[str, Any], rules: RedFlagRules
) -> tuple[SafetyQuestion, ...]:
    """The red-flag questions for this person: always, plus those for their situation."""
    asked: dict[str, SafetyQuestion] = {}
    for group in rules.question_groups:
        if group.applies_when is None or evaluate(group.applies_when, facts).truth is True:
            for question in group.questions:
                asked.setdefault(question.path, question)
    return tuple(asked.values())


def unanswered_questions(
    facts: Mapping[str, Any], rules: RedFlagRules
) -> tuple[SafetyQuestion, ...]:
    """Red-flag questions that apply but have no answer (an unknown is never a "no")."""
    return tuple(q for q in questions_that_apply(facts, rules) if facts.get(q.path) is None)


def unanswered_flag(missing: Iterable[SafetyQuestion], rules: RedFlagRules) -> Flag:
    """The flag that asks the person to answer the safety questions left open, by name."""
    questions = [q.question for q in missing]
    listed = " ".join(f"({n}) {text}" for n, text in enumerate(questions, start=1))
    advice = rules.unanswered
    return Flag(
        id=UNANSWERED_FLAG_ID,
        level=advice.level,
        title=advice.title,
        advice=f"{advice.advice} {listed}",
        source=advice.source,
        why=tuple(f"{q.path} unknown" for q in missing),
    )


def triage_facts(facts: Mapping[str, Any], rules: RedFlagRules) -> TriageResult:
    """Triage a flat answers mapping (as `Intake.facts()` gives)."""
    flags = list(fired_flags(facts, rules))
    missing = unanswered_questions(facts, rules)
    if missing:
        flags.append(unanswered_flag(missing, rules))
    ordered = _most_urgent_first(flags)
    level = most_urgent(flag.level for flag in ordered)
    return TriageResult(
        level=level,
        flags=ordered,
        missing=tuple(q.path for q in missing),
        message=rules.level(level),
    )


def triage(intake: Intake, rules: RedFlagRules) -> TriageResult:
    """Decide whether home care is safe for this intake, and if not, how soon to get help."""
    return triage_facts(intake.facts(), rules)
