import importlib.util
from pathlib import Path

from lms.accounts.models import Locale, User
from lms.db import db

ROOT = Path(__file__).resolve().parent.parent


def _i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_traditional_chinese_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-Hant">' in html and "登入" in html and "Log in" not in html


def test_anonymous_visitor_switches_to_english_and_simplified(client):
    client.post("/locale", data={"locale": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    client.post("/locale", data={"locale": "zh_Hans", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html and "登录" in html


def test_logged_in_user_choice_is_stored_on_the_account(app, client, auth, make):
    user = make.user()
    auth.login(user)
    response = client.post("/locale", data={"locale": "en", "next": "/account"})
    assert response.headers["Location"] == "/account"
    assert db.session.get(User, user.id).locale == Locale.EN
    # A new browser session uses the stored choice at once.
    other = app.test_client()
    type(auth)(other).login(user)
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_unknown_locale_is_refused(client):
    assert client.post("/locale", data={"locale": "klingon"}).status_code == 400


def test_locale_switch_does_not_redirect_off_site(client):
    response = client.post("/locale", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_message_has_a_traditional_chinese_translation():
    assert _i18n_script().missing_translations() == []


def test_catalogues_are_built_from_the_translation_source():
    from babel.messages.pofile import read_po

    script = _i18n_script()
    source = script.load_source()
    with open(ROOT / "lms/translations/zh_Hant/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    def translation(msgid):
        message = catalog.get(msgid)
        if message is None:
            return None
        return message.string[0] if isinstance(message.string, tuple) else message.string

    stale = [msgid for msgid in script.extract_ids() if translation(msgid) != source.get(msgid)]
    assert stale == [], "run: python scripts/i18n.py build"
