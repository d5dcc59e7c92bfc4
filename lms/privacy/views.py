"""The personal-data pages (administrators only): find a person, export, erase; retention periods."""

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role, User
from lms.audit.services import record_read
from lms.certification.labels import certification_labels
from lms.db import get_row
from lms.privacy import export
from lms.privacy.erasure import erase_person
from lms.privacy.forms import EraseForm, PersonSearchForm, RetentionForm
from lms.privacy.people import find_people, person_page
from lms.privacy.registry import FATE_LABELS, entries
from lms.privacy.retention import RETENTION_KINDS, retention_days, save_retention
from lms.views import save_form

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
bp.context_processor(certification_labels)


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    form = PersonSearchForm(request.args)
    query = form.query()
    return render_template(
        "privacy/index.html",
        form=form,
        query=query,
        people=find_people(query),
        registry=entries(),
        fate_labels=FATE_LABELS,
    )


@bp.route("/people/<int:user_id>")
@roles_required(Role.ADMIN)
def person(user_id):
    return render_template("privacy/person.html", page=person_page(user_id, current_user))


def _download(body, mimetype: str, name: str, kind: str, user: User):
    record_read("privacy.exported", "user", user.id, summary=kind)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.route("/people/<int:user_id>/export.json")
@roles_required(Role.ADMIN)
def export_json(user_id):
    user = get_row(User, user_id)
    return _download(
        export.export_json(user), "application/json", f"personal-data-{user.id}.json", "JSON", user
    )


@bp.route("/people/<int:user_id>/export.pdf")
@roles_required(Role.ADMIN)
def export_pdf(user_id):
    user = get_row(User, user_id)
    return _download(export.export_pdf(user), "application/pdf", f"personal-data-{user.id}.pdf", "PDF", user)


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def erase(user_id):
    page = person_page(user_id, current_user)
    form = EraseForm()
    done = save_form(
        form,
        lambda: erase_person(page.user.id, form.employee_no.data, current_user),
        then=lambda _r: url_for("privacy.person", user_id=user_id),
        success=lambda r: _("The personal data is erased; the person is now %(name)s.", name=r.pseudonym),
    )
    return done or render_template("privacy/erase.html", page=page, form=form)


@bp.route("/retention", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def retention():
    form = RetentionForm(data=retention_days())
    done = save_form(
        form,
        lambda: save_retention(form.days(), current_user),
        then=lambda _r: url_for("privacy.retention"),
        success=_("Retention periods saved."),
    )
    return done or render_template("privacy/retention.html", form=form, kinds=RETENTION_KINDS)
