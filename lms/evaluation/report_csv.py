"""A report as CSV: for each section its title, summary and cautions, then its table; at the end every
figure an improvement action would compare. Cells a spreadsheet would run as a formula are neutralised."""

from flask_babel import gettext as _

from lms.content.simplified import text_in_readers_script
from lms.csv_export import csv_text
from lms.evaluation.labels_reports import figure_label
from lms.evaluation.reports import Report


def report_rows(report: Report) -> list[list[str]]:
    scope = report.scope
    rows = [[report.title], [_("From"), scope.start.isoformat() if scope.start else "",
                             _("Until"), scope.end.isoformat() if scope.end else ""]]
    for section in report.sections:
        rows += [[], [section.title], [section.summary]] + [[c] for c in section.cautions]
        if section.table is not None:
            rows += [[section.table.caption], list(section.table.headers)] + [list(r) for r in section.table.rows]
    figures = report.figures
    if figures:
        rows += [[], [_("Figures")], [_("Figure"), _("Value")]]
        rows += [[figure_label(name), "" if value is None else f"{value:.4g}"] for name, value in figures.items()]
    return rows


def report_csv(report: Report) -> str:
    # Numbers stay numbers; the BOM lets Excel read Chinese; course titles in the reader's script, as on the page.
    return csv_text(report_rows(report), keep_numbers=True, script=text_in_readers_script())
