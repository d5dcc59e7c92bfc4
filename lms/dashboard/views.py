"""The home page each person lands on after login: a panel per role."""

from flask import Blueprint, render_template
from flask_login import current_user

from lms.access import authenticated
from lms.dashboard.services import learning_summary

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@authenticated
def home():
    summary = learning_summary(current_user)
    return render_template("dashboard/home.html", courses=summary.courses, completed=summary.completed,
                           overdue=summary.overdue)
