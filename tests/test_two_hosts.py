"""Two app hosts on one PostgreSQL and one Redis, as production runs N of them behind a load balancer
(README, "Running in production"): two gunicorn servers started with gunicorn.conf.py, each with an instance
folder of its own, and a task consumer. A learner logs in on host A and answers on host B with the same
cookie; a rate limit counts the requests of both hosts together; a page host B keeps in its cache shows a
change made through host A at once; a task queued by host A is run by the consumer.

Slow (it starts three processes); runs when LMS_TEST_DATABASE_URL is given and a Redis answers on
127.0.0.1:6379 (LMS_TEST_REDIS_URL), skipped otherwise."""

import os
import re
import socket
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from tests.conftest import TEST_CONFIG, _postgres_url, _worker_id

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct-horse-battery"
VERIFY_LIMIT = 6


def _redis_answers() -> bool:
    from lms.config import _redis_answers as answers

    return answers(REDIS_URL)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("LMS_TEST_DATABASE_URL"), reason="needs LMS_TEST_DATABASE_URL"),
    pytest.mark.skipif(not _redis_answers(), reason=f"needs a Redis at {REDIS_URL}"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """gunicorn (a host) or the task consumer, with its log in the test's folder."""

    def __init__(self, name: str, args: list[str], env: dict, logs: Path, probe: str | None = None):
        self.name, self.log_path = name, logs / f"{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - open for the process's lifetime
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = probe
        if probe:
            self._wait_for(probe)

    def _wait_for(self, base: str) -> None:
        for _ in range(150):
            if self.proc.poll() is not None:
                break
            try:
                requests.get(base + "/login", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _prepare(url: str, receiver_url: str) -> dict:
    """Schema, the test content, the people and a webhook endpoint, written before any host starts."""
    from flask_migrate import upgrade

    from lms import create_app
    from lms.accounts.models import Role
    from lms.courses.models import Course, Enrolment, EnrolmentSource
    from lms.db import db
    from lms.timeutil import local_today
    from lms.webhooks.endpoints import create_endpoint
    from lms.webhooks.events import EVENT_TYPES
    from tests.factories import Factory

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        make = Factory()
        make.content()
        learner = make.user(Role.LEARNER, employee_no="H0001", name="兩台主機")
        admin = make.user(Role.ADMIN, employee_no="H0900", name="管理員")
        course = db.session.scalar(db.select(Course).where(Course.code == "TST-201"))
        db.session.add(Enrolment(user_id=learner.id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                                 due_date=local_today() + timedelta(days=2)))
        endpoint = create_endpoint(admin, receiver_url, "兩台主機測試", list(EVENT_TYPES))
        db.session.commit()
        ids = {"endpoint": endpoint.id}
        db.session.remove()
        db.engine.dispose()
    return ids


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    from tests.webhooks.receiver import start_receiver

    receiver, server = start_receiver()
    url = _postgres_url(os.environ["LMS_TEST_DATABASE_URL"], _worker_id(request.config) + "_two_hosts")
    ids = _prepare(url, receiver.url)
    logs = tmp_path_factory.mktemp("two-hosts")
    run = uuid.uuid4().hex[:12]
    shared = {**os.environ, "PYTHONPATH": str(ROOT), "LMS_DATABASE_URL": url, "LMS_SECRET_KEY": f"two-hosts-{run}",
              "LMS_HUEY_REDIS_URL": REDIS_URL, "LMS_HUEY_NAME": f"lms-test-{run}",
              "LMS_RATELIMIT_STORAGE_URI": REDIS_URL, "LMS_RATELIMIT_KEY_PREFIX": f"lms-test-{run}",
              "LMS_VERIFY_RATE_LIMIT": f"{VERIFY_LIMIT} per minute", "LMS_WORKERS": "2",
              "LMS_MAIL_BACKEND": "memory", "LMS_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    processes = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            env = {**shared, "LMS_BIND": f"127.0.0.1:{port}", "LMS_INSTANCE_PATH": str(logs / f"instance-{name}")}
            processes.append(Process(f"host-{name}", [str(ROOT / ".venv/bin/gunicorn"), "-c",
                                                      str(ROOT / "gunicorn.conf.py")], env, logs,
                                     probe=f"http://127.0.0.1:{port}"))
        consumer_env = {**shared, "LMS_INSTANCE_PATH": str(logs / "instance-consumer")}
        processes.append(Process("consumer", [str(ROOT / ".venv/bin/huey_consumer"), "lms.worker.huey", "-w", "1"],
                                 consumer_env, logs))
        yield {"a": processes[0].base, "b": processes[1].base, "receiver": receiver, "ids": ids, "logs": logs}
    finally:
        for process in processes:
            process.stop()
        server.shutdown()
        server.server_close()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     html).group(0).rsplit('value="', 1)[1].rstrip('"')


def _login(base: str, employee_no: str) -> requests.Session:
    browser = requests.Session()
    token = _token(browser.get(base + "/login").text)
    response = browser.post(base + "/login", data={"identifier": employee_no, "password": PASSWORD,
                                                   "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return browser


def _replay(cookie: str) -> requests.Session:
    """A browser that sends only this session cookie (one kept from before a logout)."""
    browser = requests.Session()
    browser.headers["Cookie"] = f"session={cookie}"
    return browser


def test_a_learner_logs_in_on_one_host_and_answers_on_the_other(cluster):
    # One browser, one cookie jar: its requests go to either host, as a load balancer without sticky
    # sessions sends them (cookies do not depend on the port; behind a balancer both hosts have one name).
    a, b = cluster["a"], cluster["b"]
    browser = _login(a, "H0001")
    started = browser.post(b + "/exams/tst-fixed/start", data={"csrf_token": _token(browser.get(b + "/exams/").text)},
                           allow_redirects=False)
    assert started.status_code == 302 and "/exams/attempts/" in started.headers["Location"]
    path = started.headers["Location"]
    token = _token(browser.get(b + path).text)
    saved = browser.post(b + path + "/save", data={"csrf_token": token, "position": "2", "sequence": "1", "q2": "三聲"})
    assert saved.json() == {"saved": True, "position": 2, "sequence": 1}
    # The next answer goes to host A (each host's workers know nothing of the other's): it follows on.
    saved = browser.post(a + path + "/save", data={"csrf_token": token, "position": "2", "sequence": "2", "q2": "3聲"})
    assert saved.json() == {"saved": True, "position": 2, "sequence": 2}
    stale = browser.post(b + path + "/save", data={"csrf_token": token, "position": "2", "sequence": "1", "q2": "舊"})
    assert stale.status_code == 409
    # Logged out on host B: host A no longer accepts the session's cookie either.
    cookie = browser.cookies["session"]
    assert browser.post(b + "/logout", data={"csrf_token": token}, allow_redirects=False).status_code in (302, 303)
    assert "/login" in _replay(cookie).get(a + "/", allow_redirects=False).headers["Location"]


def test_a_rate_limit_counts_the_requests_of_both_hosts_together(cluster):
    a, b = cluster["a"], cluster["b"]
    answers = [requests.get(f"{(a, b)[n % 2]}/verify/{'x' * 43}", timeout=10).status_code
               for n in range(VERIFY_LIMIT + 2)]
    # Each host alone has seen at most half the limit; together they reach it.
    assert answers[:VERIFY_LIMIT] == [404] * VERIFY_LIMIT
    assert answers[VERIFY_LIMIT:] == [429, 429]


def test_a_change_through_one_host_shows_on_the_others_cached_page(cluster):
    a, b = cluster["a"], cluster["b"]
    browser = _login(b, "H0001")
    on_a = on_b = browser
    for _ in range(3):  # host B's workers (two) build and keep the learner's home
        home = on_b.get(b + "/").text
        assert "TST-201" in home and "測試投訴處理" in home
    before = on_b.get(b + "/").text
    token = _token(on_a.get(a + "/courses/TST-201/lessons/apology").text)
    for lesson in ("apology", "closing"):
        done = on_a.post(f"{a}/courses/TST-201/lessons/{lesson}/complete", data={"csrf_token": token},
                         allow_redirects=False)
        assert done.status_code == 302, done.text[:500]
    after = on_b.get(b + "/").text
    assert after != before
    # Before: the course is the learner's next step, due in two days; after: done, it is gone from the home.
    assert "TST-201" in _main(before) and "TST-201" not in _main(after)


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_task_queued_by_one_host_is_run_by_the_consumer(cluster):
    a, b, receiver = cluster["a"], cluster["b"], cluster["receiver"]
    endpoint = cluster["ids"]["endpoint"]
    admin = _login(a, "H0900")
    page = admin.get(f"{a}/admin/webhooks/{endpoint}")
    sent = admin.post(f"{a}/admin/webhooks/{endpoint}/test", data={"csrf_token": _token(page.text)},
                      allow_redirects=False)
    assert sent.status_code == 302
    # Other tests of the cluster may have sent events to the same endpoint (a course completed): wait for this one.
    def tested():
        return [r for r in receiver.requests if r.headers["LMS-Event-Type"] == "webhook.test"]

    deadline = time.monotonic() + 30
    while not tested() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert tested(), (cluster["logs"] / "consumer.log").read_text()[-3000:]
    # Host B's log page shows what the consumer recorded.
    log = admin.get(f"{b}/admin/webhooks/{endpoint}").text
    assert "HTTP 200" in log and "已送達" in log
