"""The plan's knowledge files, validated into the core's strategy, advice and progression rules.

- ``plan_rules.yaml``: triage levels that refuse or soften the plan, the weekly schedule, the
  core needs and the needs per pattern and contributor.
- ``advice.yaml``: advice items with their topic, targets, condition and source.
- ``progression.yaml``: the pain zones, the rules of the pain-monitoring model, the ladders
  and step sizes, and the one-line explanations.

Everything is checked at load (unknown fields, ids, answer paths, days, sources) and a
mistake names the file and the entry. Each loader caches its result.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.exercises import KINDS
from kneecoach.core.intake import EQUIPMENT, answer_paths, input_error_from
from kneecoach.core.planning import (
    AdviceBook,
    AdviceItem,
    Need,
    NeedLevel,
    PlanRules,
    Select,
    WholePlanRule,
)
from kneecoach.core.progression import (
    FACT_PATHS,
    PainZone,
    ProgressionRule,
    ProgressionRules,
    StepSizes,
    WarningSign,
)
from kneecoach.core.rules import Condition, parse_condition, paths_in
from kneecoach.core.vocabulary import CONTRIBUTORS, PATTERNS
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.files import read_yaml

PLAN_RULES_FILE = "plan_rules.yaml"
ADVICE_FILE = "advice.yaml"
PROGRESSION_FILE = "progression.yaml"

TOPICS = ("see_professional", "load", "footwear", "weight", "habit")
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]


class PlanDataError(ValueError):
    """A packaged plan knowledge file is wrong: the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    source: Annotated[str, Field(min_length=3)]
    basis: Literal["product-decision"] | None = None


# ── plan_rules.yaml ─────────────────────────────────────────────────────────────────────────


class _SelectModel(_Strict):
    kind: Literal["mobility", "strength", "foam_roll", "balance", "cardio"] | None = None
    targets_any: list[Id] = []
    patterns_any: list[Id] = []
    progress: Literal["reps", "hold_s", "minutes"] | None = None

    @model_validator(mode="after")
    def _known_ids(self) -> _SelectModel:
        for target in self.targets_any:
            if target not in CONTRIBUTORS:
                raise ValueError(f"targets_any: {target!r} is not a contributor id")
        for pattern in self.patterns_any:
            if pattern not in PATTERNS:
                raise ValueError(f"patterns_any: {pattern!r} is not a pattern id")
        return self


class _LevelModel(_Strict):
    level: Annotated[int, Field(ge=1, le=4)]
    when: dict[str, Any]
    start_at: Id
    text: Text


class _LevelsModel(_Sourced):
    steps: list[_LevelModel] = Field(min_length=1)


class _NeedModel(_Sourced):
    id: Id
    label: Text
    why_text: Text
    select: _SelectModel
    count: Annotated[int, Field(ge=1, le=5)]
    prefer: list[Id] = []
    when: dict[str, Any] | None = None
    levels: _LevelsModel | None = None


class _MinutesModel(_Sourced):
    default: Annotated[int, Field(ge=5, le=120)]
    least: Annotated[int, Field(ge=1, le=60)]


class _GentleModel(_Sourced):
    sets: Literal["min", "start"]
    max_exercises: Annotated[int, Field(ge=2, le=20)]


class _WholePlanModel(_Sourced):
    """A catalogue condition (conditions.yaml) that makes the whole plan gentler."""

    condition: Id
    sets: Literal["min", "start"]
    max_exercises: Annotated[int, Field(ge=2, le=20)] | None = None
    text: Text


Day = Annotated[int, Field(ge=1, le=7)]


class _ScheduleModel(_Strict):
    strength: list[Day]
    balance: list[Day]
    mobility: list[Day]
    foam_roll: list[Day]
    cardio: list[Day]
    daily: list[Day] = [1, 2, 3, 4, 5, 6, 7]
    """For exercises whose text says to do them every day (`schedule: daily`)."""
    source: Text


class _MessagesModel(_Strict):
    left_out_time: Text
    left_out_equipment: Text
    left_out_safety: Text
    gentle: Text
    minutes_default: Text
    minutes_least: Text


Level = Literal["emergency", "urgent", "soon", "self_care"]


