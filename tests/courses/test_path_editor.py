"""Onboarding paths edited with forms (issue 18): the form's values become the path's file, checked by the
loader and written by the import's own sync; the export of an edited path imports as the same path; every
route answers only trainers and administrators."""

import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.courses import path_editor
from lms.courses.loader import load_path
from lms.courses.models import OnboardingPath
from lms.courses.path_editor import PathStepValues, PathValues
from lms.curriculum.exporter import export_paths
from lms.db import db
from lms.form_problems import FieldProblems
from lms.mentoring.models import MentoringPlan
from tests.factories import SHIPPED_CONTENT

NEW_PATH = {"slug": "chat-new-hire", "title": "線上客服新人路徑", "description": "先學文字客服。", "new_hire_days": "60",
            "steps-0-course": "TST-201", "steps-0-due_days": "14", "steps-0-order": "2",
            "steps-1-course": "TST-101", "steps-1-due_days": "7", "steps-1-order": "1",
            "steps-2-course": "TST-301", "steps-2-due_days": "30", "steps-2-order": "3",
            "check_in_days": "7, 30", "sign_off": "4.1.1-a"}


@pytest.fixture
def trainer(make, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


def _steps(slug: str) -> list[tuple[str, int]]:
    db.session.expire_all()
    path = path_editor.get_path(slug)
    return [(s.course.code, s.due_days) for s in path.steps]


def _exported(tmp_path, slug: str):
    export_paths(tmp_path)
    spec, errors = load_path(tmp_path / "courses" / "paths" / f"{slug}.yaml", tmp_path / "courses")
    assert errors == []
    return spec


# ---------------------------------------------------------------- form ↔ file


def test_a_path_made_with_the_forms_exports_and_imports_as_the_same_path(app, trainer, tmp_path):
    values = PathValues("文字客服路徑", "說明", 45, [PathStepValues("TST-201", 10), PathStepValues("TST-101", 3)],
                        check_in_days=[7, 30], sign_off=["4.1.1-b"])
    with app.test_request_context("/"):
        path = path_editor.create_path("written-path", values, trainer)
        db.session.commit()
        spec = _exported(tmp_path, "written-path")
        assert spec.content_hash == path.content_hash
        assert [(s.code, s.due_days) for s in spec.steps] == [("TST-201", 10), ("TST-101", 3)]
        assert spec.mentoring.as_data() == {"check_in_days": [7, 30], "sign_off": ["4.1.1-b"]}
        # Importing the export changes nothing.
        from lms.courses.sync import sync_paths

        assert sync_paths([spec]).unchanged == 1
        # The form shows the path as its file says.
        shown = path_editor.path_values(path, path_editor.mentoring_plan(path))
        assert shown == values


def test_the_shipped_path_survives_the_editor_unchanged_with_its_sessions(app, make, tmp_path):
    """Every part of the shipped path (courses, classroom sessions, mentoring plan) goes through the form's
    values and back: saving it unchanged changes nothing, and its export is the shipped path."""
    make.content(SHIPPED_CONTENT)
    trainer = make.user(Role.TRAINER)
    shipped, errors = load_path(SHIPPED_CONTENT / "courses" / "paths" / "new-hire.yaml", SHIPPED_CONTENT / "courses")
    assert errors == [] and shipped.sessions
    with app.test_request_context("/"):
        path = path_editor.get_path("new-hire")
        plan = path_editor.mentoring_plan(path)
        assert path_editor.save_path(path, path_editor.path_values(path, plan), trainer,
                                     path_editor.editing_fingerprint(path, plan)) is False
        exported = _exported(tmp_path, "new-hire")
    assert exported.content_hash == shipped.content_hash
    assert exported.sessions and [(s.template, s.due_days) for s in exported.sessions] == \
        [(s.template, s.due_days) for s in shipped.sessions]
    assert exported.mentoring.as_data() == shipped.mentoring.as_data()


def test_what_the_loader_refuses_is_named_under_its_field(app, trainer):
    values = PathValues("路徑", "", 90, [PathStepValues("TST-101", 3), PathStepValues("TST-101", 5)],
                        check_in_days=[7], sign_off=["9.9.9-z"])
    with app.test_request_context("/"), pytest.raises(FieldProblems) as refused:
        path_editor.create_path("twice", values, trainer)
    fields = {name for name, _message in refused.value.problems}
    assert fields == {"steps", "sign_off"}
    assert db.session.scalar(select(OnboardingPath).where(OnboardingPath.slug == "twice")) is None


# ---------------------------------------------------------------- pages


def test_a_trainer_creates_a_path_in_order_then_reorders_and_removes_a_step(client, trainer):
    page = client.get("/courses/manage/paths/new").get_data(as_text=True)
    assert page.count('name="steps-') >= 3 * 4 and "TST-101" in page
    response = client.post("/courses/manage/paths/new", data=NEW_PATH)
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/manage/paths/chat-new-hire")
    assert _steps("chat-new-hire") == [("TST-101", 7), ("TST-201", 14), ("TST-301", 30)]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "onboarding_path.created")) is not None

    page = client.get("/courses/manage/paths/chat-new-hire").get_data(as_text=True)
    based_on = re.search(r'name="based_on" type="hidden" value="([^"]*)"', page).group(1)
    edit = {"title": "線上客服新人路徑", "description": "先學文字客服。", "new_hire_days": "60", "based_on": based_on,
            "steps-0-course": "TST-101", "steps-0-due_days": "7", "steps-0-order": "3",
            "steps-1-course": "TST-201", "steps-1-due_days": "14", "steps-1-order": "1", "steps-1-remove": "y",
            "steps-2-course": "TST-301", "steps-2-due_days": "30", "steps-2-order": "2",
            "check_in_days": "7, 30", "sign_off": "4.1.1-a, 4.1.1-b"}
    assert client.post("/courses/manage/paths/chat-new-hire", data=edit).status_code == 302
    assert _steps("chat-new-hire") == [("TST-301", 30), ("TST-101", 7)]
    path = path_editor.get_path("chat-new-hire")
    assert db.session.get(MentoringPlan, path.id).item_codes == ["4.1.1-a", "4.1.1-b"]
    saved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "onboarding_path.saved"))
    assert saved.before["courses"] == "TST-101（7）、TST-201（14）、TST-301（30）"  # in their order
    assert saved.after["courses"] == "TST-301（30）、TST-101（7）"
    assert "線上客服新人路徑" in client.get("/courses/manage/paths").get_data(as_text=True)


