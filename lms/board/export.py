"""The board as a CSV file: every person the filters keep (not just one page), with the columns of the page,
written a batch of people at a time while it is sent (lms/csv_export.py: byte-order mark, formulas
neutralised)."""

from collections.abc import Iterator

from flask_babel import gettext as _

from lms.board.labels import STATUS_LABELS
from lms.board.readiness import BoardFilter, PersonRow, iter_rows
from lms.certification.labels import CERT_STATE_LABELS
from lms.content.simplified import text_in_readers_script
from lms.csv_export import csv_stream


def _percent(result) -> str:
    return "" if result is None or result.percent is None else f"{result.percent:.0f}"


def _cells(row: PersonRow) -> list:
    due, cert = row.next_due, row.certificate
    return [row.employee_no, row.name, row.team_name, STATUS_LABELS[row.status], row.courses, row.completed,
            row.overdue, row.onboarding_done, row.onboarding,
            f"{due.code} {due.title}" if due else "", due.due_date.isoformat() if due else "",
            cert.programme_title if cert else "", CERT_STATE_LABELS[cert.state] if cert else "",
            cert.expires_on.isoformat() if cert else "",
            row.exam.title if row.exam else "", _percent(row.exam),
            row.call.title if row.call else "", _percent(row.call),
            row.observation.title if row.observation else "", _percent(row.observation)]


def board_csv(team_ids: list[int], flt: BoardFilter) -> Iterator[str]:
    """The header, then one line per person, as the rows are read."""
    header = [_("Employee number"), _("Name"), _("Team"), _("Status"), _("Courses"), _("Completed"), _("Overdue"),
              _("Onboarding completed"), _("Onboarding courses"), _("Next due course"), _("Next due date"),
              _("Certificate"), _("Certificate state"), _("Certificate expires"), _("Latest exam"),
              _("Latest exam score (%)"), _("Latest call"), _("Latest call score (%)"), _("Latest observation"),
              _("Latest observation score (%)")]
    # Course, exam, call and programme titles in the reader's script, like the board itself.
    return csv_stream(header, (_cells(row) for row in iter_rows(team_ids, flt)), keep_numbers=True,
                      script=text_in_readers_script())
