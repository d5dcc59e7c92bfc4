from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.courses.models import Course, CourseVersion, VersionStatus
from lms.db import db
from lms.standards.models import StandardCitation


def _versions(code):
    course = db.session.scalar(select(Course).where(Course.code == code))
    return list(db.session.scalars(select(CourseVersion).where(CourseVersion.course_id == course.id)
                                   .order_by(CourseVersion.number)))


LESSON = {"title": "三聲之內（修訂）", "minutes": "12", "standards": "4.1.1-a, 4.1.3-a",
          "body": "## 新段落\n\n請記住 [[4.1.3-a]]。"}


def test_trainer_edits_a_lesson_previews_and_publishes(client, auth, make):
    make.content()
    learner = make.user()
    auth.login(make.user(Role.TRAINER))
    # Live preview: sanitised HTML with citation links.
    preview = client.post("/courses/manage/preview", data={"text": "[[4.1.3-a]] <script>x</script>"}).get_json()
    assert "/standards/items/4.1.3-a" in preview["html"] and "<script" not in preview["html"]
    # The no-JavaScript preview re-renders the form without saving.
    response = client.post("/courses/manage/TST-101/lessons/pickup", data={**LESSON, "preview": "y"})
    assert response.status_code == 200 and "新段落" in response.get_data(as_text=True)
    assert [v.status for v in _versions("TST-101")] == [VersionStatus.PUBLISHED]
    # Saving starts a draft; learners still read the published version.
    assert client.post("/courses/manage/TST-101/lessons/pickup", data=LESSON).status_code == 302
    assert [v.status for v in _versions("TST-101")] == [VersionStatus.PUBLISHED, VersionStatus.DRAFT]
    # Publishing supersedes the old version and updates the coverage matrix.
    assert client.post("/courses/manage/TST-101/publish").status_code == 302
    assert [v.status for v in _versions("TST-101")] == [VersionStatus.SUPERSEDED, VersionStatus.PUBLISHED]
    labels = set(db.session.scalars(select(StandardCitation.label)))
    assert "TST-101 · 三聲之內（修訂）" in labels and "TST-101 · 三聲之內" not in labels
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.published")) is not None
    coverage = client.get("/standards/coverage?chapter=4").get_data(as_text=True)
    assert "三聲之內（修訂）" in coverage
    auth.logout()
    auth.login(learner)
    client.post("/courses/TST-101/enrol")
    assert "新段落" in client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)


def test_lesson_citing_unknown_items_is_refused(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    response = client.post("/courses/manage/TST-101/lessons/pickup", data={**LESSON, "standards": "9.9.9-z"})
    assert response.status_code == 200 and "9.9.9-z" in response.get_data(as_text=True)
    response = client.post("/courses/manage/TST-101/lessons/pickup", data={**LESSON, "body": "見 [[8.8.8-q]]"})
    assert response.status_code == 200 and "8.8.8-q" in response.get_data(as_text=True)
    assert len(_versions("TST-101")) == 1


def test_new_course_draft_lessons_order_and_publish(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    response = client.post("/courses/manage/new", data={"code": "TST-401", "slug": "tst-401-new", "tier": "development",
                                                "title": "新課程", "summary": "摘要"})
    assert response.headers["Location"] == "/courses/manage/TST-401"
    # Unpublished courses are not in the catalogue, and cannot be published without lessons.
    assert "TST-401" not in client.get("/courses/").get_data(as_text=True)
    client.post("/courses/manage/TST-401/publish")
    assert _versions("TST-401")[0].status == VersionStatus.DRAFT
    for slug in ("one", "two"):
        assert client.post("/courses/manage/TST-401/lessons/new", data={**LESSON, "slug": slug}).status_code == 302
    assert client.post("/courses/manage/TST-401/lessons/new", data={**LESSON, "slug": "one"}).status_code == 200
    client.post("/courses/manage/TST-401/lessons/two/up")
    assert [lv.lesson.slug for lv in _versions("TST-401")[0].lesson_versions] == ["two", "one"]
    client.post("/courses/manage/TST-401", data={"title": "新課程", "tier": "development", "summary": "摘要", "duration": "30",
                                         "audience": ["learner"], "prerequisites": "TST-101", "standards": "4.1.1-a",
                                         "self_enrol": "y", "description": "說明 [[4.1.1-a]]"})
    client.post("/courses/manage/TST-401/publish")
    assert _versions("TST-401")[0].status == VersionStatus.PUBLISHED
    assert "TST-401" in client.get("/courses/").get_data(as_text=True)


def test_course_details_validation_and_discard(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    data = {"title": "改名", "tier": "foundation", "summary": "摘要", "duration": "30", "audience": ["learner"],
            "prerequisites": "TST-777", "standards": "", "self_enrol": "y", "description": ""}
    response = client.post("/courses/manage/TST-101", data=data)
    assert response.status_code == 200 and "TST-777" in response.get_data(as_text=True)
    client.post("/courses/manage/TST-101", data={**data, "prerequisites": ""})
    assert _versions("TST-101")[-1].title == "改名"
    client.post("/courses/manage/TST-101/discard")
    assert [v.status for v in _versions("TST-101")] == [VersionStatus.PUBLISHED]


def test_publishing_an_unchanged_draft_is_refused(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    client.post("/courses/manage/TST-101/lessons/pickup/up")  # opens a draft; moving the first lesson up changes nothing
    response = client.post("/courses/manage/TST-101/publish", follow_redirects=True)
    assert len(_versions("TST-101")) == 2 and _versions("TST-101")[-1].status == VersionStatus.DRAFT
    assert response.status_code == 200


def test_authoring_is_for_trainers_and_admins(client, auth, make):
    make.content()
    auth.login(make.user(Role.MANAGER))
    assert client.get("/courses/manage/").status_code == 403
    assert client.post("/courses/manage/preview", data={"text": "x"}).status_code == 403
