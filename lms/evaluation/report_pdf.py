"""A report as a PDF: the same sections, charts (inline SVG) and tables as the page, by WeasyPrint with
the CJK font embedded (lms/pdf.py). Rendered in the request, like a transcript: a report is read, never
kept."""

from flask import render_template

from lms.content_language import html_in_readers_script
from lms.db import utcnow
from lms.evaluation.charts import for_pdf
from lms.evaluation.labels_reports import SCOPE_LABELS
from lms.evaluation.reports import Report
from lms.pdf import font_css, render_pdf


def report_html(report: Report) -> str:
    """The report's HTML for the PDF, in the reader's script (course titles in simplified Chinese for a
    simplified Chinese reader, like the page), converted before the fonts are chosen for its characters."""
    in_script = html_in_readers_script()
    context = {"report": report, "now": utcnow(), "scope_label": SCOPE_LABELS[report.scope.kind]}
    body = in_script(render_template("evaluation/report_pdf.html", fonts=("", "sans-serif"), **context))
    fonts = font_css(body)
    return for_pdf(in_script(render_template("evaluation/report_pdf.html", fonts=fonts, **context)), fonts[1])


def report_pdf(report: Report) -> bytes:
    return render_pdf(report_html(report))
