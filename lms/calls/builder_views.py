"""Trainers: the call builder (lms.calls.builder_service), its edits as JSON, its save and "play from here".
Its routes join the calls_admin blueprint (imported at the end of lms.calls.admin_views)."""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.calls import builder_new, builder_service
from lms.calls.admin_views import STAFF, bp
from lms.calls.definition import CATEGORIES
from lms.calls.drafts import require_editable
from lms.calls.forms import BuilderEditForm, BuilderSaveForm, NewCallForm, TryForm
from lms.calls.labels import CATEGORY_LABELS
from lms.conflicts import posted_base
from lms.errors import DomainError
from lms.views import refuse, save_form


def _page(built: builder_service.Builder, form: BuilderSaveForm):
    return render_template("calls/admin/builder.html", built=built, form=form, try_form=TryForm())


@bp.route("/<scenario_slug>/builder", methods=["GET", "POST"])
@roles_required(*STAFF)
def builder(scenario_slug):
    built = builder_service.open_builder(scenario_slug)
    form = BuilderSaveForm(based_on=built.fingerprint)
    if form.validate_on_submit():
        try:
            scenario, changed = builder_service.save_built(scenario_slug, form.definition.data, current_user,
                                                           posted_base(form.based_on))
        except DomainError as exc:
            refuse(exc, form)
            built = builder_service.posted_or_opened(scenario_slug, form.definition.data)
        else:
            flash(_("Saved as version %(n)d. Calls already started keep their version.", n=scenario.current_number)
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for("calls_admin.scenario", scenario_slug=scenario.slug))
    return _page(built, form)


@bp.route("/<scenario_slug>/builder/edit", methods=["POST"])
@roles_required(*STAFF)
def builder_edit(scenario_slug):
    form = BuilderEditForm()
    if not form.validate_on_submit():
        return jsonify(refused=_("The page has expired; reload it.")), 400
    try:
        built = builder_service.apply_edit(scenario_slug, form.definition.data, form.edit.data)
    except DomainError as exc:
        return jsonify(refused=str(exc.message))
    return jsonify(definition=built.definition, graph=built.graph, problems=built.problems, yaml=built.yaml,
                   focus=built.focus, forms=render_template("calls/admin/_builder_forms.html", built=built))


@bp.route("/<scenario_slug>/builder/try", methods=["POST"])
@roles_required(*STAFF)
def builder_try(scenario_slug):
    require_editable(scenario_slug)  # 404 for no such scenario
    form = TryForm()
    trial, problem = None, None
    if form.validate_on_submit():
        try:
            trial = builder_service.try_from_here(form.definition.data, form.start.data or "", form.state.data,
                                                  form.reply(), current_user.employee_no)
        except DomainError as exc:
            problem = str(exc.message)
    return render_template("calls/admin/builder_try.html", trial=trial, problem=problem, form=form,
                           scenario_slug=scenario_slug)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_call():
    form = NewCallForm()
    form.category.choices = [(c, str(CATEGORY_LABELS[c])) for c in CATEGORIES]
    done = save_form(form, lambda: builder_new.start_new_call(form.title.data, form.category.data, form.slug.data,
                                                                current_user),
                     then=lambda scenario: url_for("calls_admin.builder", scenario_slug=scenario.slug),
                     success=_("A draft call: build it, then save to publish it."))
    return done or render_template("calls/admin/new_call.html", form=form)
