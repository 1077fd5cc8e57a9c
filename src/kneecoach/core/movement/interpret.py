"""From the numbers to plain words: observations, self-test findings, change between videos.

Observations describe what was seen and say where each comparison comes from; a flag is a
reason to show a physio, never a diagnosis. The words and thresholds are in movement.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kneecoach.core.movement.rules import SIDES, MovementRules, Side, Test, other

KNEE_CAVES_IN = "single_leg_squat_knee_caves_in"
PELVIS_DROPS = "single_leg_squat_pelvis_drops"
"""The assessment's self-test ids (data/self_tests.yaml) the movement check can answer."""


@dataclass(frozen=True)
class Observation:
    id: str
    text: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class SideSummary:
    """One side over the repetitions: means of the values at the bottoms (None if none)."""

    fppa_mean_deg: float | None
    depth_mean_deg: float | None
    pelvis_drop_mean_deg: float | None
    knee_travel_mean_px: float | None
    repetitions: int  # repetitions with a value for this side's knee
    counts: Mapping[str, int] = field(default_factory=dict)  # values behind each mean

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "fppa_mean_deg": rounded(self.fppa_mean_deg),
            "depth_mean_deg": rounded(self.depth_mean_deg),
            "pelvis_drop_mean_deg": rounded(self.pelvis_drop_mean_deg),
            "knee_travel_mean_px": rounded(self.knee_travel_mean_px),
            "repetitions": self.repetitions,
        }


def rounded(value: float | None) -> float | None:
    """A value as the JSON shows it: one decimal, never -0.0."""
    return None if value is None else round(value, 1) + 0.0


def _deg(value: float) -> str:
    """A number of degrees as a person reads it: whole degrees."""
    return f"{abs(value):.0f}"


def observe(
    summary: Mapping[Side, SideSummary],
    difference: float | None,
    rules: MovementRules,
    *,
    stance: Side,
) -> list[Observation]:
    """What was seen, per side, then how the sides compare, then what a video can tell."""
    found: list[Observation] = []

    def say(key: str, **values: str) -> None:
        entry = rules.observations[key]
        found.append(Observation(key, entry.text.format(**values), entry.source))

    for side in SIDES:
        s = summary[side]
        if s.fppa_mean_deg is not None:
            if _deg(s.fppa_mean_deg) == "0":
                say("knee_in_line", side=side, count=str(s.count("fppa_deg")))
            else:
                key = "knee_inward" if s.fppa_mean_deg > 0 else "knee_outward"
                say(key, side=side, deg=_deg(s.fppa_mean_deg), count=str(s.count("fppa_deg")))
            if s.fppa_mean_deg >= rules.fppa_flag_deg:
                say("knee_flagged", flag=_deg(rules.fppa_flag_deg))
            else:
                say("knee_typical")
        if s.depth_mean_deg is not None:
            say("depth", side=side, deg=_deg(s.depth_mean_deg), count=str(s.count("flexion_deg")))
        if s.knee_travel_mean_px is not None:
            say("knee_past_toes" if s.knee_travel_mean_px > 0 else "knee_behind_toes", side=side)
    if any(summary[side].fppa_mean_deg is not None for side in SIDES):
        say("knee_norms")
    if difference is not None:
        if difference >= rules.fppa_difference_flag_deg:
            say("knees_differ", deg=_deg(difference), flag=_deg(rules.fppa_difference_flag_deg))
        else:
            say("knees_alike", deg=_deg(difference))
    drop = summary[stance].pelvis_drop_mean_deg
    if drop is not None:
        count = str(summary[stance].count("pelvis_drop_deg"))
        say("pelvis_drop", free=other(stance), deg=_deg(drop), count=count)
        if drop >= rules.pelvis_drop_flag_deg:
            say("pelvis_flagged", flag=_deg(rules.pelvis_drop_flag_deg), side=stance)
    if found:
        say("screening", sdd=_deg(rules.fppa_sdd_deg))
    return found


