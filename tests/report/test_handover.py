"""The handover letter: one page, the flag first, the person's answers beside clinical terms,
for every escalating example of ../shared/examples and for a red flag in a daily check-in."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from kneecoach.core.checkins import CheckIn
from kneecoach.core.report import ESCALATING
from kneecoach.render.report import handover_html, handover_pdf
from kneecoach.services import checkins as checkin_service
from kneecoach.services import handover as handover_service
from kneecoach.services import intake as intake_service
from kneecoach.services.triage import question_for
from tests.cli_helpers import run_cli
from tests.conftest import SHARED
from tests.db import in_session

A4_HEIGHT = 842


def escalating_examples() -> list[Path]:
    from kneecoach.services.assessment import assess_document

    found = []
    for path in sorted((SHARED / "examples").glob("*.json")):
        document = json.loads(path.read_text())
        if assess_document(document, session=None).triage.level in ESCALATING:
            found.append(path)
    return found


EXAMPLES = escalating_examples()


def test_the_shared_examples_hold_escalations() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"hot-knee-fever.json", "tackle-pop-swelling.json"} <= names


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(data))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    return len(reader.pages), text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_escalating_example_gets_a_one_page_letter_flag_first(
    example: Path, paper: str
) -> None:
    document = json.loads(example.read_text())
    saved = in_session(intake_service.import_intake, document)
    letter = in_session(handover_service.handover)
    assert letter is not None
    assert letter.level == saved.triage["level"]
    pages, text = pdf_text(handover_pdf(letter, paper).data)  # type: ignore[arg-type]
    assert pages == 1, f"{example.name} on {paper}: {pages} pages"
    # the flag comes first, before the timeline and the history
    assert text.index("Why they need to be seen") < text.index("Timeline")
    assert text.index("Timeline") < text.index("What kneecoach did not ask")
    # every answer behind each escalating flag is on the letter: question and answer
    for flag in saved.triage["flags"]:
        if flag["level"] not in ESCALATING:
            continue
        assert flag["title"] in text
        for line in flag["why"]:
            path = line.split(" ")[0]
            question = question_for(path)
            if question != path:
                assert question.split("?")[0][:30] in text, question
    assert "Clinical terms" in text
    assert "They did not list any medicines" in text


def test_a_long_letter_still_fits_one_page() -> None:
    """Both examples' flags at once and a long list of medicines: small print, one page."""
    hot = json.loads((SHARED / "examples" / "hot-knee-fever.json").read_text())
    tackle = json.loads((SHARED / "examples" / "tackle-pop-swelling.json").read_text())
    merged = {**tackle}
    for section in ("signs", "general"):
        merged[section] = {**tackle[section], **{k: v for k, v in hot[section].items() if v}}
    in_session(intake_service.import_intake, merged)
    medicines = [f"Medicine number {n}, 20 mg twice a day with food" for n in range(30)]
    in_session(handover_service.add_medicines, medicines)
    letter = in_session(handover_service.handover)
    assert letter is not None and letter.medicines == tuple(medicines)
    pages, text = pdf_text(handover_pdf(letter).data)
    assert pages == 1
    assert "Medicine number 29" in text


def test_a_red_flag_in_a_check_in_gets_a_letter_with_that_days_answers(shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    assert in_session(handover_service.handover) is None
    today = date.today()
    in_session(checkin_service.record_checkin, CheckIn(day=today, pain=4, swelling=2, warm=True))
    letter = in_session(handover_service.handover)
    assert letter is not None and letter.level in ("urgent", "soon")
    assert letter.flags[0].where == "check-in"
    answers = {a.question: a.answer for a in letter.flags[0].answers}
    assert answers[question_for("signs.warm")] == "Yes"
    assert answers[question_for("signs.swelling")] == "2"
    pages, text = pdf_text(handover_pdf(letter).data)
    assert pages == 1 and "Raised by the check-in on" in text
    assert "Warmth over the joint" in text


def test_medicines_are_kept_as_a_new_intake_version(shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "hot-knee-fever.json").read_text())
    first = in_session(intake_service.import_intake, document)
    typed = "Warfarin 5 mg\nParacetamol, Ramipril\n\nParacetamol"
    medicines = handover_service.parse_medicines(typed)
    assert medicines == ["Warfarin 5 mg", "Paracetamol", "Ramipril"]
    saved = in_session(handover_service.add_medicines, medicines)
    assert saved.version == first.version + 1
    assert saved.answers["history"]["medicines"] == medicines
    assert saved.triage == first.triage  # what the person was told is kept as it was
    letter = in_session(handover_service.handover)
    assert letter is not None and letter.medicines == tuple(medicines)
    assert "Warfarin 5 mg" in handover_html(letter)


def test_too_long_a_medicine_names_the_field() -> None:
    from kneecoach.core.errors import InputError

    with pytest.raises(InputError) as raised:
        handover_service.parse_medicines("x" * 500)
    assert raised.value.field == "history.medicines"


def test_the_cli_writes_the_letter_or_says_none_is_needed(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    nothing = run_cli("handover", "--out", str(out))
    assert nothing.exit_code == 1 and "Nothing in the answers needs a handover" in nothing.stdout
    assert not out.exists()
    document = json.loads((shared_dir / "examples" / "tackle-pop-swelling.json").read_text())
    in_session(intake_service.import_intake, document)
    done = run_cli("handover", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    assert "Saved the letter (Get seen today)" in done.stdout
    pages, text = pdf_text(out.read_bytes())
    assert pages == 1 and "Handover letter" in text
    assert round(float(PdfReader(str(out)).pages[0].mediabox.height)) == A4_HEIGHT


def test_the_cli_offers_the_letter_after_an_escalating_safety_check(shared_dir: Path) -> None:
    tackle = shared_dir / "examples" / "tackle-pop-swelling.json"
    done = run_cli("intake", "--answers", str(tackle))
    assert done.exit_code == 0
    assert "Open a letter for the doctor: kneecoach handover --out letter.pdf" in done.stdout
    hiker = shared_dir / "examples" / "hiker-downhill-front-pain.json"
    calm = run_cli("intake", "--answers", str(hiker))
    assert "kneecoach handover" not in calm.stdout
    hot = run_cli(
        "checkin",
        "--date",
        date.today().isoformat(),
        "--pain",
        "4",
        "--swelling",
        "2",
        "--warm",
        "1",
    )
    assert hot.exit_code == 0, hot.stderr
    assert "kneecoach handover --out letter.pdf" in hot.stdout
