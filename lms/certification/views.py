"""Certification pages: the learner's programmes, applications and certificates; the reviewers'
queue and decisions; trainers' sign-offs; the team overview; revocation, bulk issue and updates.

Each view checks access, reads its form, calls one service and renders or redirects; the request
commits once at its end (lms/db.py, the write rule)."""

from datetime import timedelta

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.audit.services import record_read
from lms.certification import (
    achievements,
    documents,
    overview,
    programmes,
    reviewers,
    signoffs,
    updates,
    workflow,
)
from lms.certification import bulk as bulk_issue
from lms.certification.forms import (
    AcknowledgeForm,
    BulkIssueForm,
    ProgrammeSourceForm,
    ReturnForm,
    RevokeForm,
    SignOffForm,
    TeamFilterForm,
    UpdateRequirementForm,
    VisibilityForm,
)
from lms.certification.labels import RESULT_LABELS, certification_labels
from lms.certification.models import Application, BulkJob, UpdateRequirement
from lms.certification.rules import certificate_state
from lms.certification.verify_views import signed_download
from lms.conflicts import posted_base
from lms.db import get_row
from lms.errors import DomainError
from lms.timeutil import local_today
from lms.views import act, refuse

bp = Blueprint("certification", __name__, url_prefix="/certification")
bp.context_processor(certification_labels)
bp.add_app_template_filter(certificate_state, "cert_state")
REVIEWERS = (Role.TRAINER, Role.MANAGER, Role.ADMIN)
STAFF = (Role.TRAINER, Role.ADMIN)


def _pdf(pdf: bytes, filename: str, cache_control: str | None = None) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{filename}"'}
    if cache_control:
        headers["Cache-Control"] = cache_control
    return Response(pdf, mimetype="application/pdf", headers=headers)


# ---------------------------------------------------------------- learners


@bp.route("/")
@authenticated
def index():
    return render_template("certification/index.html", states=overview.my_overview(current_user),
                           updates=updates.updates_for(current_user))


@bp.route("/programmes/<slug>")
@authenticated
def programme(slug):
    return render_template("certification/programme.html", **vars(overview.programme_overview(current_user, slug)))


@bp.route("/programmes/<slug>/apply", methods=["POST"])
@authenticated
def apply(slug):
    found = programmes.get_programme(slug)
    return act(lambda: workflow.apply_for_certificate(current_user, found),
               then=url_for("certification.programme", slug=slug),
               success=_("Application sent. A reviewer will check your evidence; you will see the decision here."))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@authenticated
def withdraw(application_id):
    application = get_row(Application, application_id, lock=True)
    try:
        workflow.withdraw_application(application, current_user)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("certification.index"))
    flash(_("Application withdrawn."), "success")
    return redirect(url_for("certification.programme", slug=application.programme.slug))


@bp.route("/certificates/<public_id>")
@authenticated
def certificate(public_id):
    return render_template("certification/certificate.html",
                           **vars(overview.certificate_overview(public_id, current_user)))


@bp.route("/certificates/<public_id>/certificate.pdf")
@authenticated
def certificate_pdf(public_id):
    cert = reviewers.certificate_for_viewer(public_id, current_user)
    return _pdf(documents.certificate_pdf(cert), f"certificate-{cert.public_id[:10]}.pdf", "private, max-age=0")


@bp.route("/certificates/<public_id>/credential.json")
@authenticated
def badge_download(public_id):
    cert = reviewers.certificate_for_viewer(public_id, current_user)
    response = jsonify(achievements.credential(cert))
    response.headers["Content-Disposition"] = f'attachment; filename="open-badge-{cert.public_id[:10]}.json"'
    return response


@bp.route("/certificates/<public_id>/credential.jwt")
@authenticated
def signed_badge_download(public_id):
    cert = reviewers.certificate_for_viewer(public_id, current_user)
    return signed_download(achievements.signed_credential(cert), cert.public_id)


@bp.route("/certificates/<public_id>/visibility", methods=["POST"])
@authenticated
def visibility(public_id):
    cert, form = reviewers.certificate_for_viewer(public_id, current_user), VisibilityForm()
    workflow.set_certificate_visibility(cert, current_user, form.shown)
    flash(_("Anyone with the link can check this certificate.") if cert.public
          else _("The verification page now shows nothing about you or this certificate."), "success")
    return redirect(url_for("certification.certificate", public_id=public_id))


@bp.route("/transcript.pdf")
@authenticated
def transcript():
    return _pdf(documents.transcript_pdf(current_user), "transcript.pdf")


@bp.route("/updates/<int:update_id>/acknowledge", methods=["POST"])
@authenticated
def acknowledge(update_id):
    update, form = get_row(UpdateRequirement, update_id), AcknowledgeForm()
    return act(lambda: updates.acknowledge_update(current_user, update, form.requirement.data or ""),
               then=url_for("certification.programme", slug=update.programme.slug), success=_("Thank you: recorded."))


# ---------------------------------------------------------------- reviewers


@bp.route("/reviews")
@roles_required(*REVIEWERS)
def reviews():
    return render_template("certification/reviews.html", queue=overview.review_queue(current_user))


@bp.route("/applications/<int:application_id>")
@roles_required(*REVIEWERS)
def application(application_id):
    return render_template("certification/application.html",
                           **vars(overview.application_overview(application_id, current_user)))


def _back_to(application_id: int) -> str:
    return url_for("certification.application", application_id=application_id)


