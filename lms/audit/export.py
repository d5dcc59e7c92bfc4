"""The audit log as a CSV file, written row by row while it is sent (lms/csv_export.py: the byte-order
mark, and formulas neutralised: audit rows hold what visitors typed, such as a failed login's name).
"""

from collections.abc import Iterable, Iterator

from flask_babel import gettext as _

from lms.audit.reading import ShownEvent
from lms.csv_export import csv_stream
from lms.timeutil import to_local


def _cells(row: ShownEvent) -> list:
    e = row.event
    changes = "; ".join(f"{label}: {before} → {after}" if before else f"{label}: {after}"
                        for label, before, after in row.changes)
    return [to_local(e.at).strftime("%Y-%m-%d %H:%M:%S"), row.who, e.actor.employee_no if e.actor else "",
            row.action, e.action, row.object, row.summary, e.ip, changes]


def csv_lines(events: Iterable[ShownEvent]) -> Iterator[str]:
    """A byte-order mark (so spreadsheets read UTF-8), the header, then one line per event."""
    header = [_("When"), _("Who"), _("Employee number"), _("Action"), _("Action code"), _("Object"), _("Summary"),
              _("IP address"), _("Changes")]
    return csv_stream(header, (_cells(row) for row in events))
