"""Progression by the pain-monitoring model: the next dose of an exercise from its session log.

How the knee answered the last sessions decides the next one (evidence.md §4.10): pain during
exercise 0–3 is safe, 4–5 acceptable, above 5 too much, and a knee that is worse the next
morning had too much load. The rules, the pain zones, the size of each step and every line of
explanation live in ``data/progression.yaml``; this module only walks them:

1. The last sessions become a few plain facts (``last.pain_zone``, ``streak.safe_in_full``…).
2. The first rule whose condition holds names an action: progress, regress, hold or stop.
3. The action climbs its ladder (more reps within the range, then the harder variant, …) and
   takes the first step that changes something; at the end of a chain the dose stays.

The function is pure: the same log always gives the same dose and the same one-line reason,
so "today's dose" can be worked out afresh whenever it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from kneecoach.core.rules import Condition, evaluate

Action = Literal["progress", "regress", "hold", "stop"]
ACTIONS: Final[tuple[Action, ...]] = ("progress", "regress", "hold", "stop")

StepName = Literal[
    "reps_up", "reps_down", "hold_up", "hold_down", "harder_variant", "easier_variant",
    "sets_up", "sets_down", "minutes_up", "minutes_down", "load_up", "load_down",
    "rm_down", "rm_up",
]  # fmt: skip
STEP_NAMES: Final[tuple[str, ...]] = StepName.__args__  # type: ignore[attr-defined]

FACT_PATHS: Final[frozenset[str]] = frozenset(
    {
        "last.pain_during",
        "last.pain_zone",
        "last.done_in_full",
        "last.next_morning_worse",
        "last.next_morning_known",
        "last.warning_sign",
        "last.effort",
        "last.effort_known",
        "streak.safe_in_full",
        "variant.rm",
        "variant.tendon",
        "next.step",
        "load.kind",
    }
)
"""The facts a progression rule may read (data tests check every rule against these)."""


BAND_WORDS: Final[tuple[str, ...]] = ("yellow", "red", "green", "blue", "black")
"""Band colours from light to heavy (the same order as core/exercises.BAND_COLOURS)."""


@dataclass(frozen=True)
class LoadLevel:
    """How heavy one dose is: `kind` (band, kg, rpe, rir), its value on that scale, its unit.
    No load at all (None) means body weight."""

    kind: str
    value: float
    unit: str

    def words(self) -> str:
        """ "4 kg", "red band", "effort 7/10", "2 reps in reserve"."""
        if self.kind == "band":
            index = max(0, min(len(BAND_WORDS) - 1, int(self.value)))
            return f"{BAND_WORDS[index]} band"
        number = f"{self.value:g}"
        if self.kind == "kg":
            return "no weight yet" if self.value == 0 else f"{number} kg"
        if self.kind == "rpe":
            return f"effort {number}/10"
        if self.kind == "rir":
            return f"{number} reps in reserve"
        return number

    def as_json(self) -> dict[str, Any]:
        shown: float | str = self.value
        if self.kind == "band":
            shown = BAND_WORDS[max(0, min(len(BAND_WORDS) - 1, int(self.value)))]
        return {"kind": self.kind, "value": shown, "unit": self.unit}


@dataclass(frozen=True)
class Dose:
    """What is asked (or was done): the variant, and sets with reps, a hold or minutes; the
    load (None: body weight) and tempo ("3-1-3": seconds down, pause, up); and the extra sets
    on the sore leg when only one knee hurts."""

    exercise_id: str
    sets: int
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    load: LoadLevel | None = None
    tempo: str | None = None
    extra_sets: int = 0

    def covers(self, target: Dose) -> bool:
        """True when this (done) dose is at least the target: same variant, nothing short."""
        return (
            self.exercise_id == target.exercise_id
            and self.sets >= target.sets
            and _at_least(self.reps, target.reps)
            and _at_least(self.hold_s, target.hold_s)
            and _at_least(self.minutes, target.minutes)
            and _heavy_enough(self.load, target.load)
        )


def _heavy_enough(done: LoadLevel | None, asked: LoadLevel | None) -> bool:
    if asked is None or done is None or done.kind != asked.kind:
        return True
    if asked.kind == "rir":  # fewer reps in reserve is harder
        return done.value <= asked.value
    return done.value >= asked.value


def _at_least(done: int | None, asked: int | None) -> bool:
    return asked is None or (done is not None and done >= asked)


@dataclass(frozen=True)
class Variant:
    """What progression needs to know about one exercise of a chain."""

    id: str
    name: str
    start: Dose
    reps_range: tuple[int, int] | None = None
    hold_range: tuple[int, int] | None = None
    minutes_range: tuple[int, int] | None = None
    sets_range: tuple[int, int] | None = None
    easier: str | None = None
    harder: str | None = None
    load_rungs: tuple[LoadLevel, ...] = ()
    """The load's values from the lightest to the heaviest (empty: body weight)."""
    rm_steps: tuple[int, ...] = ()
    """Heavy slow resistance: the repetition maximum of each step (15, 12, 10, 8, 6): fewer
    reps with a weight that is heavier each time."""
    tendon: bool = False
    """A rung of the staged tendon ladder: moving to the next stage has its own gate."""

    def load_index(self, load: LoadLevel | None) -> int | None:
        """The place of a load on this variant's ladder (None: unknown or body weight)."""
        if load is None:
            return None
        for index, rung in enumerate(self.load_rungs):
            if rung.kind == load.kind and abs(rung.value - load.value) < 1e-6:
                return index
        return None


