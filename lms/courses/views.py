"""The catalogue by tier, course pages, the lesson reader, enrolment, assignment and team progress."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts import users as accounts
from lms.accounts.models import Role
from lms.courses import services
from lms.courses.forms import AssignForm, CatalogueFilterForm, PositionForm
from lms.db import mark_refused
from lms.errors import DomainError
from lms.forms import choices
from lms.timeutil import local_today

bp = Blueprint("courses", __name__, url_prefix="/courses")


@bp.route("/")
@authenticated
def index():
    form = CatalogueFilterForm(request.args)
    form.validate()
    tier = form.tier.data if form.tier.data and not form.tier.errors else None
    audience = form.audience.data if form.audience.data and not form.audience.errors else None
    q = (form.q.data or "").strip() if not form.q.errors else ""
    found = services.catalogue(current_user, tier, audience, q)
    if q:
        return render_template("courses/index.html", form=form, results=found, q=q, filtered=True,
                               total=len(found))
    return render_template("courses/index.html", form=form, grouped=found, filtered=bool(tier or audience),
                           total=sum(len(v) for v in found.values()))


@bp.route("/mine")
@authenticated
def mine():
    return render_template("courses/mine.html", courses=services.my_courses(current_user))


@bp.route("/<code>")
@authenticated
def course(code):
    page = services.course_page(current_user, code)
    if page is None:
        abort(404)
    from lms.exams.services import best_results, course_exams

    exams = course_exams(page.course.id)
    return render_template("courses/course.html", page=page, may_read=services.may_read(current_user, page),
                           exams=exams, results=best_results(current_user, [e.id for e in exams]))


@bp.route("/<code>/enrol", methods=["POST"])
@authenticated
def enrol(code):
    try:
        services.enrol_self(current_user, code)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("courses.course", code=code))
    flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(url_for("courses.course", code=code))


@bp.route("/<code>/continue")
@authenticated
def resume(code):
    page = services.course_page(current_user, code)
    if page is None:
        abort(404)
    lesson = page.resume_lesson()
    if lesson is None or not services.may_read(current_user, page):
        return redirect(url_for("courses.course", code=code))
    return redirect(url_for("courses.lesson", code=code, slug=lesson.lesson.slug))


@bp.route("/<code>/lessons/<slug>")
@authenticated
def lesson(code, slug):
    page = services.course_page(current_user, code)
    if page is None:
        abort(404)
    lessons = page.version.lesson_versions
    current = next((lv for lv in lessons if lv.lesson.slug == slug), None)
    if current is None:
        abort(404)
    if not services.may_read(current_user, page):
        if page.enrolment is None:
            flash(_("Enrol in the course to read its lessons."), "info")
        return redirect(url_for("courses.course", code=code))
    index = lessons.index(current)
    position = services.lesson_position(current_user, current.lesson_id) if page.enrolment else 0.0
    return render_template(
        "courses/lesson.html", page=page, lesson=current, index=index,
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=position, position_form=PositionForm())


@bp.route("/<code>/lessons/<slug>/complete", methods=["POST"])
@authenticated
def complete(code, slug):
    try:
        page, following = services.complete_lesson(current_user, code, slug)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
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
        services.save_position(current_user, code, slug, form.position.data)
    except DomainError as exc:
        mark_refused()
        return {"error": str(exc.message)}, 409
    return "", 204


@bp.route("/assign", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.TRAINER, Role.ADMIN)
def assign():
    form = AssignForm()
    form.course.choices = choices(services.course_choices())
    teams = services.managed_teams(current_user)
    form.teams.choices = choices((t.id, t.name) for t in teams)
    if request.method == "GET" and request.args.get("course"):
        form.course.data = request.args["course"]
    if form.validate_on_submit():
        people = [p.strip() for p in (form.people.data or "").replace("，", ",").replace("\n", ",").split(",")
                  if p.strip()]
        try:
            user_ids = accounts.user_ids_for_employee_nos(people)
            changed = services.assign_course(current_user, form.course.data, form.due_date.data, user_ids,
                                             form.teams.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "course", form.course).errors.append(str(exc.message))
        else:
            flash(_("%(n)d enrolments created or updated.", n=changed), "success")
            return redirect(url_for("courses.team"))
    return render_template("courses/assign.html", form=form, today=local_today())


@bp.route("/team")
@roles_required(Role.MANAGER, Role.TRAINER, Role.ADMIN)
def team():
    teams = services.managed_teams(current_user)
    team_id = request.args.get("team_id", type=int)
    selected = next((t for t in teams if t.id == team_id), teams[0] if teams else None)
    if team_id and (selected is None or selected.id != team_id):
        abort(404)
    members = services.team_progress(selected) if selected else []
    return render_template("courses/team.html", teams=teams, team=selected, members=members, today=local_today())

