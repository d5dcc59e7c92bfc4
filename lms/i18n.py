"""Locale selection: the user's own choice, else the session's, else (on the public verification
pages, which people outside the centre open) the browser's Accept-Language, else traditional Chinese."""

import re

from flask import has_request_context, request, session
from flask_login import current_user

from lms.accounts.models import Locale

LOCALES = [str(loc) for loc in Locale]
THREE_BYTE_UTF8 = re.compile(rb"[\xe0-\xef]")


def select_locale() -> str:
    if not has_request_context():  # CLI commands and tasks: the default language
        return str(Locale.ZH_HANT)
    if current_user and current_user.is_authenticated:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    if request.blueprint in ("verify", "badges"):  # public pages people outside the centre open
        return browser_locale() or str(Locale.ZH_HANT)
    return str(Locale.ZH_HANT)


# Accept-Language tags (lower case, by prefix) → the interface language they ask for.
BROWSER_LANGUAGES = [("zh-hant", Locale.ZH_HANT), ("zh-tw", Locale.ZH_HANT), ("zh-hk", Locale.ZH_HANT),
                     ("zh-mo", Locale.ZH_HANT), ("zh-hans", Locale.ZH_HANS), ("zh-cn", Locale.ZH_HANS),
                     ("zh-sg", Locale.ZH_HANS), ("zh-my", Locale.ZH_HANS), ("zh", Locale.ZH_HANT), ("en", Locale.EN)]


def browser_locale() -> str | None:
    """The first language of the browser's Accept-Language (by preference) the interface has."""
    for tag, _quality in request.accept_languages:
        tag = tag.lower().replace("_", "-")
        for prefix, locale in BROWSER_LANGUAGES:
            if tag == prefix or tag.startswith(prefix + "-"):
                return str(locale)
    return None


def html_lang(locale_code: str) -> str:
    return locale_code.replace("_", "-")


def mark_content_language_of(response):
    """An after-request hook: on pages not in traditional Chinese, give the content the page's script
    (simplified Chinese pages) or mark it with its language and use English punctuation (English pages):
    lms/content_language.py."""
    from flask_babel import get_locale

    from lms.content_language import mark_content_language

    # The response's kind first: a JSON answer (the exam autosave) must not look up the user's language,
    # which after the request's single statement would read the user again (bench.autosave_cpu counts it).
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    # No byte of a three-byte UTF-8 sequence: no Chinese character and no full-width punctuation to mark.
    if not THREE_BYTE_UTF8.search(response.get_data()):
        return response
    locale = str(get_locale() or Locale.ZH_HANT)
    if locale == str(Locale.ZH_HANT):
        return response
    page_lang = html_lang(locale)
    convert = _content_converter() if page_lang == "zh-Hans" else None
    response.set_data(mark_content_language(response.get_data(as_text=True), page_lang, convert))
    return response


def _content_converter():
    """The content's traditional → simplified conversion (its phrase corrections are in the database);
    OpenCC alone if the database cannot be read (an error page after a failed statement)."""
    from sqlalchemy.exc import SQLAlchemyError

    from lms.content.simplified import PLAIN, content_converter

    try:
        return content_converter().convert
    except SQLAlchemyError:
        return PLAIN.convert
