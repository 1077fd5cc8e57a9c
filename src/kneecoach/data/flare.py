"""Loads `flare_plan.yaml`: the flare plan's groups, advice and resume rule, checked at load.

Every rule needs a `source` or `basis: product-decision`; every exercise id must be in the
catalogue, every alert id a detector, every red-flag rule a rule of red_flags.yaml, every
condition a path a rule can read, and every placeholder a known one. The last exercise group
must match every exercise. A mistake names the file and the entry.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneecoach.core.country import PLACEHOLDERS
from kneecoach.core.flare import (
    ACTIONS,
    AdviceRule,
    BuildBackRule,
    ExerciseGroup,
    FlareRules,
    NotSettling,
    StartRule,
)
from kneecoach.core.intake import input_error_from
from kneecoach.core.rules import Condition, parse_condition, paths_in
from kneecoach.core.signals import ALERT_IDS
from kneecoach.core.signals.alerts import Level
from kneecoach.data.files import read_yaml

FILE = "flare_plan.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]


class FlareDataError(ValueError):
    """flare_plan.yaml is wrong: the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """A rule: it says where it comes from, or that kneecoach chose it (and why)."""

    source: Annotated[str, Field(min_length=3)]
    basis: Literal["product-decision"] | None = None


class _TextModel(_Sourced):
    text: Text


class _PhaseModel(_Strict):
    title: Text
    text: Text


class _TimelineModel(_Sourced):
    ease_days: Annotated[int, Field(ge=1, le=7)]
    ease: _PhaseModel
    build_back: _PhaseModel


class _StartModel(_Sourced):
    alerts: list[Id] = Field(min_length=1)
    min_level: Literal["watch", "act", "see_professional"]
    look_back_days: Annotated[int, Field(ge=1, le=60)]
    same_flare_within_days: Annotated[int, Field(ge=0, le=21)]


class _ActionModel(_Strict):
    label: Text


class _ActionsModel(_Strict):
    keep: _ActionModel
    shorter: _ActionModel
    pause: _ActionModel


class _GroupModel(_Sourced):
    id: Id
    label: Text
    action: Literal["keep", "shorter", "pause"]
    when: dict[str, Any] | None = None
    exercises: list[Id] = []
    kinds: list[Literal["mobility", "strength", "foam_roll", "balance", "cardio"]] = []
    why_text: Text


class _AdviceModel(_Sourced):
    id: Id
    label: Text
    when: dict[str, Any] | None = None
    general: bool = False
    text: Text


class _BuildBackTexts(_Strict):
    up: Text
    hold: Text
    down: Text
    done: Text


class _BuildBackModel(_Sourced):
    ladder: list[Literal["reps_up", "hold_up", "minutes_up", "sets_up"]] = Field(min_length=1)
    steps_per_day: Literal[1]
    text: _BuildBackTexts


class _NotSettlingModel(_Sourced):
    after_days: Annotated[int, Field(ge=7, le=42)]
    label: Text
    text: Text
    message: Text


class _RedFlagsModel(_Sourced):
    label: Text
    text: Text
    rules: list[Id] = Field(min_length=1)


class _SeeSomeoneModel(_Strict):
    not_settling: _NotSettlingModel
    red_flags: _RedFlagsModel


class _FlareFile(_Strict):
    version: Text
    title: Text
    intro: _TextModel
    general_note: _TextModel
    on_hold: _TextModel
    care_first: _TextModel
    timeline: _TimelineModel
    start: _StartModel
    actions: _ActionsModel
    exercise_groups: list[_GroupModel] = Field(min_length=2)
    activities: list[_AdviceModel] = Field(min_length=1)
    comfort: list[_AdviceModel] = Field(min_length=1)
    pain_relief: list[_AdviceModel] = Field(min_length=1)
    build_back: _BuildBackModel
    see_someone: _SeeSomeoneModel


def _flat(text: str) -> str:
    return " ".join(text.split())


def _placeholders(text: str, allowed: frozenset[str], where: str) -> None:
    used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = used - allowed
    if unknown:
        raise FlareDataError(f"{FILE}: {where}: unknown placeholders {sorted(unknown)}")


COUNTRY = frozenset(PLACEHOLDERS)


def condition_paths() -> frozenset[str]:
    """Every path a flare rule's `when` may read: the intake's answers and pattern fits."""
    from kneecoach.data.planning import advice_paths

    return advice_paths()


def _condition(raw: dict[str, Any] | None, where: str) -> Condition | None:
    if raw is None:
        return None
    try:
        condition = parse_condition(raw, where)
    except ValueError as error:
        raise FlareDataError(f"{FILE}: {error}") from None
    known = condition_paths()
    for path in paths_in(condition):
        if path not in known:
            raise FlareDataError(f"{FILE}: {where}: {path!r} is not a path a rule can read")
    return condition


