"""The ids shared/spec/intake.md fixes for contributors and patterns: one list for the app.

Data files, the assessment, the exercise catalogue and the plan all speak these ids; a data
file may add ids of its own, documented there.
"""

from __future__ import annotations

from typing import Final

CONTRIBUTORS: Final[tuple[str, ...]] = (
    "hip_abductor_weakness",
    "glute_hamstring_weakness",
    "quadriceps_weakness",
    "hip_flexor_tightness",
    "hip_joint_referral",
    "lumbar_referral",
    "ankle_dorsiflexion_limit",
    "foot_pronation",
    "worn_footwear",
    "training_load_spike",
    "body_weight_load",
)

PATTERNS: Final[tuple[str, ...]] = (
    "patellofemoral_pain",
    "knee_osteoarthritis",
    "itb_syndrome",
    "patellar_tendinopathy",
    "meniscal_symptoms",
    "ligament_instability",
    "inflammatory_arthritis",
    "patellar_instability",
    "adolescent_growth_plate",
)
