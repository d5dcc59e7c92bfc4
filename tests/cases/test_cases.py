"""The case library by role: staff write and send cases (personal data refused under the field that holds it,
nothing kept), trainers publish after editing, return with a comment (the author is told) or decline, the
library and search show published cases only, and a published case becomes a draft call scenario that learners
do not see and the scenario editor opens."""

import re

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Locale, Role, User
from lms.audit.models import AuditEvent
from lms.calls.drafts import draft_version
from lms.calls.loader import check_definition
from lms.calls.models import Scenario
from lms.calls.scenarios import current_version
from lms.calls.sync import source_of
from lms.cases.models import Case, CaseStatus
from lms.cases.scenario_draft import skeleton
from lms.db import db
from lms.standards.models import StandardItem
from tests.conftest import Auth

GOOD = {"title": "尖峰時段的轉接", "channel": "phone", "tier": "professional",
        "situation": "客戶來電詢問帳單，但問題需要帳務組處理。", "actions": "先說明原因並徵得同意才轉接。",
        "outcome": "客戶順利得到答覆。", "lessons": "轉接前先說明並取得同意。", "items": ["4.1.1-a", "4.1.3-a"]}


@pytest.fixture
def world(make):
    make.content()
    return {"agent": make.user(Role.LEARNER, name="客服甲"), "other": make.user(Role.LEARNER, name="客服乙"),
            "trainer": make.user(Role.TRAINER, name="講師甲"), "manager": make.user(Role.MANAGER, name="主管甲"),
            "admin": make.user(Role.ADMIN, name="管理員")}


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


def _cases(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(Case).where(
        *[getattr(Case, k) == v for k, v in where.items()]))


def _submit(client, **changes):
    return client.post("/cases/new", data={**GOOD, **changes, "submit": "y"})


def _submitted(app, world) -> Case:
    assert _submit(_client(app, world["agent"])).status_code == 302
    return db.session.scalar(select(Case).where(Case.status == CaseStatus.SUBMITTED))


def test_personal_data_is_refused_under_the_field_and_nothing_is_kept(app, world):
    client = _client(app, world["agent"])
    response = _submit(client, situation="客戶留了手機0912-345-678，希望回電。", lessons="卡號4111 1111 1111 1111")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="situation-error"' in page and "****-***-678" in page
    assert 'id="lessons-error"' in page and "**** **** **** 1111" in page
    assert "0912-345-678" not in page.split('id="situation-error"')[1]  # the message masks it
    assert _cases(author_id=world["agent"].id) == 0
    # A draft is checked too: personal data is never kept.
    response = client.post("/cases/new", data={**GOOD, "actions": "寄信到 someone@example.com", "save_draft": "y"})
    assert 'id="actions-error"' in response.get_data(as_text=True)
    assert _cases(author_id=world["agent"].id) == 0


def test_a_draft_needs_only_a_title_and_a_submission_everything(app, world):
    client = _client(app, world["agent"])
    response = client.post("/cases/new", data={"title": "未完成的案例", "channel": "chat", "tier": "foundation",
                                               "save_draft": "y"})
    assert response.status_code == 302
    case = db.session.scalar(select(Case).where(Case.author_id == world["agent"].id))
    assert case.status == CaseStatus.DRAFT
    response = client.post(f"/cases/{case.id}/edit", data={"title": "未完成的案例", "channel": "chat",
                                                            "tier": "foundation", "submit": "y"})
    assert 'id="situation-error"' in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == CaseStatus.DRAFT
    assert client.post(f"/cases/{case.id}/edit", data={**GOOD, "items": ["9.9.9-z"], "submit": "y"}) \
        .status_code == 200
    assert client.post(f"/cases/{case.id}/edit", data={**GOOD, "submit": "y"}).status_code == 302
    db.session.refresh(case)
    assert case.status == CaseStatus.SUBMITTED and [i.code for i in case.items] == ["4.1.1-a", "4.1.3-a"]
    # Once sent, the author can no longer change it; nobody else ever could.
    assert client.get(f"/cases/{case.id}/edit").status_code == 404
    assert _client(app, world["other"]).get(f"/cases/{case.id}/edit").status_code == 404