@dataclass(frozen=True)
class LoggedSession:
    """One logged exercise: the target next to what was done, and how the knee answered."""

    on: date
    prescribed: Dose
    done: Dose
    pain_during: int
    next_morning_worse: bool | None = None
    warning_signs: tuple[str, ...] = ()
    effort: int | None = None
    """How hard it felt, 0–10 (Borg CR10; reps in reserve R are logged as 10 − R), if told."""


@dataclass(frozen=True)
class PainZone:
    id: str
    max_pain: int
    label: str


@dataclass(frozen=True)
class ProgressionRule:
    """When `when` holds (None = always), take `action`; `why_text` explains it in one line."""

    id: str
    when: Condition | None
    action: Action
    why_text: str


@dataclass(frozen=True)
class StepSizes:
    reps: int
    hold_s: int
    minutes: int
    min_sets: int
    max_sets: int
    load_rungs: int = 1
    """Load moves this many rungs of the exercise's ladder a step (never more than one)."""


@dataclass(frozen=True)
class WarningSign:
    """A yes/no question asked with each session; a yes stops the exercises."""

    id: str
    question: str


@dataclass(frozen=True)
class ProgressionRules:
    version: str
    zones: tuple[PainZone, ...]
    rules: tuple[ProgressionRule, ...]
    ladders: Mapping[str, tuple[str, ...]]
    steps: StepSizes
    change_texts: Mapping[str, str]
    chain_end_texts: Mapping[str, str]
    first_text: str
    warning_signs: tuple[WarningSign, ...] = ()
    next_morning_question: str = "Is the knee more sore or stiff than usual?"
    next_morning_within_days: int = 2
    effort_text: str = ""
    """Put before a reason that does not name the effort, when one was told ({effort})."""

    def zone_of(self, pain: float) -> PainZone:
        """The pain zone a 0–10 score falls in (zones are sorted by their upper limit)."""
        for zone in self.zones:
            if pain <= zone.max_pain:
                return zone
        return self.zones[-1]


@dataclass(frozen=True)
class Decision:
    """The dose for next time, the rule that chose it, and the one line that explains it."""

    rule_id: str
    action: Action
    before: Dose
    after: Dose
    reason: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def stopped(self) -> bool:
        return self.action == "stop"


def session_facts(
    current: Dose, history: Sequence[LoggedSession], rules: ProgressionRules
) -> dict[str, Any]:
    """The plain facts the rules read, from the log of one exercise (oldest first)."""
    if not history:
        return {}
    last = history[-1]
    facts: dict[str, Any] = {
        "last.pain_during": last.pain_during,
        "last.pain_zone": rules.zone_of(last.pain_during).id,
        "last.done_in_full": last.done.covers(last.prescribed),
        "last.next_morning_known": last.next_morning_worse is not None,
        "last.warning_sign": bool(last.warning_signs),
        "streak.safe_in_full": len(safe_streak(current, history, rules)),
        "last.effort_known": last.effort is not None,
    }
    if last.next_morning_worse is not None:
        facts["last.next_morning_worse"] = last.next_morning_worse
    if last.effort is not None:
        facts["last.effort"] = last.effort
    return facts


