"""The catalogue by tier, course pages, the lesson reader, enrolment, assignment and team progress."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.calls.scenarios import course_scenarios
from lms.courses import catalogue, enrolment, progress, reading
from lms.courses import team as teams
from lms.courses.forms import AssignForm, CatalogueFilterForm, PositionForm
from lms.errors import DomainError
from lms.forms import choices
from lms.timeutil import local_today
from lms.views import act, refuse

bp = Blueprint("courses", __name__, url_prefix="/courses")


@bp.route("/")
@authenticated
def index():
    form = CatalogueFilterForm(request.args)
    tier, audience, q = form.filters()
    return render_template("courses/index.html", body=catalogue.catalogue_html(current_user, form, tier, audience, q))


@bp.route("/mine")
@authenticated
def mine():
    return render_template("courses/mine.html", courses=progress.my_courses(current_user))


@bp.route("/<code>")
@authenticated
def course(code):
    shown = catalogue.course_page_html(current_user, code, calls=course_scenarios)
    return render_template("courses/course.html", title=shown.title, body=shown.body)


@bp.route("/<code>/enrol", methods=["POST"])
@authenticated
def enrol(code):
    return act(lambda: enrolment.enrol_self(current_user, code), then=url_for("courses.course", code=code),
               success=_("You are enrolled. Start with the first lesson."))


@bp.route("/<code>/continue")
@authenticated
def resume(code):
    page = catalogue.course_page(current_user, code)
    lesson = page.resume_lesson()
    if lesson is None or not page.may_read:
        return redirect(url_for("courses.course", code=code))
    return redirect(url_for("courses.lesson", code=code, slug=lesson.lesson.slug))


@bp.route("/<code>/lessons/<slug>")
@authenticated
def lesson(code, slug):
    shown = reading.lesson_page_html(current_user, code, slug)
    if not shown.may_read:
        if not shown.enrolled:
            flash(_("Enrol in the course to read its lessons."), "info")
        return redirect(url_for("courses.course", code=code))
    position = progress.lesson_position(current_user, shown.lesson_id) if shown.enrolled else 0.0
    return render_template("courses/lesson.html", shown=shown, position=position)


@bp.route("/<code>/lessons/<slug>/complete", methods=["POST"])
@authenticated
def complete(code, slug):
    try:
        page, following = reading.complete_lesson(current_user, code, slug)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("courses.course", code=code))
    if following is not None:
        return redirect(url_for("courses.lesson", code=code, slug=following.lesson.slug))
    if page.enrolment.completed_at:
        flash(_("You have finished every lesson of %(title)s.", title=page.version.title), "success")
    return redirect(url_for("courses.course", code=code))


@bp.route("/<code>/lessons/<slug>/position", methods=["POST"])
@authenticated
def position(code, slug):
    form = PositionForm()
    if not form.validate_on_submit():
        return {"error": "position must be a number between 0 and 1"}, 400
    try:
        reading.save_position(current_user, code, slug, form.position.data)
    except DomainError as exc:
        return {"error": str(exc.message)}, 409  # an error status: the request's writes roll back
    return "", 204


def _assign_form() -> AssignForm:
    form = AssignForm()
    # A required select starts with an empty choice (HTML requires it; nobody assigns the first course by mistake).
    form.course.choices = choices([("", _("Choose a course")), *catalogue.course_choices()])
    form.teams.choices = choices((t.id, t.name) for t in teams.managed_teams(current_user))
    if request.method == "GET" and request.args.get("course"):
        form.course.data = request.args["course"]
    return form


@bp.route("/assign", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.TRAINER, Role.ADMIN)
def assign():
    form = _assign_form()
    if form.validate_on_submit():
        try:
            changed = enrolment.assign_course(current_user, form.course.data, form.due_date.data, form.people.data,
                                              form.teams.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(ngettext("%(num)d enrolment created or updated.", "%(num)d enrolments created or updated.", changed), "success")
            return redirect(url_for("courses.team"))
    return render_template("courses/assign.html", form=form, today=local_today())


@bp.route("/team")
@roles_required(Role.MANAGER, Role.TRAINER, Role.ADMIN)
def team():
    shown = teams.team_page(current_user, request.args.get("team_id", type=int))
    return render_template("courses/team.html", teams=shown.teams, team=shown.team, members=shown.members,
                           overdue=shown.overdue, today=local_today())
