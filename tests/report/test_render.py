"""render/report is pure: typed data in, escaped HTML out, nothing fetched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kneecoach.core.errors import InputError
from kneecoach.core.report import (
    Fact,
    FlagAnswer,
    Handover,
    Period,
    RaisedFlag,
    date_of,
    paper_of,
)
from kneecoach.data.report import report_words
from kneecoach.render.report import handover_body, handover_html, pdf_of


def letter(medicines: tuple[str, ...] | None) -> Handover:
    words = report_words()
    flag = RaisedFlag(
        date(2026, 11, 2), "intake", "urgent", "Get seen today", "Hot knee <b>",
        (FlagAnswer("Is it hot?", "Yes", "Warmth <i>"),),
    )  # fmt: skip
    return Handover(
        words=words, made_on=date(2026, 11, 2), level="urgent", level_title="Get seen today",
        level_summary="See a doctor today.", flags=(flag,), person=(Fact("Knee", "Right knee"),),
        timeline=(), history=(), medicines=medicines, not_asked=words.not_asked,
    )  # fmt: skip


def test_every_text_is_escaped_and_the_clinical_column_marked() -> None:
    html = handover_body(letter(("<script>alert(1)</script>",)))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Hot knee &lt;b&gt;" in html
    assert '<td data-reading="clinical">Warmth &lt;i&gt;</td>' in html


def test_medicines_not_listed_and_none_read_differently() -> None:
    assert "They did not list any medicines." in handover_body(letter(None))
    assert "They said they take no medicines." in handover_body(letter(()))


def test_nothing_outside_is_fetched(tmp_path: Path) -> None:
    """Even a picture on this machine is left out: the letter holds only its own markup."""
    picture = tmp_path / "big.svg"
    picture.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
        + "".join(f'<circle cx="{i}" cy="{i}" r="3"/>' for i in range(400))
        + "</svg>"
    )
    plain = handover_html(letter(None))
    with_picture = plain.replace("</article>", f'<img src="{picture.as_uri()}"></article>')
    without, laid_out = pdf_of(plain), pdf_of(with_picture)
    assert laid_out.pages == 1
    assert abs(len(laid_out.data) - len(without.data)) < 500, "the picture was fetched"


def test_dates_and_paper_name_the_field() -> None:
    with pytest.raises(InputError) as bad:
        date_of("30/11/2026", "from")
    assert bad.value.field == "from"
    with pytest.raises(InputError) as empty:
        date_of("", "to")
    assert empty.value.field == "to"
    with pytest.raises(InputError) as paper:
        paper_of("A5")
    assert paper.value.field == "paper"
    assert paper_of("Letter") == "letter" and paper_of(None) == "a4"
    today = date(2026, 11, 30)
    with pytest.raises(InputError) as future:
        Period.checked(date(2026, 12, 1), date(2026, 12, 2), today)
    assert future.value.field == "from"
    assert Period.checked(date(2026, 11, 1), date(2027, 1, 1), today).last == today
