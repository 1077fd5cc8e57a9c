"""The web side of issue 14 §1–2: the report download from Progress, the handover page (offline
once loaded: nothing to fetch), its medicines form and PDF, and the link below the emergency
advice."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

from kneecoach.services import intake as intake_service
from tests.db import in_session
from tests.report.seed import NOTE, seed_month
from tests.web import wizard


def pages_of(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(data)).pages]


def test_progress_offers_the_report_with_a_paper_choice(client: TestClient) -> None:
    page = client.get("/progress")
    assert page.status_code == 200
    assert 'action="/report.pdf"' in page.text
    assert '<option value="a4" selected>A4</option>' in page.text  # the units setting's paper
    assert '<option value="letter">Letter</option>' in page.text
    assert 'name="from"' in page.text and 'name="to"' in page.text and 'name="notes"' in page.text


def test_the_paper_follows_the_units_setting_unless_one_is_named(client: TestClient) -> None:
    seed_month()
    last = date.today()
    first = (last - timedelta(days=20)).isoformat()
    assert client.put("/api/v1/settings/units", json={"paper": "letter"}).status_code == 200
    assert '<option value="letter" selected>Letter</option>' in client.get("/progress").text
    chosen = client.get("/report.pdf", params={"from": first, "to": last.isoformat()})
    width, height = PdfReader(BytesIO(chosen.content)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (612, 792)  # Letter, in points
    named = client.get("/report.pdf", params={"from": first, "to": last.isoformat(), "paper": "a4"})
    width, height = PdfReader(BytesIO(named.content)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4


def test_the_report_downloads_as_a_pdf_with_a_filename(client: TestClient) -> None:
    first = seed_month()
    last = date.today()
    got = client.get(
        "/report.pdf",
        params={
            "from": first.isoformat(),
            "to": last.isoformat(),
            "paper": "letter",
            "notes": "no",
        },
    )
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == (
        f'attachment; filename="kneecoach-report-{first.isoformat()}-to-{last.isoformat()}.pdf"'
    )
    reader = PdfReader(BytesIO(got.content))
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter
    text = " ".join(pages_of(got.content))
    assert "Knee report" in text and NOTE not in text
    # the form's hidden "no" and the ticked box's "yes": the box wins
    with_notes = client.get(
        f"/report.pdf?from={first.isoformat()}&to={last.isoformat()}&notes=no&notes=yes"
    )
    assert NOTE in " ".join(pages_of(with_notes.content))


def test_bad_dates_and_an_empty_period_name_the_problem(client: TestClient) -> None:
    bad = client.get("/report.pdf", params={"from": "2026-02-31", "to": "2026-03-01"})
    assert bad.status_code == 422
    assert "from" in bad.text and "not a date" in bad.text
    assert bad.headers["content-type"].startswith("text/html")
    missing = client.get("/report.pdf", params={"from": "2026-01-01"})
    assert missing.status_code == 422 and "to" in missing.text
    empty = client.get(
        "/report.pdf",
        params={
            "from": (date.today() - timedelta(days=9)).isoformat(),
            "to": date.today().isoformat(),
        },
    )
    assert empty.status_code == 422 and "nothing to report" in empty.text


def test_the_handover_page_needs_nothing_from_outside(client: TestClient, shared_dir: Path) -> None:
    none = client.get("/handover")
    assert none.status_code == 200 and "Nothing in the answers needs a handover" in none.text
    document = json.loads((shared_dir / "examples" / "hot-knee-fever.json").read_text())
    in_session(intake_service.import_intake, document)
    page = client.get("/handover")
    assert page.status_code == 200
    assert "Why they need to be seen" in page.text and "Clinical terms" in page.text
    assert page.text.index("Why they need to be seen") < page.text.index("Timeline")
    # offline once loaded: no stylesheet, script, image or font to fetch
    assert not re.search(r"<(link|script|img|iframe)\b", page.text)
    assert "src=" not in page.text and "url(" not in page.text
    assert "@media print" in page.text


def test_medicines_typed_on_the_letter_are_kept(client: TestClient, shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "tackle-pop-swelling.json").read_text())
    first = in_session(intake_service.import_intake, document)
    page = client.get("/handover")
    assert 'name="medicines"' in page.text
    sent = client.post(
        "/handover", data={"medicines": "Apixaban 5 mg\nIbuprofen"}, follow_redirects=False
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/handover?saved=1"
    saved = in_session(intake_service.latest_intake)
    assert saved is not None and saved.version == first.version + 1
    assert saved.answers["history"]["medicines"] == ["Apixaban 5 mg", "Ibuprofen"]
    again = client.get("/handover?saved=1")
    assert "Apixaban 5 mg" in again.text and "Your medicines are saved" in again.text
    too_long = client.post("/handover", data={"medicines": "x" * 300})
    assert too_long.status_code == 422
    assert "history.medicines: write each medicine in 120 letters or fewer" in too_long.text
    kept = in_session(intake_service.latest_intake)
    assert kept is not None and kept.version == saved.version  # nothing stored was lost


def test_the_letter_downloads_as_one_pdf_page(client: TestClient, shared_dir: Path) -> None:
    document = json.loads((shared_dir / "examples" / "tackle-pop-swelling.json").read_text())
    in_session(intake_service.import_intake, document)
    got = client.get("/handover.pdf")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == (
        f'attachment; filename="kneecoach-handover-{date.today().isoformat()}.pdf"'
    )
    pages = pages_of(got.content)
    assert len(pages) == 1 and "Handover letter" in pages[0]


def test_the_emergency_page_links_the_letter_below_the_advice(client: TestClient) -> None:
    answers = {
        "person": {"age": 45},
        "history": {"onset": "gradual"},
        "general": {"foot_cold_pale_or_blue": True},
    }
    page = wizard.walk(client, answers).last
    text = page.text
    assert "Get help now" in text
    link = text.index('href="/handover"')
    assert text.index("What to do") < link  # the advice comes first, in the same response
    letter = client.get("/handover")
    assert "Cold, pale or cyanosed foot" in letter.text


def test_a_check_in_red_flag_and_the_results_offer_the_letter(
    client: TestClient, shared_dir: Path
) -> None:
    document = json.loads((shared_dir / "examples" / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    assert 'href="/handover"' not in client.get("/results").text  # self care: no letter
    done = client.post(
        "/checkin",
        data={"date": date.today().isoformat(), "pain": "4", "swelling": "2", "flags": ["warm"]},
    )
    assert done.status_code == 200
    assert done.text.index("What to do") < done.text.index('href="/handover"')
    tackle = json.loads((shared_dir / "examples" / "tackle-pop-swelling.json").read_text())
    in_session(intake_service.import_intake, tackle)
    results = client.get("/results").text
    assert results.index("Get seen today") < results.index('href="/handover"')