def test_unpublished_cases_are_for_their_author_and_trainers(app, world):
    case = _submitted(app, world)
    assert _client(app, world["agent"]).get(f"/cases/{case.id}").status_code == 200
    assert _client(app, world["trainer"]).get(f"/cases/{case.id}").status_code == 200
    for who in ("other", "manager"):
        assert _client(app, world[who]).get(f"/cases/{case.id}").status_code == 404
    assert case.title not in _client(app, world["other"]).get("/cases/").get_data(as_text=True)
    assert case.title in _client(app, world["agent"]).get("/cases/mine").get_data(as_text=True)


def test_the_trainer_publishes_after_editing_and_it_is_found_by_search(app, world):
    case = _submitted(app, world)
    trainer = _client(app, world["trainer"])
    assert case.title in trainer.get("/cases/manage/").get_data(as_text=True)
    assert case.title in trainer.get("/todo").get_data(as_text=True)
    # The reviewer's edits are checked like the author's.
    refused = trainer.post(f"/cases/manage/{case.id}", data={**GOOD, "outcome": "回撥 02-2758-3316", "publish": "y"})
    assert 'id="outcome-error"' in refused.get_data(as_text=True)
    response = trainer.post(f"/cases/manage/{case.id}", data={**GOOD, "title": "轉接前先徵得同意", "publish": "y"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.status, case.title, case.reviewer_id) == (CaseStatus.PUBLISHED, "轉接前先徵得同意", world["trainer"].id)
    learner = _client(app, world["other"])
    found = learner.get("/search/", query_string={"q": "徵得同意"}).get_data(as_text=True)
    assert f'href="/cases/{case.id}"' in found
    page = learner.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "/standards/items/4.1.1-a" in page
    assert "轉接前先徵得同意" in learner.get("/cases/?channel=phone&item=4.1.1-a").get_data(as_text=True)
    assert "轉接前先徵得同意" not in learner.get("/cases/?channel=chat").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.published")) is not None


def test_return_tells_the_author_and_reject_needs_a_reason(app, world, outbox):
    case = _submitted(app, world)
    trainer = _client(app, world["trainer"])
    refused = trainer.post(f"/cases/manage/{case.id}/decision", data={"comment": "", "return_case": "y"})
    assert 'id="comment-error"' in refused.get_data(as_text=True)
    assert trainer.post(f"/cases/manage/{case.id}/decision",
                        data={"comment": "請補上結果", "return_case": "y"}).status_code == 302
    db.session.refresh(case)
    assert case.status == CaseStatus.RETURNED
    mails = [m for m in outbox if m["To"] == world["agent"].email]
    assert len(mails) == 1 and "請補上結果" in mails[0].get_body(("plain",)).get_content()
    agent = _client(app, world["agent"])
    assert case.title in agent.get("/todo").get_data(as_text=True)
    assert agent.post(f"/cases/{case.id}/edit", data={**GOOD, "submit": "y"}).status_code == 302
    assert trainer.post(f"/cases/manage/{case.id}/decision", data={"comment": "與既有案例重複", "reject": "y"}) \
        .status_code == 302
    db.session.refresh(case)
    assert case.status == CaseStatus.REJECTED
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "case")))
    assert {"case.submitted", "case.returned", "case.rejected"} <= actions


def test_nobody_reviews_their_own_case(app, world):
    client = _client(app, world["trainer"])
    assert _submit(client).status_code == 302
    case = db.session.scalar(select(Case).where(Case.author_id == world["trainer"].id))
    client.post(f"/cases/manage/{case.id}", data={**GOOD, "publish": "y"})
    db.session.refresh(case)
    assert case.status == CaseStatus.SUBMITTED


