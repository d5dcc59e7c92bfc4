"""Time the item analysis of an exam with many graded attempts (default 10,000 × 20 questions).

    python -m bench.item_analysis [--attempts 10000] [--database-url postgresql://…]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=10000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from bench.run import prepare_database

    url, _logins = prepare_database(args.database_url, min(args.attempts, 10000))
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from sqlalchemy import insert, select

    from lms import create_app
    from lms.accounts.models import User
    from lms.db import db, utcnow
    from lms.exams.attempts import draw_questions
    from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam
    from lms.exams.reports import item_analysis

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        exam = db.session.scalar(select(Exam).where(Exam.slug == "cert-rep-level1"))
        version = exam.current_version
        rng = random.Random(5)
        pool = draw_questions(version, set(), rng) + draw_questions(version, set(), random.Random(6))
        pool = list({q.id: q for q in pool}.values())
        users = list(db.session.scalars(select(User.id).where(User.employee_no.like("BL%")).limit(args.attempts)))
        now = utcnow()
        started = time.perf_counter()
        attempt_rows, answer_rows = [], []
        for index in range(args.attempts):
            ability = rng.random()
            drawn = rng.sample(pool, 20)
            scores = [1.0 if rng.random() < 0.25 + 0.6 * ability * (1.2 - q.difficulty * 0.2) else 0.0 for q in drawn]
            attempt_rows.append({"exam_id": exam.id, "exam_version_id": version.id, "user_id": users[index % len(users)],
                                 "number": index // len(users) + 1, "status": AttemptStatus.GRADED, "started_at": now,
                                 "submitted_at": now, "score": sum(scores), "max_score": 20.0,
                                 "percent": 5.0 * sum(scores), "passed": sum(scores) >= 16, "closed_by": "learner"})
            answer_rows.append([(q.id, s, rng.choice("abcd") if q.qtype == "single" else None)
                                for q, s in zip(drawn, scores, strict=True)])
        for start in range(0, len(attempt_rows), 2000):
            db.session.execute(insert(Attempt), attempt_rows[start:start + 2000])
        ids = list(db.session.scalars(select(Attempt.id).where(Attempt.exam_id == exam.id).order_by(Attempt.id)))
        rows = [{"attempt_id": attempt_id, "position": position, "question_version_id": qv, "presentation": {},
                 "points": 1.0, "score": score, "choice_key": choice}
                for attempt_id, answers in zip(ids, answer_rows, strict=True)
                for position, (qv, score, choice) in enumerate(answers, start=1)]
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(AttemptQuestion), rows[start:start + 5000])
        db.session.commit()
        print(f"  generated {len(ids):,} attempts and {len(rows):,} answers in {time.perf_counter() - started:.1f} s")
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            report = item_analysis(exam, first_only=False)
            timings.append(time.perf_counter() - began)
        print(f"  item analysis of {report.test.n:,} attempts, {len(report.rows)} questions: "
              f"best {min(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms; "
              f"alpha {report.test.alpha if report.test.alpha is None else round(report.test.alpha, 2)}, "
              f"mean {report.test.mean_percent:.1f}%")
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
