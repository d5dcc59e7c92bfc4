"""The home page each person lands on after login: a panel per role."""

from flask import Blueprint, render_template
from flask_login import current_user

from lms.access import authenticated
from lms.dashboard.services import home_html

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@authenticated
def home():
    return render_template("dashboard/home.html", body=home_html(current_user))
