"""The readiness board: a manager's teams (an administrator's: every team), one person's record, the
bulk actions on the people ticked, and the CSV export."""

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from lms.access import roles_required
from lms.accounts.models import Role
from lms.audit.services import record_read
from lms.board import bulk, export, pages, person
from lms.board.forms import BoardFilterForm, BulkForm
from lms.board.labels import board_labels
from lms.calls.debrief import debrief
from lms.competitions.board import board_competitions
from lms.db import mark_refused
from lms.errors import DomainError
from lms.forms import choices
from lms.generations import cached_results

bp = Blueprint("board", __name__, url_prefix="/board")
bp.context_processor(board_labels)
READERS = (Role.MANAGER, Role.ADMIN)


def _filters():
    teams = pages.board_teams(current_user)
    return teams, BoardFilterForm(request.args, teams=teams)


def _bulk_form() -> BulkForm:
    form = BulkForm()
    form.course.choices = choices([("", _("Choose a course")), *pages.assignable_courses()])
    form.programme.choices = choices([("", _("Choose a programme")), *pages.assignable_programmes()])
    return form


def _back(form: BulkForm) -> str:
    """Back to the board as it was (its filters), never elsewhere."""
    back = form.back.data or ""
    return back if back.startswith("/board") and "//" not in back else url_for("board.index")


def _named(field, message) -> str:
    return _("%(first)s: %(second)s", first=field.label.text, second=message)


def _bulk(form: BulkForm, action, success):
    """Run a bulk action; a refusal is flashed naming its field, and the request writes nothing."""
    if not form.validate_on_submit():
        mark_refused()
        lines = [_named(field, error) for field in form if field.type != "CSRFTokenField" for error in field.errors]
        for line in lines or [_("The form expired; please try again.")]:
            flash(line, "error")
        return redirect(_back(form))
    try:
        done = action()
    except DomainError as exc:
        mark_refused()
        field = getattr(form, exc.field or "", None)
        flash(_named(field, exc.message) if field is not None else str(exc.message), "error")
    else:
        flash(success(done), "success")
    return redirect(_back(form))


@bp.route("/")
@roles_required(*READERS)
def index():
    # The content depends on the data, the reader's teams and filters, the language and the day; its bulk
    # form carries the session's form token: kept per person, filters and token, for the hour. The teams and
    # the filter form are built only when it is built (an administrator's are 4,000 teams at 100,000 learners:
    # building them on every request grew the cached page with the organisation).
    key = ("board content", current_user.id, tuple(sorted(request.args.items(multi=True))), session.get("csrf_token"))
    body = cached_results(key, lambda: _content(*_filters()), "personal", per="hour")
    return render_template("board/index.html", body=body)


def _content(teams, form) -> Markup:
    board = pages.read_board(teams, form.to_filter())
    bulk_form = _bulk_form()
    bulk_form.back.data = request.full_path.rstrip("?")
    # The rows and the team section are the same for every reader of the same teams and filters.
    rows_html = cached_results(("board rows html", *board.key),
                               lambda: Markup(render_template("board/_rows.html", board=board)), per="hour")
    team_html = cached_results(("board team html", *board.key),
                               lambda: Markup(render_template("board/_team_section.html", board=board)), per="hour")
    filters_html = cached_results(("board filters html", board.key[0], tuple(sorted(request.args.items(multi=True)))),
                                  lambda: Markup(render_template("board/_filters.html", board=board, form=form)),
                                  per="hour")
    competitions = board_competitions([board.team.id] if board.team else [t.id for t in board.teams])
    return Markup(render_template("board/_content.html", board=board, form=form, bulk_form=bulk_form,
                                  rows_html=rows_html, team_html=team_html, filters_html=filters_html,
                                  competitions=competitions,
                                  export_args={k: v for k, v in request.args.items() if k != "page"}))


@bp.route("/export.csv")
@roles_required(*READERS)
def export_csv():
    teams, form = _filters()
    record_read("board.exported", "team", "-", summary=request.query_string.decode("ascii", "replace")[:500])
    lines = export.board_csv([t.id for t in teams], form.to_filter())
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="readiness-board.csv"'})


@bp.route("/people/<int:user_id>")
@roles_required(*READERS)
def person_page(user_id):
    record = person.person_record(current_user, user_id)
    return render_template("board/person.html", record=record)


@bp.route("/people/<int:user_id>/calls/<int:call_id>")
@roles_required(*READERS)
def call_debrief(user_id, call_id):
    call = person.call_of(current_user, user_id, call_id)
    return render_template("calls/debrief.html", report=debrief(call), attempt=call, staff_view=True,
                           back_url=url_for("board.person_page", user_id=user_id), back_label=call.user.name)


@bp.route("/assign", methods=["POST"])
@roles_required(*READERS)
def assign():
    form = _bulk_form()
    return _bulk(form, lambda: bulk.assign_to_chosen(current_user, form.people.data, form.course.data,
                                                     form.due_date.data),
                 lambda n: ngettext("%(num)d enrolment created or updated.", "%(num)d enrolments created or updated.", n))


def _programme_assigned(done) -> str:
    title, result = done
    people = ngettext("%(num)d person", "%(num)d people", result.people)
    courses = ngettext("%(num)d course", "%(num)d courses", result.courses)
    made = ngettext("%(num)d new enrolment", "%(num)d new enrolments", result.created)
    skipped = ngettext("%(num)d already enrolled or completed, left as it was (its due date too)",
                       "%(num)d already enrolled or completed, left as they were (their due dates too)", result.skipped)
    return _("%(programme)s: %(courses)s assigned to %(people)s: %(made)s; %(skipped)s.", programme=title,
             courses=courses, people=people, made=made, skipped=skipped)


@bp.route("/assign-programme", methods=["POST"])
@roles_required(*READERS)
def assign_programme():
    form = _bulk_form()
    return _bulk(form, lambda: bulk.assign_programme_to_chosen(current_user, form.people.data, form.programme.data,
                                                               form.due_date.data), _programme_assigned)


@bp.route("/remind", methods=["POST"])
@roles_required(*READERS)
def remind():
    form = _bulk_form()
    return _bulk(form, lambda: bulk.remind_chosen(current_user, form.people.data),
                 lambda n: ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", n))
