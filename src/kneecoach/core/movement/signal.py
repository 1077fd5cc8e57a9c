"""Cleaning one landmark coordinate over time, in the order Sports2D and Pose2Sim use.

1. `gate`: a value the model was unsure of (visibility under the threshold) becomes missing.
2. `hampel`: a value far from the median of its neighbours (an outlier) becomes that median.
3. `fill_gaps`: a short run of missing values is filled in a straight line; a long one stays
   missing (a guess over a long gap would invent movement).
4. `butterworth`: a zero-phase 4th-order low-pass filter (forward, then backward) smooths each
   unbroken stretch of values.

A series is a list of floats with None where the value is missing. Plain Python: the series
are short (a clip has a few hundred frames), so numpy would add start-up time, not speed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Series = list[float | None]

MAD_TO_SIGMA = 1.4826
"""The median absolute deviation times this estimates the standard deviation (normal data)."""


def gate(values: Sequence[float], visibility: Sequence[float], threshold: float) -> Series:
    """Each value whose visibility is below `threshold` becomes missing."""
    return [v if vis >= threshold else None for v, vis in zip(values, visibility, strict=True)]


def hampel(series: Sequence[float | None], window: int, n_sigmas: float) -> Series:
    """Replace outliers by the median of their window (`window` values, centred).

    A value is an outlier when it lies more than `n_sigmas` robust standard deviations (the
    median absolute deviation times 1.4826) from the median of the present values around it.
    Missing values stay missing and are left out of every window.
    """
    half = window // 2
    out: Series = list(series)
    for i, value in enumerate(series):
        if value is None:
            continue
        around = [v for v in series[max(0, i - half) : i + half + 1] if v is not None]
        if len(around) < 3:
            continue
        centre = _median(around)
        spread = MAD_TO_SIGMA * _median([abs(v - centre) for v in around])
        if abs(value - centre) > n_sigmas * spread:
            out[i] = centre
    return out


def _median(values: list[float]) -> float:
    """statistics.median without its checks: this runs for every value of every series."""
    values.sort()
    n = len(values)
    middle = n // 2
    return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2


def fill_gaps(series: Sequence[float | None], max_gap: int) -> Series:
    """Fill each run of at most `max_gap` missing values between two present ones with a
    straight line; longer runs, and missing values at either end, stay missing."""
    out: Series = list(series)
    last: int | None = None
    for i, value in enumerate(series):
        if value is None:
            continue
        if last is not None and 1 < i - last <= max_gap + 1:
            start = series[last]
            assert start is not None
            step = (value - start) / (i - last)
            for j in range(last + 1, i):
                out[j] = start + step * (j - last)
        last = i
    return out


def runs(series: Sequence[float | None]) -> list[tuple[int, int]]:
    """The unbroken stretches of present values, as (start, stop) index pairs."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for i, value in enumerate(series):
        if value is not None and start is None:
            start = i
        elif value is None and start is not None:
            found.append((start, i))
            start = None
    if start is not None:
        found.append((start, len(series)))
    return found


@dataclass(frozen=True)
class Biquad:
    """One second-order section: y = b0 x + b1 x[-1] + b2 x[-2] - a1 y[-1] - a2 y[-2]."""

    b0: float
    b1: float
    b2: float
    a1: float
    a2: float

    def run(self, xs: Sequence[float]) -> list[float]:
        """Filter `xs`, starting from the steady state for its first value (transposed
        direct form II), so a constant signal passes through unchanged."""
        x0 = xs[0]
        z2 = (self.b2 - self.a2) * x0
        z1 = (self.b1 - self.a1) * x0 + z2
        out = []
        for x in xs:
            y = self.b0 * x + z1
            z1 = self.b1 * x - self.a1 * y + z2
            z2 = self.b2 * x - self.a2 * y
            out.append(y)
        return out


def butterworth_sections(order: int, cutoff_hz: float, fps: float) -> tuple[Biquad, ...]:
    """A Butterworth low-pass of even `order` as second-order sections, by the bilinear
    transform with the cut-off pre-warped (the same filter as scipy's `butter`)."""
    if order < 2 or order % 2:
        raise ValueError("the Butterworth order must be even and at least 2")
    if not 0 < cutoff_hz < fps / 2:
        raise ValueError("the cut-off must be above 0 and below half the frame rate")
    k = math.tan(math.pi * cutoff_hz / fps)
    sections = []
    for n in range(order // 2):
        q = 1 / (2 * math.cos(math.pi * (2 * n + 1) / (2 * order)))
        norm = 1 / (1 + k / q + k * k)
        b0 = k * k * norm
        sections.append(Biquad(b0, 2 * b0, b0, 2 * (k * k - 1) * norm, (1 - k / q + k * k) * norm))
    return tuple(sections)


def filtfilt(values: Sequence[float], sections: Sequence[Biquad]) -> list[float]:
    """Run the sections forward then backward (no phase shift: peaks stay where they are),
    after extending both ends by an odd reflection so the edges do not droop."""
    n = len(values)
    pad = min(3 * (2 * len(sections) + 1), n - 1)
    if pad < 1:
        return list(values)
    first, last = values[0], values[-1]
    head = [2 * first - values[i] for i in range(pad, 0, -1)]
    tail = [2 * last - values[n - 2 - i] for i in range(pad)]
    signal = head + list(values) + tail
    for section in sections:
        signal = section.run(signal)
    signal.reverse()
    for section in sections:
        signal = section.run(signal)
    signal.reverse()
    return signal[pad : pad + n]


def butterworth(
    series: Sequence[float | None], *, order: int, cutoff_hz: float, fps: float, min_run: int
) -> Series:
    """Smooth each unbroken stretch of at least `min_run` values; shorter stretches and
    missing values are kept as they are. A frame rate too low for the cut-off (at most twice
    it) leaves the series unsmoothed rather than aliased."""
    out: Series = list(series)
    if fps <= 2 * cutoff_hz:
        return out
    sections = butterworth_sections(order, cutoff_hz, fps)
    for start, stop in runs(series):
        if stop - start < min_run:
            continue
        stretch = [v for v in series[start:stop] if v is not None]
        out[start:stop] = filtfilt(stretch, sections)
    return out


@dataclass(frozen=True)
class Cleaning:
    """The numbers of the cleaning steps (from data/movement.yaml)."""

    hampel_window: int
    hampel_sigmas: float
    max_gap_s: float
    butterworth_order: int
    cutoff_hz: float
    min_run: int


def clean(series: Sequence[float | None], fps: float, rules: Cleaning) -> Series:
    """Outliers out, short gaps filled, then smoothed: steps 2 to 4 above, in order."""
    without_outliers = hampel(series, rules.hampel_window, rules.hampel_sigmas)
    max_gap = max(0, math.floor(rules.max_gap_s * fps + 1e-9))
    filled = fill_gaps(without_outliers, max_gap)
    return butterworth(
        filled,
        order=rules.butterworth_order,
        cutoff_hz=rules.cutoff_hz,
        fps=fps,
        min_run=rules.min_run,
    )
