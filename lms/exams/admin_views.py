"""Trainers: question banks, the question editor, GIFT import/export, the exam builder, grading,
overrides, regrading, accommodations and item analysis."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role
from lms.errors import DomainError
from lms.exams import (
    accommodations,
    banks,
    exam_builder,
    exam_editor,
    grading,
    queries,
    question_editor,
    question_stats,
    reports,
)
from lms.exams.display import preview_question
from lms.exams.forms import AccommodationForm, ExamForm, GiftImportForm, GradeForm, QuestionForm
from lms.exams.gift_files import (
    MAX_GIFT_BYTES,
    MAX_GIFT_QUESTIONS,
    export_bank_gift,
    gift_import_summary,
    import_gift,
)
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.regrading import regrade_question
from lms.exams.review import ReviewPolicy, release_note, review_items
from lms.forms import error_lines, notices
from lms.timeutil import local_zone
from lms.views import act, refuse, save_form

bp = Blueprint("exams_admin", __name__, url_prefix="/exams/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("exams/admin/index.html", banks=banks.bank_overview(), exams=queries.list_exams(),
                           queue=len(grading.grading_queue()))


@bp.route("/banks/<bank_slug>")
@roles_required(*STAFF)
def bank(bank_slug):
    bank = banks.get_bank(bank_slug)
    questions = banks.bank_questions(bank)
    cues, findings = banks.bank_cues(bank, questions)
    return render_template("exams/admin/bank.html", bank=bank, questions=questions, cues=cues, findings=findings)


@bp.route("/banks/<bank_slug>/export.gift")
@roles_required(*STAFF)
def export_bank(bank_slug):
    text, skipped = export_bank_gift(banks.get_bank(bank_slug))
    headers = {"Content-Disposition": f"attachment; filename={bank_slug}.gift"}
    if skipped:
        headers["X-Skipped-Questions"] = str(skipped)
    return Response(text, mimetype="text/plain", headers=headers)  # Flask adds "; charset=utf-8" once


@bp.route("/questions/<uid>")
@roles_required(*STAFF)
def question(uid):
    question = banks.get_question(uid)
    return render_template("exams/admin/question.html", question=question, version=question.current_version,
                           preview=preview_question(question.current_version),
                           versions=banks.question_versions(question), figures=question_stats.version_figures(question))


@bp.route("/banks/<bank_slug>/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_question(bank_slug):
    bank = banks.get_bank(bank_slug)
    form = QuestionForm(qtype=request.args.get("type") if request.args.get("type") in QUESTION_TYPES else "single")
    question_editor.choose_editor(form, request.args.get("editor"))
    return _question_form(form, None, bank, lambda: save_form(
        form, lambda: question_editor.create_question(bank, form, current_user),
        then=lambda question: url_for("exams_admin.question", uid=question.uid), success=_("Question saved.")))


@bp.route("/questions/<uid>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_question(uid):
    question = banks.get_question(uid)
    form = QuestionForm(data=question_editor.form_values(question.current_version) if request.method == "GET" else None)
    del form.uid
    question_editor.choose_editor(form, request.args.get("editor"))
    return _question_form(form, question, question.bank, lambda: save_form(
        form, lambda: question_editor.update_question(question, form, current_user),
        then=lambda _changed: url_for("exams_admin.question", uid=uid),
        success=lambda changed: _("Saved as version %(n)d. Attempts already taken keep the version they "
                                  "answered.", n=question.current_version.number) if changed else _("Nothing changed.")))


def _question_form(form, question, bank, save):
    """The question form: its row buttons and its preview show the form again; any other post saves."""
    uid = question.uid if question else (form.uid.data or "").strip().lower() or None
    preview = None
    if form.is_submitted() and question_editor.apply_row_action(form):
        pass
    elif form.is_submitted() and form.row_action.data == "preview":
        preview = question_editor.try_preview(form, uid)
    elif saved := save():
        return saved
    return render_template("exams/admin/question_form.html", form=form, question=question, bank=bank,
                           preview=preview, cues=question_editor.question_cues(form, uid),
                           figures=question_stats.version_figures(question) if question else [],
                           rows=question_editor.uses_rows(form), type_partials=question_editor.type_partials(),
                           text_fields=question_editor.text_fields(form))


@bp.route("/questions/<uid>/regrade", methods=["GET", "POST"])
@roles_required(*STAFF)
def regrade(uid):
    question = banks.get_question(uid)
    form = ConfirmForm()
    if form.validate_on_submit():
        changes = regrade_question(question, apply=True, actor=current_user)
        flash(ngettext("%(num)d attempt regraded.", "%(num)d attempts regraded.", len(changes)), "success")
        return redirect(url_for("exams_admin.question", uid=uid))
    return render_template("exams/admin/regrade.html", question=question, form=form,
                           changes=regrade_question(question, apply=False))


@bp.route("/gift", methods=["GET", "POST"])
@roles_required(*STAFF)
def gift_import():
    form, result = GiftImportForm(), None
    if form.validate_on_submit():
        result = import_gift(form.bank.data, form.source(), question_editor.split_list(form.tags.data), current_user,
                             question_editor.split_list(form.standards.data))
        if result.ok:
            flash(gift_import_summary(result), "success")
            if not result.warnings:  # warnings stay on the page, each with its line, under the summary
                return redirect(url_for("exams_admin.bank", bank_slug=result.bank_slug))
    return render_template("exams/admin/gift_import.html", form=form, result=result,
                           limits={"questions": f"{MAX_GIFT_QUESTIONS:,}", "kb": f"{MAX_GIFT_BYTES // 1024:,}"})


@bp.route("/exams/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_exam():
    return _exam_form(None)


@bp.route("/exams/<exam_slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_exam(exam_slug):
    return _exam_form(queries.published_exam(exam_slug))


def _exam_form(exam):
    """The exam builder: its picker, section and sample buttons show the form again; any other post saves."""
    form, found, sample = ExamForm(data=exam_editor.form_values(exam) if request.method == "GET" else None), \
        exam_builder.builder_choices(), None
    exam_editor.choose_builder(form, request.args.get("builder"), exam)
    exam_builder.fill_choices(form, found)
    if form.is_submitted() and exam_builder.apply_builder_action(form):
        pass
    elif form.is_submitted() and form.row_action.data == "sample":
        sample = exam_editor.try_sample(form)
    elif saved := save_form(form, lambda: exam_editor.save_exam_form(exam, form, current_user),
                            then=lambda saved: url_for("exams_admin.exam", exam_slug=saved.slug),
                            success=lambda _saved: " ".join([_("Exam saved. Attempts already started keep the "
                                                               "version they started with."), *notices(form)])):
        return saved
    return render_template("exams/admin/exam_form.html", form=form, exam=exam,
                           **exam_editor.builder_page(form, found, sample))


@bp.route("/exams/<exam_slug>")
@roles_required(*STAFF)
def exam(exam_slug):
    exam = queries.published_exam(exam_slug)
    return render_template("exams/admin/exam.html", exam=exam, attempts=reports.exam_attempts(exam),
                           pools=exam_builder.exam_pools(exam.current_version),
                           release=release_note(exam, exam.current_version.settings),
                           accommodations=accommodations.accommodations_for(exam), form=ConfirmForm(),
                           accommodation_form=AccommodationForm())


@bp.route("/exams/<exam_slug>/release", methods=["POST"])
@roles_required(*STAFF)
def release(exam_slug):
    exam = queries.published_exam(exam_slug)
    if ConfirmForm().validate_on_submit() and reports.release_results(exam):
        flash(_("Results released: learners can now see their marks and the answers."), "success")
    return redirect(url_for("exams_admin.exam", exam_slug=exam_slug))


@bp.route("/exams/<exam_slug>/accommodations", methods=["POST"])
@roles_required(*STAFF)
def accommodation(exam_slug):
    exam, form = queries.published_exam(exam_slug), AccommodationForm()
    back = url_for("exams_admin.exam", exam_slug=exam_slug)
    if not form.validate_on_submit():
        flash(" ".join([_("Check the accommodation fields."), *error_lines(form)]), "error")
        return redirect(back)
    try:
        person = accommodations.accommodate(exam, form.employee_no.data, form.terms(local_zone()), current_user)
    except DomainError as exc:
        refuse(exc)
    else:
        flash(" ".join([_("Accommodation saved for %(name)s.", name=person.name), *notices(form)]), "success")
    return redirect(back)


@bp.route("/exams/<exam_slug>/analysis")
@roles_required(*STAFF)
def analysis(exam_slug):
    exam = queries.published_exam(exam_slug)
    first_only = request.args.get("all") != "1"
    return render_template("exams/admin/analysis.html", exam=exam, first_only=first_only,
                           report=reports.item_analysis(exam, first_only=first_only))


@bp.route("/attempts/<int:attempt_id>")
@roles_required(*STAFF)
def attempt(attempt_id):
    attempt = reports.read_attempt(attempt_id)
    return render_template("exams/admin/attempt.html", attempt=attempt, form=GradeForm(),
                           items=review_items(attempt, ReviewPolicy(True, True)))


@bp.route("/answers/<int:answer_id>/grade", methods=["POST"])
@roles_required(*STAFF)
def grade(answer_id):
    answer, form = grading.get_answer(answer_id), GradeForm()
    back = (url_for("exams_admin.grading") if form.next.data == "queue"
            else url_for("exams_admin.attempt", attempt_id=answer.attempt_id))
    if not form.validate_on_submit():
        flash(_("Enter a number."), "error")
        return redirect(back)
    return act(lambda: grading.grade_question(answer, float(form.score.data), form.comment.data or "", current_user,
                                              form.reason.data or ""), then=back, success=_("Mark saved."))


@bp.route("/grading", endpoint="grading")
@roles_required(*STAFF)
def grading_queue():
    return render_template("exams/admin/grading.html", queue=grading.grading_queue(), form=GradeForm())
