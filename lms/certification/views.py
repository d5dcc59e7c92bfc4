"""Certification pages: the learner's programmes, applications and certificates; the reviewers'
queue and decisions; trainers' sign-offs; the team overview; revocation, bulk issue and updates."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.access import authenticated, roles_required
from lms.accounts.models import Role, User
from lms.certification import documents, services
from lms.certification.badges import CertificateRevokedError
from lms.certification.eligibility import certificate_state, eligibility
from lms.certification.labels import certification_labels
from lms.certification.models import ApplicationStatus, BulkJob, Certificate, UpdateRequirement
from lms.db import db, mark_refused
from lms.errors import DomainError

bp = Blueprint("certification", __name__, url_prefix="/certification")
bp.context_processor(certification_labels)
bp.add_app_template_filter(certificate_state, "cert_state")
REVIEWERS = (Role.TRAINER, Role.MANAGER, Role.ADMIN)
STAFF = (Role.TRAINER, Role.ADMIN)


def _programme_or_404(slug):
    return services.get_programme(slug) or abort(404)


def _certificate_for(public_id: str) -> Certificate:
    """A certificate the current user may see in full: their own, or one of a person they review."""
    cert = services.certificate_by_public_id(public_id) or abort(404)
    if cert.user_id != current_user.id and not services.can_review(current_user, cert.user):
        abort(404)
    return cert


# ---------------------------------------------------------------- learners


@bp.route("/")
@authenticated
def index():
    return render_template("certification/index.html", states=services.my_overview(current_user),
                           updates=services.updates_for(current_user))


@bp.route("/programmes/<slug>")
@authenticated
def programme(slug):
    prog = _programme_or_404(slug)
    state = eligibility(current_user, prog)
    return render_template("certification/programme.html", programme=prog, state=state,
                           names=services.requirement_names([prog]),
                           applications=services.applications_of(current_user, prog),
                           updates=[u for u in services.updates_for(current_user) if u.update.programme_id == prog.id])


@bp.route("/programmes/<slug>/apply", methods=["POST"])
@authenticated
def apply(slug):
    prog = _programme_or_404(slug)
    try:
        services.apply(current_user, prog)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
    else:
        flash(_("Application sent. A reviewer will check your evidence; you will see the decision here."), "success")
    return redirect(url_for("certification.programme", slug=slug))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@authenticated
def withdraw(application_id):
    try:
        application = services.load_application(application_id, lock=True)
        services.withdraw(application, current_user)
    except LookupError:
        abort(404)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("certification.index"))
    flash(_("Application withdrawn."), "success")
    return redirect(url_for("certification.programme", slug=application.programme.slug))


@bp.route("/certificates/<public_id>")
@authenticated
def certificate(public_id):
    cert = _certificate_for(public_id)
    url = documents.verify_url(cert)
    return render_template("certification/certificate.html", cert=cert, state=certificate_state(cert),
                           verify_url=url, qr=documents.qr_svg(url, scale=4), mine=cert.user_id == current_user.id,
                           can_revoke=current_user.has_role(*STAFF) and cert.revoked_at is None)


@bp.route("/certificates/<public_id>/certificate.pdf")
@authenticated
def certificate_pdf(public_id):
    cert = _certificate_for(public_id)
    pdf = documents.certificate_pdf(cert, keep=False)  # kept by the task that renders it at issue
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="certificate-{cert.public_id[:10]}.pdf"',
        "Cache-Control": "private, max-age=0"})


@bp.route("/certificates/<public_id>/credential.json")
@authenticated
def badge_download(public_id):
    cert = _certificate_for(public_id)
    try:
        credential = documents.badge(cert)
    except CertificateRevokedError:
        mark_refused()
        abort(410)
    response = jsonify(credential)
    response.headers["Content-Disposition"] = f'attachment; filename="open-badge-{cert.public_id[:10]}.json"'
    return response


@bp.route("/certificates/<public_id>/visibility", methods=["POST"])
@authenticated
def visibility(public_id):
    cert = services.certificate_by_public_id(public_id) or abort(404)
    try:
        services.set_public(cert, current_user, request.form.get("public") == "1")
    except PermissionError:
        abort(404)
    flash(_("Anyone with the link can check this certificate.") if cert.public
          else _("The verification page now shows nothing about you or this certificate."), "success")
    return redirect(url_for("certification.certificate", public_id=public_id))


@bp.route("/transcript.pdf")
@authenticated
def transcript():
    return Response(documents.transcript_pdf(current_user), mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="transcript.pdf"'})


@bp.route("/updates/<int:update_id>/acknowledge", methods=["POST"])
@authenticated
def acknowledge(update_id):
    update = db.session.get(UpdateRequirement, update_id) or abort(404)
    try:
        services.acknowledge(current_user, update, request.form.get("requirement", ""))
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
    else:
        flash(_("Thank you: recorded."), "success")
    return redirect(url_for("certification.programme", slug=update.programme.slug))


# ---------------------------------------------------------------- reviewers


@bp.route("/reviews")
@roles_required(*REVIEWERS)
def reviews():
    return render_template("certification/reviews.html", queue=services.review_queue(current_user))


def _application_for_review(application_id):
    try:
        application = services.load_application(application_id)
    except LookupError:
        abort(404)
    if not services.can_review(current_user, application.user):
        abort(404)
    return application


@bp.route("/applications/<int:application_id>")
@roles_required(*REVIEWERS)
def application(application_id):
    app_ = _application_for_review(application_id)
    return render_template("certification/application.html", application=app_,
                           names=services.requirement_names([app_.programme]),
                           state=eligibility(app_.user, app_.programme),
                           certificate=db.session.scalar(select(Certificate).where(
                               Certificate.application_id == app_.id)))


@bp.route("/applications/<int:application_id>/<action>", methods=["POST"])
@roles_required(*REVIEWERS)
def decide(application_id, action):
    app_ = _application_for_review(application_id)
    try:
        if action == "start":
            services.start_review(app_, current_user)
            message = _("You are reviewing this application.")
        elif action == "issue":
            cert = services.issue(app_, current_user)
            message = _("Certificate issued.")
        elif action == "return":
            services.return_application(app_, current_user, request.form.get("reasons", ""))
            message = _("Application returned with your reasons.")
        else:
            abort(404)
    except PermissionError:
        abort(404)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("certification.application", application_id=application_id))
    flash(message, "success")
    if action == "issue":
        return redirect(url_for("certification.certificate", public_id=cert.public_id))
    return redirect(url_for("certification.application", application_id=application_id))


@bp.route("/team")
@roles_required(*REVIEWERS)
def team():
    text = request.args.get("q", "")[:100]
    programmes, page, rows = services.team_overview(current_user, text, page=request.args.get("page", 1, type=int))
    return render_template("certification/team.html", programmes=programmes, page=page, rows=rows, q=text)


@bp.route("/people/<int:user_id>/transcript.pdf")
@roles_required(*REVIEWERS)
def person_transcript(user_id):
    person = db.session.get(User, user_id) or abort(404)
    if not services.can_review(current_user, person):
        abort(404)
    from lms.audit.services import record_read

    record_read("certification.transcript_read", "user", person.id, summary=person.employee_no)
    return Response(documents.transcript_pdf(person), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="transcript-{person.employee_no}.pdf"'})


# ---------------------------------------------------------------- trainers: sign-offs, revocation, bulk issue


@bp.route("/signoffs/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def signoff():
    progs = services.programmes()
    choices = [(p, r) for p in progs for r in p.definition["requirements"] if r["kind"] == "signoff"]
    key = request.values.get("requirement", "")
    chosen = next(((p, r) for p, r in choices if f"{p.slug}/{r['id']}" == key), None)
    employee_no = request.values.get("employee_no", "").strip()
    learner = db.session.scalar(select(User).where(User.employee_no == employee_no)) if employee_no else None
    errors = {}
    if request.method == "POST":
        if chosen is None:
            errors["requirement"] = _("Choose the checklist.")
        if learner is None:
            errors["employee_no"] = _("No one has this employee number.")
        ratings = [request.form.get(f"rating-{i}", type=int) for i in range(len(chosen[1]["checklist"]))] \
            if chosen else []
        try:
            observed = date.fromisoformat(request.form.get("observed_on", ""))
        except ValueError:
            errors["observed_on"] = _("Give the date of the observation.")
        if not errors:
            try:
                record = services.record_signoff(current_user, learner, chosen[0], chosen[1]["id"], ratings,
                                                 request.form.get("comment", ""), observed)
            except DomainError as exc:
                mark_refused()
                errors[exc.field or "ratings"] = str(exc.message)
            else:
                flash(_("Sign-off recorded: %(p)s%% (%(r)s).", p=f"{record.percent:.0f}",
                        r=_("passed") if record.passed else _("not passed")), "success")
                return redirect(url_for("certification.signoff"))
    return render_template("certification/signoff.html", choices=choices, chosen=chosen, key=key,
                           learner=learner, employee_no=employee_no, errors=errors,
                           today=date.today().isoformat()), (422 if errors else 200)


@bp.route("/programmes/<slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_programme(slug):
    import yaml

    prog = _programme_or_404(slug)
    errors = []
    source = request.form.get("source", "") if request.method == "POST" else yaml.safe_dump(
        prog.definition, allow_unicode=True, sort_keys=False, width=110)
    if request.method == "POST":
        definition, errors = services.check_programme_source(source, prog)
        if not errors:
            _saved, changed = services.save_programme(definition, current_user)
            flash(_("Saved as version %(n)d.", n=prog.version) if changed else _("Nothing changed."), "success")
            return redirect(url_for("certification.programme", slug=slug))
    return render_template("certification/edit.html", programme=prog, source=source, errors=errors), \
        (422 if errors else 200)


@bp.route("/certificates/<public_id>/revoke", methods=["POST"])
@roles_required(*STAFF)
def revoke(public_id):
    cert = services.certificate_by_public_id(public_id) or abort(404)
    try:
        services.revoke(cert, current_user, request.form.get("reason", ""))
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
    else:
        flash(_("Certificate revoked. The verification page says so from now on."), "success")
    return redirect(url_for("certification.certificate", public_id=public_id))


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(*STAFF)
def bulk():
    from lms.certification import bulk as bulk_issue

    progs = services.programmes()
    slug = request.values.get("programme", "")
    prog = next((p for p in progs if p.slug == slug), None)
    candidates = bulk_issue.candidates(prog) if prog else []
    if request.method == "POST" and prog is not None:
        job = bulk_issue.start(prog, current_user, [u.id for u in candidates])
        return redirect(url_for("certification.job", job_id=job.id))
    return render_template("certification/bulk.html", programmes=progs, programme=prog, candidates=candidates)


@bp.route("/jobs/<int:job_id>")
@roles_required(*STAFF)
def job(job_id):
    found = db.session.get(BulkJob, job_id) or abort(404)
    if request.args.get("format") == "json":
        return jsonify(status=str(found.status), total=found.total, done=found.done, failed=found.failed,
                       message=found.message)
    return render_template("certification/job.html", job=found)


@bp.route("/changes", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def changes():
    items = services.revised_items()
    errors = {}
    if request.method == "POST":
        prog = services.get_programme(request.form.get("programme", "")) or abort(404)
        codes = [c for c in request.form.getlist("items") if c]
        requirements = []
        for code in codes:
            requirements.append({"id": f"read-{code}", "kind": "acknowledge", "item": code})
        exam = request.form.get("exam", "").strip()
        if exam:
            requirements.append({"id": "exam", "kind": "exam", "exam": exam,
                                 "min_score": request.form.get("min_score", type=int) or 80})
        try:
            due = date.fromisoformat(request.form.get("due_on", ""))
        except ValueError:
            due = date.today()
        try:
            services.create_update(prog, current_user, request.form.get("title", ""), request.form.get("reason", ""),
                                   codes, requirements, due)
        except DomainError as exc:
            mark_refused()
            errors[exc.field or "title"] = str(exc.message)
        else:
            flash(_("Holders will see the update on their certification page."), "success")
            return redirect(url_for("certification.changes"))
    updates = list(db.session.scalars(select(UpdateRequirement).order_by(UpdateRequirement.created_at.desc())))
    return render_template("certification/changes.html", items=items, updates=updates, errors=errors,
                           due_default=(date.today() + timedelta(days=30)).isoformat()), (422 if errors else 200)


__all__ = ["ApplicationStatus", "bp"]