def variant_facts(
    current: Dose,
    chain: Mapping[str, Variant],
    rules: ProgressionRules,
    allowed: Callable[[str], bool],
) -> dict[str, Any]:
    """What the rules may know of the exercise itself: a heavy-slow (RM) or tendon rung, and
    the step the progress ladder would take next (`next.step`)."""
    variant = chain.get(current.exercise_id)
    if variant is None:
        return {}
    facts: dict[str, Any] = {
        "variant.rm": bool(variant.rm_steps),
        "variant.tendon": variant.tendon,
        "load.kind": "body_weight" if current.load is None else current.load.kind,
    }
    step = next_step(current, rules.ladders["progress"], chain, rules.steps, allowed)
    if step is not None:
        facts["next.step"] = step
    return facts


def safe_streak(
    current: Dose, history: Sequence[LoggedSession], rules: ProgressionRules
) -> tuple[LoggedSession, ...]:
    """The latest sessions in a row at today's dose, done in full, at safe pain, not worse after.

    A change of dose starts the count again, so after each step up the new dose must prove
    itself twice before the next.
    """
    safe_zone = rules.zones[0].id
    streak: list[LoggedSession] = []
    for session in reversed(history):
        if (
            session.prescribed != current
            or rules.zone_of(session.pain_during).id != safe_zone
            or not session.done.covers(session.prescribed)
            or session.next_morning_worse is True
        ):
            break
        streak.append(session)
    return tuple(reversed(streak))


def choose_rule(facts: Mapping[str, Any], rules: ProgressionRules) -> ProgressionRule:
    """The first rule whose condition is true (unknown is not true); the file ends in a default."""
    for rule in rules.rules:
        if rule.when is None or evaluate(rule.when, facts).truth is True:
            return rule
    raise ValueError("progression rules must end with a rule that always applies")


def next_dose(
    current: Dose,
    history: Sequence[LoggedSession],
    chain: Mapping[str, Variant],
    rules: ProgressionRules,
    allowed: Callable[[str], bool] = lambda _id: True,
) -> Decision:
    """Walk the rules over one exercise's log and say what to do next time, and why.

    `current` is the dose the last session asked for (or the plan's dose when nothing is
    logged); `history` holds this exercise's sessions, oldest first; `chain` knows every
    variant; `allowed` says whether a variant may be used (equipment, contraindications).
    """
    name = chain[current.exercise_id].name if current.exercise_id in chain else current.exercise_id
    if not history:
        reason = rules.first_text.format(name=_lower_first(name), dose=show_dose(current))
        return Decision("first_session", "hold", current, current, reason)
    facts = session_facts(current, history, rules)
    facts.update(variant_facts(current, chain, rules, allowed))
    rule = choose_rule(facts, rules)
    pain = _worst_pain(current, history, rules, rule.action)
    effort = history[-1].effort
    words = {"pain": pain, "name": _lower_first(name), "effort": effort}
    if effort is not None and rule.action != "stop" and "{effort}" not in rule.why_text:
        rule = replace(rule, why_text=f"{rules.effort_text} {rule.why_text}".strip())
    if rule.action in ("hold", "stop"):
        reason = rule.why_text.format(**words, change="")
        return Decision(rule.id, rule.action, current, current, reason.strip())
    after = climb(current, rules.ladders[rule.action], chain, rules.steps, allowed)
    if after is None:
        end = rules.chain_end_texts[rule.action].format(name=_lower_first(name))
        reason = rule.why_text.format(**words, change=end)
        return Decision(rule.id, "hold", current, current, reason)
    change = describe_change(current, after, chain, rules)
    reason = rule.why_text.format(**words, change=change)
    return Decision(rule.id, rule.action, current, after, reason)


def _worst_pain(
    current: Dose, history: Sequence[LoggedSession], rules: ProgressionRules, action: Action
) -> int:
    if action == "progress":
        streak = safe_streak(current, history, rules)
        if streak:
            return max(s.pain_during for s in streak)
    return history[-1].pain_during


