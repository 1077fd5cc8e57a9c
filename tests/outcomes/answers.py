"""Answer vectors shared by the outcome tests (official KOOS codes)."""

from __future__ import annotations

import json
from pathlib import Path

# The awell-score test vectors (shared/clinical/evidence.md §1.4), under the official codes.
PAIN = [3, 2, 1, 2, 3, 4, 1, 2, 3]
SYMPTOMS = [2, 3, 1, 4, 2, 1, 3]
ADL = [2, 3, 1, 2, 4, 1, 3, 2, 3, 1, 2, 3, 4, 1, 2, 3, 2]
SPORT_REC = [3, 4, 3, 2, 4]
QOL = [3, 2, 3, 2]


def block(prefix: str, values: list[int | None]) -> dict[str, int]:
    """{"P1": 3, ...} from a list; None leaves that item unanswered."""
    return {f"{prefix}{n}": v for n, v in enumerate(values, start=1) if v is not None}


def worked_example() -> dict[str, int]:
    return {
        **block("S", list(SYMPTOMS)),
        **block("P", list(PAIN)),
        **block("A", list(ADL)),
        **block("SP", list(SPORT_REC)),
        **block("Q", list(QOL)),
    }


WORKED_SCORES = {"symptoms": 42.9, "pain": 41.7, "adl": 42.6, "sport_rec": 20.0, "qol": 37.5}


def write_answers(path: Path, answers: object) -> Path:
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path
