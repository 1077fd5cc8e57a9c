"""HTML for the report and the letter; see the package docstring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from kneecoach.core.errors import UnavailableError
from kneecoach.core.report import (
    Chart,
    Fact,
    Handover,
    RaisedFlag,
    ReportData,
    ReportWords,
    fill,
    show_day,
)
from kneecoach.core.units import Paper

INSTALL_PANGO = (
    "install it with `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core` "
    "(or `make system-deps`), then try again"
)

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
CLINICAL = ' data-reading="clinical"'
"""Marks text for the clinician (clinical terms, citations): not graded for reading level."""

BASE_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a;
  line-height: 1.35; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 8pt 0 3pt; break-after: avoid; }
p { margin: 3pt 0; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 1px solid #ccc; }
th { background: #eef2f6; }
tr { break-inside: avoid; }
.muted { color: #555; }
.level { display: inline-block; padding: 1pt 6pt; border-radius: 3pt; font-weight: bold;
  border: 1px solid #333; }
.level-emergency, .level-urgent { background: #fde2dc; border-color: #8a1c00; }
.level-soon { background: #fff2cc; border-color: #6a4a00; }
.level-self_care { background: #e4f2e4; border-color: #1d5e1d; }
.facts th { width: 34%; background: none; font-weight: bold; }
td[data-reading="clinical"], th[data-reading="clinical"] { font-style: italic; color: #222; }
ul.flags { margin: 1pt 0 3pt; padding-left: 14pt; }
ul.flags li { margin: 1pt 0; }
"""

REPORT_STYLE = """
@page { size: %(size)s; margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "%(footer)s"; font-family: "DejaVu Sans", Arial, sans-serif;
    font-size: 8pt; color: #555; }
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages);
    font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #555; } }
.summary { break-after: page; }
figure { break-inside: avoid; margin: 6pt 0 10pt; }
figure svg { width: 100%%; height: auto; }
figcaption { font-weight: bold; margin-bottom: 2pt; }
.legend { font-size: 8.5pt; margin: 2pt 0 0; }
.legend span { margin-right: 10pt; white-space: nowrap; }
.swatch { display: inline-block; width: 18pt; height: 0; border-top: 3px solid; vertical-align: middle;
  margin-right: 3pt; }
.flag { break-inside: avoid; margin-bottom: 6pt; }
.notes li { margin-bottom: 2pt; }
"""

HANDOVER_STYLE = """
.letter { max-width: 760px; margin: 0 auto; padding: 12px; }
.letter h1 { font-size: 16pt; }
.letter h2 { font-size: 11.5pt; margin: 8pt 0 3pt; }
.letter table { font-size: 9.5pt; }
.flagbox { border: 2px solid #8a1c00; padding: 4pt 6pt; margin: 4pt 0 6pt; }
.letter { font-size: 9pt; line-height: 1.25; }
.letter th, .letter td { padding: 1pt 3pt; }
table.cols > tbody > tr > td { width: 50%%; border: none; padding: 0 6pt 0 0; }
.letter .level { padding: 0 4pt; }
.letter ul { margin: 2pt 0; }
.noprint { margin-top: 12pt; }
.letter.compact { font-size: 7.5pt; }
.letter.compact h1 { font-size: 12pt; }
.letter.compact h2 { font-size: 9pt; margin: 4pt 0 2pt; }
.letter.compact table { font-size: 7.5pt; }
@media print { .noprint { display: none; } .letter { padding: 0; } }
@page { size: %(size)s; margin: 11mm; }
"""


