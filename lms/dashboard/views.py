"""The home page each person lands on after login: a panel per role."""

from flask import Blueprint, render_template
from flask_login import current_user

from lms.access import authenticated
from lms.accounts.models import Role
from lms.courses.progress import my_courses

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@authenticated
def home():
    courses = my_courses(current_user) if current_user.has_role(Role.LEARNER) else []
    open_courses = [c for c in courses if not c.enrolment.completed_at]
    return render_template("dashboard/home.html", courses=open_courses,
                           completed=len(courses) - len(open_courses),
                           overdue=sum(1 for c in open_courses if c.overdue))
