"""`kneecoach questionnaire`, `outcomes` and `start` with piped answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kneecoach.core.outcomes import KOOS_CODES
from kneecoach.services.database import describe_database
from kneecoach.services.outcomes import save_answers, saved_results
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES
from tests.db import in_session
from tests.outcomes.answers import worked_example, write_answers

JR_ORDER = ["S6", "P2", "P3", "P6", "P9", "A3", "A5"]


def squash(text: str) -> str:
    """Rich wraps and pads to the terminal width: compare with single spaces."""
    return " ".join(text.split())


def lines(*replies: str) -> str:
    return "".join(f"{reply}\n" for reply in replies)


def test_koosjr_piped_with_back_skip_and_a_wrong_key() -> None:
    # S6=2 (typed 3), P2 typed 2 then back, P2 re-answered 4 after "9" and "x" are refused,
    # P3 skipped, the rest 1 (typed 2): raw needs all 7, so skipping P3 leaves no score.
    replies = lines("3", "2", "b", "9", "x", "5", "s", "2", "2", "2", "2")
    result = run_cli("questionnaire", "koosjr", "--date", "2025-04-02", input=replies)
    assert result.exit_code == 0, result.stderr
    assert "Question 1 of 7" in result.stdout and "Question 7 of 7" in result.stdout
    assert "Your answer was: 2. Mild" in result.stdout  # shown on going back to P2
    assert "Please type a number from 1 to 5" in result.stdout
    flat = squash(result.stdout)
    assert "Stiffness is a sensation of restriction" in flat  # the section instruction
    assert "How severe is your knee stiffness after first wakening" in flat
    [saved] = in_session(saved_results, "koosjr")
    assert saved.answers == {"S6": 2, "P2": 4, "P6": 1, "P9": 1, "A3": 1, "A5": 1}
    assert saved.scores == {"raw": None, "interval": None}
    assert saved.answered_on == date(2025, 4, 2)
    assert "needs all 7 answered" in result.stdout


def test_koosjr_complete_run_scores_with_the_table() -> None:
    result = run_cli("questionnaire", "koosjr", input=lines(*["3"] * 7))
    assert result.exit_code == 0, result.stderr
    [saved] = in_session(saved_results, "koosjr")
    assert saved.scores == {"raw": 14, "interval": 52.465}
    assert saved.answered_on == date.today()
    assert "52.465" in result.stdout
    assert "kneecoach outcomes" in result.stdout


def test_back_on_the_first_question_stays_there() -> None:
    result = run_cli("questionnaire", "koosjr", input=lines("b", *["1"] * 7))
    assert result.exit_code == 0, result.stderr
    assert "This is the first question." in result.stdout
    assert in_session(saved_results, "koosjr")[0].scores == {"raw": 0, "interval": 100.0}


def test_full_koos_answered_by_number_gives_the_worked_example() -> None:
    answers = worked_example()
    replies = lines(*(str(answers[code] + 1) for code in KOOS_CODES))
    result = run_cli("questionnaire", "koos", input=replies)
    assert result.exit_code == 0, result.stderr
    assert "Question 12 of 42" in result.stdout
    [saved] = in_session(saved_results, "koos")
    assert saved.answers == answers
    assert saved.scores == {
        "symptoms": 42.9, "pain": 41.7, "adl": 42.6, "sport_rec": 20.0, "qol": 37.5
    }  # fmt: skip
    for heading in ("Symptoms", "Stiffness", "Pain", "Function, daily living", "Quality of Life"):
        assert heading in result.stdout


def test_quitting_saves_nothing() -> None:
    result = run_cli("questionnaire", "koos12", input=lines("2", "3", "q"))
    assert result.exit_code == 0
    assert "Nothing was saved" in result.stdout
    assert in_session(saved_results) == []


def test_input_ending_early_stops_cleanly_and_saves_nothing() -> None:
    result = run_cli("questionnaire", "koos12", input=lines("2", "3"))
    assert result.exit_code == 130
    assert "Traceback" not in result.stdout + result.stderr
    assert "Nothing more was saved" in result.stderr
    assert in_session(saved_results) == []


def test_skipping_everything_saves_nothing() -> None:
    result = run_cli("questionnaire", "koosjr", input=lines(*["s"] * 7))
    assert result.exit_code == 0
    assert "Nothing was saved" in result.stdout
    assert in_session(saved_results) == []


# --- outcomes -------------------------------------------------------------------------------


def test_outcomes_without_results_says_how_to_get_some() -> None:
    result = run_cli("outcomes")
    assert result.exit_code == 0
    assert "No saved results yet" in result.stdout
    assert json.loads(run_cli("outcomes", "--format", "json").stdout) == {"outcomes": []}


def test_outcomes_shows_the_change_and_the_mic_verdict() -> None:
    first = worked_example()
    in_session(save_answers, "koos", first, date(2025, 1, 10))
    # pain 41.7 → 61.1: +19.4 (≥ 11.3: important); QOL 37.5 → 43.8: +6.3 (< 13.2: not)
    later = first | {"P1": 1, "P2": 1, "P6": 2, "P9": 2, "P5": 2, "Q1": 2}
    in_session(save_answers, "koos", later, date(2025, 2, 21))
    result = run_cli("outcomes", "--instrument", "koos", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [history] = json.loads(result.stdout)["outcomes"]
    assert [r["date"] for r in history["results"]] == ["2025-01-10", "2025-02-21"]
    assert history["results"][0]["change_from_first"] is None
    change = {c["scale"]: c for c in history["change"]}
    assert change["pain"]["first"] == 41.7 and change["pain"]["latest"] == 61.1
    assert change["pain"]["change"] == 19.4
    assert change["pain"]["verdict"] == "improved"
    assert change["pain"]["mic"] == 11.3
    assert change["pain"]["mic_source"] == "PubMed 41367621 (2025)"
    assert "knee OA" in change["pain"]["mic_population"]
    assert change["pain"]["may_be_noise"] is True  # below the individual MDC upper bound 20.2
    assert change["qol"]["change"] == 6.3 and change["qol"]["verdict"] == "below_mic"
    assert change["adl"]["change"] == 0.0 and change["adl"]["verdict"] == "below_mic"
    assert "20.2" in history["caution"]

    table = run_cli("outcomes")
    assert table.exit_code == 0, table.stderr
    out = squash(table.stdout)
    assert "(+19.4)" in out
    assert "│ Pain │ +19.4 │ 11.3 │ Yes, better │" in out
    assert "(QOL) │ +6.3 │ 13.2 │ No │" in out
    assert "PubMed 41367621 (2025)" in out
    assert "Mild to moderate knee OA" in out
    assert "may just be noise" in out


def test_a_worse_change_is_called_worse() -> None:
    in_session(save_answers, "koos", dict.fromkeys(KOOS_CODES, 0), date(2025, 1, 1))
    in_session(save_answers, "koos", dict.fromkeys(KOOS_CODES, 2), date(2025, 2, 1))
    [history] = json.loads(run_cli("outcomes", "--format", "json").stdout)["outcomes"]
    assert {c["verdict"] for c in history["change"]} == {"worse"}
    assert {c["change"] for c in history["change"]} == {-50.0}
    assert {c["may_be_noise"] for c in history["change"]} == {False}


def test_koos12_qol_threshold_is_the_derived_koos_one_and_the_others_have_none() -> None:
    in_session(save_answers, "koos12", dict.fromkeys(KOOS_CODES, 3), date(2025, 1, 1))
    in_session(save_answers, "koos12", dict.fromkeys(KOOS_CODES, 1), date(2025, 2, 1))
    result = run_cli("outcomes", "--instrument", "koos12", "--format", "json")
    [history] = json.loads(result.stdout)["outcomes"]
    change = {c["scale"]: c for c in history["change"]}
    assert change["qol"]["verdict"] == "improved"
    assert change["qol"]["mic"] == 13.2 and change["qol"]["mic_derived"] is True
    for scale in ("pain", "function", "summary"):
        assert change[scale]["verdict"] == "no_mic"
        assert change[scale]["change"] == 50.0
    table = squash(run_cli("outcomes", "--instrument", "koos12").stdout)
    assert "│ Pain │ +50.0 │ – │ Not known (no MIC) │" in table
    assert "│ Quality of life (QOL) │ +50.0 │ 13.2 (derived) │ Yes, better │" in table
    assert "gives no minimal important change for this KOOS-12 score" in table


def test_koosjr_history_compares_the_interval_score_only(tmp_path: Path) -> None:
    in_session(save_answers, "koosjr", dict.fromkeys(JR_ORDER, 2), date(2025, 1, 1))
    in_session(save_answers, "koosjr", dict.fromkeys(JR_ORDER, 1), date(2025, 2, 1))
    [history] = json.loads(run_cli("outcomes", "--format", "json").stdout)["outcomes"]
    assert [c["scale"] for c in history["change"]] == ["interval"]
    assert history["change"][0]["change"] == round(68.284 - 52.465, 3)
    assert history["change"][0]["verdict"] == "no_mic"


def test_outcomes_filter_by_instrument() -> None:
    in_session(save_answers, "koos", worked_example(), date(2025, 1, 1))
    in_session(save_answers, "koosjr", worked_example(), date(2025, 1, 1))
    both = json.loads(run_cli("outcomes", "--format", "json").stdout)["outcomes"]
    assert [h["instrument"] for h in both] == ["koos", "koosjr"]
    only = json.loads(run_cli("outcomes", "--instrument", "koosjr", "--format", "json").stdout)
    assert [h["instrument"] for h in only["outcomes"]] == ["koosjr"]


# --- start ----------------------------------------------------------------------------------


def test_start_welcomes_warns_and_runs_the_koos_questionnaire() -> None:
    answers = worked_example()
    replies = lines("GB", "n", "y", *(str(answers[code] + 1) for code in KOOS_CODES))
    result = run_cli("start", input=replies)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "does not diagnose" in out
    assert "cannot put weight" in out
    assert "calf" in out and "emergency" in out
    assert describe_database().split("/")[-1] in out
    assert "Question 42 of 42" in out
    assert "kneecoach outcomes" in out
    [saved] = in_session(saved_results, "koos")
    assert saved.answers == answers


def test_start_declining_the_questionnaire_saves_nothing() -> None:
    result = run_cli("start", input=lines("GB", "n", "n"))
    assert result.exit_code == 0, result.stderr
    assert "kneecoach intake" in result.stdout
    assert "kneecoach questionnaire koos" in result.stdout
    assert in_session(saved_results) == []


def test_start_with_input_ending_early_stops_without_a_traceback() -> None:
    for replies in ("", lines("GB", "n", "y", "1", "2")):
        result = run_cli("start", input=replies)
        assert result.exit_code == 130
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.strip() == "Stopped. Nothing more was saved."
    assert in_session(saved_results) == []


def test_start_runs_the_intake_and_stops_before_advice_when_care_comes_first() -> None:
    from kneecoach.services.intake import latest_intake

    # age, onset (slowly), then the safety questions in their order; warm and swelling 3 make
    # a hot swollen knee; then the input ends
    replies = ["GB", "y", "45", "1", "no", "no", "no", "no", "yes", "yes", "yes", "3"]
    result = run_cli("start", input=lines(*replies))
    assert result.exit_code == 0, result.stderr
    assert "get the care above first" in result.stdout
    assert "KOOS" not in result.stdout
    saved = in_session(latest_intake)
    assert saved is not None and saved.triage["level"] == "urgent"
    assert saved.answers["signs"]["swelling"] == 3
    assert saved.answers["signs"]["warm"] is True


def test_start_shows_the_look_beyond_the_knee_after_a_safe_intake(tmp_path: Path) -> None:
    from kneecoach.cli.start import FlowState, show_what_we_found
    from kneecoach.services.intake import import_intake

    example = json.loads((EXAMPLES / "hiker-downhill-front-pain.json").read_text())
    state = FlowState(intake=in_session(import_intake, example))
    assert state.intake is not None and state.intake.assessment is not None
    assert [c["id"] for c in state.intake.assessment["contributors"]][:2] == [
        "ankle_dorsiflexion_limit",
        "hip_abductor_weakness",
    ]
    runner_result = run_cli("intake", "show")
    assert runner_result.exit_code == 0
    assert show_what_we_found(state) is True


def test_score_save_then_outcomes_round_trip(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.json", worked_example())
    assert run_cli("score", "koos", "--answers", str(path), "--save").exit_code == 0
    result = run_cli("outcomes")
    assert "41.7" in result.stdout and date.today().isoformat() in result.stdout


def test_the_privacy_note_names_the_file_or_the_chosen_database() -> None:
    from kneecoach.cli.start import privacy_text

    local = privacy_text("sqlite:////home/ann/.local/share/kneecoach/kneecoach.db")
    assert "stay on this machine" in local
    assert "/home/ann/.local/share/kneecoach/kneecoach.db" in local
    remote = privacy_text("postgresql+psycopg://ann:***@db.example/kc")
    assert "stay on this machine" not in remote
    assert "db.example" in remote
