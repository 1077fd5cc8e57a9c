"""Declarative conditions over answers, walked by one small evaluator.

A clinician reads and reviews the YAML, not this code. A condition is written as:

    signs.warm: true                      # the answer equals this value
    signs.swelling: {ge: 2}               # an operator and a value
    history.injury.days_ago: {known: false}   # the question was left unanswered
    pain.location: {contains: front}      # a list answer holds this value
    all: [ ... ]   any: [ ... ]   not: { ... }

Answers are three-valued: an answer that is absent is *unknown*, and `all`/`any`/`not` follow
Kleene logic (false AND unknown = false, true OR unknown = true). Triage uses the unknowns to
say which red-flag questions still need an answer; everything else treats unknown as "not
evidence". `known` is the one operator that looks at the unknown itself: it lets a rule say
"a recent injury, or one whose date we were not told", so a missing date never silences an
injury rule. Facts may hold `ABSENT` for answers whose absence has a definite meaning (no injury
object means no injury): every comparison with `ABSENT` is simply false.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final


class _Absent:
    """A definite "no such thing" (e.g. no operation in the last 12 weeks)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()


def _contains(answer: Any, wanted: Any) -> bool:
    return isinstance(answer, list | tuple | set | frozenset) and wanted in answer


def _contains_any(answer: Any, wanted: Any) -> bool:
    return isinstance(answer, list | tuple | set | frozenset) and any(w in answer for w in wanted)


def _equals(answer: Any, wanted: Any) -> bool:
    if isinstance(answer, bool) or isinstance(wanted, bool):
        return isinstance(answer, bool) and isinstance(wanted, bool) and answer is wanted
    return bool(answer == wanted)


def _in(answer: Any, allowed: Any) -> bool:
    return answer in allowed


def _compare(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(answer: Any, wanted: Any) -> bool:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        return fn(answer, wanted)

    return check


OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "eq": _equals,
    "ne": lambda a, w: not _equals(a, w),
    "lt": _compare(operator.lt),
    "le": _compare(operator.le),
    "gt": _compare(operator.gt),
    "ge": _compare(operator.ge),
    "in": _in,
    "contains": _contains,
    "contains_any": _contains_any,
    "known": lambda answer, wanted: True,  # handled in `evaluate`: it reads presence itself
}

_SYMBOLS: Final = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


@dataclass(frozen=True)
class Leaf:
    path: str
    op: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class NotOf:
    item: Condition


Condition = Leaf | AllOf | AnyOf | NotOf


@dataclass(frozen=True)
class Outcome:
    """The result of a condition: truth (None = unknown), the answers behind it, the unknowns."""

    truth: bool | None
    because: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


def parse_condition(raw: Any, where: str = "when") -> Condition:
    """Build a condition from its YAML form; raises ValueError naming the place of a mistake."""
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"{where}: a condition must be a non-empty mapping, got {raw!r}")
    if len(raw) != 1:
        items = [{key: value} for key, value in raw.items()]
        return AllOf(tuple(parse_condition(item, f"{where}.{i}") for i, item in enumerate(items)))
    ((key, value),) = raw.items()
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ValueError(f"{where}.{key}: needs a non-empty list of conditions")
        parsed = tuple(parse_condition(v, f"{where}.{key}[{i}]") for i, v in enumerate(value))
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if key == "not":
        return NotOf(parse_condition(value, f"{where}.not"))
    if not isinstance(key, str) or "." not in key:
        raise ValueError(f"{where}: {key!r} is not an answer path like 'signs.warm'")
    if isinstance(value, Mapping):
        if len(value) != 1:
            raise ValueError(f"{where}.{key}: give exactly one operator, got {sorted(value)}")
        ((op, wanted),) = value.items()
        if op not in OPERATORS:
            raise ValueError(
                f"{where}.{key}: unknown operator {op!r}; use one of {list(OPERATORS)}"
            )
        if op == "known" and not isinstance(wanted, bool):
            raise ValueError(f"{where}.{key}: known takes true or false, got {wanted!r}")
        return Leaf(key, str(op), wanted)
    return Leaf(key, "eq", value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def describe_fact(path: str, value: Any) -> str:
    """The one-line "why" for an answer, e.g. ``signs.clicking = true``."""
    return f"{path} = {_show(value)}"


def describe_condition(condition: Condition) -> str:
    """Plain text of a condition, for clinicians reading a rule in the app."""
    match condition:
        case Leaf(path, op, value) if op in _SYMBOLS:
            return f"{path} {_SYMBOLS[op]} {_show(value)}"
        case Leaf(path, op, value):
            return f"{path} {op.replace('_', ' ')} {_show(value)}"
        case AllOf(items):
            return "(" + " and ".join(describe_condition(i) for i in items) + ")"
        case AnyOf(items):
            return "(" + " or ".join(describe_condition(i) for i in items) + ")"
        case NotOf(item):
            return "not " + describe_condition(item)
    raise TypeError(condition)  # pragma: no cover


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> Outcome:
    """Evaluate with Kleene logic; `because` lists the answers that made it true."""
    match condition:
        case Leaf(path, "known", wanted):
            present = path in facts and facts[path] is not None
            if present is bool(wanted):
                shown = describe_fact(path, facts[path]) if present else f"{path} not answered"
                return Outcome(True, because=(shown,))
            return Outcome(False)
        case Leaf(path, op, wanted):
            if path not in facts or facts[path] is None:
                return Outcome(None, unknown=(path,))
            answer = facts[path]
            if answer is ABSENT:
                return Outcome(False)
            if OPERATORS[op](answer, wanted):
                return Outcome(True, because=(describe_fact(path, answer),))
            return Outcome(False)
        case AllOf(items):
            results = [evaluate(item, facts) for item in items]
            if any(r.truth is False for r in results):
                return Outcome(False)
            unknown = _merge(r.unknown for r in results)
            if any(r.truth is None for r in results):
                return Outcome(None, unknown=unknown)
            return Outcome(True, because=_merge(r.because for r in results))
        case AnyOf(items):
            results = [evaluate(item, facts) for item in items]
            true = [r for r in results if r.truth is True]
            if true:
                return Outcome(True, because=_merge(r.because for r in true))
            if any(r.truth is None for r in results):
                return Outcome(None, unknown=_merge(r.unknown for r in results))
            return Outcome(False)
        case NotOf(item):
            result = evaluate(item, facts)
            if result.truth is None:
                return result
            return Outcome(not result.truth)
    raise TypeError(condition)  # pragma: no cover


def _merge(groups: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for entry in group:
            seen.setdefault(entry, None)
    return tuple(seen)


def paths_in(condition: Condition) -> tuple[str, ...]:
    """Every answer path a condition reads (data tests check they all exist)."""
    match condition:
        case Leaf(path, _, _):
            return (path,)
        case AllOf(items) | AnyOf(items):
            return _merge(paths_in(i) for i in items)
        case NotOf(item):
            return paths_in(item)
    raise TypeError(condition)  # pragma: no cover