def climb(
    dose: Dose,
    ladder: Sequence[str],
    chain: Mapping[str, Variant],
    steps: StepSizes,
    allowed: Callable[[str], bool],
) -> Dose | None:
    """The first rung of the ladder that changes the dose, or None at the end of the chain."""
    found = _first_change(dose, ladder, chain, steps, allowed)
    return None if found is None else found[1]


def next_step(
    dose: Dose,
    ladder: Sequence[str],
    chain: Mapping[str, Variant],
    steps: StepSizes,
    allowed: Callable[[str], bool],
) -> str | None:
    """The name of the rung `climb` would take (e.g. "harder_variant"), or None."""
    found = _first_change(dose, ladder, chain, steps, allowed)
    return None if found is None else found[0]


def _first_change(
    dose: Dose,
    ladder: Sequence[str],
    chain: Mapping[str, Variant],
    steps: StepSizes,
    allowed: Callable[[str], bool],
) -> tuple[str, Dose] | None:
    variant = chain.get(dose.exercise_id)
    if variant is None:
        return None
    for rung in ladder:
        changed = STEPS[rung](dose, variant, chain, steps, allowed)
        if changed is not None and changed != dose:
            return rung, changed
    return None


_Step = Callable[
    [Dose, Variant, Mapping[str, Variant], StepSizes, Callable[[str], bool]], Dose | None
]


def _within(value: int | None, bounds: tuple[int, int] | None, by: int) -> int | None:
    if value is None or bounds is None:
        return None
    low, high = bounds
    return max(low, min(high, value + by))


def _reps(by_sign: int) -> _Step:
    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        if v.rm_steps:  # heavy slow resistance moves by its RM steps, not one rep at a time
            return None
        new = _within(dose.reps, v.reps_range, by_sign * s.reps)
        return None if new is None else replace(dose, reps=new)

    return step


def _rm(by: int) -> _Step:
    """Heavy slow resistance: +1 is the next RM step (fewer reps, a heavier weight)."""

    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], _s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        if not v.rm_steps or dose.reps is None:
            return None
        index = min(range(len(v.rm_steps)), key=lambda i: abs(v.rm_steps[i] - (dose.reps or 0)))
        new = index + by
        if not 0 <= new < len(v.rm_steps):
            return None
        return replace(dose, reps=v.rm_steps[new])

    return step


def _at_top(value: int | None, bounds: tuple[int, int] | None) -> bool:
    return value is None or bounds is None or value >= bounds[1]


def _load(by_sign: int) -> _Step:
    """One rung of the load ladder. Up only once the reps (or hold) are at the top of their
    range, and then the reps (and hold) start again at the bottom; down keeps them."""

    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        index = v.load_index(dose.load)
        if index is None:
            return None
        new = index + by_sign * s.load_rungs
        if not 0 <= new < len(v.load_rungs):
            return None
        if by_sign < 0:
            return replace(dose, load=v.load_rungs[new])
        if not (_at_top(dose.reps, v.reps_range) and _at_top(dose.hold_s, v.hold_range)):
            return None
        return replace(
            dose,
            load=v.load_rungs[new],
            reps=None if v.reps_range is None or dose.reps is None else v.reps_range[0],
            hold_s=None if v.hold_range is None or dose.hold_s is None else v.hold_range[0],
        )

    return step


def _hold(by_sign: int) -> _Step:
    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        new = _within(dose.hold_s, v.hold_range, by_sign * s.hold_s)
        return None if new is None else replace(dose, hold_s=new)

    return step


def _minutes(by_sign: int) -> _Step:
    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        new = _within(dose.minutes, v.minutes_range, by_sign * s.minutes)
        return None if new is None else replace(dose, minutes=new)

    return step


def _set_bounds(variant: Variant, s: StepSizes) -> tuple[int, int]:
    """The variant's own set range, kept within the file's overall bounds."""
    low, high = variant.sets_range or (s.min_sets, s.max_sets)
    return max(low, s.min_sets), min(high, s.max_sets)


def _sets(by: int) -> _Step:
    def step(
        dose: Dose, v: Variant, _c: Mapping[str, Variant], s: StepSizes, _a: Callable[[str], bool]
    ) -> Dose | None:
        low, high = _set_bounds(v, s)
        if not low <= dose.sets + by <= high:
            return None
        return replace(dose, sets=dose.sets + by)

    return step


