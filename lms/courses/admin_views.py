"""Trainer authoring pages: course drafts, lesson editor with live preview, publish and discard."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role
from lms.courses import authoring
from lms.courses.forms import CourseDraftForm, LessonForm, NewCourseForm, PreviewForm
from lms.db import mark_refused
from lms.errors import DomainError

bp = Blueprint("courses_admin", __name__, url_prefix="/courses/manage")
AUTHORS = (Role.TRAINER, Role.ADMIN)


def _split_codes(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
            if v.strip()]


def _course_or_404(code: str):
    course = authoring.get_course(code)
    if course is None:
        abort(404)
    return course


@bp.route("/")
@roles_required(*AUTHORS)
def index():
    return render_template("courses/admin/index.html", rows=authoring.authoring_overview())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = authoring.create_course(current_user, form.code.data, form.slug.data, form.tier.data,
                                             form.title.data, form.summary.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "code").errors.append(str(exc.message))
        else:
            flash(_("Draft created. Add lessons, then publish."), "success")
            return redirect(url_for("courses_admin.edit_course", code=course.code))
    return render_template("courses/admin/new_course.html", form=form)


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_course(code):
    course = _course_or_404(code)
    draft = authoring.get_draft(course)
    shown = draft or course.published_version
    form = CourseDraftForm()
    if request.method == "GET":
        form.title.data, form.summary.data = shown.title, shown.summary
        form.tier.data = str(course.tier)
        form.description.data, form.duration.data = shown.description_md, shown.duration_minutes
        form.audience.data, form.self_enrol.data = list(shown.audience), shown.self_enrol
        form.prerequisites.data = ", ".join(shown.prerequisites)
        form.standards.data = ", ".join(shown.standards)
    if form.validate_on_submit():
        try:
            draft = authoring.open_draft(course, current_user)
            authoring.update_draft(
                draft, title=form.title.data, summary=form.summary.data, description=form.description.data or "",
                duration=form.duration.data, audience=form.audience.data,
                prerequisites=_split_codes(form.prerequisites.data), standards=_split_codes(form.standards.data),
                self_enrol=form.self_enrol.data, tier=form.tier.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "title").errors.append(str(exc.message))
        else:
            flash(_("Draft saved. Learners still see the published version until you publish."), "success")
            return redirect(url_for("courses_admin.edit_course", code=code))
    return render_template("courses/admin/course.html", course=course, draft=draft, shown=shown, form=form,
                           confirm=ConfirmForm())


def _lesson_form_page(course, draft, lesson, form, preview_html=None):
    return render_template("courses/admin/lesson.html", course=course, draft=draft, lesson=lesson, form=form,
                           preview_html=preview_html)


@bp.route("/<code>/lessons/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_lesson(code):
    return _edit_lesson(code, None)


@bp.route("/<code>/lessons/<slug>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_lesson(code, slug):
    return _edit_lesson(code, slug)


def _edit_lesson(code, slug):
    course = _course_or_404(code)
    draft = authoring.get_draft(course)
    source = draft or course.published_version
    lesson = None
    if slug is not None:
        lesson = next((lv for lv in source.lesson_versions if lv.lesson.slug == slug), None)
        if lesson is None:
            abort(404)
    form = LessonForm()
    if request.method == "GET":
        if lesson is not None:
            form.title.data, form.minutes.data, form.body.data = lesson.title, lesson.minutes, lesson.body_md
            form.standards.data = ", ".join(lesson.standards)
        else:
            form.minutes.data = 15
    if form.validate_on_submit():
        if form.preview.data:  # the no-JavaScript preview: render and show the form again
            return _lesson_form_page(course, draft, lesson, form, authoring.preview(form.body.data))
        try:
            draft = authoring.open_draft(course, current_user)
            saved = authoring.save_lesson(draft, slug, new_slug=form.slug.data or "", title=form.title.data,
                                          minutes=form.minutes.data, standards=_split_codes(form.standards.data),
                                          body=form.body.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "body").errors.append(str(exc.message))
        else:
            flash(_("Lesson saved in the draft."), "success")
            return redirect(url_for("courses_admin.edit_lesson", code=code, slug=saved.lesson.slug))
    return _lesson_form_page(course, draft, lesson, form)


@bp.route("/<code>/lessons/<slug>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_lesson(code, slug):
    return _draft_action(code, lambda draft: authoring.remove_lesson(draft, slug), _("Lesson removed from the draft."))


@bp.route("/<code>/lessons/<slug>/up", methods=["POST"])
@roles_required(*AUTHORS)
def move_up(code, slug):
    return _draft_action(code, lambda draft: authoring.move_lesson(draft, slug, -1), None)


@bp.route("/<code>/lessons/<slug>/down", methods=["POST"])
@roles_required(*AUTHORS)
def move_down(code, slug):
    return _draft_action(code, lambda draft: authoring.move_lesson(draft, slug, 1), None)


def _draft_action(code, action, message):
    course = _course_or_404(code)
    if ConfirmForm().validate_on_submit():
        try:
            action(authoring.open_draft(course, current_user))
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            if message:
                flash(message, "success")
    return redirect(url_for("courses_admin.edit_course", code=code))


@bp.route("/<code>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish(code):
    course = _course_or_404(code)
    if ConfirmForm().validate_on_submit():
        try:
            version = authoring.publish_draft(course, current_user)
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            flash(_("Version %(n)d of %(code)s is published. Learners keep their progress.", n=version.number,
                    code=course.code), "success")
    return redirect(url_for("courses_admin.edit_course", code=code))


@bp.route("/<code>/discard", methods=["POST"])
@roles_required(*AUTHORS)
def discard(code):
    course = _course_or_404(code)
    if ConfirmForm().validate_on_submit():
        try:
            authoring.discard_draft(course, current_user)
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            flash(_("The draft is discarded."), "success")
    return redirect(url_for("courses_admin.edit_course", code=code))


@bp.route("/preview", methods=["POST"])
@roles_required(*AUTHORS)
def preview():
    form = PreviewForm()
    if not form.validate_on_submit():
        return {"error": "invalid"}, 400
    return {"html": authoring.preview(form.text.data or "")}