@bp.route("/applications/<int:application_id>/start", methods=["POST"])
@roles_required(*REVIEWERS)
def start_review(application_id):
    found = reviewers.application_for_review(application_id, current_user)
    return act(lambda: workflow.start_review(found, current_user), then=_back_to(application_id),
               success=_("You are reviewing this application."))


@bp.route("/applications/<int:application_id>/return", methods=["POST"])
@roles_required(*REVIEWERS)
def return_application(application_id):
    found, form = reviewers.application_for_review(application_id, current_user), ReturnForm()
    return act(lambda: workflow.return_application(found, current_user, form.reasons.data),
               then=_back_to(application_id), success=_("Application returned with your reasons."))


@bp.route("/applications/<int:application_id>/issue", methods=["POST"])
@roles_required(*REVIEWERS)
def issue(application_id):
    found = reviewers.application_for_review(application_id, current_user)
    try:
        cert = workflow.issue_certificate(found, current_user)
    except DomainError as exc:
        refuse(exc)
        return redirect(_back_to(application_id))
    flash(_("Certificate issued."), "success")
    return redirect(url_for("certification.certificate", public_id=cert.public_id))


@bp.route("/team")
@roles_required(*REVIEWERS)
def team():
    form = TeamFilterForm(request.args)
    progs, page, rows = overview.team_overview(current_user, form.q.data, page=form.page.data or 1)
    return render_template("certification/team.html", programmes=progs, page=page, rows=rows, q=form.q.data)


@bp.route("/people/<int:user_id>/transcript.pdf")
@roles_required(*REVIEWERS)
def person_transcript(user_id):
    person = reviewers.person_for_review(user_id, current_user)
    record_read("certification.transcript_read", "user", person.id, summary=person.employee_no)
    return _pdf(documents.transcript_pdf(person), f"transcript-{person.employee_no}.pdf")


# ---------------------------------------------------------------- trainers: sign-offs, revocation, bulk issue


@bp.route("/signoffs/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def signoff():
    form = SignOffForm(request.values)  # the learner and the checklist are chosen with GET first
    sheet = signoffs.signoff_sheet(form.requirement.data, form.employee_no.data)
    form.fit_to(sheet)
    if form.is_submitted() and form.validate_sheet(sheet):
        try:
            record = signoffs.record_signoff(current_user, sheet.learner, sheet.programme, sheet.requirement_id,
                                             form.ratings.data, form.comment.data, form.observed_on.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Sign-off recorded: %(p)s%% (%(r)s).", p=format(record.percent, ".0f"), r=RESULT_LABELS[record.passed]),
                  "success")
            return redirect(url_for("certification.signoff"))
    return render_template("certification/signoff.html", form=form, sheet=sheet), (422 if form.errors else 200)


@bp.route("/programmes/<slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_programme(slug):
    found, form, errors = programmes.get_programme(slug), ProgrammeSourceForm(), []
    if not form.is_submitted():
        form.source.data = programmes.programme_source(found)
        form.based_on.data = programmes.editing_fingerprint(found)
    if form.validate_on_submit():
        try:
            changed, errors = programmes.save_programme_source(found, form.source.data, current_user,
                                                               posted_base(form.based_on))
        except DomainError as exc:  # someone else saved it since the page was filled (lms.conflicts)
            refuse(exc, form)
        else:
            if not errors:
                flash(_("Saved as version %(n)d.", n=found.version) if changed else _("Nothing changed."), "success")
                return redirect(url_for("certification.programme", slug=slug))
    return render_template("certification/edit.html", programme=found, source=form.source.data, errors=errors,
                           form=form), \
        (422 if errors else 200)


@bp.route("/certificates/<public_id>/revoke", methods=["POST"])
@roles_required(*STAFF)
def revoke(public_id):
    cert, form = reviewers.get_certificate(public_id), RevokeForm()
    return act(lambda: workflow.revoke_certificate(cert, current_user, form.reason.data),
               then=url_for("certification.certificate", public_id=public_id),
               success=_("Certificate revoked. The verification page says so from now on."))


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(*STAFF)
def bulk():
    form = BulkIssueForm(request.values)  # GET: whom would it issue to; POST: issue
    chosen = programmes.find_programme(form.programme.data)
    candidates = bulk_issue.candidates(chosen) if chosen else []
    if chosen is not None and form.validate_on_submit():
        job = bulk_issue.start(chosen, current_user, [u.id for u in candidates])
        return redirect(url_for("certification.job", job_id=job.id))
    return render_template("certification/bulk.html", programmes=programmes.list_programmes(), programme=chosen,
                           candidates=candidates)


@bp.route("/jobs/<int:job_id>")
@roles_required(*STAFF)
def job(job_id):
    found = get_row(BulkJob, job_id)
    if request.args.get("format") == "json":
        return jsonify(status=str(found.status), total=found.total, done=found.done, failed=found.failed,
                       message=found.message)
    return render_template("certification/job.html", job=found)


@bp.route("/changes", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def changes():
    form = UpdateRequirementForm()
    if form.validate_on_submit():
        try:
            updates.require_update(form.programme.data, current_user, form.title.data, form.reason.data,
                                   form.item_codes, form.exam.data, form.score, form.due_on.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Holders will see the update on their certification page."), "success")
            return redirect(url_for("certification.changes"))
    return render_template("certification/changes.html", form=form, items=updates.revised_items(),
                           updates=updates.list_updates(), due_default=(local_today() + timedelta(days=30)).isoformat()), \
        (422 if form.errors else 200)


# The programme editor with forms adds its routes to this blueprint (issue 18).
from lms.certification import programme_views as _programme_views  # noqa: E402, F401
