from flask import Blueprint, Response, render_template, request, stream_with_context

from lms.access import roles_required
from lms.accounts.models import Role
from lms.audit.export import csv_lines
from lms.audit.forms import AuditFilterForm
from lms.audit.reading import failed_login_bursts, iter_events, list_actions, search_events
from lms.audit.services import record_read

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    form = AuditFilterForm(request.args, actions=list_actions())
    page = search_events(form.to_filter(), page=request.args.get("page", 1, type=int))
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("audit/index.html", page=page, form=form, bursts=failed_login_bursts(),
                           export_args=export_args)


@bp.route("/export.csv")
@roles_required(Role.ADMIN)
def export():
    form = AuditFilterForm(request.args, actions=list_actions())
    record_read("audit.exported", "audit_log", "-", summary=request.query_string.decode("ascii", "replace")[:500])
    return Response(stream_with_context(csv_lines(iter_events(form.to_filter()))), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
