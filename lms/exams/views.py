"""Learners take exams: the exam page, the attempt (autosave, pages, timer), submit and review."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated
from lms.db import end_single_statement_mode, mark_refused, single_statement_writes, utcnow
from lms.errors import DomainError
from lms.exams import services
from lms.exams.models import AttemptStatus
from lms.exams.question_types import QUESTION_TYPES

bp = Blueprint("exams", __name__, url_prefix="/exams")


def _exam_or_404(slug):
    exam = services.get_exam(slug)
    if exam is None or exam.current_version is None:
        abort(404)
    return exam


def _attempt_or_404(attempt_id, lock=False):
    try:
        return services.load_attempt(attempt_id, current_user, lock=lock)
    except LookupError:
        abort(404)


@bp.route("/")
@authenticated
def index():
    return render_template("exams/my_exams.html", rows=services.my_exams(current_user))


@bp.route("/<exam_slug>")
@authenticated
def exam(exam_slug):
    exam = _exam_or_404(exam_slug)
    access = services.exam_access(current_user, exam)
    return render_template("exams/exam.html", exam=exam, access=access, settings=access.version.settings)


@bp.route("/<exam_slug>/start", methods=["POST"])
@authenticated
def start(exam_slug):
    exam = _exam_or_404(exam_slug)
    try:
        attempt = services.start_attempt(current_user, exam)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("exams.exam", exam_slug=exam_slug))
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


def _closed_if_overdue(attempt):
    return services.closed_if_overdue(attempt, current_user)


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def attempt(attempt_id):
    attempt = _closed_if_overdue(_attempt_or_404(attempt_id))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.review", attempt_id=attempt.id))
    settings = attempt.exam_version.settings
    one_per_page = settings.get("layout") == "one_per_page"
    page = max(1, request.args.get("page", 1, type=int))
    questions = services.questions_for_page(attempt, [page] if one_per_page else None)
    page = min(page, len(questions))
    per_page = 1 if one_per_page else len(questions)
    shown = questions[page - 1: page] if one_per_page else questions
    now = utcnow()
    remaining = max(0, int((attempt.deadline_at - now).total_seconds())) if attempt.deadline_at else None
    grace = services.overdue_state(attempt, now) == "grace"
    return render_template("exams/attempt.html", attempt=attempt, questions=questions, shown=shown, page=page,
                           pages=len(questions) if per_page == 1 else 1, remaining=remaining, grace=grace,
                           types=QUESTION_TYPES)


def _response_from(form, aq):
    return QUESTION_TYPES[aq.version.qtype].parse_form(form, f"q{aq.position}")


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@authenticated
@single_statement_writes
def save(attempt_id):
    """Autosave of one answer (JavaScript): JSON in reply, 409 when closed or out of sequence.

    The usual save is one statement (save_answer_at_once); anything else (a resend, a stale tab, a late
    answer, a closed attempt) takes save_answer() in a transaction, which says what happened."""
    position = request.form.get("position", type=int)
    sequence = request.form.get("sequence", type=int)
    if position is None or sequence is None or sequence < 1:
        return jsonify(error="position and sequence are required"), 400
    slot = services.slot_type(attempt_id, position)
    if slot is None:
        abort(404)
    version_id, qtype = slot
    response = QUESTION_TYPES[qtype].parse_form(request.form, f"q{position}")
    if services.save_answer_at_once(attempt_id, current_user, position, version_id, response, sequence):
        return jsonify(saved=True, position=position, sequence=sequence)
    end_single_statement_mode()  # what follows runs in one transaction
    try:
        slot = services.answer_slot(attempt_id, current_user, position)
    except LookupError:
        abort(404)
    if slot[1].question_version_id != version_id:  # the remembered type was for another question
        services.forget_slot_type(attempt_id, position)
        response = QUESTION_TYPES[slot[2]].parse_form(request.form, f"q{position}")
    try:
        services.save_answer(attempt_id, current_user, position, response, sequence, slot=slot)
    except services.AttemptClosed as exc:
        mark_refused()
        return jsonify(error=str(exc.message), closed=True,
                       review=url_for("exams.review", attempt_id=attempt_id)), 409
    except services.OutOfSequence as exc:
        mark_refused()
        return jsonify(error=str(exc.message), stale=True), 409
    return jsonify(saved=True, position=position, sequence=sequence)


@bp.route("/attempts/<int:attempt_id>/page", methods=["POST"])
@authenticated
def save_page(attempt_id):
    """The form of a page (works without JavaScript): save its answers, then go where asked."""
    attempt = _attempt_or_404(attempt_id)
    positions = {int(p) for p in request.form.getlist("positions") if p.isdigit()}
    questions = [q for q in services.questions_of(attempt) if q.position in positions]
    try:
        for aq in questions:
            sequence = request.form.get(f"seq{aq.position}", type=int)
            response = _response_from(request.form, aq)
            if sequence is None or response == aq.response:
                continue
            try:
                services.save_answer(attempt_id, current_user, aq.position, response, sequence)
            except services.OutOfSequence:
                flash(_("Question %(n)d was saved from another window with a newer answer; that one is kept.",
                        n=aq.position), "warning")
    except services.AttemptClosed as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("exams.review", attempt_id=attempt_id))
    if request.form.get("action") == "submit":
        return redirect(url_for("exams.confirm_submit", attempt_id=attempt_id))
    target = request.form.get("goto", type=int) or 1
    return redirect(url_for("exams.attempt", attempt_id=attempt_id, page=target))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET"])
@authenticated
def confirm_submit(attempt_id):
    attempt = _closed_if_overdue(_attempt_or_404(attempt_id))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.review", attempt_id=attempt.id))
    questions = services.questions_of(attempt)
    return render_template("exams/confirm_submit.html", attempt=attempt, questions=questions,
                           unanswered=[q for q in questions if not q.response])


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@authenticated
def submit(attempt_id):
    _attempt_or_404(attempt_id)
    services.submit_attempt(attempt_id, current_user)
    return redirect(url_for("exams.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/review")
@authenticated
def review(attempt_id):
    attempt = _closed_if_overdue(_attempt_or_404(attempt_id))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.attempt", attempt_id=attempt.id))
    policy = services.review_policy(attempt)
    items = services.review_items(attempt, policy)
    return render_template("exams/review.html", attempt=attempt, policy=policy, items=items, types=QUESTION_TYPES)
