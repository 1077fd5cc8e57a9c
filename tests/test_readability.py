"""Everything a person reads from the data files is plain: Flesch-Kincaid grade at most 8.

The text is gathered from the user-facing keys of every YAML file under kneecoach/data (a file
is judged as a whole, like a leaflet). Validated questionnaire wording (`wording`) is exempt:
it cannot be reworded without breaking the instrument.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import textstat
import yaml

from kneecoach.core.country import PLACEHOLDERS, fill
from kneecoach.services.country import words_for

USER_FACING_KEYS = frozenset(
    {
        "text", "advice", "question", "help", "steps", "feel", "mistakes", "safety", "how",
        "message", "explanation", "summary", "title", "label", "name", "why_text", "said",
        "kept",
        # progression.yaml: put before a reason when the person rated the effort
        "effort_text",
        # report.yaml: what kneecoach did not ask, listed on the handover letter
        "not_asked",
        # countries.yaml: the service names filled into safety advice
        "emergency_department", "urgent_care", "same_day", "doctor", "pharmacist",
    }
)  # fmt: skip
MAX_GRADE = 8.0
MIN_WORDS = 40  # below this a grade is noise

DATA_ROOT = Path(str(resources.files("kneecoach.data")))


def user_facing_text(node: Any, under_user_key: bool = False) -> list[str]:
    """Collect every string under a user-facing key, however deep (lists included)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += user_facing_text(value, under_user_key or key in USER_FACING_KEYS)
    elif isinstance(node, list):
        for item in node:
            found += user_facing_text(item, under_user_key)
    elif isinstance(node, str) and under_user_key:
        found.append(node.strip())
    return found


def as_sentences(chunks: list[str]) -> str:
    """Short labels count as sentences of their own, as a reader meets them."""
    return " ".join(c if c.endswith((".", "!", "?", ":")) else c + "." for c in chunks if c)


def test_collector_finds_nested_text_and_skips_other_keys() -> None:
    doc = {"id": "x_y", "source": "Smith 2020", "steps": ["Lie down", "Lift"], "a": {"text": "Hi"}}
    assert user_facing_text(doc) == ["Lie down", "Lift", "Hi"]


def test_the_grade_check_would_catch_hard_text() -> None:
    hard = (
        "Patellofemoral arthrokinematic dysfunction necessitates comprehensive neuromuscular "
        "rehabilitation incorporating progressive proximal musculature strengthening. "
    ) * 5
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def with_service_names(text: str) -> str:
    """Country placeholders read as the generic words a person would see (other braces stay)."""
    words = words_for(None)
    for name in PLACEHOLDERS:
        text = text.replace("{" + name + "}", fill("{" + name + "}", words))
    return text


def file_text(path: Path) -> str:
    chunks = user_facing_text(yaml.safe_load(path.read_text(encoding="utf-8")))
    return as_sentences([with_service_names(chunk) for chunk in chunks])


def test_country_words_are_graded() -> None:
    text = file_text(DATA_ROOT / "countries.yaml")
    assert "a minor injuries unit or urgent treatment centre" in text
    assert "{" not in file_text(DATA_ROOT / "advice.yaml")


ALL_FILES = sorted(DATA_ROOT.rglob("*.yaml"))
# A file with only a few labels is graded with all the others below, not on its own.
GRADED_FILES = [p for p in ALL_FILES if textstat.lexicon_count(file_text(p)) >= MIN_WORDS]


@pytest.mark.parametrize("path", GRADED_FILES, ids=lambda p: str(p.relative_to(DATA_ROOT)))
def test_user_facing_text_reads_at_grade_8_or_below(path: Path) -> None:
    grade = textstat.flesch_kincaid_grade(file_text(path))
    assert grade <= MAX_GRADE, f"{path.name}: Flesch-Kincaid grade {grade:.1f} > {MAX_GRADE}"


def test_all_user_facing_text_together_reads_at_grade_8_or_below() -> None:
    text = " ".join(file_text(p) for p in ALL_FILES)
    assert textstat.lexicon_count(text) >= MIN_WORDS, "the data files hold almost no text"
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"all data files: Flesch-Kincaid grade {grade:.1f} > {MAX_GRADE}"


def test_the_effort_words_read_at_grade_8_or_below() -> None:
    """What a person reads about the effort (0010): the Today question and its hint, the CLI
    question, the form's error, and the reasons the effort rules give."""
    import re
    from dataclasses import replace
    from datetime import date, timedelta

    from kneecoach.cli.session import EFFORT_QUESTION
    from kneecoach.core.planning import variants_of
    from kneecoach.core.progression import LoggedSession, next_dose
    from kneecoach.data.exercises import load_catalogue
    from kneecoach.data.planning import load_progression_rules

    template = (DATA_ROOT.parent / "web" / "templates" / "today.html").read_text("utf-8")
    (legend, hint) = re.search(  # type: ignore[union-attr]
        r'scale_0_10\(effort_name, "([^"]+)", .*?, errors, hint="([^"]+)"\)', template
    ).groups()
    web = (DATA_ROOT.parent / "web" / "pages" / "today.py").read_text("utf-8")
    error = re.search(r'f"effort_\{slot\}", "([^"]+)"', web).group(1)  # type: ignore[union-attr]
    rules, chain = load_progression_rules(), variants_of(load_catalogue())
    goblet = chain["goblet_squat"]
    top = replace(goblet.start, reps=goblet.reps_range[1])  # type: ignore[index]
    reasons = []
    for dose, effort in [(top, 9), (top, 4), (top, 7), (goblet.start, 2)]:
        logged = LoggedSession(date(2026, 1, 5), dose, dose, 1, False, (), effort)
        reasons.append(next_dose(dose, [logged], chain, rules).reason)
    later = LoggedSession(date(2026, 1, 7), top, top, 1, False, (), 7)
    reasons.append(
        next_dose(
            top, [replace(later, on=later.on - timedelta(days=2)), later], chain, rules
        ).reason
    )
    chunks = [legend, hint, EFFORT_QUESTION.strip(), error, *reasons]
    text = as_sentences(chunks)
    assert "9 out of 10" in text and "4 out of 10" in text
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"effort words: Flesch-Kincaid grade {grade:.1f}\n{text}"
