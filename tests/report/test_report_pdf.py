"""The PDF report from a month of use: real SQLite, real WeasyPrint, pages turned into PNG by
`pdftoppm` and the text read back with pypdf."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from kneecoach.core.report import Period
from kneecoach.render.report import pdf_of, report_html
from kneecoach.services.report import gather_report
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.report.seed import NOTE, seed_month

A4_POINTS = (595, 842)
LETTER_POINTS = (612, 792)


def text_of(pdf: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages], reader


@pytest.fixture
def month() -> Period:
    first = seed_month()
    return Period(first, date.today())


def _report(period: Period, notes: bool = True, paper: str = "a4") -> bytes:
    data = in_session(gather_report, period, include_notes=notes)
    return pdf_of(report_html(data, paper)).data  # type: ignore[arg-type]


def test_a_month_of_use_makes_a_report_with_every_section(month: Period) -> None:
    pages, reader = text_of(_report(month))
    assert 3 <= len(pages) <= 8, len(pages)
    summary, detail = pages[0], " ".join(pages[1:])
    assert "Knee report" in summary
    assert month.words() in summary
    assert "Right knee" in summary or "Left knee" in summary
    assert "Red flags in this period" in summary
    assert "1 of 2 pairs of shoes need a look" in summary
    assert "Dose changes in this period: 1." in summary
    # the red flag of the check-in, with the person's answer beside the clinical term
    assert "Raised by the check-in on" in detail
    assert "Warmth over the joint (self- reported): Yes" in detail  # (a hyphen breaks the line)
    assert "Effusion, self-graded 2/3" in detail
    # contributors and patterns with the answers behind them
    assert "Pain around the kneecap" in detail and "Stiff ankle" in detail
    assert "self_tests.knee_to_wall_cm.right = 7" in detail
    # KOOS over time: the change and the MIC with its population
    assert "KOOS" in detail and "MIC" in detail
    assert "Better, by at least the MIC" in detail
    assert "Pain (0 to 10)" in detail and "Swelling (0 none to 3 severe)" in detail
    assert "Catching, locking, giving way, clicking" in detail
    assert "Done " in detail and "exercises the plan asked for" in detail
    assert "Dose changes and why" in detail and "Harder" in detail
    assert "The doses did not change" not in detail
    assert "Trail runners" in detail and "Town shoes" in detail
    assert NOTE in detail
    # the footer: page numbers and the period on every page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert round(float(reader.pages[0].mediabox.width)) == A4_POINTS[0]


def test_pages_turn_into_images_with_pdftoppm(month: Period, tmp_path: Path) -> None:
    assert shutil.which("pdftoppm"), "make system-deps installs poppler-utils"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_report(month))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(str(pdf)).pages)
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)
    assert images[0].stat().st_size > 5_000  # a page with something drawn on it


def test_letter_paper_has_letter_pages(month: Period) -> None:
    _, reader = text_of(_report(month, paper="letter"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == LETTER_POINTS


def test_no_notes_leaves_the_notes_out(month: Period) -> None:
    pages, _ = text_of(_report(month, notes=False))
    text = " ".join(pages)
    assert NOTE not in text
    assert "They chose to leave their notes out" in text


def test_no_chart_is_split_across_pages(month: Period) -> None:
    data = in_session(gather_report, month)
    html = report_html(data, "a4")
    assert "figure { break-inside: avoid;" in html
    assert html.count("<figure>") == len(data.checkin_charts) + len(data.score_charts)
    assert len(data.checkin_charts) == 4
    # alerts are marked on the check-in charts
    assert 'class="marker"' in data.checkin_charts[0].svg
    # each verdict against the MIC cites the population the MIC was measured in
    from kneecoach.data.instruments import load_instrument

    koos = load_instrument("koos")
    judged = [s for s in data.scores if s.passes_mic is not None]
    assert judged and all(s.passes_mic for s in judged)
    for score in judged:
        threshold = next(t for t in koos.thresholds if koos.label_of(t.scale) == score.scale)
        assert threshold.population and threshold.population in score.mic


def test_the_cli_writes_the_report_and_names_bad_dates(month: Period, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    done = run_cli(
        "report", "--from", month.first.isoformat(), "--to", month.last.isoformat(),
        "--out", str(out), "--paper", "letter", "--no-notes",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert "Saved the report" in done.stdout and "Letter" in done.stdout
    pages, _ = text_of(out.read_bytes())
    assert NOTE not in " ".join(pages)
    bad = run_cli("report", "--from", "2026-02-30", "--to", "2026-03-01", "--out", str(out))
    assert bad.exit_code == 2
    assert "--from" in bad.stderr and "not a date" in bad.stderr
    backwards = run_cli(
        "report", "--from", month.last.isoformat(), "--to", month.first.isoformat(),
        "--out", str(out),
    )  # fmt: skip
    assert backwards.exit_code == 2 and "--to" in backwards.stderr
    paper = run_cli("report", "--from", month.first.isoformat(), "--to", month.last.isoformat(),
                    "--out", str(out), "--paper", "a5")  # fmt: skip
    assert paper.exit_code == 2 and "--paper" in paper.stderr


def test_an_empty_period_is_a_clear_message_not_a_blank_pdf(month: Period, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    before = month.first - timedelta(days=400)
    done = run_cli(
        "report", "--from", before.isoformat(), "--to", (before + timedelta(days=10)).isoformat(),
        "--out", str(out),
    )  # fmt: skip
    assert done.exit_code == 2
    assert "nothing to report" in done.stderr
    assert not out.exists()


def test_a_long_period_is_charted_as_means_and_stays_quick() -> None:
    import re
    import time

    from tests.history import seed_checkins

    seed_checkins(3 * 365)
    period = Period(date.today() - timedelta(days=3 * 365 - 1), date.today())
    started = time.perf_counter()
    data = in_session(gather_report, period)
    laid_out = pdf_of(report_html(data, "a4"))
    took = time.perf_counter() - started
    assert data.checkin_days == 3 * 365
    pain = data.checkin_charts[0].svg
    points = re.findall(r'<g class="series" data-label="Usual pain">(.*?)</g>', pain)[0]
    assert 0 < points.count("<circle") <= 78  # weekly or longer means, not 1095 days
    assert (
        data.checkin_charts[0].note == "Each point is the mean of 21 days, as the period is long."
    )
    assert laid_out.pages < 10
    assert took < 60, f"{took:.1f} s"


def test_check_ins_alone_make_a_report_that_says_what_is_missing() -> None:
    from tests.history import seed_checkins

    seed_checkins(10)
    period = Period(date.today() - timedelta(days=9), date.today())
    data = in_session(gather_report, period)
    pages, _ = text_of(pdf_of(report_html(data, "a4")).data)
    text = " ".join(pages)
    assert "No knee questions were answered yet" in text
    assert "No questionnaire was answered in this period." in text
    assert "No exercise plan was in use in this period." in text
    assert "No shoes were added." in text
    assert "10 days of check-ins in this period." in text
