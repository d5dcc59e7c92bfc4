"""The case library for everyone signed in: browse and read published cases, write and send your own."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated
from lms.cases import authoring, library, pages
from lms.cases.forms import CaseForm, LibraryFilterForm, ScenarioDraftForm
from lms.views import save_form

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/")
@authenticated
def index():
    form = LibraryFilterForm(request.args)
    form.channel.choices = [("", _("All channels")), *pages.channel_choices()]
    form.tier.choices = [("", _("All tiers")), *pages.tier_choices()]
    form.item.choices = [("", _("All items"))] + [(i.code, f"{i.code} {i.title}") for i in library.cited_items()]
    chosen = library.LibraryFilter(form.channel.data or "", form.tier.data or "", form.item.data or "",
                                   request.args.get("page", 1, type=int))
    found = library.library_page(chosen)
    return render_template("cases/index.html", form=form, page=found,
                           cases=[pages.case_view(c, current_user) for c in found.items], chosen=chosen.cleaned())


@bp.route("/<int:case_id>")
@authenticated
def case(case_id):
    view = pages.case_view(library.readable_case(case_id), current_user)
    return render_template("cases/case.html", view=view, draft_form=ScenarioDraftForm())


@bp.route("/mine")
@authenticated
def mine():
    return render_template("cases/mine.html", cases=[pages.case_view(c, current_user)
                                                     for c in authoring.authors_cases(current_user)])


def _case_form(form: CaseForm, existing):
    pages.set_case_choices(form)
    done = save_form(form, lambda: authoring.save_case(current_user, existing, form.case_data(),
                                                       submit=bool(form.submit.data)),
                     then=lambda c: url_for("cases.case", case_id=c.id),
                     success=lambda c: str(_("Sent for review: a trainer will read it.") if form.submit.data
                                           else _("Saved as a draft.")))
    return done or render_template("cases/form.html", form=form, existing=existing)


@bp.route("/new", methods=["GET", "POST"])
@authenticated
def new():
    return _case_form(CaseForm(data={"channel": "phone", "tier": "professional"}), None)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@authenticated
def edit(case_id):
    existing = pages.editable_case(case_id, current_user)
    form = CaseForm(data=pages.form_data(existing) if request.method == "GET" else None)
    return _case_form(form, existing)
