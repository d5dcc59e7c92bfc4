"""Users through the API: list, get, idempotent upsert, bulk all-or-nothing, deactivate."""

from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.db import db
from tests.api.conftest import assert_error

PERSON = {"name": "陳小明", "email": "xiaoming@example.com", "hire_date": "2026-03-02", "roles": ["learner"]}


def _people(n, start=0):
    return [{"employee_no": f"HR{i:04d}", "name": f"員工{i}", "email": f"hr{i}@example.com"} for i in range(start, start + n)]


def test_put_creates_then_unchanged_then_changed(api):
    first = api.put("/users/a1001", json=PERSON)
    assert first.status_code == 201
    assert first.get_json()["result"] == "created"
    assert first.get_json()["user"]["employee_no"] == "A1001"
    again = api.put("/users/A1001", json=PERSON)
    assert again.status_code == 200 and again.get_json()["result"] == "unchanged"
    changed = api.put("/users/A1001", json={**PERSON, "name": "陳大明"})
    assert changed.get_json()["result"] == "changed"
    assert db.session.scalar(select(User.name).where(User.employee_no == "A1001")) == "陳大明"


def test_put_refuses_bad_values_naming_the_field(api):
    error = assert_error(api.put("/users/A1001", json={**PERSON, "email": "not-an-address"}), 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["email"]
    error = assert_error(api.put("/users/A1001", json={**PERSON, "team": "無此組"}), 422)
    assert error["details"][0]["field"] == "team"
    error = assert_error(api.put("/users/A1001", json={"name": "x"}), 422)
    assert {d["field"] for d in error["details"]} == {"email"}
    assert_error(api.put("/users/A1001", json={**PERSON, "colour": "blue"}), 422)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_no == "A1001")) == 0


def test_put_with_an_email_someone_else_has_is_a_conflict(api, make):
    make.user(Role.LEARNER, email="xiaoming@example.com")
    error = assert_error(api.put("/users/A1001", json=PERSON), 409, "conflict")
    assert error["details"][0]["field"] == "email"


def test_get_list_and_pages(api):
    assert api.post("/users/bulk", json={"items": _people(5)}).status_code == 200
    one = api.get("/users/hr0003")
    assert one.status_code == 200 and one.get_json()["email"] == "hr3@example.com"
    assert_error(api.get("/users/NOBODY"), 404, "not_found")
    seen, url = [], "/users?limit=2"
    while url:
        body = api.get(url.removeprefix("/api/v1")).get_json()
        seen += [u["employee_no"] for u in body["items"]]
        url = body["next"]
    assert seen == sorted(seen) and {f"HR{i:04d}" for i in range(5)} <= set(seen) and len(seen) == len(set(seen))
    assert_error(api.get("/users?cursor=garbage"), 400, "bad_request")
    assert_error(api.get("/users?limit=0"), 422)


def test_etag_answers_304_when_unchanged(api):
    api.put("/users/A1001", json=PERSON)
    first = api.get("/users/A1001")
    tag = first.headers["ETag"]
    assert api.get("/users/A1001", headers={"If-None-Match": tag}).status_code == 304
    api.put("/users/A1001", json={**PERSON, "name": "陳大明"})
    assert api.get("/users/A1001", headers={"If-None-Match": tag}).status_code == 200


def test_bulk_is_all_or_nothing_and_names_each_item(api):
    items = _people(4)
    items[2]["email"] = "broken"
    items[3]["employee_no"] = items[0]["employee_no"]
    error = assert_error(api.post("/users/bulk", json={"items": items}), 422)
    assert {(d["index"], d["field"]) for d in error["details"]} == {(2, "email"), (3, "employee_no")}
    assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_no.like("HR%"))) == 0


def test_bulk_again_changes_nothing(api):
    body = api.post("/users/bulk", json={"items": _people(50)}).get_json()
    assert (body["created"], body["changed"], body["unchanged"]) == (50, 0, 0)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "api.write"))
    body = api.post("/users/bulk", json={"items": _people(50)}).get_json()
    assert (body["created"], body["changed"], body["unchanged"]) == (0, 0, 50)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "api.write")) == before


def test_deactivate(api, admin):
    api.put("/users/A1001", json=PERSON)
    assert api.post("/users/A1001/deactivate").get_json() == {"result": "changed"}
    assert api.post("/users/A1001/deactivate").get_json() == {"result": "unchanged"}
    assert api.get("/users/A1001").get_json()["is_active"] is False
    assert_error(api.post(f"/users/{admin.employee_no}/deactivate"), 409)


def test_writes_are_audited_as_the_token_holder(api, admin):
    api.put("/users/A1001", json=PERSON)
    events = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).order_by(AuditEvent.id)).all()
    assert ("user.created", admin.id) in events and ("api.write", admin.id) in events


def test_if_match_guards_an_update(api):
    api.put("/users/A1001", json=PERSON)
    tag = api.get("/users/A1001").headers["ETag"]
    assert api.put("/users/A1001", json={**PERSON, "name": "甲"}, headers={"If-Match": tag}).status_code == 200
    assert_error(api.put("/users/A1001", json={**PERSON, "name": "乙"}, headers={"If-Match": tag}), 412,
                 "precondition_failed")
    assert api.get("/users/A1001").get_json()["name"] == "甲"
    assert_error(api.put("/users/NEW1", json={**PERSON, "email": "n@example.com"}, headers={"If-Match": tag}), 412)
