"""Mentoring and shadowing: the mentorships a person may read, one mentorship (its shadowing log, check-ins and
sign-offs), and the manager's choice of mentor. Access beyond the route's rule is by relation
(lms/mentoring/relations.py): a mentorship the reader may not read answers 404."""

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.certification.reviewers import person_for_review
from lms.errors import DomainError
from lms.forms import error_lines
from lms.mentoring import log, pages, relations
from lms.mentoring.forms import CheckInForm, ReviewForm, SignOffForm
from lms.mentoring.labels import mentoring_labels
from lms.views import act, refuse, save_form

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")
bp.context_processor(mentoring_labels)


def _back(mentorship, anchor: str):
    return lambda _result: url_for("mentoring.mentorship", mentorship_id=mentorship.id) + anchor


def _page(mentorship, **forms):
    return render_template("mentoring/mentorship.html", **pages.mentorship_page(mentorship, current_user, **forms))


@bp.route("/")
@authenticated
def index():
    return render_template("mentoring/index.html", **pages.index_page(current_user))


@bp.route("/<int:mentorship_id>")
@authenticated
def mentorship(mentorship_id: int):
    return _page(relations.mentorship_for(mentorship_id, current_user))


@bp.route("/<int:mentorship_id>/entries", methods=["POST"])
@authenticated
def add_entry(mentorship_id: int):
    found = relations.mentorship_for(mentorship_id, current_user, lock=True)
    form = pages.entry_form(found)
    done = save_form(form, lambda: log.add_entry(found, current_user, form.kind.data, form.happened_on.data,
                                                 form.channel.data, form.notes.data or "", form.items.data or []),
                     _back(found, "#log"), _("Added to the shadowing log."))
    return done or _page(found, entry_form=form)


@bp.route("/<int:mentorship_id>/entries/<int:entry_id>/review", methods=["POST"])
@authenticated
def review_entry(mentorship_id: int, entry_id: int):
    found = relations.mentorship_for(mentorship_id, current_user, lock=True)
    form = ReviewForm()
    if not form.validate_on_submit():  # the form sits in each entry of the page: its errors are flashed
        refuse(DomainError("; ".join(error_lines(form)) or _("The form expired; please try again.")))
        return _page(found)
    return act(lambda: log.review_entry(found, entry_id, current_user, form.comment.data or "", form.confirm.data),
               _back(found, f"#entry-{entry_id}")(None), _("Your comment is saved."))


@bp.route("/<int:mentorship_id>/check-ins", methods=["POST"])
@authenticated
def check_in(mentorship_id: int):
    found = relations.mentorship_for(mentorship_id, current_user, lock=True)
    form: CheckInForm = pages.check_in_form(found)
    done = save_form(form, lambda: log.record_check_in(found, current_user, form.day.data, form.rating.data,
                                                       form.check_in_notes.data or ""),
                     _back(found, "#check-ins"), _("The check-in is recorded."))
    return done or _page(found, check_in_form=form)


@bp.route("/<int:mentorship_id>/sign-offs", methods=["POST"])
@authenticated
def sign_off(mentorship_id: int):
    found = relations.mentorship_for(mentorship_id, current_user, lock=True)
    form: SignOffForm = pages.sign_off_form(pages.plan_items(found))
    done = save_form(form, lambda: log.sign_off_item(found, current_user, form.item.data, form.note.data or ""),
                     _back(found, "#sign-off"), _("Signed off."))
    return done or _page(found, sign_off_form=form)


@bp.route("/people/<int:user_id>/mentor", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.ADMIN)
def choose_mentor(user_id: int):
    mentee = person_for_review(user_id, current_user)
    plan = pages.plan_for(mentee)
    form = pages.mentor_form(mentee)
    done = save_form(form, lambda: relations.choose_mentor(mentee, plan, form.mentor.data, current_user),
                     lambda m: url_for("mentoring.mentorship", mentorship_id=m.id),
                     _("%(name)s's mentor is saved.", name=mentee.name))
    return done or render_template("mentoring/choose.html", **pages.choose_page(mentee, plan, form))
