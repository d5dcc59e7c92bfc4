"""Addresses that moved when each domain got one name (quizzes → exams, scenarios → calls, author →
courses): old bookmarks and links stored before the move keep working."""

from flask import Blueprint, redirect, request

from lms.access import public

bp = Blueprint("moved", __name__)

MOVED_PREFIXES = {
    "/quizzes": "/exams/manage",
    "/scenarios": "/calls/manage",
    "/author": "/courses/manage",
}


@public
def moved(rest=""):
    """308 keeps the method, so an old form posted to an old address still reaches its page."""
    old_prefix = "/" + request.path.split("/", 2)[1]
    target = f"{MOVED_PREFIXES[old_prefix]}/{rest}"
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(target, code=308)


# One endpoint per old prefix: werkzeug redirects between rules of one endpoint that share defaults.
for _old in MOVED_PREFIXES:
    _name = _old.strip("/")
    bp.add_url_rule(f"{_old}/", f"{_name}_index", moved, methods=["GET", "POST"])
    bp.add_url_rule(f"{_old}/<path:rest>", _name, moved, methods=["GET", "POST"])
