"""The to-do page every signed-in person has, and their notification preferences."""

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated
from lms.notifications import preferences
from lms.notifications.forms import preferences_form
from lms.notifications.labels import GROUP_HINTS
from lms.notifications.todo import Moment, todo_groups
from lms.views import save_form

bp = Blueprint("notifications", __name__)


@bp.route("/todo")
@authenticated
def todo():
    return render_template("notifications/todo.html", groups=todo_groups(current_user), now=Moment.current().now)


@bp.route("/todo/preferences", methods=["GET", "POST"])
@authenticated
def preferences_page():
    form = preferences_form(preferences.my_deliveries(current_user))
    done = save_form(form, lambda: preferences.save_deliveries(current_user, form.choices()),
                     then=lambda _r: url_for("notifications.preferences_page"), success=_("Your choices are saved."))
    return done or render_template("notifications/preferences.html", form=form, hints=GROUP_HINTS)
