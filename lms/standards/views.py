"""The standards reference: chapters, sections with anchors, items, search and the coverage matrix."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.standards import services

bp = Blueprint("standards", __name__, url_prefix="/standards")


@bp.route("/")
@authenticated
def index():
    return render_template("standards/index.html", chapters=services.list_chapters())


@bp.route("/<int:chapter>")
@authenticated
def chapter(chapter):
    page = services.chapter_page(chapter)
    if page is None:
        abort(404)
    return render_template("standards/chapter.html", page=page)


@bp.route("/items/<item_code>")
@authenticated
def item(item_code):
    item = services.get_item(item_code)
    if item is None:
        abort(404)
    cited = services.citations_for([item.id])[item.id]
    return render_template("standards/item.html", item=item, cited=cited, revisions=services.item_revisions(item))


@bp.route("/sections/<number>")
@authenticated
def section(number):
    chapter = number.split(".", 1)[0]
    if not chapter.isdigit():
        abort(404)
    return redirect(url_for("standards.chapter", chapter=int(chapter)) + f"#sec-{number}")


@bp.route("/search")
@authenticated
def search():
    q = request.args.get("q", "")[:100].strip()
    return render_template("standards/search.html", q=q, results=services.search_results_html(q) if q else "")


@bp.route("/coverage")
@roles_required(Role.TRAINER, Role.MANAGER, Role.ADMIN)
def coverage():
    chapter = request.args.get("chapter", type=int)
    only_gaps = request.args.get("gaps") == "1"
    table = services.coverage_table(chapter, only_gaps, authoring=current_user.has_role(Role.TRAINER, Role.ADMIN))
    return render_template("standards/coverage.html", table=table, chapter=chapter,
                           chapters=services.list_chapters(), only_gaps=only_gaps)