class _PlanRulesFile(_Strict):
    version: Text
    refuse_levels: list[Level]
    gentle_levels: list[Level]
    pattern_min_fit: Annotated[float, Field(ge=0, le=1)]
    max_contributors: Annotated[int, Field(ge=1, le=11)]
    minutes_per_day: _MinutesModel
    gentle: _GentleModel
    schedule: _ScheduleModel
    core: list[_NeedModel] = Field(min_length=1)
    patterns: dict[str, list[_NeedModel]]
    contributors: dict[str, list[_NeedModel]]
    extras: list[_NeedModel] = []
    whole_plan: list[_WholePlanModel] = []
    messages: _MessagesModel

    @model_validator(mode="after")
    def _consistent(self) -> _PlanRulesFile:
        for pattern in self.patterns:
            if pattern not in PATTERNS:
                raise ValueError(f"patterns: {pattern!r} is not a pattern id")
        for contributor in self.contributors:
            if contributor not in CONTRIBUTORS:
                raise ValueError(f"contributors: {contributor!r} is not a contributor id")
        ids = [n.id for n in self.core]
        ids += [n.id for needs in self.patterns.values() for n in needs]
        ids += [n.id for needs in self.contributors.values() for n in needs]
        ids += [n.id for n in self.extras]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"need ids must be unique: {duplicates}")
        if set(self.refuse_levels) & set(self.gentle_levels):
            raise ValueError("a level cannot both refuse and soften the plan")
        known = {c.id for c in load_catalogue().conditions}
        for i, rule in enumerate(self.whole_plan):
            if rule.condition not in known:
                raise ValueError(
                    f"whole_plan[{i}].condition: {rule.condition!r} is not a condition of "
                    "exercises/conditions.yaml"
                )
        return self


def _levels(model: _NeedModel, select: Select) -> tuple[NeedLevel, ...]:
    if model.levels is None:
        return ()
    out = []
    catalogue = load_catalogue()
    for i, level in enumerate(model.levels.steps):
        where = f"{model.id}.levels.steps[{i}]"
        exercise = catalogue.get(level.start_at)
        if exercise is None:
            raise PlanDataError(
                f"{PLAN_RULES_FILE}: {where}.start_at: no exercise {level.start_at!r}"
            )
        if not select.matches(exercise):
            raise PlanDataError(
                f"{PLAN_RULES_FILE}: {where}.start_at: {level.start_at} does not fit the need"
            )
        when = _condition(level.when, f"{where}.when", need_paths(), PLAN_RULES_FILE)
        out.append(NeedLevel(level.level, when, level.start_at, " ".join(level.text.split())))
    return tuple(out)


def _need(model: _NeedModel) -> Need:
    s = model.select
    select = Select(s.kind, tuple(s.targets_any), tuple(s.patterns_any), s.progress)
    return Need(
        id=model.id,
        label=model.label,
        why_text=model.why_text,
        select=select,
        count=model.count,
        source=model.source,
        prefer=tuple(model.prefer),
        when=None
        if model.when is None
        else _condition(model.when, f"{model.id}.when", need_paths(), PLAN_RULES_FILE),
        levels=_levels(model, select),
    )


def build_plan_rules(raw: Any) -> PlanRules:
    m = _validate(_PlanRulesFile, raw, PLAN_RULES_FILE)
    schedule = {kind: tuple(sorted(set(getattr(m.schedule, kind)))) for kind in (*KINDS, "daily")}
    return PlanRules(
        version=m.version,
        refuse_levels=frozenset(m.refuse_levels),
        gentle_levels=frozenset(m.gentle_levels),
        pattern_min_fit=m.pattern_min_fit,
        max_contributors=m.max_contributors,
        default_minutes=m.minutes_per_day.default,
        least_minutes=m.minutes_per_day.least,
        gentle_sets=m.gentle.sets,
        gentle_max_exercises=m.gentle.max_exercises,
        schedule=schedule,
        core=tuple(_need(n) for n in m.core),
        patterns={k: tuple(_need(n) for n in v) for k, v in m.patterns.items()},
        contributors={k: tuple(_need(n) for n in v) for k, v in m.contributors.items()},
        extras=tuple(_need(n) for n in m.extras),
        messages=m.messages.model_dump(),
        whole_plan=tuple(
            WholePlanRule(
                condition=w.condition,
                fewest_sets=w.sets == "min",
                max_exercises=w.max_exercises,
                text=" ".join(w.text.split()),
                source=" ".join(w.source.split()),
            )
            for w in m.whole_plan
        ),
    )


@cache
def load_plan_rules() -> PlanRules:
    """The packaged plan strategy, checked once per process."""
    return build_plan_rules(read_yaml(PLAN_RULES_FILE))