def _variant(direction: Literal["easier", "harder"]) -> _Step:
    def step(
        dose: Dose,
        v: Variant,
        chain: Mapping[str, Variant],
        s: StepSizes,
        allowed: Callable[[str], bool],
    ) -> Dose | None:
        target_id = v.harder if direction == "harder" else v.easier
        if target_id is None or target_id not in chain or not allowed(target_id):
            return None
        target = chain[target_id]
        low, high = _set_bounds(target, s)
        return replace(
            target.start, sets=max(low, min(high, dose.sets)), extra_sets=dose.extra_sets
        )

    return step


STEPS: Final[dict[str, _Step]] = {
    "reps_up": _reps(+1),
    "reps_down": _reps(-1),
    "hold_up": _hold(+1),
    "hold_down": _hold(-1),
    "minutes_up": _minutes(+1),
    "minutes_down": _minutes(-1),
    "sets_up": _sets(+1),
    "sets_down": _sets(-1),
    "harder_variant": _variant("harder"),
    "easier_variant": _variant("easier"),
    "load_up": _load(+1),
    "load_down": _load(-1),
    "rm_down": _rm(+1),
    "rm_up": _rm(-1),
}


def gentlest_dose(dose: Dose, chain: Mapping[str, Variant], steps: StepSizes) -> Dose:
    """The same exercise at its lowest dose: the fewest sets and the low end of each range.

    Used on a day a check-in raised a warning sign (decisions.md: "a softened plan"); it never
    asks for more than `dose` did, and it keeps the variant, so nothing new is tried that day.
    """
    variant = chain.get(dose.exercise_id)
    if variant is None:
        return replace(dose, sets=min(dose.sets, steps.min_sets))
    low_sets, _high = _set_bounds(variant, steps)
    return replace(
        dose,
        sets=min(dose.sets, low_sets),
        reps=_lowest(dose.reps, variant.reps_range),
        hold_s=_lowest(dose.hold_s, variant.hold_range),
        minutes=_lowest(dose.minutes, variant.minutes_range),
    )


def _lowest(value: int | None, bounds: tuple[int, int] | None) -> int | None:
    if value is None or bounds is None:
        return value
    return min(value, bounds[0])


def describe_change(
    before: Dose, after: Dose, chain: Mapping[str, Variant], rules: ProgressionRules
) -> str:
    """ "squats go from 10 to 12 reps", from the change texts in the data file."""
    name = _lower_first(chain[before.exercise_id].name)
    texts = rules.change_texts
    if after.exercise_id != before.exercise_id:
        return texts["variant"].format(
            name=name, new=_lower_first(chain[after.exercise_id].name), dose=show_dose(after)
        )
    if before.load != after.load and before.load is not None and after.load is not None:
        variant = chain[before.exercise_id]
        key = "load_up" if _heavier(after.load, before.load) else "load_down"
        if variant.rm_steps:
            key = "load_up"
        return texts[key].format(
            name=name, old=before.load.words(), new=after.load.words(), dose=show_dose(after)
        )
    if chain[before.exercise_id].rm_steps and before.reps != after.reps:
        key = "rm_down" if (after.reps or 0) < (before.reps or 0) else "rm_up"
        return texts[key].format(name=name, old=before.reps, new=after.reps)
    for field in ("reps", "hold_s", "minutes", "sets"):
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            return texts[field].format(name=name, old=old, new=new)
    return texts["none"].format(name=name, dose=show_dose(after))


def _heavier(a: LoadLevel, b: LoadLevel) -> bool:
    return a.value < b.value if a.kind == "rir" else a.value > b.value


def show_dose(dose: Dose, *, units: bool = False) -> str:
    """ "2 × 10", "3 × 30 s", "10 min", "3 × 8, 6 kg, tempo 3-1-3": the dose as a person reads
    it (with `units`, as "2 × 10 reps", "3 × 30 s hold")."""
    return dose_words(
        dose.sets,
        dose.reps,
        dose.hold_s,
        dose.minutes,
        units=units,
        load=dose.load,
        tempo=dose.tempo,
        extra_sets=dose.extra_sets,
    )


