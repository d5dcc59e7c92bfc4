from flask import Blueprint, render_template, request

from lms.access import roles_required
from lms.accounts.models import Role
from lms.audit.services import AuditFilter, list_actions, search_events

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    flt = AuditFilter(
        action=request.args.get("action", "")[:64],
        object_type=request.args.get("object_type", "")[:64],
        object_id=request.args.get("object_id", "")[:64],
        actor_id=request.args.get("actor_id", type=int),
    )
    page = search_events(flt, page=request.args.get("page", 1, type=int))
    return render_template("audit/index.html", page=page, flt=flt, actions=list_actions())