def test_bad_values_are_named_per_field_and_nothing_is_written(client, trainer):
    bad = {**NEW_PATH, "title": "", "steps-0-due_days": "", "steps-2-due_days": "-1", "check_in_days": "30, 7"}
    response = client.post("/courses/manage/paths/new", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for control in ("title", "steps-0-due_days", "steps-2-due_days", "check_in_days"):
        assert f'id="{control}-error"' in page and f'href="#{control}"' in page, control
    assert db.session.scalar(select(OnboardingPath).where(OnboardingPath.slug == "chat-new-hire")) is None
    # No course chosen at all, an item the standards do not have, a name in the address already taken.
    empty = {k: v for k, v in NEW_PATH.items() if not k.startswith("steps-")}
    page = client.post("/courses/manage/paths/new", data=empty).get_data(as_text=True)
    assert 'id="steps"' in page and "請至少加入一門課程" in page
    page = client.post("/courses/manage/paths/new", data={**NEW_PATH, "sign_off": "4.1.1-a, 9.9-z"}).get_data(as_text=True)
    assert 'id="sign_off-error"' in page and "9.9-z" in page
    page = client.post("/courses/manage/paths/new", data={**NEW_PATH, "slug": "new-hire"}).get_data(as_text=True)
    assert 'id="slug-error"' in page


@pytest.mark.parametrize("who", ["learner", "manager", "anonymous"])
def test_only_trainers_and_administrators_edit_paths(client, auth, make, who):
    make.content()
    if who != "anonymous":
        auth.login(make.user(Role(who)))
    for url in ("/courses/manage/paths", "/courses/manage/paths/new", "/courses/manage/paths/new-hire"):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
    response = client.post("/courses/manage/paths/new-hire", data={"title": "改掉"})
    assert response.status_code in ((302, 401) if who == "anonymous" else (403,))
    assert path_editor.get_path("new-hire").title == "測試到職路徑"


def test_an_administrator_edits_a_path_and_an_unknown_path_is_not_found(client, auth, make):
    make.content()
    auth.login(make.user(Role.ADMIN))
    assert client.get("/courses/manage/paths/new-hire").status_code == 200
    assert client.get("/courses/manage/paths/no-such-path").status_code == 404