def dose_words(
    sets: int,
    reps: int | None,
    hold_s: int | None,
    minutes: int | None,
    *,
    units: bool = False,
    load: LoadLevel | None = None,
    tempo: str | None = None,
    extra_sets: int = 0,
) -> str:
    """The dose in a few words: "2 × 10", "3 × 30 s", "2 × 10, hold 5 s", "10 min"; with
    `units` (a table with room): "2 × 10 reps", "3 × 30 s hold", "2 × 10 reps, hold 5 s".
    A load, a tempo and extra sets on the sore leg follow: "3 × 8, 6 kg, tempo 3-1-3, plus 1
    set on your sore leg"."""
    words = _amount_words(sets, reps, hold_s, minutes, units=units)
    if load is not None:
        words += f", {load.words()}"
    if tempo:
        words += f", tempo {tempo}"
    if extra_sets:
        noun = "set" if extra_sets == 1 else "sets"
        words += f", plus {extra_sets} {noun} on your sore leg"
    return words


def _amount_words(
    sets: int, reps: int | None, hold_s: int | None, minutes: int | None, *, units: bool
) -> str:
    reps_word = " reps" if units else ""
    if minutes is not None and reps is None and hold_s is None:
        return f"{minutes} min"
    if reps is not None and hold_s is not None:
        return f"{sets} × {reps}{reps_word}, hold {hold_s} s"
    if hold_s is not None:
        return f"{sets} × {hold_s} s hold" if units else f"{sets} × {hold_s} s"
    if reps is not None:
        return f"{sets} × {reps}{reps_word}"
    return f"{sets} sets"


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym stays as it is
        return text
    return text[:1].lower() + text[1:]


# ── Load is worked out again from the log ─────────────────────────────────────────────────


def has_load(exercise_id: str, chain: Mapping[str, Variant]) -> bool:
    """Whether any rung of this exercise's ladder is dosed with a load (so its log's loads are
    worked out by replaying the whole log)."""
    seen: set[str] = set()
    stack = [exercise_id]
    while stack:
        current = stack.pop()
        variant = chain.get(current)
        if variant is None or current in seen:
            continue
        seen.add(current)
        if variant.load_rungs:
            return True
        stack += [v for v in (variant.easier, variant.harder) if v is not None]
    return False


def replay(
    start: Dose,
    history: Sequence[LoggedSession],
    chain: Mapping[str, Variant],
    rules: ProgressionRules,
    allowed: Callable[[str], bool] = lambda _id: True,
    replayed: Sequence[tuple[LoggedSession, Decision]] = (),
) -> tuple[tuple[LoggedSession, Decision], ...]:
    """The log with each session's load, tempo and extra sets filled in, beside the decision
    that set its dose.

    A log row keeps the variant, sets and amounts asked and done; the load and its one-line
    reason follow from the rules, so they are worked out again here: session n was asked for
    what `next_dose` said after sessions 1..n−1 (the plan's own dose for the first). The
    same log always gives the same loads and the same reasons, so a replay can go on from
    `replayed`, this function's answer for the log's first sessions (the same start, chain,
    rules and allowed): only the sessions after them are worked out."""
    filled: list[LoggedSession] = [logged for logged, _why in replayed]
    out: list[tuple[LoggedSession, Decision]] = list(replayed)
    for session in history[len(replayed) :]:
        if filled:
            decision = next_dose(filled[-1].prescribed, filled, chain, rules, allowed)
        else:
            decision = next_dose(start, (), chain, rules, allowed)
        asked = decision.after
        prescribed = _with_extras(session.prescribed, asked, chain, start.extra_sets)
        done = _with_extras(session.done, prescribed, chain, start.extra_sets)
        logged = replace(session, prescribed=prescribed, done=done)
        filled.append(logged)
        out.append((logged, decision))
    return tuple(out)


def _with_extras(dose: Dose, asked: Dose, chain: Mapping[str, Variant], extra_sets: int) -> Dose:
    """A stored dose with the load and tempo of the dose it was asked at (the variant's start
    when the variant differs)."""
    if dose.exercise_id == asked.exercise_id:
        return replace(dose, load=asked.load, tempo=asked.tempo, extra_sets=extra_sets)
    variant = chain.get(dose.exercise_id)
    if variant is None:
        return replace(dose, extra_sets=extra_sets)
    return replace(dose, load=variant.start.load, tempo=variant.start.tempo, extra_sets=extra_sets)
