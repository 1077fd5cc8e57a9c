"""A finished movement check's result, shaped as services.movement gives it, for tests that
need one without running the pose model (the pages, the access matrix)."""

from __future__ import annotations

from typing import Any


def analysis(side: str, caves_in: bool | None, drops: bool | None) -> dict[str, Any]:
    """A finished single-leg squat's result, shaped as services.movement gives it."""
    knee = {"fppa_deg": 18.0 if caves_in else 6.0, "flexion_deg": 55.0, "knee_travel_px": None}
    other = {"fppa_deg": None, "flexion_deg": None, "knee_travel_px": None}
    reps = [
        {
            "index": n, "start_s": 2.0 * n, "bottom_s": 2.0 * n + 0.8, "end_s": 2.0 * n + 1.6,
            "bottom_frame": 60 * n + 24, side: knee, ("right" if side == "left" else "left"): other,
            "pelvis_drop_deg": 4.0, "trunk_lean_deg": 3.0,
        }
        for n in (1, 2, 3)
    ]  # fmt: skip
    summary_side = {"fppa_mean_deg": knee["fppa_deg"], "depth_mean_deg": 55.0,
                    "pelvis_drop_mean_deg": 4.0, "repetitions": 3}  # fmt: skip
    empty = {"fppa_mean_deg": None, "depth_mean_deg": None, "pelvis_drop_mean_deg": None,
             "repetitions": 0}  # fmt: skip
    return {
        "frames": 300, "frames_with_person": 297, "view": "front", "test": "single_leg_squat",
        "side": side, "repetitions": reps,
        "summary": {side: summary_side, ("right" if side == "left" else "left"): empty,
                    "difference_fppa_deg": None},
        "warnings": [],
        "observations": [{"id": "fppa_typical", "text": "Your knee stayed in line.",
                          "source": "product-decision"}],
        "findings": {"single_leg_squat_knee_caves_in": caves_in,
                     "single_leg_squat_pelvis_drops": drops},
        "outputs": {"strip_png": None, "video": None},
    }  # fmt: skip
