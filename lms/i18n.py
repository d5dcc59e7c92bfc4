"""Locale selection: the user's own choice, else the session's, else traditional Chinese."""

from flask import has_request_context, session
from flask_login import current_user

from lms.accounts.models import Locale

LOCALES = [str(loc) for loc in Locale]


def select_locale() -> str:
    if not has_request_context():  # CLI commands and tasks: the default language
        return str(Locale.ZH_HANT)
    if current_user and current_user.is_authenticated:
        return str(current_user.locale)
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else str(Locale.ZH_HANT)


def html_lang(locale_code: str) -> str:
    return locale_code.replace("_", "-")
