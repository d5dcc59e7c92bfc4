import io
from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import Role
from lms.courses.models import Enrolment, EnrolmentSource, LessonProgress
from lms.db import db
from lms.timeutil import local_today


def _enrolments(user):
    return {e.course.code: e for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))}


def test_catalogue_is_divided_by_tier_and_filters(client, auth, make):
    make.content()
    auth.login(make.user())
    client.post("/locale", data={"locale": "en"})
    html = client.get("/courses/").get_data(as_text=True)
    positions = [html.index(t) for t in ("Foundation training", "Professional skills training",
                                         "Management training", "Continuous development training")]
    assert positions == sorted(positions)
    html = client.get("/courses/?tier=professional").get_data(as_text=True)
    assert "TST-201" in html and "TST-101" not in html
    html = client.get("/courses/?audience=manager").get_data(as_text=True)
    assert "TST-301" in html and "TST-101" not in html
    assert client.get("/courses/?tier=bogus&audience=zzz").status_code == 200


def test_catalogue_search_in_either_script_ranks_the_best_course_first(client, auth, make):
    make.content()
    auth.login(make.user())
    for query in ("投訴", "投诉"):
        html = client.get("/courses/", query_string={"q": query}).get_data(as_text=True)
        assert html.index("TST-201") < html.find("TST-101") if "TST-101" in html else "TST-201" in html
    html = client.get("/courses/", query_string={"q": "三聲"}).get_data(as_text=True)
    assert "TST-101" in html and "<mark>" in html


def test_new_hire_gets_the_onboarding_path_with_due_dates(client, auth, make):
    make.content()
    hired = local_today() - timedelta(days=3)
    newbie = make.user(hire_date=hired)
    veteran = make.user(hire_date=local_today() - timedelta(days=800))
    enrolments = _enrolments(newbie)
    # TST-101's plan (hire date + 7) would leave 4 days: the floor gives 7 from the enrolment.
    assert {code: (e.due_date, e.due_floored) for code, e in enrolments.items()} == {
        "TST-101": (local_today() + timedelta(days=7), True), "TST-201": (hired + timedelta(days=14), False)}
    assert all(e.source == EnrolmentSource.ONBOARDING for e in enrolments.values())
    assert _enrolments(veteran) == {}
    auth.login(newbie)
    html = client.get("/").get_data(as_text=True)
    assert "TST-101" in html and "TST-201" in html


def test_imported_new_hires_get_the_path_too(client, auth, make):
    make.content()
    auth.login(make.user(Role.ADMIN))
    hired = (local_today() - timedelta(days=1)).isoformat()
    data = f"employee_no,name,email,hire_date\nN1,新人,n1@example.com,{hired}\n".encode()
    client.post("/admin/users/import", data={"file": (io.BytesIO(data), "u.csv")}, content_type="multipart/form-data")
    from lms.accounts.models import User

    user = db.session.scalar(select(User).where(User.employee_no == "N1"))
    assert set(_enrolments(user)) == {"TST-101", "TST-201"}


def test_self_enrolment_checks_prerequisites_with_a_clear_message(client, auth, make):
    make.content()
    learner = make.user()
    auth.login(learner)
    response = client.post("/courses/TST-201/enrol", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "TST-101" in html and "TST-201" not in _enrolments(learner)
    assert client.post("/courses/TST-101/enrol").status_code == 302
    assert "TST-101" in _enrolments(learner)


def test_course_not_open_to_self_enrolment_is_refused(client, auth, make):
    make.content()
    manager = make.user(Role.MANAGER)
    auth.login(manager)
    client.post("/courses/TST-301/enrol")
    assert "TST-301" not in _enrolments(manager)


def test_reading_lessons_records_progress_completion_and_resume(client, auth, make):
    make.content()
    learner = make.user()
    auth.login(learner)
    client.post("/courses/TST-101/enrol")
    assert client.get("/courses/TST-101/continue").headers["Location"] == "/courses/TST-101/lessons/pickup"
    html = client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)
    assert 'href="/standards/items/4.1.1-a"' in html and 'title="4.1.1-a 三聲內接聽"' in html
    # Read half of the second lesson, then come back later: the course resumes there.
    assert client.post("/courses/TST-101/lessons/greeting/position", data={"position": "0.5"}).status_code == 204
    assert client.get("/courses/TST-101/continue").headers["Location"] == "/courses/TST-101/lessons/greeting"
    assert 'data-resume="0.500"' in client.get("/courses/TST-101/lessons/greeting").get_data(as_text=True)
    response = client.post("/courses/TST-101/lessons/pickup/complete")
    assert response.headers["Location"] == "/courses/TST-101/lessons/greeting"
    client.post("/courses/TST-101/lessons/greeting/complete")
    # Every lesson read, but TST-101 has a post-test: the course completes when it is passed.
    assert _enrolments(learner)["TST-101"].completed_at is None
    from lms.exams import answers, attempts, grading
    from lms.exams.models import Exam
    from lms.exams.question_types import QUESTION_TYPES

    attempt = attempts.start_attempt(learner, db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post")))
    for aq in grading.questions_of(attempt):
        right = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data)
        answers.save_answer(attempt.id, learner, aq.position, right, 1)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    assert _enrolments(learner)["TST-101"].completed_at is not None
    assert "100%" in client.get("/courses/TST-101").get_data(as_text=True)


def test_position_is_validated(client, auth, make):
    make.content()
    auth.login(make.user())
    client.post("/courses/TST-101/enrol")
    for bad in ("2", "-1", "abc", "nan", ""):
        assert client.post("/courses/TST-101/lessons/pickup/position", data={"position": bad}).status_code == 400
    assert client.post("/courses/TST-301/lessons/coaching/position", data={"position": "0.1"}).status_code == 409


