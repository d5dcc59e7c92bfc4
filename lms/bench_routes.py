"""Reference routes for the benchmark suite, registered only when LMS_BENCH_ROUTES is set.

Every page's throughput is quoted as a ratio to these two on the same server in the same run.
"""

from flask import Blueprint
from sqlalchemy import select

from lms.access import public
from lms.accounts.models import User
from lms.db import db

bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bp.route("/trivial")
@public
def trivial():
    return "ok"


@bp.route("/read/<int:user_id>")
@public
def indexed_read(user_id):
    name = db.session.scalar(select(User.name).where(User.id == user_id))
    return name or "-"
