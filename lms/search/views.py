"""The search box in the header: the standards, the courses and the published service cases in one list each."""

from flask import Blueprint, render_template, request

from lms.access import authenticated
from lms.search.services import search as run_search

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
@authenticated
def index():
    q = request.args.get("q", "")[:100].strip()
    standards = run_search(q, ("section", "item")) if q else []
    courses = run_search(q, ("course", "lesson")) if q else []
    cases = run_search(q, ("case",)) if q else []
    return render_template("search/index.html", q=q, standards=standards, courses=courses, cases=cases)