def _advice(items: list[_AdviceModel], section: str) -> tuple[AdviceRule, ...]:
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise FlareDataError(f"{FILE}: {section}: an id is used twice")
    rules = []
    for item in items:
        _placeholders(item.text, COUNTRY, f"{section}.{item.id}.text")
        rules.append(
            AdviceRule(
                item.id,
                item.label,
                _flat(item.text),
                _condition(item.when, f"{item.id}.when"),
                general=item.general,
            )
        )
    return tuple(rules)


def _groups(m: _FlareFile) -> tuple[ExerciseGroup, ...]:
    from kneecoach.data.exercises import load_catalogue

    catalogue = load_catalogue()
    groups = []
    for g in m.exercise_groups:
        for exercise_id in g.exercises:
            if catalogue.get(exercise_id) is None:
                raise FlareDataError(
                    f"{FILE}: exercise_groups.{g.id}: {exercise_id!r} is not in the catalogue"
                )
        _placeholders(g.why_text, frozenset(), f"exercise_groups.{g.id}.why_text")
        groups.append(
            ExerciseGroup(
                id=g.id,
                label=g.label,
                action=g.action,
                why_text=_flat(g.why_text),
                exercises=frozenset(g.exercises),
                kinds=frozenset(g.kinds),
                when=_condition(g.when, f"{g.id}.when"),
            )
        )
    last = groups[-1]
    if last.exercises or last.kinds or last.when is not None:
        raise FlareDataError(f"{FILE}: exercise_groups: the last group must match every exercise")
    if len({g.id for g in groups}) != len(groups):
        raise FlareDataError(f"{FILE}: exercise_groups: an id is used twice")
    return tuple(groups)


def build_flare_rules(raw: Any) -> FlareRules:
    """The flare plan from its parsed file, checked; raises FlareDataError naming the entry."""
    try:
        m = _FlareFile.model_validate(raw)
    except ValidationError as error:
        problem = input_error_from(error)
        raise FlareDataError(f"{FILE}: {problem.field}: {problem.problem}") from None
    for alert in m.start.alerts:
        if alert not in ALERT_IDS or alert == "red_flag":
            raise FlareDataError(f"{FILE}: start.alerts: {alert!r} is not a detector of a flare")
    Level.named(m.start.min_level)
    _red_flag_rules(m.see_someone.red_flags.rules)
    back = m.build_back
    for name in ("up", "hold", "down", "done"):
        _placeholders(getattr(back.text, name), frozenset({"safe", "ok"}), f"build_back.{name}")
    settle = m.see_someone.not_settling
    red = m.see_someone.red_flags
    for where, text in (
        ("not_settling.text", settle.text),
        ("not_settling.message", settle.message),
        ("red_flags.text", red.text),
        ("intro", m.intro.text),
        ("general_note", m.general_note.text),
        ("on_hold", m.on_hold.text),
        ("care_first", m.care_first.text),
    ):
        _placeholders(text, COUNTRY, f"see_someone.{where}")
    return FlareRules(
        version=m.version,
        title=m.title,
        summary=_flat(m.intro.text),
        general_note=_flat(m.general_note.text),
        on_hold=_flat(m.on_hold.text),
        care_first=_flat(m.care_first.text),
        ease_days=m.timeline.ease_days,
        phases={
            "ease": (m.timeline.ease.title, _flat(m.timeline.ease.text)),
            "build_back": (m.timeline.build_back.title, _flat(m.timeline.build_back.text)),
        },
        start=StartRule(
            tuple(m.start.alerts),
            m.start.min_level,
            m.start.look_back_days,
            m.start.same_flare_within_days,
        ),
        action_labels={name: getattr(m.actions, name).label for name in ACTIONS},
        groups=_groups(m),
        activities=_advice(m.activities, "activities"),
        comfort=_advice(m.comfort, "comfort"),
        pain_relief=_advice(m.pain_relief, "pain_relief"),
        build_back=BuildBackRule(
            ladder=tuple(back.ladder),
            steps_per_day=back.steps_per_day,
            up=_flat(back.text.up),
            hold=_flat(back.text.hold),
            down=_flat(back.text.down),
            done=_flat(back.text.done),
        ),
        not_settling=NotSettling(
            settle.after_days, settle.label, _flat(settle.text), _flat(settle.message)
        ),
        red_flags=AdviceRule("red_flags", red.label, _flat(red.text)),
        red_flag_rules=tuple(red.rules),
    )


def _red_flag_rules(ids: list[str]) -> None:
    from kneecoach.data.red_flags import load_red_flags

    known = {rule.id for rule in load_red_flags().rules}
    unknown = [rule for rule in ids if rule not in known]
    if unknown:
        raise FlareDataError(f"{FILE}: see_someone.red_flags.rules: not red-flag rules: {unknown}")


@cache
def load_flare_rules() -> FlareRules:
    """The packaged flare plan, checked once per process."""
    return build_flare_rules(read_yaml(FILE))


__all__ = ["FlareDataError", "build_flare_rules", "load_flare_rules"]
