"""What every template can use: navigation for the current roles, the language form, date formats."""

from flask import request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.accounts.forms import LOCALE_LABELS, ROLE_LABELS, LocaleForm
from lms.accounts.models import Role
from lms.i18n import html_lang

# (endpoint, label, roles that see it; empty = every logged-in user)
NAVIGATION = [
    ("dashboard.home", _l("Home"), set()),
    ("admin.users", _l("Users"), {Role.ADMIN}),
    ("admin.teams", _l("Teams"), {Role.ADMIN}),
    ("audit.index", _l("Audit log"), {Role.ADMIN}),
]


def navigation_items():
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, roles in NAVIGATION:
        if roles and not current_user.has_role(*roles):
            continue
        blueprint = endpoint.split(".")[0]
        active = request.endpoint == endpoint or (
            endpoint != "dashboard.home" and request.blueprint == blueprint and endpoint.endswith(".index"))
        items.append({"url": url_for(endpoint), "label": label, "active": active or request.endpoint == endpoint})
    return items


def register_template_helpers(app):
    @app.context_processor
    def inject():
        locale = str(get_locale() or "zh_Hant")
        return {
            "nav_items": navigation_items(),
            "html_lang": html_lang(locale),
            "current_locale": locale,
            "locale_form": LocaleForm(formdata=None, locale=locale, next=request.full_path.rstrip("?")),
            "role_labels": ROLE_LABELS,
            "locale_labels": LOCALE_LABELS,
            "organisation_name": app.config["ORGANISATION_NAME"],
        }

    @app.template_global()
    def csrf_field():
        # No id attribute: several forms on one page must not repeat an id.
        return Markup('<input type="hidden" name="csrf_token" value="%s">') % escape(generate_csrf())

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
