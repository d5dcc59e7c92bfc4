"""Generate a large organisation for the benchmarks: teams, managers, learners (and, as the domains
arrive, their enrolments, attempts and certificates). Inserts in bulk; never used by the tests."""

import random
from datetime import timedelta

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from lms.accounts.models import Role, Team, User, UserRole, team_managers
from lms.db import db, utcnow

BENCH_PASSWORD = "bench-pass-2026"
CHUNK = 5000


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def generate_users_and_teams(learners: int, team_size: int = 25, seed: int = 7) -> dict:
    """Create ``learners`` learners in teams of ``team_size``, one manager per team, and one trainer and
    one admin; return the employee numbers to log in with."""
    rng = random.Random(seed)
    password_hash = generate_password_hash(BENCH_PASSWORD)
    now = utcnow()
    n_teams = max(1, learners // team_size)
    db.session.execute(insert(Team), [
        {"name": f"Team {i:05d}", "description": "", "created_at": now, "updated_at": now} for i in range(n_teams)])
    team_ids = list(db.session.scalars(select(Team.id).order_by(Team.id)))

    def person(no, name, team_id, days):
        return {"employee_no": no, "name": name, "email": f"{no.lower()}@bench.example", "team_id": team_id,
                "hire_date": (now - timedelta(days=days)).date(), "locale": "zh_Hant", "is_active": True,
                "password_hash": password_hash, "created_at": now, "updated_at": now}

    people = [person("BADMIN", "壓測管理員", None, 900), person("BTRAINER", "壓測講師", None, 900)]
    people += [person(f"BM{i:05d}", f"主管{i}", None, 700) for i in range(n_teams)]
    people += [person(f"BL{i:06d}", f"學員{i}", team_ids[i % n_teams], rng.randint(1, 1500)) for i in range(learners)]
    for chunk in _chunks(people):
        db.session.execute(insert(User), chunk)
    ids = dict(db.session.execute(select(User.employee_no, User.id)).all())
    roles = [{"user_id": ids["BADMIN"], "role": Role.ADMIN}, {"user_id": ids["BTRAINER"], "role": Role.TRAINER}]
    roles += [{"user_id": ids[f"BM{i:05d}"], "role": Role.MANAGER} for i in range(n_teams)]
    roles += [{"user_id": ids[f"BL{i:06d}"], "role": Role.LEARNER} for i in range(learners)]
    for chunk in _chunks(roles):
        db.session.execute(insert(UserRole), chunk)
    db.session.execute(insert(team_managers), [
        {"team_id": team_ids[i], "user_id": ids[f"BM{i:05d}"]} for i in range(n_teams)])
    return {"admin": "BADMIN", "trainer": "BTRAINER", "manager": "BM00000", "learner": "BL000000",
            "some_user_id": ids["BL000000"], "team_id": team_ids[0]}


def import_shipped_content() -> None:
    from pathlib import Path

    from flask import current_app

    from lms.curriculum.importer import import_tree

    with current_app.test_request_context("/"):
        import_tree(Path(__file__).resolve().parent.parent)


def generate_learning(seed: int = 11) -> None:
    """Enrol every learner in a few published courses with some lessons read (and some overdue)."""
    from lms.courses.models import (
        Course,
        CourseVersion,
        Enrolment,
        EnrolmentSource,
        LessonProgress,
        LessonVersion,
    )

    rng = random.Random(seed)
    now = utcnow()
    courses = db.session.execute(select(Course.id, CourseVersion.id).join(
        CourseVersion, CourseVersion.id == Course.published_version_id).order_by(Course.code)).all()
    measured = db.session.execute(select(Course.id, Course.published_version_id).where(Course.code == "PRO-205")).one()
    lessons: dict[int, list[int]] = {}
    for version_id, lesson_id in db.session.execute(select(LessonVersion.course_version_id, LessonVersion.lesson_id)
                                                    .order_by(LessonVersion.position)):
        lessons.setdefault(version_id, []).append(lesson_id)
    learner_ids = list(db.session.scalars(select(User.id).where(User.employee_no.like("BL%"))))
    enrolments, progress = [], []
    for index, user_id in enumerate(learner_ids):
        chosen = rng.sample(courses, k=min(len(courses), rng.randint(3, 8)))
        if index == 0 and tuple(measured) not in map(tuple, chosen):
            chosen.append(measured)  # the measured learner reads a PRO-205 lesson
        for course_id, version_id in chosen:
            done = rng.randint(0, len(lessons[version_id]))
            enrolments.append({"user_id": user_id, "course_id": course_id, "source": EnrolmentSource.ASSIGNED,
                               "due_date": (now + timedelta(days=rng.randint(-30, 60))).date(), "enrolled_at": now,
                               "completed_at": now if done == len(lessons[version_id]) else None})
            progress += [{"user_id": user_id, "lesson_id": lesson_id, "position": 1.0, "completed_at": now,
                          "updated_at": now} for lesson_id in lessons[version_id][:done]]
    for chunk in _chunks(enrolments):
        db.session.execute(insert(Enrolment), chunk)
    for chunk in _chunks(progress):
        db.session.execute(insert(LessonProgress), chunk)


def generate_test_results(seed: int = 13) -> None:
    """Graded pre-tests and post-tests (one to three attempts) for most enrolments in a course that has them,
    for the level-2 reports. Scores only: the attempts hold no questions."""
    from lms.courses.models import Enrolment
    from lms.exams.models import Attempt, AttemptStatus, Exam, ExamKind

    rng = random.Random(seed)
    now = utcnow()
    tests: dict[int, dict] = {}
    for exam_id, version_id, kind, course_id in db.session.execute(
            select(Exam.id, Exam.current_version_id, Exam.kind, Exam.course_id)
            .where(Exam.kind.in_([ExamKind.PRE_TEST, ExamKind.POST_TEST]), Exam.course_id.is_not(None))):
        tests.setdefault(course_id, {})[kind] = (exam_id, version_id)
    rows = []

    def attempt(user_id, exam, number, percent, when):
        return {"exam_id": exam[0], "exam_version_id": exam[1], "user_id": user_id, "number": number,
                "status": AttemptStatus.GRADED, "started_at": when, "submitted_at": when, "graded_at": when,
                "closed_by": "learner", "score": percent / 10, "max_score": 10.0, "percent": percent,
                "passed": percent >= 80}

    for user_id, course_id in db.session.execute(select(Enrolment.user_id, Enrolment.course_id)):
        pair = tests.get(course_id, {})
        if len(pair) < 2 or rng.random() < 0.2:
            continue
        when = now - timedelta(days=rng.randint(3, 300))
        pre = rng.choice(range(0, 101, 10))
        rows.append(attempt(user_id, pair[ExamKind.PRE_TEST], 1, pre, when))
        for number in range(1, 4):
            post = min(100, pre + rng.choice(range(0, 71, 10)))
            rows.append(attempt(user_id, pair[ExamKind.POST_TEST], number, post, when + timedelta(days=number)))
            if post >= 80:
                break
    for chunk in _chunks(rows):
        db.session.execute(insert(Attempt), chunk)


def generate(learners: int) -> dict:
    """Build the whole benchmark organisation; commit once."""
    import_shipped_content()
    logins = generate_users_and_teams(learners)
    generate_learning()
    generate_test_results()
    from bench.kpi_data import generate_kpis

    generate_kpis()  # 24 months of KPIs for up to 10,000 learners (bench/kpi_data.py)
    from lms.db import refresh_planner_statistics

    refresh_planner_statistics()
    db.session.commit()
    return logins
