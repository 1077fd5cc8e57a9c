"""The cleaning steps one by one: gating, Hampel outliers, gap filling, Butterworth smoothing."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.movement.signal import (
    Cleaning,
    butterworth,
    butterworth_sections,
    clean,
    fill_gaps,
    filtfilt,
    gate,
    hampel,
    runs,
)

RULES = Cleaning(
    hampel_window=7, hampel_sigmas=3, max_gap_s=0.2, butterworth_order=4, cutoff_hz=6, min_run=10
)


def test_gate_drops_values_the_model_was_unsure_of() -> None:
    assert gate([1.0, 2.0, 3.0], [0.9, 0.29, 0.3], 0.3) == [1.0, None, 3.0]


def test_hampel_replaces_a_spike_by_the_median_and_keeps_the_rest() -> None:
    series: list[float | None] = [10.0, 10.5, 11.0, 11.5, 80.0, 12.5, 13.0, 13.5, 14.0]
    out = hampel(series, 7, 3)
    assert out[4] == 12.5  # the median of 10.5 .. 13.5 with the spike
    assert out[:4] == series[:4] and out[5:] == series[5:]


def test_hampel_leaves_a_smooth_ramp_and_gaps_alone() -> None:
    ramp: list[float | None] = [float(i) for i in range(20)]
    ramp[7] = None
    assert hampel(ramp, 7, 3) == ramp


def test_short_gaps_are_filled_in_a_straight_line_long_ones_never() -> None:
    series: list[float | None] = [0.0, None, None, 3.0, None, None, None, None, 8.0, None]
    assert fill_gaps(series, 2) == [0.0, 1.0, 2.0, 3.0, None, None, None, None, 8.0, None]
    assert fill_gaps(series, 4) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, None]
    assert fill_gaps([None, 1.0, None], 5) == [None, 1.0, None], "no guess beyond the ends"


def test_runs_are_the_unbroken_stretches() -> None:
    assert runs([None, 1.0, 2.0, None, 3.0]) == [(1, 3), (4, 5)]
    assert runs([]) == []


def sine(freq: float, fps: float, seconds: float = 4.0) -> list[float]:
    return [math.sin(2 * math.pi * freq * i / fps) for i in range(int(seconds * fps))]


def gain(freq: float, fps: float = 60.0) -> float:
    """The amplitude a sine keeps after the zero-phase filter, away from the edges (from its
    root mean square over the middle two seconds, a whole number of periods)."""
    out = filtfilt(sine(freq, fps), butterworth_sections(4, 6.0, fps))
    middle = out[int(fps) : 3 * int(fps)]
    return math.sqrt(2 * sum(v * v for v in middle) / len(middle))


def test_the_filter_passes_movement_and_cuts_jitter() -> None:
    """A 4th-order Butterworth run twice: |H|² = 1 / (1 + (f/fc)^8) in the analogue
    prototype, so half the amplitude at the 6 Hz cut-off, all of a 1 Hz squat, and almost
    nothing of 15 Hz jitter."""
    assert gain(1.0) > 0.999
    assert abs(gain(6.0) - 0.5) < 0.02
    assert gain(15.0) < 0.01


def test_the_filter_has_no_phase_shift() -> None:
    """The peak of a smoothed bump stays on the same frame (the bottom of a squat is not
    moved later in time)."""
    bump = [math.exp(-(((i - 50) / 8) ** 2)) for i in range(100)]
    out = filtfilt(bump, butterworth_sections(4, 6.0, 30.0))
    assert max(range(100), key=lambda i: out[i]) == 50


@given(
    value=st.floats(-5000, 5000, allow_nan=False),
    length=st.integers(1, 200),
    fps=st.floats(13, 240),
)
def test_smoothing_never_moves_a_constant_signal(value: float, length: int, fps: float) -> None:
    series: list[float | None] = [value] * length
    for v in clean(series, fps, RULES):
        assert v is not None and math.isclose(v, value, rel_tol=1e-9, abs_tol=1e-6)


def test_short_stretches_and_low_frame_rates_are_left_as_they_are() -> None:
    jitter: list[float | None] = [0.0, 5.0, 0.0, 5.0, 0.0]
    assert butterworth(jitter, order=4, cutoff_hz=6, fps=30, min_run=10) == jitter
    long: list[float | None] = [0.0, 5.0] * 20
    assert butterworth(long, order=4, cutoff_hz=6, fps=12, min_run=10) == long, "no aliasing"
    smoothed = butterworth(long, order=4, cutoff_hz=6, fps=30, min_run=10)
    assert all(v is not None and 1.5 < v < 3.5 for v in smoothed[10:30])


def test_clean_keeps_long_gaps_missing_and_smooths_each_side() -> None:
    series: list[float | None] = [float(i % 2) for i in range(30)] + [None] * 20
    series += [float(i % 2) for i in range(30)]
    out = clean(series, 30.0, RULES)
    assert out[30:50] == [None] * 20
    assert all(v is not None and abs(v - 0.5) < 0.3 for v in out[10:20] + out[60:70])
