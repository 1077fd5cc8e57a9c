"""The movement check from landmarks to result: every step of the core, in order.

1. Gate each landmark on visibility; leave out frames without the landmarks the test needs.
2. Clean each coordinate over time: outliers out, short gaps filled, smoothed.
3. Measure each angle of the table (movement.yaml) per frame, raw and cleaned.
4. Classify the view per frame and for the clip; an angle the view cannot measure is None.
5. Find the repetitions from the standing leg's hip height.
6. Check the same person is followed throughout.
7. Summarise per side at the bottoms, then word observations and self-test findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from kneecoach.core.errors import InputError
from kneecoach.core.movement import geometry
from kneecoach.core.movement.geometry import XY
from kneecoach.core.movement.identity import identity_jumps
from kneecoach.core.movement.interpret import (
    Observation,
    SideSummary,
    findings,
    observe,
    rounded,
)
from kneecoach.core.movement.interpret import (
    change_between as change_between,
)
from kneecoach.core.movement.interpret import (
    compare_sides as compare_sides,
)
from kneecoach.core.movement.interpret import (
    self_test_answers as self_test_answers,
)
from kneecoach.core.movement.reps import Rep, depth_series, find_reps
from kneecoach.core.movement.rules import (
    KNEE_FIELDS,
    SIDES,
    TESTS,
    AngleSpec,
    Field,
    MovementRules,
    Side,
    Test,
    View,
)
from kneecoach.core.movement.signal import clean
from kneecoach.core.movement.track import LANDMARKS, Track
from kneecoach.core.movement.view import clip_view, frame_view

Points = dict[str, XY | None]


@dataclass(frozen=True)
class Warning:
    id: str
    message: str
    time_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "message": self.message}
        if self.time_s is not None:
            out["time_s"] = round(self.time_s, 2)
        return out


@dataclass(frozen=True)
class Repetition:
    """One repetition: its times, the frame of its bottom and the values there, per side
    (a value the view cannot measure, or a lifted leg's knee, is None)."""

    index: int
    start_s: float
    bottom_s: float
    end_s: float
    bottom_frame: int
    sides: Mapping[Side, Mapping[Field, float | None]]
    stance: Side
    hip_descent: float | None  # how far the hips went down, share of body height
    raw: Mapping[Side, Mapping[Field, float | None]]  # the same, before cleaning

    def value(self, side: Side, name: Field, *, raw: bool = False) -> float | None:
        return (self.raw if raw else self.sides)[side].get(name)

    def _values(self, raw: bool) -> dict[str, Any]:
        def knee(side: Side) -> dict[str, float | None]:
            return {name: rounded(self.value(side, name, raw=raw)) for name in KNEE_FIELDS}

        return {
            "left": knee("left"),
            "right": knee("right"),
            "pelvis_drop_deg": rounded(self.value(self.stance, "pelvis_drop_deg", raw=raw)),
            "trunk_lean_deg": rounded(self.value(self.stance, "trunk_lean_deg", raw=raw)),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start_s": round(self.start_s, 2),
            "bottom_s": round(self.bottom_s, 2),
            "end_s": round(self.end_s, 2),
            "bottom_frame": self.bottom_frame,
            **self._values(raw=False),
            "raw": self._values(raw=True),
            "hip_descent_share": None if self.hip_descent is None else round(self.hip_descent, 3),
        }


@dataclass(frozen=True)
class MovementAnalysis:
    """The result of one clip. `to_json()` is the shape the CLI, web page and API show."""

    frames: int
    frames_with_person: int
    frames_used: int
    fps: float
    view: View
    test: Test
    side: Side
    body_height_px: float | None
    repetitions: tuple[Repetition, ...]
    summary: Mapping[Side, SideSummary]
    difference_fppa_deg: float | None
    warnings: tuple[Warning, ...]
    observations: tuple[Observation, ...]
    findings: Mapping[str, bool | None]
    frame_indexes: tuple[int, ...] = field(repr=False)
    frame_views: tuple[View, ...] = field(repr=False)  # each frame's own view
    cleaned: tuple[Mapping[str, XY | None], ...] = field(repr=False)
    raw_angles: Mapping[str, tuple[float | None, ...]] = field(repr=False)
    angles: Mapping[str, tuple[float | None, ...]] = field(repr=False)

    def bottom_frames(self) -> tuple[int, ...]:
        """The frame index of each repetition's deepest point (for the annotated strip)."""
        return tuple(rep.bottom_frame for rep in self.repetitions)

    def points_at(self, frame_index: int) -> Mapping[str, XY]:
        """The cleaned landmark positions at a frame (by its index), for drawing lines on
        it; empty when that frame was left out."""
        try:
            position = self.frame_indexes.index(frame_index)
        except ValueError:
            return {}
        return {k: v for k, v in self.cleaned[position].items() if v is not None}

    def to_json(self) -> dict[str, Any]:
        return {
            "frames": self.frames,
            "frames_with_person": self.frames_with_person,
            "frames_used": self.frames_used,
            "fps": round(self.fps, 3),
            "view": self.view,
            "test": self.test,
            "side": self.side,
            "body_height_px": rounded(self.body_height_px),
            "repetitions": [rep.to_json() for rep in self.repetitions],
            "summary": {
                "left": self.summary["left"].to_json(),
                "right": self.summary["right"].to_json(),
                "difference_fppa_deg": rounded(self.difference_fppa_deg),
            },
            "warnings": [w.to_json() for w in self.warnings],
            "observations": [o.to_json() for o in self.observations],
            "findings": dict(self.findings),
        }


def gated_points(track: Track, visibility: float) -> list[Points | None]:
    """Step 1: each frame's landmarks, a point below the visibility threshold as None; None
    for a frame without a person."""
    out: list[Points | None] = []
    for frame in track.frames:
        if frame.points is None:
            out.append(None)
            continue
        points: Points = {}
        for name in LANDMARKS:
            p = frame.points.get(name)
            points[name] = (p.x, p.y) if p is not None and p.visibility >= visibility else None
        out.append(points)
    return out


def usable(points: Points | None, needed: Sequence[str]) -> bool:
    return points is not None and all(points.get(name) is not None for name in needed)


def cleaned_points(
    frames: Sequence[Points | None], fps: float, rules: MovementRules
) -> list[Points]:
    """Step 2: the x and y of each landmark the angle table uses, cleaned over time."""
    columns: dict[str, tuple[list[float | None], list[float | None]]] = {}
    used = {name for spec in rules.angles for name in spec.landmarks.values()}
    for name in (n for n in LANDMARKS if n in used):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for points in frames:
            p = None if points is None else points.get(name)
            xs.append(None if p is None else p[0])
            ys.append(None if p is None else p[1])
        columns[name] = (clean(xs, fps, rules.cleaning), clean(ys, fps, rules.cleaning))
    out: list[Points] = []
    for i in range(len(frames)):
        row: Points = {}
        for name, (xs, ys) in columns.items():
            x, y = xs[i], ys[i]
            row[name] = None if x is None or y is None else (x, y)
        out.append(row)
    return out


def measure(spec: AngleSpec, points: Mapping[str, XY | None] | None) -> float | None:
    """Step 3: one angle of the table at one frame, or None if a landmark is missing."""
    if points is None:
        return None
    at: dict[str, XY] = {}
    for role, name in spec.landmarks.items():
        p = points.get(name)
        if p is None:
            return None
        at[role] = p
    if spec.method == "fppa":
        return geometry.fppa(at["hip"], at["knee"], at["ankle"], at["other_hip"])
    if spec.method == "knee_bend":
        return geometry.knee_bend(at["hip"], at["knee"], at["ankle"])
    if spec.method == "knee_travel":
        return geometry.knee_travel(at["knee"], at["heel"], at["toe"])
    if spec.method == "pelvis_drop":
        return geometry.pelvis_drop(at["stance_hip"], at["free_hip"])
    if spec.method == "trunk_sideways":
        shoulders = geometry.midpoint(at["stance_shoulder"], at["free_shoulder"])
        hips = geometry.midpoint(at["stance_hip"], at["free_hip"])
        return geometry.trunk_lean(shoulders, hips, at["stance_hip"][0] - at["free_hip"][0])
    return geometry.trunk_lean(at["shoulder"], at["hip"], at["toe"][0] - at["heel"][0])


def body_height(frames: Sequence[Points | None], torso_share: float) -> float | None:
    """The person's standing height in pixels, nose to the lowest foot point, taken near the
    tallest the clip shows (90th percentile, as squatting makes it shorter). When the head or
    the feet are never in view, the torso length (shoulder midpoint to hip midpoint, its 90th
    percentile) divided by the torso's usual share of that height."""
    heights = []
    torsos = []
    for points in frames:
        if points is None:
            continue
        _, torso = _centre_and_scale(points)
        if torso is not None:
            torsos.append(torso)
        nose = points.get("nose")
        feet = [
            p[1]
            for side in SIDES
            for part in ("ankle", "heel", "foot_index")
            if (p := points.get(f"{side}_{part}")) is not None
        ]
        if nose is not None and feet:
            heights.append(max(feet) - nose[1])
    heights = sorted(h for h in heights if h > 0)
    if heights:
        return heights[int(0.9 * (len(heights) - 1))]
    if torsos:
        torsos.sort()
        return torsos[int(0.9 * (len(torsos) - 1))] / torso_share
    return None


def _centre_and_scale(points: Points | None) -> tuple[XY | None, float | None]:
    if points is None:
        return None, None
    lh, rh = points.get("left_hip"), points.get("right_hip")
    ls, rs = points.get("left_shoulder"), points.get("right_shoulder")
    if lh is None or rh is None:
        return None, None
    centre = geometry.midpoint(lh, rh)
    if ls is None or rs is None:
        return centre, None
    return centre, geometry.distance(geometry.midpoint(ls, rs), centre) or None


def analyse(track: Track, *, test: Test, side: Side, rules: MovementRules) -> MovementAnalysis:
    """The movement check of one clip (see the module for the steps). A test or side
    kneecoach does not know is an InputError naming the field."""
    if test not in TESTS:
        raise InputError("test", f"choose one of: {', '.join(TESTS)}")
    if side not in SIDES:
        raise InputError("side", f"choose one of: {', '.join(SIDES)}")
    rule = rules.tests[test]
    needed = rule.needed(side)
    gated = gated_points(track, rules.visibility)
    with_person = sum(1 for p in gated if p is not None)
    kept = [p if usable(p, needed) else None for p in gated]
    used = sum(1 for p in kept if p is not None)
    fps = track.fps if track.fps > 0 else 30.0
    cleaned = cleaned_points(kept, fps, rules)
    times = [frame.time_s for frame in track.frames]

    views = [frame_view(p, rules.view) for p in gated]
    view, turned = clip_view(views, rules.view)

    # an angle the clip's view cannot measure stays None throughout (never a guess)
    unseen = (None,) * len(kept)
    raw_angles = {
        spec.id: tuple(measure(spec, p) for p in kept) if view in spec.views else unseen
        for spec in rules.angles
    }
    angles = {
        spec.id: tuple(measure(spec, p) for p in cleaned) if view in spec.views else unseen
        for spec in rules.angles
    }
    height = body_height(gated, rules.torso_share)

    hips = [p.get(f"{side}_hip") for p in cleaned]
    depth = depth_series([None if h is None else h[1] for h in hips], height or 0.0)
    reps = find_reps(depth, times, rules.reps)

    def value(
        spec_side: Side, name: Field, at: int, series: Mapping[str, Sequence[float | None]]
    ) -> float | None:
        if view == "unknown" or views[at] not in (view, "unknown"):
            return None
        if name in KNEE_FIELDS and rule.knees == "standing" and spec_side != side:
            return None
        for spec in rules.angles:
            if spec.side == spec_side and spec.field == name and view in spec.views:
                return series[spec.id][at]
        return None

    fields: tuple[Field, ...] = (*KNEE_FIELDS, "pelvis_drop_deg", "trunk_lean_deg")
    repetitions = tuple(
        Repetition(
            index=n + 1,
            start_s=times[r.start],
            bottom_s=times[r.bottom],
            end_s=times[r.end],
            bottom_frame=track.frames[r.bottom].index,
            sides={s: {f: value(s, f, r.bottom, angles) for f in fields} for s in SIDES},
            stance=side,
            hip_descent=depth[r.bottom],
            raw={s: {f: value(s, f, r.bottom, raw_angles) for f in fields} for s in SIDES},
        )
        for n, r in enumerate(reps)
    )
    summary = {s: _summarise(repetitions, s, side, test) for s in SIDES}
    left, right = summary["left"].fppa_mean_deg, summary["right"].fppa_mean_deg
    difference = abs(left - right) if left is not None and right is not None else None

    warnings = _warnings(
        rules,
        test=test,
        frames=len(track.frames),
        with_person=with_person,
        used=used,
        view=view,
        turned=turned,
        reps=reps,
        jumps=_jumps(gated, times, height, rules),
        times=times,
    )
    return MovementAnalysis(
        frames=len(track.frames),
        frames_with_person=with_person,
        frames_used=used,
        fps=fps,
        view=view,
        test=test,
        side=side,
        body_height_px=height,
        repetitions=repetitions,
        summary=summary,
        difference_fppa_deg=difference,
        warnings=tuple(warnings),
        observations=tuple(observe(summary, difference, rules, stance=side)),
        findings=findings(summary, rules, test=test, stance=side),
        frame_indexes=tuple(frame.index for frame in track.frames),
        frame_views=tuple(views),
        cleaned=tuple(cleaned),
        raw_angles=raw_angles,
        angles=angles,
    )


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def _summarise(reps: Sequence[Repetition], s: Side, stance: Side, test: Test) -> SideSummary:
    """One side's means at the bottoms. The pelvis belongs to the standing side; for the
    double-leg squat the other side reads the same tilt the other way round."""
    knee = [r for r in reps if any(r.value(s, name) is not None for name in KNEE_FIELDS)]
    values: dict[str, list[float]] = {
        name: [v for r in reps if (v := r.value(s, name)) is not None] for name in KNEE_FIELDS
    }
    drops = [v for r in reps if (v := r.value(stance, "pelvis_drop_deg")) is not None]
    if s != stance:  # the same tilt read from the other side, or nothing for a lifted leg
        drops = [-v for v in drops] if test == "double_leg_squat" else []
    values["pelvis_drop_deg"] = drops
    return SideSummary(
        fppa_mean_deg=_mean(values["fppa_deg"]),
        depth_mean_deg=_mean(values["flexion_deg"]),
        pelvis_drop_mean_deg=_mean(drops),
        knee_travel_mean_px=_mean(values["knee_travel_px"]),
        repetitions=len(knee),
        counts={name: len(found) for name, found in values.items()},
    )


def _jumps(
    gated: Sequence[Points | None],
    times: Sequence[float],
    height: float | None,
    rules: MovementRules,
) -> list[int]:
    """Step 6 on the gated (not smoothed) landmarks: smoothing would blur a jump."""
    if height is None:
        return []
    pairs = [_centre_and_scale(p) for p in gated]
    centres, scales = [c for c, _ in pairs], [s for _, s in pairs]
    return identity_jumps(centres, scales, height, rules.identity, times)


def _warnings(
    rules: MovementRules,
    *,
    test: Test,
    frames: int,
    with_person: int,
    used: int,
    view: View,
    turned: bool,
    reps: Sequence[Rep],
    jumps: Sequence[int],
    times: Sequence[float],
) -> list[Warning]:
    out: list[Warning] = []

    def warn(key: str, at_s: float | None = None, **values: str) -> None:
        warning_id, message = rules.warnings[key]
        out.append(Warning(warning_id, message.format(**values), at_s))

    if with_person == 0:
        warn("no_person")
        return out
    last = None
    for i in jumps:
        if last is None or times[i] - last >= 1.0:  # one glitch reads as one change
            warn("person_changed", times[i], time_s=f"{times[i]:.1f}")
        last = times[i]
    needed = rules.tests[test].views
    wanted = "front" if "front" in needed else "side"
    if view == "unknown":
        warn("view_changed" if turned else "unknown_view", seen=wanted)
    elif view not in needed:
        warn("wrong_view", needed=wanted, seen=view)
    elif turned:
        warn("view_changed", seen=view)
    left_out = frames - used  # no person found, or the leg hard to see
    if left_out / frames > rules.low_visibility_share:
        warn("low_visibility", share=f"{round(100 * left_out / frames)}")
    if len(reps) < rules.reps.min_reps:
        warn("too_few_reps", count=str(len(reps)), needed=str(rules.reps.min_reps))
    return out


__all__ = [
    "MovementAnalysis",
    "MovementRules",
    "Repetition",
    "Side",
    "Test",
    "Warning",
    "analyse",
    "change_between",
    "compare_sides",
    "self_test_answers",
]
