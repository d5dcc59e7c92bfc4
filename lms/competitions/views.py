"""Skill competitions: the list, the trainer's set-up, the live leaderboard and the closing that gives the
honours. A learner sees the competitions their team takes part in; another answers 404."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.competitions import pages, report_section, running  # noqa: F401 - registers the report section
from lms.competitions.forms import CloseForm
from lms.competitions.labels import competition_labels
from lms.errors import DomainError
from lms.views import act, refuse, save_form

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
bp.context_processor(competition_labels)


@bp.route("/")
@authenticated
def index():
    return render_template("competitions/index.html", **pages.index_page(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def new():
    form = pages.competition_form()
    done = save_form(form, lambda: running.create_competition(
        current_user, form.title.data, form.description.data or "", form.starts_on.data, form.ends_on.data,
        form.teams.data or [], form.scenarios.data or [], form.exam.data or None, form.show_names.data),
        lambda c: url_for("competitions.leaderboard", competition_id=c.id), _("The competition is set up."))
    return done or render_template("competitions/new.html", form=form)


@bp.route("/<int:competition_id>")
@authenticated
def leaderboard(competition_id: int):
    competition = running.competition_for(competition_id, current_user)
    return render_template("competitions/leaderboard.html", **pages.leaderboard_page(competition, current_user))


@bp.route("/<int:competition_id>/close", methods=["POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def close(competition_id: int):
    competition = running.competition_for(competition_id, current_user, lock=True)
    back = url_for("competitions.leaderboard", competition_id=competition.id)
    if not CloseForm().validate_on_submit():
        refuse(DomainError(_("The form expired; please try again.")))
        return redirect(back)
    return act(lambda: running.close_competition(competition, current_user), back,
               _("The competition is closed and the honours are recorded."))