def _e(text: object) -> str:
    return escape(str(text))


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], clinical: Sequence[int] = ()) -> str:
    """A table; columns in `clinical` are marked for the clinician. Cells are escaped."""
    th = "".join(f"<th{CLINICAL if i in clinical else ''}>{_e(h)}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{CLINICAL if i in clinical else ''}>{_e(cell)}</td>" for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _facts(facts: Sequence[Fact], clinical: bool = False) -> str:
    rows = []
    for fact in facts:
        extra = f"<td{CLINICAL}>{_e(fact.clinical)}</td>" if clinical else ""
        rows.append(f"<tr><th>{_e(fact.label)}</th><td>{_e(fact.value)}</td>{extra}</tr>")
    return f'<table class="facts"><tbody>{"".join(rows)}</tbody></table>'


def _flag_groups(flags: Sequence[RaisedFlag], words: ReportWords) -> str:
    """The flags raised together (the same day, the same questions or check-in): their titles
    with levels, then one table of the answers behind them, each answer once."""
    groups: dict[tuple[date, str], list[RaisedFlag]] = {}
    for flag in flags:
        groups.setdefault((flag.day, flag.where), []).append(flag)
    shown = []
    for (day, where), together in groups.items():
        key = "raised_intake" if where == "intake" else "raised_checkin"
        answers: dict[str, tuple[str, str, str]] = {}
        for flag in together:
            for a in flag.answers:
                answers.setdefault(a.question, (a.question, a.answer, a.clinical))
        shown.append(
            f'<div class="flag"><p class="muted">{_e(fill(words[key], {"day": show_day(day)}))}:'
            '</p><ul class="flags">'
            + "".join(
                f'<li><span class="level level-{_e(f.level)}">{_e(f.level_title)}</span> '
                f"<strong>{_e(f.title)}</strong></li>"
                for f in together
            )
            + "</ul>"
            + _table(
                (words["col_question"], words["col_answer"], words["col_clinical"]),
                answers.values(),
                clinical=(2,),
            )
            + "</div>"
        )
    return "".join(shown)


def _chart(chart: Chart) -> str:
    legend = "".join(
        f'<span><span class="swatch" style="border-color:{_e(colour)};'
        f'{"border-top-style:dashed;" if dash else ""}"></span>{_e(label)}</span>'
        for label, colour, dash in chart.legend
    )
    return (
        f"<figure><figcaption>{_e(chart.heading)}</figcaption>{chart.svg}"
        f'<p class="legend">{legend}</p>'
        + (f'<p class="legend muted">{_e(chart.note)}</p>' if chart.note else "")
        + "</figure>"
    )


def _p(text: str, cls: str = "") -> str:
    shown = f'<p class="{_e(cls)}">' if cls else "<p>"
    return f"{shown}{_e(text)}</p>"


def report_html(data: ReportData, paper: Paper) -> str:
    """The report: a summary page, then the detail pages."""
    w = data.words
    style = REPORT_STYLE % {
        "size": PAGE_SIZES[paper],
        "footer": _css_text(f"{w['report_title']}: {data.period.words()}"),
        "page": _css_text(w["page"]),
        "of": _css_text(w["of"]),
    }
    percent = round(100 * data.done / data.asked) if data.asked else 0
    adherence = (
        fill(w["adherence_line"], {"done": data.done, "asked": data.asked, "percent": percent})
        if data.exercises
        else w["no_plan"]
    )
    summary = [
        f"<h1>{_e(w['report_title'])}</h1>",
        _p(w["report_intro"], "muted"),
        f"<h2>{_e(w['who_heading'])}</h2>",
        _facts(
            (
                Fact(w["period"], data.period.words()),
                Fact(w["knee"], data.knee),
                *data.person,
                Fact(w["made_on"], show_day(data.made_on)),
            )
        ),
        f"<h2>{_e(w['triage_heading'])}</h2>",
        f'<p><span class="level level-{_e(data.triage_level or "none")}">'
        f"{_e(data.triage_title)}</span> {_e(data.triage_summary)}</p>",
        f"<h2>{_e(w['flags_heading'])}</h2>",
        "<ul>"
        + "".join(
            f"<li>{_e(show_day(f.day))}: <strong>{_e(f.level_title)}</strong>, {_e(f.title)}</li>"
            for f in data.flags
        )
        + "</ul>"
        if data.flags
        else _p(w["no_flags"]),
        f"<h2>{_e(w['scores_heading'])}</h2>",
        _table(
            (w["col_scale"], w["col_first"], w["col_latest"], w["col_change"], w["col_verdict"]),
            (
                (f"{s.instrument}: {s.scale}", s.first, s.latest, s.change, s.verdict)
                for s in data.scores
            ),
        )
        if data.scores
        else _p(w["no_scores"]),
        f"<h2>{_e(w['checkins_heading'])}</h2>",
        _p(fill(w["checkins_line"], {"days": data.checkin_days}))
        if data.checkin_days
        else _p(w["no_checkins"]),
        _p(fill(w["alerts_heading"], {}) + f": {len(data.alerts)}"),
        f"<h2>{_e(w['plan_heading'])}</h2>",
        _p(adherence),
        _p(fill(w["changes_line"], {"count": len(data.changes)})) if data.changes else "",
        f"<h2>{_e(w['shoes_heading'])}</h2>",
        _p(
            fill(
                w["shoes_line"],
                {"attention": sum(s.attention for s in data.shoes), "count": len(data.shoes)},
            )
        )
        if data.shoes
        else _p(w["no_shoes"]),
    ]
    detail = [
        f"<h2>{_e(w['flags_heading'])}</h2>",
        _flag_groups(data.flags, w) if data.flags else _p(w["no_flags"]),
        f"<h2>{_e(w['findings_heading'])}</h2>",
        _p(w["findings_intro"], "muted") if data.findings else "",
        _table(
            ("", w["col_finding"], w["col_why"]),
            ((w[f.kind], f.title, "; ".join(f.why)) for f in data.findings),
            clinical=(2,),
        )
        if data.findings
        else _p(w["no_findings"]),
        f"<h2>{_e(w['scores_heading'])}</h2>",
        _p(w["scores_intro"], "muted"),
        _table(
            (
                w["col_scale"],
                w["col_first"],
                w["col_latest"],
                w["col_change"],
                w["col_verdict"],
                w["col_mic"],
            ),
            (
                (
                    f"{s.instrument}: {s.scale}",
                    f"{s.first} ({show_day(s.first_day)})",
                    f"{s.latest} ({show_day(s.latest_day)})",
                    s.change,
                    s.verdict,
                    s.mic,
                )
                for s in data.scores
            ),
            clinical=(5,),
        )
        if data.scores
        else _p(w["no_scores"]),
        "".join(_chart(c) for c in data.score_charts),
        f"<h2>{_e(w['checkins_heading'])}</h2>",
        _p(fill(w["checkins_line"], {"days": data.checkin_days}))
        if data.checkin_days
        else _p(w["no_checkins"]),
        "".join(_chart(c) for c in data.checkin_charts),
        f"<h3>{_e(w['alerts_heading'])}</h3>",
        _table(
            ("", w["col_verdict"], w["col_status"]),
            ((a.label, a.value, a.clinical) for a in data.alerts),
        )
        if data.alerts
        else _p(w["no_alerts"]),
        f"<h2>{_e(w['plan_heading'])}</h2>",
        _p(adherence),
        _table(
            (w["col_exercise"], w["col_asked"], w["col_done"]),
            ((e.name, str(e.asked), str(e.done)) for e in data.exercises),
        )
        if data.exercises
        else "",
        f"<h3>{_e(w['changes_heading'])}</h3>",
        _table(
            ("", w["col_exercise"], "", "", ""),
            (
                (show_day(c.day), c.exercise, w[c.action], f"{c.before} → {c.after}", c.reason)
                for c in data.changes
            ),
        )
        if data.changes
        else _p(w["no_changes"]),
        f"<h2>{_e(w['shoes_heading'])}</h2>",
        _table(
            (w["col_shoe"], w["col_status"], w["col_distance"], w["col_age"], ""),
            ((s.name, s.status, s.distance, s.age, " ".join(s.reasons)) for s in data.shoes),
        )
        if data.shoes
        else _p(w["no_shoes"]),
        f"<h2>{_e(w['notes_heading'])}</h2>",
        (
            '<ul class="notes">'
            + "".join(f"<li>{_e(show_day(n.day))}: {_e(n.text)}</li>" for n in data.notes)
            + "</ul>"
            if data.notes
            else _p(w["no_notes"])
        )
        if data.include_notes
        else _p(w["notes_left_out"]),
    ]
    return _document(
        w["report_title"],
        BASE_STYLE + style,
        f'<section class="summary">{"".join(summary)}</section><section>{"".join(detail)}</section>',
    )


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _document(title: str, style: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{style}</style></head><body>{body}</body></html>"
    )


def handover_style(paper: Paper = "a4") -> str:
    """The letter's CSS: screen and print (one page), inline so the page works offline."""
    return BASE_STYLE + HANDOVER_STYLE % {"size": PAGE_SIZES[paper]}


def handover_body(letter: Handover, compact: bool = False) -> str:
    """The letter itself: the flag first, then who, timeline, history, medicines, not asked."""
    w = letter.words
    if letter.medicines is None:
        medicines = _p(w["medicines_missing"])
    elif not letter.medicines:
        medicines = _p(w["medicines_none"])
    else:
        medicines = _p("; ".join(letter.medicines))
    return (
        f'<article class="letter{" compact" if compact else ""}">'
        f"<h1>{_e(w['handover_title'])}</h1>"
        f'<p class="muted">{_e(w["handover_intro"])} {_e(show_day(letter.made_on))}.</p>'
        f'<section class="flagbox"><h2>{_e(w["flag_heading"])}</h2>'
        f"<p><strong>{_e(fill(w['level_line'], {'title': letter.level_title, 'summary': letter.level_summary}))}</strong></p>"
        + _flag_groups(letter.flags, w)
        + "</section>"
        f'<table class="cols"><tr><td><h2>{_e(w["about_heading"])}</h2>{_facts(letter.person)}'
        f"<h2>{_e(w['timeline_heading'])}</h2>{_facts(letter.timeline)}</td>"
        f"<td><h2>{_e(w['history_heading'])}</h2>{_facts(letter.history)}"
        + ("" if compact else f"<h2>{_e(w['medicines_heading'])}</h2>{medicines}")
        + "</td></tr></table>"
        + (f"<h2>{_e(w['medicines_heading'])}</h2>{medicines}" if compact else "")
        + f"<h2>{_e(w['not_asked_heading'])}</h2>"
        + (
            _p(" ".join(letter.not_asked))
            if compact
            else "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in letter.not_asked) + "</ul>"
        )
        + "</article>"
    )


def handover_html(letter: Handover, paper: Paper = "a4", compact: bool = False) -> str:
    """The letter as a whole page (for the PDF)."""
    return _document(
        letter.words["handover_title"], handover_style(paper), handover_body(letter, compact)
    )


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def pdf_of(html: str) -> Pdf:
    """The HTML laid out as PDF by WeasyPrint (fonts from the system; nothing fetched).

    WeasyPrint needs the Pango library of the system (`make test` installs it; `make run`
    does not ask for root): without it, one clear error says what to install."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # Pango or HarfBuzz is not installed
        raise UnavailableError(
            f"making a PDF needs the Pango library, which this machine lacks; {INSTALL_PANGO}",
            field="pdf",
            details={"cause": str(error)},
        ) from None

    # no protocol is allowed: a link to anything outside is left out, never fetched
    laid_out = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).render()
    return Pdf(laid_out.write_pdf(), len(laid_out.pages))


def handover_pdf(letter: Handover, paper: Paper = "a4") -> Pdf:
    """The letter as PDF on one page: laid out again in small print when a long letter (many
    flags, a long list of medicines) would run onto a second page."""
    laid_out = pdf_of(handover_html(letter, paper))
    if laid_out.pages > 1:
        laid_out = pdf_of(handover_html(letter, paper, compact=True))
    return laid_out
