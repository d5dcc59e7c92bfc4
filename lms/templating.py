"""What every template can use: navigation for the current roles, the language form, date formats."""

from flask import g, request, url_for
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from lms.accounts.labels import LOCALE_LABELS, ROLE_LABELS
from lms.accounts.models import Role
from lms.courses.labels import AUDIENCE_LABELS, TIER_HINTS, TIER_LABELS
from lms.exams.labels import exam_labels
from lms.i18n import html_lang
from lms.timeutil import local_today

_DIRECTION_CONTROLS = {code: None for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _without_direction_controls(value):
    """Every printed value of every template: plain text loses the direction embeddings, overrides and
    isolates (U+202A–U+202E, U+2066–U+2069); markup the code built is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return value.translate(_DIRECTION_CONTROLS)
    return value



MAIN, MANAGE = "main", "manage"
MENU_LABELS = {MANAGE: _l("Manage")}

# (endpoint, label, roles that see it; empty = every logged-in user[, menu]). Entries go in the header's
# row (MAIN, the default) or under its "Manage" menu (MANAGE): staff pages go there, so the header stays
# one row at 1366 px for every role (tests/browser/test_header_journeys.py measures it).
NAVIGATION = [
    ("dashboard.home", _l("Home"), set()),
    ("courses.index", _l("Courses"), set()),
    ("exams.index", _l("Tests"), set()),
    ("calls.index", _l("Calls"), set()),
    # Classroom sessions: in the main row for learners and trainers; the managers' and admins' row is full at
    # 1366 px, so theirs is in the menu.
    ("classroom.index", _l("Classroom"), {Role.LEARNER, Role.TRAINER}),
    ("certification.index", _l("Certification"), set()),
    ("standards.index", _l("Standards"), set()),
    # A manager's teams are their readiness board (lms/board); /courses/team stays for the course detail.
    ("board.index", _l("My teams"), {Role.MANAGER}),
    ("certification.reviews", _l("Reviews"), {Role.TRAINER, Role.MANAGER, Role.ADMIN}),
    ("kpi.team", _l("KPIs"), {Role.TRAINER, Role.MANAGER, Role.ADMIN}, MANAGE),
    ("evaluation_admin.reports", _l("Reports"), {Role.TRAINER, Role.MANAGER, Role.ADMIN}, MANAGE),
    ("board.index", _l("Readiness board"), {Role.ADMIN}, MANAGE),
    ("classroom.index", _l("Classroom sessions"), {Role.MANAGER, Role.ADMIN}, MANAGE),
    ("courses_admin.index", _l("Authoring"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("exams_admin.index", _l("Questions"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("calls_admin.index", _l("Scenarios"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("media_admin.index", _l("Media library"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("cases_admin.queue", _l("Case reviews"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("competitions.index", _l("Competitions"), {Role.TRAINER, Role.ADMIN}, MANAGE),
    ("admin.users", _l("Users"), {Role.ADMIN}, MANAGE),
    ("admin.teams", _l("Teams"), {Role.ADMIN}, MANAGE),
    ("audit.index", _l("Audit log"), {Role.ADMIN}, MANAGE),
    ("webhooks.index", _l("Webhooks"), {Role.ADMIN}, MANAGE),
    ("privacy.index", _l("Personal data"), {Role.ADMIN}, MANAGE),
    ("api_admin.all_tokens", _l("API tokens"), {Role.ADMIN}, MANAGE),
]


def _visible_entries():
    for endpoint, label, roles, *menu in NAVIGATION:
        if not roles or current_user.has_role(*roles):
            yield {"endpoint": endpoint, "url": url_for(endpoint), "label": label, "active": False,
                   "menu": menu[0] if menu else MAIN}


def navigation_items():
    """The header's entries for the current user; those of a menu are grouped under one entry
    {"menu": …, "label": …, "entries": […], "active": …} where the menu's first entry would be."""
    if not current_user.is_authenticated:
        return []
    entries = list(_visible_entries())
    # The exact page if it is in the menu, else the first entry of the same section.
    exact = next((i for i in entries if i["endpoint"] == request.endpoint), None)
    section = next((i for i in entries if i["endpoint"] != "dashboard.home"
                    and i["endpoint"].split(".")[0] == request.blueprint), None)
    if exact or section:
        (exact or section)["active"] = True
    items, menus = [], {}
    for entry in entries:
        if entry["menu"] == MAIN:
            items.append(entry)
            continue
        if entry["menu"] not in menus:
            menus[entry["menu"]] = {"menu": entry["menu"], "label": MENU_LABELS[entry["menu"]], "entries": []}
            items.append(menus[entry["menu"]])
        menus[entry["menu"]]["entries"].append(entry)
    for menu in menus.values():
        menu["active"] = any(entry["active"] for entry in menu["entries"])
    return items


_TRANSLATED: dict[tuple, dict] = {}


def translated_labels(labels: dict, locale: str) -> dict:
    """The label table in the request's language. Lazy strings translate again at every use, and every page
    gets these tables, so each is translated once per language and process (the catalogues are loaded
    at start and never change while the process runs). Keyed by the label objects themselves, so a
    table that gains an entry (a question type registered later) is translated afresh."""
    key = (locale, tuple((name, id(label)) for name, label in labels.items()))
    table = _TRANSLATED.get(key)
    if table is None:
        if len(_TRANSLATED) > 500:  # only a test that keeps registering kinds gets here
            _TRANSLATED.clear()
        table = _TRANSLATED[key] = {name: str(label) for name, label in labels.items()}
    return table


def _request_translations():
    translations = g.get("_lms_translations")
    if translations is None:
        translations = g._lms_translations = get_translations()
    return translations


def _gettext(string: str) -> str:
    return _request_translations().ugettext(string)


def _ngettext(singular: str, plural: str, num: int) -> str:
    return _request_translations().ungettext(singular, plural, num)


def register_template_helpers(app):
    # Flask-Babel's template callables look the locale up on every string; a page has hundreds.
    # These look it up once per request (the locale never changes within one).
    app.jinja_env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)
    # A field's own message (a string, or a lazily translated one), not the nested errors of a row of fields.
    app.jinja_env.tests["message"] = lambda value: isinstance(value, str | LazyString)

    @app.context_processor
    def inject():
        locale = str(get_locale() or "zh_Hant")
        return {
            "nav_items": navigation_items(),
            "html_lang": html_lang(locale),
            "current_locale": locale,
            "locale_choices": LOCALE_LABELS,
            "current_path": request.full_path.rstrip("?"),
            "role_labels": translated_labels(ROLE_LABELS, locale),
            "locale_labels": LOCALE_LABELS,
            "organisation_name": (app.config.get("ORGANISATION_NAMES") or {}).get(locale)
            or app.config["ORGANISATION_NAME"],
            "tier_labels": translated_labels(TIER_LABELS, locale),
            "tier_hints": translated_labels(TIER_HINTS, locale),
            "audience_labels": translated_labels(AUDIENCE_LABELS, locale),
            **{name: translated_labels(labels, locale) for name, labels in exam_labels().items()},
            "today": local_today(),
        }

    @app.template_global()
    def header_todo_count() -> int:
        """The header's count of things to do (lms/notifications/todo.py: a few statements, once per request)."""
        from sqlalchemy.exc import SQLAlchemyError

        from lms.notifications.todo import todo_count

        if not current_user.is_authenticated:
            return 0
        try:
            return todo_count(current_user)
        except SQLAlchemyError:  # an error page while the database is away still renders
            app.logger.exception("the header's to-do count failed")
            return 0

    @app.template_global()
    def csrf_field():
        # No id attribute: several forms on one page must not repeat an id.
        return Markup('<input type="hidden" name="csrf_token" value="%s">') % escape(generate_csrf())

    app.jinja_env.add_extension("jinja2.ext.do")
    # Direction overrides in text stored before they were refused (names, titles) must not reverse a page.
    app.jinja_env.finalize = _without_direction_controls
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
