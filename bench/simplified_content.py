"""What the simplified Chinese content costs a page: the shipped content imported into a scratch database,
the biggest pages rendered (the longest lesson, the coverage matrix, the longest exam), then the page
filter (lms/content_language.py) timed on each: English marking, and simplified Chinese conversion with a
new converter (the first reader after an import) and with the converter that has seen the page.

    python -m bench.simplified_content            # 5 rounds each, the fastest in milliseconds
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-simplified-1"


def _ms(work, rounds: int) -> float:
    """The fastest of the rounds (the machine's other work only ever adds time)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def _pages(app) -> dict[str, str]:
    """The pages in traditional Chinese (no filter at work), by name: the longest lesson, the coverage
    matrix, the longest exam page."""
    from lms.accounts.models import Role
    from lms.accounts.users import UserData, create_user
    from lms.courses.models import Course, CourseVersion, Lesson, LessonVersion
    from lms.db import db
    from lms.exams.models import Exam

    with app.app_context():
        create_user(UserData(employee_no="B0001", name="測試員", email="bench@example.com",
                             roles={Role.LEARNER, Role.TRAINER, Role.ADMIN}), password=PASSWORD)
        db.session.commit()
        lesson = db.session.execute(
            select(Course.code, Lesson.slug).select_from(LessonVersion).join(Lesson, Lesson.id == LessonVersion.lesson_id)
            .join(CourseVersion, CourseVersion.id == LessonVersion.course_version_id)
            .join(Course, Course.published_version_id == CourseVersion.id)
            .order_by(func.length(LessonVersion.body_md).desc()).limit(1)).one()
        exams = list(db.session.scalars(select(Exam.slug)))
    client = app.test_client()
    client.post("/login", data={"identifier": "B0001", "password": PASSWORD})
    pages = {"lesson": client.get(f"/courses/{lesson.code}/lessons/{lesson.slug}").get_data(as_text=True),
             "coverage matrix": client.get("/standards/coverage").get_data(as_text=True)}
    longest = ""
    for slug in exams:
        location = client.post(f"/exams/{slug}/start").headers.get("Location", "")
        if "/attempts/" in location:
            page = client.get(location.split("#")[0]).get_data(as_text=True)
            longest = max(longest, page, key=len)
    pages["exam"] = longest
    return pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="lms-simplified-")
    os.environ["LMS_INSTANCE_PATH"] = folder
    from flask_migrate import upgrade

    from lms import create_app
    from lms.content.simplified import SimplifiedConverter, content_converter
    from lms.content_language import mark_content_language
    from lms.curriculum.importer import import_tree
    from lms.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/simplified.sqlite3", "TESTING": False,
                      "SECRET_KEY": "simplified-bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        with app.test_request_context("/"):
            import_tree(ROOT)
        db.session.commit()
    pages = _pages(app)
    with app.app_context():
        phrases = content_converter().phrases
    print("| page | kB | English marking ms | simplified, new converter ms | simplified, seen before ms |")
    print("|---|---:|---:|---:|---:|")
    for name, html in pages.items():
        english = _ms(lambda html=html: mark_content_language(html, "en"), args.rounds)
        cold = _ms(lambda html=html: mark_content_language(html, "zh-Hans", SimplifiedConverter(phrases).convert),
                   args.rounds)
        convert = SimplifiedConverter(phrases).convert
        mark_content_language(html, "zh-Hans", convert)
        warm = _ms(lambda html=html, convert=convert: mark_content_language(html, "zh-Hans", convert), args.rounds)
        print(f"| {name} | {len(html.encode()) / 1024:.0f} | {english:.1f} | {cold:.1f} | {warm:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
