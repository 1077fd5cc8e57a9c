"""The report, the handover letter and their web pages read at grade 8 or below.

Graded as rendered (the data file's words filled in with a person's answers), leaving out:
- text marked `data-reading="clinical"`: the "Clinical terms" column, the MIC's population
  and source, and the answers behind a finding, written for the clinician;
- charts (SVG), styles, and the numbers-only cells of tables.
"""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat

from kneecoach.core.report import Period
from kneecoach.render.report import handover_html, report_html
from kneecoach.services import handover as handover_service
from kneecoach.services import intake as intake_service
from kneecoach.services.report import gather_report
from kneecoach.web.app import create_app
from tests.db import in_session
from tests.report.seed import seed_month
from tests.test_readability import MAX_GRADE, as_sentences
from tests.web_client import BrowserClient

SKIPPED = {"style", "svg", "script", "title", "textarea"}


class PersonText(HTMLParser):
    """The text a person reads: every text node outside clinical cells, charts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.clinical: list[bool] = []
        self.skipping = 0
        self.clinical_seen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        marked = ("data-reading", "clinical") in attrs
        self.clinical_seen += marked
        self.clinical.append(marked)
        self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping -= 1
        if self.clinical:
            self.clinical.pop()
        self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping or any(self.clinical):
            return
        self.chunks.append(data)

    def sentences(self) -> str:
        text = "".join(self.chunks)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        wordy = [line for line in lines if any(c.isalpha() for c in line)]
        return as_sentences(wordy)


def person_text(html: str) -> tuple[str, int]:
    parser = PersonText()
    parser.feed(html)
    return parser.sentences(), parser.clinical_seen


def test_the_parser_leaves_out_clinical_cells_and_would_catch_hard_text() -> None:
    text, marked = person_text(
        '<p>Rest your knee.</p><table><tr><td data-reading="clinical">Haemarthrosis</td></tr>'
        "</table><svg><text>axis</text></svg>"
    )
    assert "Haemarthrosis" not in text and "axis" not in text and marked == 1
    hard = person_text("<p>" + "Patellofemoral arthrokinematic dysfunction necessitates "
                       "comprehensive neuromuscular rehabilitation. " * 5 + "</p>")[0]  # fmt: skip
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def grade(text: str) -> float:
    assert textstat.lexicon_count(text) >= 40, text
    return float(textstat.flesch_kincaid_grade(text))


@pytest.mark.parametrize("example", ["hot-knee-fever.json", "tackle-pop-swelling.json"])
def test_the_handover_letter_reads_at_grade_8(example: str, shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / example).read_text())
    in_session(intake_service.import_intake, document)
    letter = in_session(handover_service.handover)
    assert letter is not None
    text, marked = person_text(handover_html(letter))
    assert marked >= 2, "the clinical terms column is marked"
    assert grade(text) <= MAX_GRADE, f"{example}: grade {grade(text):.1f}\n{text}"


def test_the_report_reads_at_grade_8() -> None:
    first = seed_month()
    data = in_session(gather_report, Period(first, date.today()))
    text, marked = person_text(report_html(data, "a4"))
    assert marked >= 3
    assert grade(text) <= MAX_GRADE, f"report: grade {grade(text):.1f}\n{text}"


def test_the_web_pages_read_at_grade_8(shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "hot-knee-fever.json").read_text())
    in_session(intake_service.import_intake, document)
    with BrowserClient(create_app()) as client:
        page = client.get("/handover").text
        progress = client.get("/progress").text
    text, _ = person_text(page)
    assert grade(text) <= MAX_GRADE, f"/handover: grade {grade(text):.1f}\n{text}"
    form = progress[progress.index('<section class="card" aria-labelledby="report-heading">') :]
    form = form[: form.index("</section>") + len("</section>")]
    text, _ = person_text(form)
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
