"""The programme editor with forms (issue 18): a programme's details, and each requirement of the first
certificate and of the renewal, one form at a time. Its routes join the certification blueprint; every save
is a new version of the programme (lms/certification/programme_editor.py)."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role
from lms.certification import programme_editor as editor
from lms.certification.forms import (
    NewProgrammeForm,
    ProgrammeDetailsForm,
    RequirementActionForm,
    RequirementForm,
)
from lms.certification.programmes import editing_fingerprint, get_programme
from lms.certification.views import bp
from lms.conflicts import posted_base
from lms.views import act, save_form

STAFF = (Role.TRAINER, Role.ADMIN)


def _saved(changed: bool) -> str:
    return _("Saved as a new version of the programme.") if changed else _("Nothing changed.")


@bp.route("/programmes/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_programme():
    from lms.courses.path_editor import course_choices

    form = NewProgrammeForm(others=editor.other_programmes(None), courses=course_choices())
    done = save_form(form, lambda: editor.create_programme(form.slug.data, form.details(), form.course.data,
                                                           current_user),
                     then=lambda made: url_for("certification.programme_form", slug=made.slug),
                     success=_("The programme is created: add the rest of its requirements."))
    return done or (render_template("certification/new_programme.html", form=form), 422 if form.problems else 200)


@bp.route("/programmes/<slug>/form", methods=["GET", "POST"])
@roles_required(*STAFF)
def programme_form(slug):
    programme = get_programme(slug)
    form = ProgrammeDetailsForm(others=editor.other_programmes(programme))
    if not form.is_submitted():
        form.fill(editor.details_of(programme), editing_fingerprint(programme))
    done = save_form(form, lambda: editor.save_details(programme, form.details(), current_user,
                                                       posted_base(form.based_on)),
                     then=lambda _changed: url_for("certification.programme_form", slug=slug), success=_saved)
    return done or _programme_page(programme, form)


def _programme_page(programme, form):
    held, open_applications = editor.holders_and_applications(programme)
    return render_template("certification/programme_form.html", programme=programme, form=form,
                           rows=editor.requirement_rows(programme), kinds=editor.kind_options(), held=held,
                           open_applications=open_applications, action=RequirementActionForm(),
                           fingerprint=editing_fingerprint(programme)), (422 if form.problems else 200)


def _requirement_page(slug, part, requirement_id, kind_name):
    programme = get_programme(slug)
    editor.requirements_in(programme.definition, part)  # an unknown list: 404
    requirement = editor.find_requirement(programme, part, requirement_id) if requirement_id else None
    kind = requirement["kind"] if requirement else editor.editable_kind(kind_name)
    form = RequirementForm(kind=kind, targets=editor.target_choices(kind))
    if not form.is_submitted():
        form.fill(requirement, editing_fingerprint(programme))
    done = save_form(form, lambda: editor.save_requirement(programme, part, requirement_id, kind, form.values(),
                                                           current_user, posted_base(form.based_on)),
                     then=lambda _id: url_for("certification.programme_form", slug=slug),
                     success=_("Saved as a new version of the programme."))
    return done or (render_template("certification/requirement_form.html", programme=programme, part=part,
                                    requirement=requirement, form=form), 422 if form.problems else 200)


@bp.route("/programmes/<slug>/<part>/requirements/new/<kind>", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_requirement(slug, part, kind):
    return _requirement_page(slug, part, None, kind)


@bp.route("/programmes/<slug>/<part>/requirements/<requirement_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_requirement(slug, part, requirement_id):
    return _requirement_page(slug, part, requirement_id, None)


def _list_action(slug, action):
    """A button on the programme's page: run it with the page's version, then show the page again."""
    programme, form = get_programme(slug), RequirementActionForm()
    then = url_for("certification.programme_form", slug=slug)
    if not form.validate_on_submit():
        return redirect(then)
    return act(lambda: action(programme, posted_base(form.based_on)), then=then,
               success=_("Saved as a new version of the programme."))


@bp.route("/programmes/<slug>/<part>/requirements/<requirement_id>/up", methods=["POST"])
@roles_required(*STAFF)
def requirement_up(slug, part, requirement_id):
    return _list_action(slug, lambda p, base: editor.move_requirement(p, part, requirement_id, -1, current_user, base))


@bp.route("/programmes/<slug>/<part>/requirements/<requirement_id>/down", methods=["POST"])
@roles_required(*STAFF)
def requirement_down(slug, part, requirement_id):
    return _list_action(slug, lambda p, base: editor.move_requirement(p, part, requirement_id, 1, current_user, base))


@bp.route("/programmes/<slug>/<part>/requirements/<requirement_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def remove_requirement(slug, part, requirement_id):
    return _list_action(slug, lambda p, base: editor.remove_requirement(p, part, requirement_id, current_user, base))
