"""No user-facing data text names one country's services: they are placeholders, filled per
country. red_flags.yaml (rewritten separately) and countries.yaml itself are the exceptions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kneecoach.core.country import PLACEHOLDERS, fill, placeholders_in
from kneecoach.data.countries import load_countries
from tests.db import in_session
from tests.test_readability import ALL_FILES, DATA_ROOT, user_facing_text

EXEMPT = {"red_flags.yaml", "countries.yaml"}
CHECKED = [p for p in ALL_FILES if p.name not in EXEMPT]
HARD_CODED = re.compile(r"\b(999|111|911|000|112)\b|A&E|\bNHS\b|\bGP\b|urgent treatment centre")
COUNTRY_FILES = ("welcome.yaml", "lessons.yaml", "advice.yaml", "patterns.yaml")


def texts(path: Path) -> list[str]:
    import yaml

    return user_facing_text(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(DATA_ROOT)))
def test_no_service_name_or_number_is_hard_coded(path: Path) -> None:
    found = [t for t in texts(path) if HARD_CODED.search(t)]
    assert found == [], f"{path.name}: use the country placeholders instead: {found}"


@pytest.mark.parametrize("name", COUNTRY_FILES)
def test_country_placeholders_are_known_and_fill_for_every_country(name: str) -> None:
    file = load_countries()
    every = [e.words(c) for c, e in file.countries.items()] + [file.generic.words("generic")]
    used = [t for t in texts(DATA_ROOT / name) if placeholders_in(t)]
    assert used, f"{name} names no service any more: drop it from COUNTRY_FILES"
    for text in used:
        assert set(placeholders_in(text)) <= set(PLACEHOLDERS), text
        for words in every:
            assert "{" not in fill(text, words)


def test_a_plans_advice_names_the_stored_countrys_services(examples_dir: Path) -> None:
    import json

    from kneecoach.services.country import set_country
    from tests.cli_helpers import run_cli

    in_session(set_country, "NZ")
    example = examples_dir / "hot-knee-fever.json"
    result = run_cli("plan", "--answers", str(example), "--format", "json")
    assert result.exit_code == 0, result.stderr
    advice = " ".join(item["text"] for item in json.loads(result.stdout)["advice"])
    assert "{" not in advice
    assert "call 111 or go to the hospital emergency department" in advice, advice


def test_pattern_safety_texts_are_filled() -> None:
    from dataclasses import replace

    from kneecoach.core.assessment import NOTHING, PatternFinding
    from kneecoach.services.assessment import in_local_words
    from kneecoach.services.country import words_for

    pattern = PatternFinding(
        id="patellar_instability",
        title="t",
        summary="s",
        advice="a",
        safety="If the kneecap is out of place now, go to {emergency_department}.",
        fit=0.6,
        why=(),
        against=(),
    )
    filled = in_local_words(replace(NOTHING, patterns=(pattern,)), words_for("GB"))
    assert filled.patterns[0].safety == (
        "If the kneecap is out of place now, go to A&E (the emergency department)."
    )
