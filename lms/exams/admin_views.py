"""Trainers: question banks, the question editor, GIFT import/export, the exam builder, grading,
overrides, regrading, accommodations and item analysis."""

import dataclasses

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.access import roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.identifiers import normalise_employee_no
from lms.accounts.models import Role, User
from lms.db import db, mark_refused, utcnow
from lms.errors import DomainError
from lms.exams import admin as admin_services
from lms.exams import editor, services
from lms.exams.forms import AccommodationForm, ExamForm, GiftImportForm, GradeForm, QuestionForm
from lms.exams.question_types import QUESTION_TYPES
from lms.timeutil import local_zone

bp = Blueprint("exams_admin", __name__, url_prefix="/exams/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("exams/admin/index.html", banks=admin_services.bank_overview(),
                           exams=services.list_exams(), queue=len(services.grading_queue()))


@bp.route("/banks/<bank_slug>")
@roles_required(*STAFF)
def bank(bank_slug):
    bank = admin_services.get_bank(bank_slug) or abort(404)
    return render_template("exams/admin/bank.html", bank=bank, questions=admin_services.bank_questions(bank))


@bp.route("/banks/<bank_slug>/export.gift")
@roles_required(*STAFF)
def export_bank(bank_slug):
    bank = admin_services.get_bank(bank_slug) or abort(404)
    text, skipped = admin_services.export_bank_gift(bank)
    headers = {"Content-Disposition": f"attachment; filename={bank_slug}.gift"}
    if skipped:
        headers["X-Skipped-Questions"] = str(skipped)
    return Response(text, mimetype="text/plain; charset=utf-8", headers=headers)


@bp.route("/questions/<uid>")
@roles_required(*STAFF)
def question(uid):
    question = admin_services.get_question(uid) or abort(404)
    version = question.current_version
    preview = services.preview_question(version)
    return render_template("exams/admin/question.html", question=question, version=version, preview=preview,
                           versions=admin_services.question_versions(question), types=QUESTION_TYPES)


def _question_form_page(form, question=None, bank=None):
    return render_template("exams/admin/question_form.html", form=form, question=question, bank=bank)


@bp.route("/banks/<bank_slug>/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_question(bank_slug):
    bank = admin_services.get_bank(bank_slug) or abort(404)
    form = QuestionForm()
    if request.method == "GET":
        form.qtype.data = request.args.get("type", "single") if request.args.get("type") in QUESTION_TYPES else "single"
    if form.validate_on_submit():
        try:
            uid = (form.uid.data or "").strip().lower()
            if admin_services.get_question(uid):
                raise DomainError(_("Another question already has this id."), field="uid")
            spec = editor.question_spec_from_form(form, uid)
            admin_services.check_standards(spec.standards)
            question, _changed = services.save_question(bank, spec, current_user)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "text").errors.append(str(exc.message))
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for("exams_admin.question", uid=question.uid))
    return _question_form_page(form, bank=bank)


@bp.route("/questions/<uid>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_question(uid):
    question = admin_services.get_question(uid) or abort(404)
    version = question.current_version
    form = QuestionForm()
    del form.uid
    if request.method == "GET":
        form.qtype.data, form.name.data, form.text.data = version.qtype, version.name, version.text_md
        form.feedback.data, form.difficulty.data, form.points.data = version.feedback_md, str(version.difficulty), version.points
        form.standards.data, form.tags.data = ", ".join(version.standards), ", ".join(version.tags)
        form.answers.data = editor.data_to_answers(version.qtype, version.data)
        if version.qtype == "truefalse":
            form.truefalse.data = "true" if version.data["answer"] else "false"
        if version.qtype == "numerical":
            form.number.data = f"{version.data['answers'][0]['value']:g}"
            form.tolerance.data = f"{version.data['answers'][0].get('tolerance', 0):g}"
        if version.qtype == "essay":
            form.rubric.data = version.data.get("rubric", "")
    if form.validate_on_submit():
        try:
            spec = editor.question_spec_from_form(form, question.uid)
            if spec.qtype != version.qtype:
                raise DomainError(_("A question keeps its type; create a new question instead."), field="qtype")
            admin_services.check_standards(spec.standards)
            _question, changed = services.save_question(question.bank, spec, current_user)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "text", form.text).errors.append(str(exc.message))
        else:
            flash(_("Saved as version %(n)d. Attempts already taken keep the version they answered.",
                    n=question.current_version.number) if changed else _("Nothing changed."), "success")
            return redirect(url_for("exams_admin.question", uid=uid))
    return _question_form_page(form, question=question, bank=question.bank)


@bp.route("/questions/<uid>/regrade", methods=["GET", "POST"])
@roles_required(*STAFF)
def regrade(uid):
    question = admin_services.get_question(uid) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        changes = services.regrade_question(question, apply=True, actor=current_user)
        flash(_("%(n)d attempts regraded.", n=len(changes)), "success")
        return redirect(url_for("exams_admin.question", uid=uid))
    changes = services.regrade_question(question, apply=False)
    mark_refused()
    return render_template("exams/admin/regrade.html", question=question, changes=changes, form=form)


@bp.route("/gift", methods=["GET", "POST"])
@roles_required(*STAFF)
def gift_import():
    form = GiftImportForm()
    result = None
    if form.validate_on_submit():
        source = form.file.data.read() if form.file.data else (form.text.data or "").encode()
        result = admin_services.import_gift(form.bank.data, source, editor.split_list(form.tags.data), current_user,
                                            editor.split_list(form.standards.data))
        if result.ok:
            flash(_("%(n)d questions imported into %(bank)s.", n=result.imported, bank=result.bank_slug), "success")
            return redirect(url_for("exams_admin.bank", bank_slug=result.bank_slug))
        mark_refused()
    return render_template("exams/admin/gift_import.html", form=form, result=result)


