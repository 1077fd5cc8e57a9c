"""The movement check's pure core: landmarks from a video in, angles per repetition out.

Each step is its own module and its own testable function: `track` (the typed input),
`signal` (gating, outlier rejection, gap filling, smoothing), `geometry` (angles in pixel
coordinates), `view` (front or side), `reps` (repetitions), `identity` (the same person
throughout), `interpret` (observations and self-test findings) and `analysis` (all of it in
order). No I/O and no numpy: the numbers come from `data/movement.yaml` as `MovementRules`.
"""
