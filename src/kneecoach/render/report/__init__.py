"""The PDF report and the handover letter as HTML (and PDF through WeasyPrint).

Pure presentation: `core/report.py`'s typed data in, an HTML string out, every text escaped;
no network, no external resources (the CSS is inline and the charts are inline SVG), so a
letter opened once works offline. Clinical terms are marked `data-reading="clinical"`: they
are for the clinician, and the readability test leaves them out of its grade.
"""

from kneecoach.render.report.document import (
    Pdf,
    handover_body,
    handover_html,
    handover_pdf,
    handover_style,
    pdf_of,
    report_html,
)

__all__ = [
    "Pdf",
    "handover_body",
    "handover_html",
    "handover_pdf",
    "handover_style",
    "pdf_of",
    "report_html",
]
