"""Trainer authoring pages: course drafts, lesson editor with live preview, publish and discard; the onboarding
paths' editor."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role
from lms.conflicts import posted_base
from lms.courses import authoring, path_editor
from lms.courses.forms import CourseDraftForm, LessonForm, NewCourseForm, PathForm, PreviewForm
from lms.errors import DomainError
from lms.views import act, refuse, save_form

bp = Blueprint("courses_admin", __name__, url_prefix="/courses/manage")
AUTHORS = (Role.TRAINER, Role.ADMIN)


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
            refuse(exc, form)
        else:
            flash(_("Draft created. Add lessons, then publish."), "success")
            return redirect(url_for("courses_admin.edit_course", code=course.code))
    return render_template("courses/admin/new_course.html", form=form)


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_course(code):
    course = authoring.get_course(code)
    draft = authoring.get_draft(course)
    form = CourseDraftForm()
    if request.method == "GET":
        form.fill(course, draft or course.published_version)
    if form.validate_on_submit():
        try:
            authoring.update_draft(authoring.open_draft(course, current_user), **form.draft_values())
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Draft saved. Learners still see the published version until you publish."), "success")
            return redirect(url_for("courses_admin.edit_course", code=code))
    return render_template("courses/admin/course.html", course=course, draft=draft,
                           shown=draft or course.published_version, form=form, confirm=ConfirmForm())


@bp.route("/<code>/lessons/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_lesson(code):
    return _edit_lesson(code, None)


@bp.route("/<code>/lessons/<slug>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_lesson(code, slug):
    return _edit_lesson(code, slug)


def _edit_lesson(code, slug):
    course = authoring.get_course(code)
    draft, lesson = authoring.lesson_in_editor(course, slug)
    form = LessonForm()
    if request.method == "GET":
        form.fill(lesson)
    if form.validate_on_submit():
        if form.preview.data:  # the no-JavaScript preview: render and show the form again
            return _lesson_page(course, draft, lesson, form, authoring.preview(form.body.data))
        try:
            saved = authoring.save_lesson(authoring.open_draft(course, current_user), slug, **form.lesson_values())
        except DomainError as exc:
            exc.field = exc.field or "body"
            refuse(exc, form)
        else:
            flash(_("Lesson saved in the draft."), "success")
            return redirect(url_for("courses_admin.edit_lesson", code=code, slug=saved.lesson.slug))
    return _lesson_page(course, draft, lesson, form)


def _lesson_page(course, draft, lesson, form, preview_html=None):
    return render_template("courses/admin/lesson.html", course=course, draft=draft, lesson=lesson, form=form,
                           preview_html=preview_html)


def _confirmed(code, action, success=None):
    """Run a button's action on the course once its form is confirmed, then go back to the course's editor."""
    course = authoring.get_course(code)
    then = url_for("courses_admin.edit_course", code=code)
    if not ConfirmForm().validate_on_submit():
        return redirect(then)
    return act(lambda: action(course), then=then, success=success)


def _draft_action(code, action, success=None):
    """A confirmed change to the course's draft, starting the draft if there is none."""
    return _confirmed(code, lambda course: action(authoring.open_draft(course, current_user)), success)


@bp.route("/<code>/lessons/<slug>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_lesson(code, slug):
    return _draft_action(code, lambda draft: authoring.remove_lesson(draft, slug), _("Lesson removed from the draft."))


@bp.route("/<code>/lessons/<slug>/up", methods=["POST"])
@roles_required(*AUTHORS)
def move_up(code, slug):
    return _draft_action(code, lambda draft: authoring.move_lesson(draft, slug, -1))


@bp.route("/<code>/lessons/<slug>/down", methods=["POST"])
@roles_required(*AUTHORS)
def move_down(code, slug):
    return _draft_action(code, lambda draft: authoring.move_lesson(draft, slug, 1))


@bp.route("/<code>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish(code):
    course = authoring.get_course(code)
    if ConfirmForm().validate_on_submit():
        try:
            version = authoring.publish_draft(course, current_user)
        except DomainError as exc:
            refuse(exc)
        else:
            flash(_("Version %(n)d of %(code)s is published. Learners keep their progress.", n=version.number,
                    code=course.code), "success")
    return redirect(url_for("courses_admin.edit_course", code=code))


@bp.route("/<code>/discard", methods=["POST"])
@roles_required(*AUTHORS)
def discard(code):
    return _confirmed(code, lambda course: authoring.discard_draft(course, current_user), _("The draft is discarded."))


@bp.route("/preview", methods=["POST"])
@roles_required(*AUTHORS)
def preview():
    form = PreviewForm()
    if not form.validate_on_submit():
        return {"error": "invalid"}, 400
    return {"html": authoring.preview(form.text.data or "")}


# ---------------------------------------------------------------- onboarding paths (issue 18)


@bp.route("/paths")
@roles_required(*AUTHORS)
def paths():
    return render_template("courses/admin/paths.html", paths=path_editor.list_paths())


def _path_form() -> PathForm:
    return PathForm(courses=path_editor.course_choices(), templates=path_editor.session_choices())


def _path_page(form: PathForm, path=None):
    return render_template("courses/admin/path.html", form=form, path=path), (422 if form.problems else 200)


@bp.route("/paths/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_path():
    form = _path_form()
    if not form.is_submitted():
        form.add_blank_rows()
    done = save_form(form, lambda: path_editor.create_path(form.slug.data, form.values(), current_user),
                     then=lambda path: url_for("courses_admin.edit_path", slug=path.slug),
                     success=_("The onboarding path is saved. New hires get it from now on."))
    return done or _path_page(form)


@bp.route("/paths/<slug>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_path(slug):
    path = path_editor.get_path(slug)
    form = _path_form()
    if not form.is_submitted():
        plan = path_editor.mentoring_plan(path)
        form.fill(path_editor.path_values(path, plan), path_editor.editing_fingerprint(path, plan))
    done = save_form(form, lambda: path_editor.save_path(path, form.values(), current_user, posted_base(form.based_on)),
                     then=lambda _changed: url_for("courses_admin.edit_path", slug=slug),
                     success=lambda changed: _("The onboarding path is saved.") if changed else _("Nothing changed."))
    return done or _path_page(form, path)
