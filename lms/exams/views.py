"""Learners take exams: the exam page, the attempt (autosave, pages, timer), submit and review."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated
from lms.accounts.models import Role
from lms.db import single_statement_writes
from lms.errors import DomainError
from lms.exams import answers, attempts, deadline, queries
from lms.exams.availability import exam_access
from lms.exams.exam_builder import exam_pools
from lms.exams.forms import AnswerPageForm, AutosaveForm
from lms.exams.grading import questions_of
from lms.exams.models import Attempt, AttemptStatus
from lms.exams.placement import placement_for
from lms.exams.review import release_note, review_items, review_policy
from lms.views import refuse

bp = Blueprint("exams", __name__, url_prefix="/exams")


def _open_attempt(attempt_id: int) -> Attempt:
    """The user's attempt, closed first if its time ran out while they were away."""
    return deadline.closed_if_overdue(attempts.load_attempt(attempt_id, current_user), current_user)


@bp.route("/")
@authenticated
def index():
    return render_template("exams/my_exams.html", rows=queries.my_exams(current_user))


@bp.route("/<exam_slug>")
@authenticated
def exam(exam_slug):
    exam = queries.published_exam(exam_slug)
    access = exam_access(current_user, exam)
    return render_template("exams/exam.html", exam=exam, access=access, settings=access.version.settings,
                           release=release_note(exam, access.version.settings),
                           pools=exam_pools(access.version), staff=current_user.has_role(Role.TRAINER, Role.ADMIN))


@bp.route("/<exam_slug>/start", methods=["POST"])
@authenticated
def start(exam_slug):
    exam = queries.published_exam(exam_slug)
    try:
        attempt = attempts.start_attempt(current_user, exam)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("exams.exam", exam_slug=exam_slug))
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def attempt(attempt_id):
    attempt = _open_attempt(attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.review", attempt_id=attempt.id))
    page = attempts.attempt_page(attempt, request.args.get("page", 1, type=int))
    return render_template("exams/attempt.html", attempt=attempt, page=page)


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@authenticated
@single_statement_writes
def save(attempt_id):
    """Autosave of one answer (JavaScript): JSON in reply, 409 when closed or out of sequence."""
    result = answers.autosave(attempt_id, current_user, AutosaveForm())
    if result.outcome == "saved":
        return jsonify(saved=True, position=result.position, sequence=result.sequence)
    if result.outcome == "missing":
        return jsonify(error=_("There is no such question in this attempt.")), 404
    review_url = url_for("exams.review", attempt_id=attempt_id) if result.outcome == "closed" else None
    return jsonify(error=result.message, closed=bool(review_url), stale=result.outcome == "stale",
                   review=review_url), result.status_code


@bp.route("/attempts/<int:attempt_id>/page", methods=["POST"])
@authenticated
def save_page(attempt_id):
    """The form of a page (works without JavaScript): save its answers, then go where asked."""
    form = AnswerPageForm()
    try:
        kept_newer = answers.save_page(attempt_id, current_user, form)
    except answers.AttemptClosed as exc:
        refuse(exc)  # a late answer is kept all the same (answers.save_answer)
        return redirect(url_for("exams.review", attempt_id=attempt_id))
    for position in kept_newer:
        flash(_("Question %(n)d was saved from another window with a newer answer; that one is kept.",
                n=position), "warning")
    if form.wants_submit:
        return redirect(url_for("exams.confirm_submit", attempt_id=attempt_id))
    return redirect(url_for("exams.attempt", attempt_id=attempt_id, page=form.goto.data or 1))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET"])
@authenticated
def confirm_submit(attempt_id):
    attempt = _open_attempt(attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.review", attempt_id=attempt.id))
    questions = questions_of(attempt)
    return render_template("exams/confirm_submit.html", attempt=attempt, questions=questions,
                           unanswered=[q for q in questions if not q.response])


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@authenticated
def submit(attempt_id):
    attempts.submit_attempt(attempt_id, current_user)
    return redirect(url_for("exams.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/review")
@authenticated
def review(attempt_id):
    attempt = _open_attempt(attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.attempt", attempt_id=attempt.id))
    policy = review_policy(attempt)
    return render_template("exams/review.html", attempt=attempt, policy=policy, items=review_items(attempt, policy),
                           placement=placement_for(attempt, policy.show_marks))
