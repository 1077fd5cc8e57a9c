"""Every product decision in the data says why, and the published list is current."""

from __future__ import annotations

import json
from pathlib import Path

from kneecoach.services.knowledge import decisions_markdown, product_decisions
from tests.cli_helpers import run_cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "product-decisions.md"


def test_every_product_decision_gives_a_reason() -> None:
    found = product_decisions()
    assert len(found) > 50
    assert [d.where for d in found if not d.reason] == []


def test_the_known_decisions_of_decisions_md_are_listed() -> None:
    places = {(d.file, d.where) for d in product_decisions()}
    assert (
        "contributors.yaml",
        "contributors › glute_hamstring_weakness › evidence › bridge_hold_low",
    ) in places
    assert any(
        file == "red_flags.yaml" and "possible_clot_in_leg" in where for file, where in places
    )


def test_the_docs_page_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == decisions_markdown(product_decisions()), (
        "regenerate: kneecoach evidence decisions --format markdown > docs/product-decisions.md"
    )


def test_the_command_prints_json_and_a_table() -> None:
    as_json = json.loads(run_cli("evidence", "decisions", "--format", "json").stdout)
    assert len(as_json["decisions"]) == len(product_decisions())
    table = run_cli("evidence", "decisions")
    assert table.exit_code == 0 and "Product decisions" in table.stdout