@bp.route("/exams/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_exam():
    return _exam_form(None)


@bp.route("/exams/<exam_slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_exam(exam_slug):
    return _exam_form(services.get_exam(exam_slug) or abort(404))


def _exam_form(exam):
    form = ExamForm()
    if request.method == "GET":
        if exam is not None:
            version = exam.current_version
            settings = version.settings
            form.slug.data, form.title.data, form.kind.data = exam.slug, version.title, str(exam.kind)
            form.course.data = admin_services.course_code(exam.course_id) or ""
            for name in ("description", "time_limit_minutes", "overdue", "grace_minutes", "attempts",
                         "cooldown_minutes", "pass_mark", "shuffle_questions", "shuffle_options", "layout", "review"):
                getattr(form, name).data = settings.get(name)
            for name in ("available_from", "available_until"):
                moment = services._parse_time(settings.get(name))
                getattr(form, name).data = moment.astimezone(local_zone()).replace(tzinfo=None) if moment else None
            form.sections.data = editor.sections_to_text(version.sections)
        else:
            form.time_limit_minutes.data, form.attempts.data, form.pass_mark.data = 30, 3, 80
    if form.validate_on_submit():
        try:
            spec = editor.exam_spec_from_form(form)
            if exam is None and services.get_exam(spec.slug):
                raise DomainError(_("Another exam already has this id."), field="slug")
            if exam is not None:
                spec = dataclasses.replace(spec, slug=exam.slug, pair=exam.pair_slug)
            admin_services.check_exam(spec)
            saved, _changed = services.save_exam(spec, current_user, source="editor")
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "sections").errors.append(str(exc.message))
        else:
            flash(_("Exam saved. Attempts already started keep the version they started with."), "success")
            return redirect(url_for("exams_admin.exam", exam_slug=saved.slug))
    return render_template("exams/admin/exam_form.html", form=form, exam=exam)


@bp.route("/exams/<exam_slug>")
@roles_required(*STAFF)
def exam(exam_slug):
    exam = services.get_exam(exam_slug) or abort(404)
    return render_template("exams/admin/exam.html", exam=exam, attempts=admin_services.exam_attempts(exam),
                           accommodations=services.accommodations_for(exam), form=ConfirmForm(),
                           accommodation_form=AccommodationForm())


@bp.route("/exams/<exam_slug>/release", methods=["POST"])
@roles_required(*STAFF)
def release(exam_slug):
    exam = services.get_exam(exam_slug) or abort(404)
    if ConfirmForm().validate_on_submit() and exam.results_released_at is None:
        exam.results_released_at = utcnow()
        from lms.audit.services import record_event

        record_event("exam.results_released", "exam", exam.id, summary=exam.slug)
        flash(_("Results released: learners can now see their marks and the answers."), "success")
    return redirect(url_for("exams_admin.exam", exam_slug=exam_slug))


@bp.route("/exams/<exam_slug>/accommodations", methods=["POST"])
@roles_required(*STAFF)
def accommodation(exam_slug):
    exam = services.get_exam(exam_slug) or abort(404)
    form = AccommodationForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.employee_no == normalise_employee_no(form.employee_no.data)))
        try:
            if user is None:
                raise DomainError(_("No one has the employee number %(nos)s.", nos=form.employee_no.data))
            zone = local_zone()
            services.set_accommodation(
                exam, user, form.extra_minutes.data, form.extra_attempts.data,
                form.available_from.data.replace(tzinfo=zone) if form.available_from.data else None,
                form.available_until.data.replace(tzinfo=zone) if form.available_until.data else None,
                form.note.data or "", current_user)
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            flash(_("Accommodation saved for %(name)s.", name=user.name), "success")
    else:
        flash(_("Check the accommodation fields."), "error")
    return redirect(url_for("exams_admin.exam", exam_slug=exam_slug))


@bp.route("/exams/<exam_slug>/analysis")
@roles_required(*STAFF)
def analysis(exam_slug):
    exam = services.get_exam(exam_slug) or abort(404)
    first_only = request.args.get("all") != "1"
    report = admin_services.item_analysis(exam, first_only=first_only)
    return render_template("exams/admin/analysis.html", exam=exam, report=report, first_only=first_only)


@bp.route("/attempts/<int:attempt_id>")
@roles_required(*STAFF)
def attempt(attempt_id):
    attempt = admin_services.get_attempt(attempt_id) or abort(404)
    items = services.review_items(attempt, services.ReviewPolicy(True, True))
    admin_services.record_result_view(attempt)
    return render_template("exams/admin/attempt.html", attempt=attempt, items=items, types=QUESTION_TYPES,
                           form=GradeForm())


@bp.route("/answers/<int:answer_id>/grade", methods=["POST"])
@roles_required(*STAFF)
def grade(answer_id):
    aq = services.get_attempt_question(answer_id) or abort(404)
    form = GradeForm()
    if form.validate_on_submit():
        try:
            services.grade_question(aq, float(form.score.data), form.comment.data or "", current_user,
                                    form.reason.data or "")
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            flash(_("Mark saved."), "success")
    else:
        flash(_("Enter a number."), "error")
    if request.form.get("next") == "queue":
        return redirect(url_for("exams_admin.grading"))
    return redirect(url_for("exams_admin.attempt", attempt_id=aq.attempt_id))


@bp.route("/grading")
@roles_required(*STAFF)
def grading():
    return render_template("exams/admin/grading.html", queue=services.grading_queue(), form=GradeForm(),
                           types=QUESTION_TYPES)