# ── advice.yaml ─────────────────────────────────────────────────────────────────────────────


def advice_paths() -> frozenset[str]:
    """Every path an advice condition may read."""
    return (
        answer_paths()
        | {f"contributor.{c}" for c in CONTRIBUTORS}
        | {f"pattern.{p}" for p in PATTERNS}
        | {"triage.level", "triage.pathways"}
    )


def need_paths() -> frozenset[str]:
    """Every path a need's `when` may read: what advice reads, and `situation.<id>` for each
    catalogue condition (exercises/conditions.yaml) that applies to the person, and
    `equipment.<id>` for each item the person has."""
    return (
        advice_paths()
        | {f"situation.{c.id}" for c in load_catalogue().conditions}
        | {f"equipment.{item}" for item in EQUIPMENT}
    )


class _AdviceModel(_Sourced):
    id: Id
    topic: Literal["see_professional", "load", "footwear", "weight", "habit"]
    targets: list[Id]
    when: dict[str, Any] | None = None
    text: Text

    @model_validator(mode="after")
    def _known_targets(self) -> _AdviceModel:
        for target in self.targets:
            if target not in CONTRIBUTORS:
                raise ValueError(f"targets: {target!r} is not a contributor id")
        return self


class _AdviceFile(_Strict):
    version: Text
    topics: list[Literal["see_professional", "load", "footwear", "weight", "habit"]]
    items: list[_AdviceModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> _AdviceFile:
        if sorted(self.topics) != sorted(TOPICS) or self.topics[0] != "see_professional":
            raise ValueError(f"topics must list each of {list(TOPICS)}, see_professional first")
        ids = [i.id for i in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"advice ids must be unique: {duplicates}")
        return self


def _condition(raw: dict[str, Any], where: str, known: frozenset[str], file: str) -> Condition:
    try:
        condition = parse_condition(raw, where)
    except ValueError as error:
        raise PlanDataError(f"{file}: {error}") from None
    for path in paths_in(condition):
        if path not in known:
            raise PlanDataError(f"{file}: {where}: {path!r} is not a path a rule can read")
    return condition


def build_advice(raw: Any) -> AdviceBook:
    m = _validate(_AdviceFile, raw, ADVICE_FILE)
    known = advice_paths()
    items = tuple(
        AdviceItem(
            id=item.id,
            topic=item.topic,
            text=" ".join(item.text.split()),
            targets=tuple(item.targets),
            when=None
            if item.when is None
            else _condition(item.when, f"{item.id}.when", known, ADVICE_FILE),
            source=" ".join(item.source.split()),
            basis=item.basis,
        )
        for item in m.items
    )
    return AdviceBook(version=m.version, topics=tuple(m.topics), items=items)


@cache
def load_advice() -> AdviceBook:
    """The packaged advice items, checked once per process."""
    return build_advice(read_yaml(ADVICE_FILE))


# ── progression.yaml ────────────────────────────────────────────────────────────────────────

# Making a plan never reads this file (logging and showing sessions do), so its models are
# built (pydantic's schema and validator) when it is first read rather than at import.
_BUILT_WHEN_READ = ConfigDict(defer_build=True)


class _ZoneModel(_Strict):
    model_config = _BUILT_WHEN_READ

    id: Literal["safe", "acceptable", "too_much"]
    max_pain: Annotated[int, Field(ge=0, le=10)]
    label: Text


class _ZonesModel(_Strict):
    model_config = _BUILT_WHEN_READ

    source: Text
    zones: list[_ZoneModel] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _ordered(self) -> _ZonesModel:
        ids = [z.id for z in self.zones]
        tops = [z.max_pain for z in self.zones]
        if ids != ["safe", "acceptable", "too_much"] or tops != sorted(set(tops)) or tops[-1] != 10:
            raise ValueError("zones must be safe, acceptable, too_much with rising limits up to 10")
        return self


class _RuleModel(_Sourced):
    model_config = _BUILT_WHEN_READ

    id: Id
    when: dict[str, Any] | None = None
    action: Literal["progress", "regress", "hold", "stop"]
    why_text: Text


class _StepsModel(_Sourced):
    model_config = _BUILT_WHEN_READ

    reps: Annotated[int, Field(ge=1, le=5)]
    hold_s: Annotated[int, Field(ge=1, le=30)]
    minutes: Annotated[int, Field(ge=1, le=15)]
    min_sets: Annotated[int, Field(ge=1, le=3)]
    max_sets: Annotated[int, Field(ge=1, le=5)]
    load_rungs: Annotated[int, Field(ge=1, le=1)] = 1
    """A load step is one rung of the exercise's ladder: never more (checked)."""


class _ChangeTexts(_Strict):
    model_config = _BUILT_WHEN_READ

    reps: Text
    hold_s: Text
    minutes: Text
    sets: Text
    variant: Text
    none: Text
    load_up: Text
    load_down: Text
    rm_down: Text
    rm_up: Text


class _ChainEndTexts(_Strict):
    model_config = _BUILT_WHEN_READ

    progress: Text
    regress: Text


StepName = Literal[
    "reps_up", "reps_down", "hold_up", "hold_down", "harder_variant", "easier_variant",
    "sets_up", "sets_down", "minutes_up", "minutes_down", "load_up", "load_down",
    "rm_down", "rm_up",
]  # fmt: skip


class _LaddersModel(_Strict):
    model_config = _BUILT_WHEN_READ

    progress: list[StepName] = Field(min_length=1)
    regress: list[StepName] = Field(min_length=1)


class _SignModel(_Strict):
    model_config = _BUILT_WHEN_READ

    id: Id
    question: Text


class _WarningSignsModel(_Strict):
    model_config = _BUILT_WHEN_READ

    source: Text
    signs: list[_SignModel] = Field(min_length=1)


class _NextMorningModel(_Sourced):
    model_config = _BUILT_WHEN_READ

    question: Text
    ask_within_days: Annotated[int, Field(ge=1, le=7)]


class _ProgressionFile(_Strict):
    model_config = _BUILT_WHEN_READ

    version: Text
    pain_zones: _ZonesModel
    rules: list[_RuleModel] = Field(min_length=1)
    ladders: _LaddersModel
    steps: _StepsModel
    change_texts: _ChangeTexts
    chain_end_texts: _ChainEndTexts
    first_text: Text
    effort_text: Text | None = None
    warning_signs: _WarningSignsModel
    next_morning: _NextMorningModel

    @model_validator(mode="after")
    def _ends_with_default(self) -> _ProgressionFile:
        if self.rules[-1].when is not None:
            raise ValueError("rules: the last rule must have no `when` (the default)")
        if any(rule.when is None for rule in self.rules[:-1]):
            raise ValueError("rules: only the last rule may leave out `when`")
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("rules: ids must be unique")
        if self.steps.min_sets > self.steps.max_sets:
            raise ValueError("steps: min_sets is above max_sets")
        return self


def build_progression_rules(raw: Any) -> ProgressionRules:
    m = _validate(_ProgressionFile, raw, PROGRESSION_FILE)
    rules = tuple(
        ProgressionRule(
            id=r.id,
            when=None
            if r.when is None
            else _condition(r.when, f"{r.id}.when", FACT_PATHS, PROGRESSION_FILE),
            action=r.action,
            why_text=" ".join(r.why_text.split()),
        )
        for r in m.rules
    )
    s = m.steps
    return ProgressionRules(
        version=m.version,
        zones=tuple(PainZone(z.id, z.max_pain, z.label) for z in m.pain_zones.zones),
        rules=rules,
        ladders={"progress": tuple(m.ladders.progress), "regress": tuple(m.ladders.regress)},
        steps=StepSizes(s.reps, s.hold_s, s.minutes, s.min_sets, s.max_sets, s.load_rungs),
        change_texts=m.change_texts.model_dump(),
        chain_end_texts={k: " ".join(v.split()) for k, v in m.chain_end_texts.model_dump().items()},
        first_text=m.first_text,
        effort_text=m.effort_text or "",
        warning_signs=tuple(WarningSign(w.id, w.question) for w in m.warning_signs.signs),
        next_morning_question=" ".join(m.next_morning.question.split()),
        next_morning_within_days=m.next_morning.ask_within_days,
    )


@cache
def load_progression_rules() -> ProgressionRules:
    """The packaged pain-monitoring rules, checked once per process."""
    return build_progression_rules(read_yaml(PROGRESSION_FILE))


# ── shared ──────────────────────────────────────────────────────────────────────────────────


def _validate(model: type[_Strict], raw: Any, file: str) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problem = input_error_from(error)
        raise PlanDataError(f"{file}: {problem.field}: {problem.problem}") from None


__all__ = [
    "PlanDataError",
    "build_advice",
    "build_plan_rules",
    "build_progression_rules",
    "load_advice",
    "load_plan_rules",
    "load_progression_rules",
]
