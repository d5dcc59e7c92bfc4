"""Certificates: PDF rendering (Chinese vs Latin text, worker memory, size, embedded fonts) and bulk
issue of 1,000 certificates on the task queue with its live progress.

    python -m bench.certificates pdf  [--renders 100]
    python -m bench.certificates bulk [--learners 1000] [--workers 2] [--database-url …]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_pdf(renders: int) -> None:
    os.environ.setdefault("LMS_INSTANCE_PATH", str(OUT / "instance"))
    from lms import create_app
    from lms.certification import documents
    from lms.certification.models import Certificate
    from lms.db import utcnow
    from lms.pdf import render_pdf, renderer_pid

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "BASE_URL": "https://training.example.com"})
    now = utcnow()

    def certificate(name, title, issuer):
        return Certificate(public_id="Q" * 43, holder_name=name, programme_title=title, issuer_name=issuer,
                           issued_at=now, expires_at=now + timedelta(days=730), renew_from=now, grace_until=now,
                           cycle=1)

    cases = {
        "latin": (certificate("Chen Yi-chun", "Customer Service Representative, Level 1", "Customer Service Centre"),
                  "en"),
        "cjk": (certificate("陳怡君", "客服專員一級認證", "恆通電訊客戶服務中心"), "zh_Hant"),
    }
    results = {}
    with app.app_context(), app.test_request_context("/"):
        for name, (cert, locale) in cases.items():
            times, sizes = [], []
            first_rss = None
            for i in range(renders + 1):
                started = time.perf_counter()
                pdf = render_pdf(documents.certificate_html(cert, locale=locale))
                elapsed = time.perf_counter() - started
                if i == 0:
                    first, first_rss = elapsed, _rss_mb(renderer_pid())
                else:
                    times.append(elapsed)
                sizes.append(len(pdf))
            path = OUT / f"certificate-{name}.pdf"
            path.write_bytes(pdf)
            fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
            results[name] = {"first": first, "median": statistics.median(times), "p95": sorted(times)[int(len(times) * .95)],
                             "size": sizes[-1], "rss_first": first_rss, "rss_last": _rss_mb(renderer_pid()),
                             "fonts": [line.split()[0] for line in fonts.splitlines()[2:]]}
    print(f"{'case':6} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'KB':>6} {'RSS 1st MB':>11} "
          f"{'RSS after MB':>13}  fonts")
    for name, r in results.items():
        print(f"{name:6} {r['first'] * 1000:9.0f} {r['median'] * 1000:10.1f} {r['p95'] * 1000:8.1f} "
              f"{r['size'] / 1024:6.0f} {r['rss_first']:11.0f} {r['rss_last']:13.0f}  {', '.join(r['fonts'])}")
    ratio = results["cjk"]["median"] / results["latin"]["median"]
    growth = results["cjk"]["rss_last"] / results["cjk"]["rss_first"]
    print(f"CJK ÷ Latin median: {ratio:.2f}×   renderer memory after {renders} CJK renders ÷ after the first: "
          f"{growth:.2f}×   (renderer process; the web worker only sends HTML and receives bytes)")


def _evidence(programme_slug: str, learners: int) -> tuple[int, list[int]]:
    """Give the first ``learners`` generated learners every requirement of the programme, in bulk."""
    from sqlalchemy import insert, select, update

    from lms.accounts.models import User
    from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario
    from lms.certification.models import Programme, SignOff
    from lms.courses.models import Course, Enrolment, EnrolmentSource
    from lms.db import db, utcnow
    from lms.exams.models import Attempt, AttemptStatus, Exam

    now = utcnow()
    programme = db.session.scalar(select(Programme).where(Programme.slug == programme_slug))
    trainer = db.session.scalar(select(User.id).where(User.employee_no == "BTRAINER"))
    users = list(db.session.scalars(select(User.id).where(User.employee_no.like("BL%")).order_by(User.id)
                                    .limit(learners)))
    for req in programme.definition["requirements"]:
        if req["kind"] == "course":
            course = db.session.scalar(select(Course.id).where(Course.code == req["course"]))
            have = set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == course,
                                                                          Enrolment.user_id.in_(users))))
            db.session.execute(update(Enrolment).where(Enrolment.course_id == course, Enrolment.user_id.in_(users))
                               .values(completed_at=now))
            rows = [{"user_id": u, "course_id": course, "source": EnrolmentSource.SELF, "enrolled_at": now,
                     "completed_at": now} for u in users if u not in have]
            if rows:
                db.session.execute(insert(Enrolment), rows)
        elif req["kind"] == "exam":
            exam = db.session.scalar(select(Exam).where(Exam.slug == req["exam"]))
            db.session.execute(insert(Attempt), [
                {"exam_id": exam.id, "exam_version_id": exam.current_version_id, "user_id": u, "number": 1,
                 "status": AttemptStatus.GRADED, "started_at": now, "submitted_at": now, "graded_at": now,
                 "closed_by": "learner", "score": 27.0, "max_score": 30.0, "percent": 90.0, "passed": True}
                for u in users])
        elif req["kind"] == "scenario":
            scenario = db.session.scalar(select(Scenario).where(Scenario.slug == req["scenario"]))
            from lms.calls.models import ScenarioVersion

            version = db.session.scalar(select(ScenarioVersion.id).where(
                ScenarioVersion.scenario_id == scenario.id, ScenarioVersion.number == scenario.current_number))
            db.session.execute(insert(CallAttempt), [
                {"scenario_id": scenario.id, "version_id": version, "user_id": u, "mode": CallMode.ASSESSMENT,
                 "status": CallStatus.FINISHED, "variant_index": 0, "state": {}, "node_shown_at": now,
                 "started_at": now, "finished_at": now, "outcome": "resolved", "percent": 95.0, "passed": True,
                 "criteria": {}, "critical_failed": []} for u in users])
        elif req["kind"] == "signoff":
            db.session.execute(insert(SignOff), [
                {"user_id": u, "programme_id": programme.id, "requirement_id": req["id"], "trainer_id": trainer,
                 "ratings": [2] * len(req["checklist"]), "percent": 100.0, "passed": True, "comment": "",
                 "observed_on": now.date(), "created_at": now} for u in users])
    db.session.commit()
    return programme.id, users


def bench_bulk(learners: int, workers: int, url: str | None) -> int:
    OUT.mkdir(exist_ok=True)
    instance = OUT / "instance"  # where prepare_database points the app (and so the task queue)
    os.environ["LMS_INSTANCE_PATH"] = str(instance)
    from bench.run import prepare_database

    url, _logins = prepare_database(url, learners)
    os.environ["LMS_DATABASE_URL"] = url
    from lms.tasks import huey

    assert Path(huey.storage.filename).parent == instance, huey.storage.filename
    huey.flush()  # nothing left over from an earlier run
    from sqlalchemy import func, select

    from lms import create_app
    from lms.accounts.models import User
    from lms.certification import bulk
    from lms.certification.models import BulkJob, Certificate, Programme
    from lms.db import db, sqlite_begin_immediate

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    consumer = subprocess.Popen([str(Path(sys.executable).parent / "huey_consumer"), "lms.worker.huey",
                                 "-w", str(workers), "-k", "thread", "-q"],
                                env={**os.environ, "LMS_PDF_RENDERERS": str(workers)}, stdout=open(OUT / "huey-consumer.log", "w"),  # noqa: SIM115
                                stderr=subprocess.STDOUT)
    try:
        with app.app_context(), app.test_request_context("/"):
            programme_id, _users = _evidence("rep-level-1", learners)
            programme = db.session.get(Programme, programme_id)
            actor = db.session.scalar(select(User).where(User.employee_no == "BTRAINER"))
            started = time.perf_counter()
            ready = bulk.candidates(programme)
            found = time.perf_counter() - started
            job = bulk.start(programme, actor, [u.id for u in ready])
            db.session.commit()  # the chunks are queued once this commits
            job_id = job.id
            sqlite_begin_immediate.set(False)  # the progress display only reads
            print(f"  {len(ready)} learners ready (found in {found:.2f} s); job {job_id} queued", flush=True)
            while True:
                time.sleep(1)
                row = db.session.execute(select(BulkJob.done, BulkJob.failed, BulkJob.total, BulkJob.status,
                                                BulkJob.message).where(BulkJob.id == job_id)).one()
                db.session.rollback()  # an observer: never hold a transaction (or SQLite's lock) while waiting
                print(f"  {time.perf_counter() - started:5.1f} s  {row.done:5d} / {row.total} issued and "
                      f"rendered, {row.failed} failed", flush=True)
                if row.status in ("finished", "failed") or time.perf_counter() - started > 240 \
                        or consumer.poll() is not None:
                    break
            elapsed = time.perf_counter() - started
            rendered = db.session.scalar(select(func.count()).select_from(Certificate)
                                         .where(Certificate.pdf_rendered_at.is_not(None)))
            print(f"bulk issue: {row.done} certificates issued and rendered ({rendered} PDFs kept) in {elapsed:.1f} s "
                  f"with {workers} worker threads and as many renderers; {row.failed} failed", flush=True)
            if row.message:
                print("  last message:", row.message)
    finally:
        consumer.terminate()
        consumer.wait(10)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["pdf", "bulk"])
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if args.what == "pdf":
        bench_pdf(args.renders)
        return 0
    return bench_bulk(args.learners, args.workers, args.database_url)


if __name__ == "__main__":
    sys.exit(main())
