"""What every template can use: navigation for the current roles, the language form, date formats."""

from flask import g, request, url_for
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from lms.accounts.labels import LOCALE_LABELS, ROLE_LABELS
from lms.accounts.models import Role
from lms.courses.labels import AUDIENCE_LABELS, TIER_HINTS, TIER_LABELS
from lms.exams.labels import exam_labels
from lms.i18n import html_lang
from lms.timeutil import local_today

# (endpoint, label, roles that see it; empty = every logged-in user)
NAVIGATION = [
    ("dashboard.home", _l("Home"), set()),
    ("courses.index", _l("Courses"), set()),
    ("exams.index", _l("Tests"), set()),
    ("calls.index", _l("Calls"), set()),
    ("certification.index", _l("Certification"), set()),
    ("standards.index", _l("Standards"), set()),
    ("courses.team", _l("My teams"), {Role.MANAGER}),
    ("certification.reviews", _l("Reviews"), {Role.TRAINER, Role.MANAGER, Role.ADMIN}),
    ("courses_admin.index", _l("Authoring"), {Role.TRAINER, Role.ADMIN}),
    ("exams_admin.index", _l("Questions"), {Role.TRAINER, Role.ADMIN}),
    ("calls_admin.index", _l("Scenarios"), {Role.TRAINER, Role.ADMIN}),
    ("admin.users", _l("Users"), {Role.ADMIN}),
    ("admin.teams", _l("Teams"), {Role.ADMIN}),
    ("audit.index", _l("Audit log"), {Role.ADMIN}),
]


def navigation_items():
    if not current_user.is_authenticated:
        return []
    items = [{"endpoint": endpoint, "url": url_for(endpoint), "label": label, "active": False}
             for endpoint, label, roles in NAVIGATION if not roles or current_user.has_role(*roles)]
    # The exact page if it is in the menu, else the first entry of the same section.
    exact = next((i for i in items if i["endpoint"] == request.endpoint), None)
    section = next((i for i in items if i["endpoint"] != "dashboard.home"
                    and i["endpoint"].split(".")[0] == request.blueprint), None)
    if exact or section:
        (exact or section)["active"] = True
    return items


def _translated(labels: dict) -> dict:
    # Lazy strings translate again at every use; a page shows a label many times, so do it once.
    return {key: str(label) for key, label in labels.items()}


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

    @app.context_processor
    def inject():
        locale = str(get_locale() or "zh_Hant")
        return {
            "nav_items": navigation_items(),
            "html_lang": html_lang(locale),
            "current_locale": locale,
            "locale_choices": LOCALE_LABELS,
            "current_path": request.full_path.rstrip("?"),
            "role_labels": _translated(ROLE_LABELS),
            "locale_labels": LOCALE_LABELS,
            "organisation_name": app.config["ORGANISATION_NAME"],
            "tier_labels": _translated(TIER_LABELS),
            "tier_hints": _translated(TIER_HINTS),
            "audience_labels": _translated(AUDIENCE_LABELS),
            **{name: _translated(labels) for name, labels in exam_labels().items()},
            "today": local_today(),
        }

    @app.template_global()
    def csrf_field():
        # No id attribute: several forms on one page must not repeat an id.
        return Markup('<input type="hidden" name="csrf_token" value="%s">') % escape(generate_csrf())

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
