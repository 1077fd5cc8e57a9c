"""The welcome's "get help now" lines summarise real red-flag rules at the right urgency."""

from __future__ import annotations

from kneecoach.data.red_flags import load_red_flags
from kneecoach.data.welcome import load_welcome
from tests.cli_helpers import run_cli


def test_every_sign_points_at_an_existing_red_flag_rule() -> None:
    rules = {rule.id: rule for rule in load_red_flags().rules}
    assert set(load_welcome().rule_ids()) <= set(rules)


def test_the_emergency_line_matches_an_emergency_rule() -> None:
    rules = {rule.id: rule for rule in load_red_flags().rules}
    for rule_id in load_welcome().help_now.emergency.rules:
        assert rules[rule_id].level == "emergency"


def test_start_shows_the_words_from_the_data_file() -> None:
    words = load_welcome()
    result = run_cli("start", input="GB\nn\nn\n")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "does not diagnose" in flat
    for sign in words.help_now.signs:
        assert " ".join(sign.text.split())[:30] in flat
