"""Exam soak: N simulated takers autosave answers for a while against the gunicorn-served app, then
submit. Checks that nothing is lost or duplicated, and reports autosave throughput beside the trivial
route measured on the same server.

    python -m bench.exam_soak                                   # SQLite, 200 takers, 60 s
    python -m bench.exam_soak --takers 200 --seconds 60 --database-url postgresql://postgres@127.0.0.1:5432/test

Each taker is a thread that saves one answer at a time (the next only after the server acknowledged
the previous one, as the page does), with its own increasing sequence numbers. Threads are spread over
several client processes so the load generator is not the bottleneck.
"""

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
EXAM = "soak-exam"
PASSWORD = "bench-pass-2026"


def prepare(url: str | None, takers: int) -> tuple[str, list[str]]:
    from bench.run import prepare_database

    url, _logins = prepare_database(url, takers + 1)
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from sqlalchemy import select

    from lms import create_app
    from lms.accounts.models import User
    from lms.db import db
    from lms.exams.loader import DrawSpec, ExamSpec, SectionSpec
    from lms.exams.sync import save_exam

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        settings = {"time_limit_minutes": 120, "overdue": "autosubmit", "grace_minutes": 0, "attempts": 0,
                    "cooldown_minutes": 0, "pass_mark": 60, "shuffle_questions": True, "shuffle_options": True,
                    "layout": "one_per_page", "review": "after_submit", "description": ""}
        sections = (SectionSpec(draw=DrawSpec(("pro-201",), 10, ("single", "truefalse"))),
                    SectionSpec(draw=DrawSpec(("pro-205",), 10, ("single", "truefalse"))))
        save_exam(ExamSpec(EXAM, "Soak", "exam", None, None, settings, sections))
        db.session.commit()
        employee_nos = list(db.session.scalars(select(User.employee_no).where(User.employee_no.like("BL%"))
                                               .order_by(User.employee_no).limit(takers)))
        db.engine.dispose()
    return url, employee_nos


