"""KPI records pushed by a QA system: checked whole by the KPI file's own rules (lms.kpi.csv_reading) and
written all at once, or not at all, each problem naming its item. The records become the rows of a file
the KPI import reads, so the API and the upload accept and refuse exactly the same values."""

import csv
import io

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.api.errors import ApiError
from lms.kpi.imports import import_kpi_text, kpi_columns

SOURCE = "API"
FIELDS = {"employee_number": "employee_no", "period": "period"}


def _unknown_codes(items, codes: set[str]) -> list[dict]:
    return [{"index": index, "field": f"values.{code}",
             "message": _("There is no KPI with the code %(code)s. Use: %(codes)s.", code=code[:40],
                          codes=", ".join(sorted(codes)))}
            for index, item in enumerate(items) for code in item.values if code.lower() not in codes]


def _as_file(items, used: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["employee_number", "period", *used])
    for item in items:
        values = {code.lower(): value for code, value in item.values.items()}
        writer.writerow([item.employee_no, item.period, *(repr(values[c]) if c in values else "" for c in used)])
    return out.getvalue()


def _detail(error) -> dict:
    detail = {"field": FIELDS.get(error.column, None if error.column == "-" else f"values.{error.column}"),
              "message": error.message}
    if error.row >= 2:
        detail["index"] = error.row - 2
    return detail


def push_kpis(items, user: User):
    """Write the records (replacing the same agents' values of the same periods), or refuse them all."""
    codes = {kpi.code.lower() for kpi in kpi_columns()}
    if unknown := _unknown_codes(items, codes):
        raise ApiError(422, details=unknown)
    used = sorted({code.lower() for item in items for code in item.values})
    if not used:
        raise ApiError(422, details=[{"field": "values", "message": _("Send at least one KPI value.")}])
    outcome = import_kpi_text(_as_file(items, used), SOURCE, user)
    if outcome.record is None:
        raise ApiError(422, details=[_detail(e) for e in outcome.checked.errors])
    return outcome.record
