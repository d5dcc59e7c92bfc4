"""The home page each person lands on after login; each domain adds its panel as it arrives."""

from flask import Blueprint, render_template

from lms.access import authenticated

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@authenticated
def home():
    return render_template("dashboard/home.html")