class Taker:
    def __init__(self, base: str, employee_no: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        html = self.get(base + "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        self.post("/login", {"identifier": employee_no, "password": PASSWORD, "csrf_token": token})
        html = self.get(base + f"/exams/{EXAM}")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        self.attempt_url = self.post(f"/exams/{EXAM}/start", {"csrf_token": self.token})[0]
        self.attempt_id = int(self.attempt_url.rstrip("/").rsplit("/", 1)[1])
        self.questions = {}  # position -> option values
        for page in range(1, 21):
            html = self.get(f"{self.attempt_url}?page={page}")
            values = re.findall(rf'name="q{page}" value="([^"]+)"', html)
            if values:
                self.questions[page] = sorted(set(values))
        self.sequence = dict.fromkeys(self.questions, 0)
        self.acknowledged = {}

    def get(self, url: str) -> str:
        # Every response is read and closed at once: a socket left open pins a sync worker for the 2 s of
        # gunicorn's graceful close (TOOLING.md), which stalled the soak for minutes.
        with self.opener.open(url, timeout=60) as response:
            return response.read().decode()

    def post(self, path, data) -> tuple[str, bytes]:
        """The final URL (after redirects) and the body, the connection closed."""
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(self.base + path if path.startswith("/") else path, data=body, timeout=60) as response:
            return response.geturl(), response.read()


def _trivial_worker(base: str, threads: int, seconds: float, queue) -> None:
    """The same kind of client (threads in processes, one request at a time each) on the trivial route."""
    count = [0]
    lock = threading.Lock()

    def run():
        opener = urllib.request.build_opener()
        stop = time.time() + seconds
        while time.time() < stop:
            with opener.open(base + "/_bench/trivial", timeout=60) as response:
                response.read()
            with lock:
                count[0] += 1

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put(count[0])


def _worker(base: str, employee_nos: list[str], seconds: float, seed: int, queue) -> None:
    rng = random.Random(seed)
    takers = [Taker(base, no) for no in employee_nos]
    start_at = time.time() + 2
    stats = {"saves": 0, "errors": [], "latencies": [], "acknowledged": {}, "attempts": {}, "began": start_at}
    lock = threading.Lock()

    def run(taker: Taker):
        while time.time() < start_at:
            time.sleep(0.01)
        stop = time.time() + seconds
        while time.time() < stop:
            position = rng.choice(list(taker.questions))
            value = rng.choice(taker.questions[position])
            taker.sequence[position] += 1
            data = {"csrf_token": taker.token, "position": position, "sequence": taker.sequence[position],
                    f"q{position}": value}
            began = time.perf_counter()
            try:
                body = json.loads(taker.post(f"/exams/attempts/{taker.attempt_id}/save", data)[1])
                if body.get("saved"):
                    taker.acknowledged[position] = value
                with lock:
                    stats["saves"] += 1
                    stats["latencies"].append(time.perf_counter() - began)
            except urllib.error.HTTPError as exc:
                with lock:
                    stats["errors"].append(f"{exc.code} {exc.read()[:100]!r}")
                exc.close()
            except OSError as exc:
                with lock:
                    stats["errors"].append(repr(exc))
        taker.post(f"/exams/attempts/{taker.attempt_id}/submit", {"csrf_token": taker.token})

    threads = [threading.Thread(target=run, args=(t,)) for t in takers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats["ended"] = time.time()  # every taker's last save and its submission answered
    for taker in takers:
        stats["acknowledged"][taker.attempt_id] = taker.acknowledged
    queue.put(stats)


def verify(url: str, acknowledged: dict[int, dict[int, str]]) -> dict:
    """Compare the stored answers with the last acknowledged save of each taker."""
    from sqlalchemy import func, select

    from lms import create_app
    from lms.audit.models import AuditEvent
    from lms.db import db
    from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        lost = 0
        for attempt_id, answers in acknowledged.items():
            stored = {aq.position: aq.response for aq in db.session.scalars(
                select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id))}
            for position, value in answers.items():
                response = stored.get(position) or {}
                if value not in (response.get("choice"), "true" if response.get("value") is True else
                                 "false" if response.get("value") is False else None):
                    lost += 1
        exam_id = db.session.scalar(select(Exam.id).where(Exam.slug == EXAM))
        attempts = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.exam_id == exam_id))
        graded = db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.exam_id == exam_id, Attempt.status == AttemptStatus.GRADED))
        submissions = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "attempt.submitted"))
        db.engine.dispose()
    return {"lost_answers": lost, "attempts": attempts, "graded": graded, "submissions_audited": submissions}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5098)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from bench.run import Server, run_wrk

    url, employee_nos = prepare(args.database_url, args.takers)
    server = Server(url, args.port, args.workers)
    try:
        trivial = run_wrk(server.base + "/_bench/trivial", None, 10, 8)
        queue = multiprocessing.Queue()
        per_process = max(1, (len(employee_nos) - 1) // args.processes)
        procs = [multiprocessing.Process(target=_trivial_worker, args=(server.base, per_process, 10, queue))
                 for _ in range(args.processes)]
        for proc in procs:
            proc.start()
        trivial_same_client = sum(queue.get() for _ in procs) / 10
        for proc in procs:
            proc.join()
        page_taker = Taker(server.base, employee_nos[0])
        cookie = "; ".join(f"{c.name}={c.value}" for c in page_taker.jar)
        question_page = run_wrk(f"{page_taker.attempt_url}?page=3", cookie, 10, 8)
        chunks = [employee_nos[1:][i::args.processes] for i in range(args.processes)]
        queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_worker, args=(server.base, chunk, args.seconds, i, queue))
                 for i, chunk in enumerate(chunks) if chunk]
        began = time.time()
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
        elapsed = time.time() - began
    finally:
        server.stop()
    saves = sum(r["saves"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    latencies = sorted(x for r in results for x in r["latencies"])
    acknowledged = {k: v for r in results for k, v in r["acknowledged"].items()}
    check = verify(url, acknowledged)
    rate = saves / args.seconds
    # The taking phase's wall time, from the common start to the last submission: a server that stalls
    # (workers pinned by clients, queued behind a restarting worker) shows here before anywhere else.
    phase_wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    allowed = args.seconds * 70 / 60
    report = {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "takers": len(acknowledged), "seconds": args.seconds, "saves": saves, "saves_per_s": round(rate, 1),
        "trivial_wrk_per_s": round(trivial["rps"], 1), "autosave_ratio_vs_wrk": round(rate / trivial["rps"], 3),
        "trivial_same_client_per_s": round(trivial_same_client, 1),
        "autosave_ratio_same_client": round(rate / trivial_same_client, 3),
        "question_page_per_s": round(question_page["rps"], 1),
        "question_page_ratio": round(question_page["rps"] / trivial["rps"], 3),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
        "failed_requests": len(errors), "error_samples": errors[:5], **check, "wall_s": round(elapsed, 1),
        "taking_phase_wall_s": round(phase_wall, 1), "taking_phase_allowed_s": round(allowed, 1),
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    (OUT / f"soak-{report['database']}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if phase_wall > allowed:
        print(f"FAILED: the {args.seconds:g}-second taking phase took {phase_wall:.0f} s of wall time "
              f"(allowed {allowed:.0f} s): the server stalled", file=sys.stderr)
    ok = (not errors and check["lost_answers"] == 0 and check["attempts"] == len(acknowledged) + 1
          and phase_wall <= allowed)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
