"""Trainers: the queue of cases waiting for review, the review (publish after editing, return, decline) and
turning a published case into a draft call scenario."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role
from lms.cases import pages, review
from lms.cases.forms import DecisionForm, PublishForm
from lms.cases.library import readable_case
from lms.cases.scenario_draft import make_scenario_draft
from lms.errors import DomainError
from lms.views import refuse, save_form

bp = Blueprint("cases_admin", __name__, url_prefix="/cases/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def queue():
    return render_template("cases/admin/queue.html", cases=[pages.case_view(c, current_user)
                                                            for c in review.review_queue()])


def _review_page(case, form: PublishForm, decision: DecisionForm):
    return render_template("cases/admin/review.html", view=pages.case_view(case, current_user), form=form,
                           decision=decision)


@bp.route("/<int:case_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def review_case(case_id):
    case = readable_case(case_id)
    form = PublishForm(data=pages.form_data(case) if request.method == "GET" else None)
    pages.set_case_choices(form)
    done = save_form(form, lambda: review.publish_case(case_id, form.case_data(), current_user, form.comment.data),
                     then=lambda c: url_for("cases.case", case_id=c.id),
                     success=_("Published: the case is in the library and in search."))
    return done or _review_page(case, form, DecisionForm(formdata=None))


@bp.route("/<int:case_id>/decision", methods=["POST"])
@roles_required(*STAFF)
def decide(case_id):
    decision = DecisionForm()
    returning = bool(decision.return_case.data)
    try:
        (review.return_case if returning else review.reject_case)(case_id, current_user, decision.comment.data or "")
    except DomainError as exc:
        refuse(exc, decision)
        case = readable_case(case_id)
        form = PublishForm(formdata=None, data=pages.form_data(case))
        pages.set_case_choices(form)
        return _review_page(case, form, decision)
    flash(_("Returned to the author, who is told.") if returning else _("The case is not published."), "success")
    return redirect(url_for("cases_admin.queue"))


@bp.route("/<int:case_id>/scenario", methods=["POST"])
@roles_required(*STAFF)
def scenario_draft(case_id):
    try:
        slug = make_scenario_draft(case_id, current_user)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("cases.case", case_id=case_id))
    flash(_("A draft call scenario is ready: replace its TODOs and save to publish it."), "success")
    return redirect(url_for("calls_admin.edit", scenario_slug=slug))