def test_lessons_need_enrolment_but_staff_may_preview(client, auth, make):
    make.content()
    auth.login(make.user())
    assert client.get("/courses/TST-101/lessons/pickup").status_code == 302
    assert client.get("/courses/TST-999").status_code == 404
    assert client.get("/courses/TST-101/lessons/nope").status_code == 404
    auth.logout()
    auth.login(make.user(Role.TRAINER))
    assert client.get("/courses/TST-101/lessons/pickup").status_code == 200


def test_progress_survives_a_new_version(app, client, auth, make, tmp_path):
    import shutil

    from tests.factories import FIXTURE_CONTENT

    make.content()
    learner = make.user()
    auth.login(learner)
    client.post("/courses/TST-101/enrol")
    client.post("/courses/TST-101/lessons/pickup/complete")
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, tree)
    lesson = tree / "courses/tst-101-basics/lessons/02-greeting.md"
    lesson.write_text(lesson.read_text() + "\n新版本的補充。\n", encoding="utf-8")
    make.content(tree)
    html = client.get("/courses/TST-101").get_data(as_text=True)
    assert "50%" in html
    assert "新版本的補充" in client.get("/courses/TST-101/lessons/greeting").get_data(as_text=True)


def test_manager_assigns_a_course_to_their_team_and_sees_overdue(client, auth, make):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team("甲組", managers=[manager])
    member = make.user(team=team)
    other_team = make.team("乙組")
    outsider = make.user(team=other_team)
    auth.login(manager)
    due = (local_today() + timedelta(days=10)).isoformat()
    response = client.post("/courses/assign", data={"course": "TST-101", "teams": [str(team.id)], "due_date": due})
    assert response.status_code == 302
    assert _enrolments(member)["TST-101"].due_date.isoformat() == due
    # Not another team, by team or by employee number.
    response = client.post("/courses/assign", data={"course": "TST-101", "teams": [str(other_team.id)]})
    assert response.status_code == 200
    response = client.post("/courses/assign", data={"course": "TST-101", "people": outsider.employee_no})
    assert response.status_code == 200 and "TST-101" not in _enrolments(outsider)
    # Due dates in the past are refused; unknown employee numbers are named.
    response = client.post("/courses/assign", data={"course": "TST-101", "people": member.employee_no,
                                                    "due_date": "2000-01-01"})
    assert response.status_code == 200
    response = client.post("/courses/assign", data={"course": "TST-101", "people": "NOBODY9"})
    assert "NOBODY9" in response.get_data(as_text=True)
    # Overdue shows on the team page.
    enrolment = _enrolments(member)["TST-101"]
    enrolment.due_date = local_today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/courses/team").get_data(as_text=True)
    assert member.name in html and "tag--bad" in html and outsider.name not in html
    assert client.get(f"/courses/team?team_id={other_team.id}").status_code == 404


def test_trainer_assigns_to_anyone_by_employee_number(client, auth, make):
    make.content()
    learner = make.user()
    auth.login(make.user(Role.TRAINER))
    response = client.post("/courses/assign", data={"course": "TST-101", "people": learner.employee_no.lower()})
    assert response.status_code == 302 and "TST-101" in _enrolments(learner)


def test_learners_cannot_assign_or_see_team_pages(client, auth, make):
    make.content()
    auth.login(make.user())
    assert client.get("/courses/assign").status_code == 403
    assert client.get("/courses/team").status_code == 403


def test_my_courses_lists_due_and_overdue(client, auth, make):
    make.content()
    learner = make.user()
    make.enrol(learner, "TST-101", due=local_today() - timedelta(days=2))
    auth.login(learner)
    html = client.get("/courses/mine").get_data(as_text=True)
    assert "TST-101" in html and "my-course--overdue" in html
    assert db.session.scalar(select(LessonProgress)) is None


def _resume(html: str) -> str:
    return html.split('id="lesson-resume" data-resume="', 1)[1].split('"', 1)[0]


def test_a_kept_lesson_shows_how_far_its_reader_scrolled_last(client, auth, make):
    """The lesson is kept as rendered while no result changes; scrolling changes no result, so the page reads
    the position beside the kept lesson: a reader who comes back lands where they stopped."""
    make.content()
    auth.login(make.user())
    client.post("/courses/TST-101/enrol")
    assert _resume(client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)) == "0.000"
    assert client.post("/courses/TST-101/lessons/pickup/position", data={"position": "0.4"}).status_code == 204
    assert _resume(client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)) == "0.400"
    assert client.post("/courses/TST-101/lessons/pickup/position", data={"position": "0.55"}).status_code == 204
    assert _resume(client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)) == "0.550"
    client.post("/courses/TST-101/lessons/pickup/complete")  # a result: the lesson is built again
    assert _resume(client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)) == "1.000"


def test_a_kept_lesson_carries_each_sessions_own_form_token(app, make):
    from flask import g, session
    from flask_login import login_user

    from lms.courses.enrolment import enrol_self
    from lms.courses.reading import lesson_page_html

    make.content()
    learner = make.user()
    enrol_self(learner, "TST-101")
    db.session.commit()
    done = "/courses/TST-101/lessons/pickup/complete"
    tokens = []
    for raw in ("a" * 40, "b" * 40, "a" * 40):
        with app.test_request_context("/courses/TST-101/lessons/pickup"):
            g.pop("csrf_token", None)  # Flask-WTF keeps a request's token in g, which the suite's requests share
            session["csrf_token"] = raw
            login_user(learner)
            html = lesson_page_html(learner, "TST-101", "pickup").body
            tokens.append(html.split(f'action="{done}"', 1)[1].split('name="csrf_token" value="', 1)[1][:20])
    assert tokens[0] != tokens[1]
    assert tokens[2] == tokens[0]