def findings(
    summary: Mapping[Side, SideSummary],
    rules: MovementRules,
    *,
    test: Test,
    stance: Side,
) -> dict[str, bool | None]:
    """The answers for the assessment's two single-leg squat self-tests, for the standing
    leg: None when the video cannot tell (not a single-leg squat, not a front view, or fewer
    repetitions than the minimum)."""
    s = summary[stance]

    def flag(mean: float | None, name: str, threshold: float) -> bool | None:
        enough = s.count(name) >= rules.reps.min_reps and test == "single_leg_squat"
        return mean >= threshold if mean is not None and enough else None

    return {
        KNEE_CAVES_IN: flag(s.fppa_mean_deg, "fppa_deg", rules.fppa_flag_deg),
        PELVIS_DROPS: flag(s.pelvis_drop_mean_deg, "pelvis_drop_deg", rules.pelvis_drop_flag_deg),
    }


def change_between(
    earlier: Mapping[str, Any], later: Mapping[str, Any], rules: MovementRules
) -> list[dict[str, str]]:
    """How each knee's mean FPPA changed between two results (their `to_json()` dicts): a
    change smaller than the smallest detectable difference reads as no change."""
    out: list[dict[str, str]] = []

    def say(key: str, **values: str) -> None:
        entry = rules.observations[key]
        out.append(Observation(key, entry.text.format(**values), entry.source).to_json())

    for side in SIDES:
        before = _fppa(earlier, side)
        after = _fppa(later, side)
        if before is None and after is None:
            continue
        if before is None or after is None:
            say("change_unknown", side=side)
            continue
        change = after - before
        shown = {"side": side, "before": f"{before:.0f}", "after": f"{after:.0f}"}
        if abs(change) < rules.fppa_sdd_deg:
            say("change_none", sdd=_deg(rules.fppa_sdd_deg), **shown)
        else:
            say("change_more" if change > 0 else "change_less", change=_deg(change), **shown)
    return out


def _fppa(result: Mapping[str, Any], side: Side) -> float | None:
    summary = result.get("summary")
    if not isinstance(summary, Mapping):
        return None
    entry = summary.get(side)
    if not isinstance(entry, Mapping):
        return None
    value = entry.get("fppa_mean_deg")
    return float(value) if isinstance(value, int | float) else None


def compare_sides(
    left_result: Mapping[str, Any], right_result: Mapping[str, Any], rules: MovementRules
) -> tuple[float | None, list[dict[str, str]]]:
    """Pair two single-leg results (standing on the left, then on the right: their
    `to_json()` dicts) as the web page shows them: the left-right FPPA difference and its
    observation; (None, []) when either side has no FPPA."""
    left, right = _fppa(left_result, "left"), _fppa(right_result, "right")
    if left is None or right is None:
        return None, []
    difference = abs(left - right)
    if difference >= rules.fppa_difference_flag_deg:
        key, values = "knees_differ", {"flag": _deg(rules.fppa_difference_flag_deg)}
    else:
        key, values = "knees_alike", {}
    entry = rules.observations[key]
    text = entry.text.format(deg=_deg(difference), **values)
    return difference, [Observation(key, text, entry.source).to_json()]


def self_test_answers(results: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, bool]]:
    """The assessment's answers from movement results (`to_json()` dicts, oldest first, so a
    later video of a side wins), in the intake's shape: `{test id: {side: yes/no}}`. Only
    single-leg squats with a finding count; a side the videos could not tell is left out."""
    answers: dict[str, dict[str, bool]] = {}
    for result in results:
        side = result.get("side")
        found = result.get("findings")
        if result.get("test") != "single_leg_squat" or side not in SIDES:
            continue
        if not isinstance(found, Mapping):
            continue
        for test_id in (KNEE_CAVES_IN, PELVIS_DROPS):
            value = found.get(test_id)
            if isinstance(value, bool):
                answers.setdefault(test_id, {})[str(side)] = value
    return answers
