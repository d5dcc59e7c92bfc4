"""Browser tests: Debian's Chromium driven by Playwright against a live server on a SQLite file.

The server runs in a thread of the test process with the demo users loaded. Every page a journey
visits can be checked with axe-core (WCAG 2.1 A/AA) through ``check_a11y``.
"""

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from lms import create_app
from lms.accounts.demo import DEMO_PASSWORD, load_demo_users
from lms.curriculum.importer import import_tree
from lms.db import db
from tests.conftest import BACKENDS, TEST_CONFIG, _postgres_url, _worker_id
from tests.factories import SHIPPED_CONTENT

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


def _closing_responses(app):
    """werkzeug's development server skips a response's close() when the browser drops the connection
    while it drains the socket (a navigation that cancels a favicon fetch): the static file is left open
    and its ResourceWarning fails whichever test is running. Close each response once it is consumed."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)

        def chunks():
            try:
                yield from response
            finally:
                if hasattr(response, "close"):
                    response.close()

        return chunks()

    return wsgi


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, _closing_responses(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session", params=BACKENDS)
def live_app(request, tmp_path_factory):
    """The app with the shipped content and the demo people, on each database the suite runs on (a
    database of its own: the other tests empty theirs after every test)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite3'}"
    else:
        url = _postgres_url(os.environ["LMS_TEST_DATABASE_URL"], _worker_id(request.config) + "_browser")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        upgrade()
        with app.test_request_context("/"):
            import_tree(SHIPPED_CONTENT)
        db.session.commit()
        load_demo_users()
        db.session.commit()
        from lms.certification.demo import load_demo_progress

        with app.test_request_context("/"):
            assert load_demo_progress()
        from lms.kpi.demo import load_demo_kpis

        assert load_demo_kpis()
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(executable).exists(), "Debian's chromium is missing: run scripts/install-system-packages.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url,
                                  bypass_csp=True)  # lets the test inject axe-core
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"


def login(page, employee_no: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("工號或電子郵件").fill(employee_no)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()
    page.wait_for_url("**/")


def nav_link(page, name: str):
    """A link of the header's main navigation, opening the "Manage" menu first when it is in there."""
    nav = page.get_by_role("navigation", name="主選單")
    menu = nav.locator("details", has=page.locator(f'a:text-is("{name}")'))
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return nav.get_by_role("link", name=name, exact=True)


def reply_by_key(page, value: int) -> None:
    """In a simulated call, choose the reply whose option index is ``value`` with the number key shown
    next to it. The keys work once call.js has loaded: a key pressed while the page still loads is lost
    (and a ring timer then runs out, as happened under load in CI)."""
    page.wait_for_load_state("load")
    buttons = page.locator("ul.replies button.reply")
    buttons.first.wait_for()
    values = [buttons.nth(i).get_attribute("value") for i in range(buttons.count())]
    with page.expect_navigation():
        page.keyboard.press(str(values.index(str(value)) + 1))


def check_a11y(page, name: str | None = None) -> list[dict]:
    """Run axe-core on the current page; fail on serious or critical WCAG 2.1 A/AA violations."""
    assert AXE.exists(), "axe-core is missing: run npm ci"
    # A check called right after a click may find the next page still arriving: the document then has no
    # <head> for the script tag (CI: "Cannot read properties of null (reading 'appendChild')"). Wait for
    # the page that is loading, and inject again if a navigation replaced the document under us.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    lang = page.evaluate("document.documentElement.lang")
    assert lang in ("zh-Hant", "zh-Hans", "en"), lang
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
    return violations