def test_a_published_case_becomes_a_draft_scenario_in_the_editor(app, world):
    case = db.session.scalar(select(Case).where(Case.slug == "quick-pickup"))
    items = set(db.session.scalars(select(StandardItem.code)))
    assert check_definition(skeleton(case), "draft.yaml", items) == []
    trainer = _client(app, world["trainer"])
    response = trainer.post(f"/cases/manage/{case.id}/scenario")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/calls/manage/case-{case.id}-draft/edit")
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == f"case-{case.id}-draft"))
    assert scenario.current_number == 0
    editor = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "TODO" in editor and case.situation in editor
    # Learners never see a draft.
    learner = _client(app, world["agent"])
    assert f"case-{case.id}-draft" not in learner.get("/calls/").get_data(as_text=True)
    assert learner.get(f"/calls/case-{case.id}-draft").status_code == 404
    # Saving it with a TODO left is refused; the trainer's replies publish it.

    source = source_of(draft_version(db.session.get(Scenario, scenario.id)))
    assert "TODO" in trainer.post(response.headers["Location"], data={"source": source}).get_data(as_text=True)
    assert current_version(db.session.get(Scenario, scenario.id)) is None
    written = source.replace("TODO：", "")
    assert trainer.post(response.headers["Location"], data={"source": written}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Scenario, scenario.id).current_number == 2
    # A second press keeps the one draft.
    assert trainer.post(f"/cases/manage/{case.id}/scenario").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Scenario).where(Scenario.slug.like("case-%"))) == 1


@pytest.mark.parametrize("who, path, allowed", [
    ("agent", "/cases/", True), ("agent", "/cases/new", True), ("agent", "/cases/mine", True),
    ("agent", "/cases/manage/", False), ("manager", "/cases/manage/", False), ("trainer", "/cases/manage/", True),
    ("admin", "/cases/manage/", True)])
def test_pages_by_role(app, world, who, path, allowed):
    response = _client(app, world[who]).get(path)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("who", ["agent", "manager"])
def test_only_trainers_decide_or_draft_scenarios(app, world, who):
    case = _submitted(app, world)
    client = _client(app, world[who])
    for path in (f"/cases/manage/{case.id}", f"/cases/manage/{case.id}/decision", f"/cases/manage/{case.id}/scenario"):
        assert client.post(path, data={"comment": "x", "reject": "y"}).status_code == 403
    db.session.refresh(case)
    assert case.status == CaseStatus.SUBMITTED


@pytest.mark.parametrize("locale, words", [(Locale.EN, ["Case library", "Share a case", "Phone call"]),
                                           (Locale.ZH_HANT, ["案例庫", "分享案例", "電話"]),
                                           (Locale.ZH_HANS, ["案例库", "分享案例", "电话"])])
def test_the_pages_speak_three_languages(app, world, locale, words):
    db.session.get(User, world["agent"].id).locale = locale
    db.session.commit()
    client = _client(app, world["agent"])
    case = db.session.scalar(select(Case).where(Case.slug == "quick-pickup"))
    for path in ("/cases/", "/cases/mine", "/cases/new", f"/cases/{case.id}"):
        page = client.get(path).get_data(as_text=True)
        main = page.split("<main")[1]
        assert not re.search(r">\s*(published|submitted|draft|foundation|professional|phone|chat)\s*<", main), path
    library = client.get("/cases/").get_data(as_text=True)
    assert all(w in library for w in words), words



def test_a_case_file_with_personal_data_names_the_file_line_and_field(app, tmp_path):
    from lms.cases.loader import load_cases

    folder = tmp_path / "courses" / "cases"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(
        "slug: bad\ntitle: 例子\nchannel: fax\ntier: foundation\nitems: [4.1.1-a]\nsituation: 客戶的信箱 a@b.com.tw\n"
        "actions: 回覆\noutcome: 好\nlessons: 學到\n", encoding="utf-8")
    specs, errors = load_cases(tmp_path / "courses")
    assert specs == []
    assert {(e.path, e.line, e.field) for e in errors} == {("courses/cases/bad.yaml", 3, "channel"),
                                                          ("courses/cases/bad.yaml", 6, "situation")}
    assert "a***@b.com.tw" in next(e.message for e in errors if e.field == "situation")


def test_the_shipped_cases_load_and_cite_real_items(app):
    from pathlib import Path

    from lms.cases.loader import check_case_references, load_cases
    from lms.standards.loader import load_standards

    root = Path(__file__).resolve().parents[2] / "courses"
    _chapters, _problems, item_codes = load_standards(root / "standards")
    specs, errors = load_cases(root)
    assert errors == [] and len(specs) >= 3
    assert check_case_references(specs, item_codes) == []
