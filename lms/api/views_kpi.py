"""KPI operations: the bulk push of a QA system."""

from flask_login import current_user

from lms.api import kpi
from lms.api.framework import bp, operation
from lms.api.kpi_schemas import KpiPushIn, KpiPushOut


@bp.post("/kpi/records")
@operation("kpi:write", ok=KpiPushOut, json=KpiPushIn)
def push_kpi_records(json: KpiPushIn):
    """Push KPI values, all or none: every problem names its item (from 0) and field."""
    record = kpi.push_kpis(json.items, current_user)
    return KpiPushOut(rows=record.rows, values_written=record.values_written, values_replaced=record.values_replaced,
                      first_period=record.first_period.isoformat(), last_period=record.last_period.isoformat())
