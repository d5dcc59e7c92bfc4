"""The call builder's pages: who may open them, an edit checked and answered as JSON, the save (unchanged
data gives the file's text back, a change makes a version, a stale save is refused), a new draft call,
and "play from here", which writes nothing."""

import html
import json
import re

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.calls.models import CallAttempt, Scenario, ScenarioVersion
from lms.db import db
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT

SCENARIO_FILE = FIXTURE_CONTENT / "courses" / "tst-201-phone" / "scenarios" / "tst-call.yaml"
URLS = [("get", "/calls/manage/tst-call/builder"), ("post", "/calls/manage/tst-call/builder"),
        ("post", "/calls/manage/tst-call/builder/edit"), ("post", "/calls/manage/tst-call/builder/try"),
        ("get", "/calls/manage/new"), ("post", "/calls/manage/new")]


@pytest.fixture
def trainer(make):
    make.content()
    return make.user(Role.TRAINER, name="講師甲")


def _definition(page: str) -> dict:
    value = re.search(r'<input type="hidden" name="definition" value="([^"]*)" data-definition>', page).group(1)
    return json.loads(html.unescape(value))


def _based_on(page: str) -> str:
    return re.search(r'name="based_on" type="hidden" value="([^"]*)"', page).group(1)


@pytest.mark.parametrize(("method", "url"), URLS)
@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_learners_and_managers_may_not_build_calls(client, auth, make, trainer, role, method, url):
    auth.login(make.user(role))
    assert getattr(client, method)(url, data={}).status_code == 403


@pytest.mark.parametrize(("method", "url"), URLS)
def test_anonymous_people_are_sent_to_log_in(client, trainer, method, url):
    response = getattr(client, method)(url, data={})
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_trainers_and_admins_open_the_builder_with_the_files_yaml(client, auth, make, trainer, role):
    auth.login(trainer if role == Role.TRAINER else make.user(Role.ADMIN))
    page = client.get("/calls/manage/tst-call/builder").get_data(as_text=True)
    assert "vendor/cytoscape.min.js" in page and "js/call_builder.js" in page
    assert 'id="node-c_complaint"' in page and "我被扣了兩次 {amount} 元！" in page
    yaml_view = html.unescape(re.search(r'<pre id="builder-yaml"[^>]*>(.*?)</pre>', page, re.S).group(1))
    assert yaml_view == SCENARIO_FILE.read_text(encoding="utf-8")
    assert client.get("/calls/manage/nothing-here/builder").status_code == 404


def test_an_edit_answers_the_changed_definition_its_graph_and_the_node_at_fault(client, auth, trainer):
    auth.login(trainer)
    definition = _definition(client.get("/calls/manage/tst-call/builder").get_data(as_text=True))
    answer = client.post("/calls/manage/tst-call/builder/edit", data={
        "definition": json.dumps(definition), "edit": json.dumps({"edit": "add_node", "kind": "customer",
                                                                  "after": "c_complaint"})}).get_json()
    assert answer["focus"] == "c_1" and any(n["data"]["id"] == "c_1" for n in answer["graph"]["nodes"])
    faults = {p["node"] for p in answer["problems"]}
    assert faults == {"c_1"} and "id=\"node-c_1\"" in answer["forms"]
    assert "builder-node--fault" in answer["forms"]
    assert answer["definition"]["nodes"][3] == {"id": "c_1", "type": "customer", "say": "", "goto": "a_apology"}
    refused = client.post("/calls/manage/tst-call/builder/edit", data={
        "definition": json.dumps(definition), "edit": json.dumps({"edit": "rename_node", "node": "greet",
                                                                  "name": "ring"})}).get_json()
    assert "refused" in refused
    assert client.post("/calls/manage/tst-call/builder/edit",
                       data={"definition": "[", "edit": "{}"}).get_json()["refused"]


def test_saving_unchanged_data_changes_nothing_and_a_change_makes_a_version(client, auth, trainer):
    auth.login(trainer)
    page = client.get("/calls/manage/tst-call/builder").get_data(as_text=True)
    definition, based_on = _definition(page), _based_on(page)
    response = client.post("/calls/manage/tst-call/builder", data={"definition": json.dumps(definition),
                                                                   "based_on": based_on}, follow_redirects=True)
    assert "沒有任何變更" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 1
    definition["nodes"][2]["say"] = "我的帳單被扣了兩次 {amount} 元！"
    response = client.post("/calls/manage/tst-call/builder", data={"definition": json.dumps(definition),
                                                                   "based_on": based_on})
    assert response.status_code == 302
    version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.number == 2))
    assert version.source == "editor" and version.definition["nodes"][2]["say"].startswith("我的帳單")
    assert version.source_text.startswith("# A small complaint call") and "我的帳單被扣了兩次" in version.source_text
    # A second tab still based on version 1 is refused, and shows what changed.
    definition["nodes"][2]["say"] = "扣了兩次！"
    response = client.post("/calls/manage/tst-call/builder", data={"definition": json.dumps(definition),
                                                                   "based_on": based_on})
    assert response.status_code == 200 and "stale-edit" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 2


def test_a_save_that_does_not_check_is_refused_and_keeps_the_trainers_work(client, auth, trainer):
    auth.login(trainer)
    page = client.get("/calls/manage/tst-call/builder").get_data(as_text=True)
    definition = _definition(page)
    definition["nodes"][2]["goto"] = "nowhere"
    response = client.post("/calls/manage/tst-call/builder", data={"definition": json.dumps(definition),
                                                                   "based_on": _based_on(page)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in page
    assert _definition(page)["nodes"][2]["goto"] == "nowhere"
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 1


def test_play_from_here_plays_the_draft_and_records_nothing(client, auth, trainer):
    auth.login(trainer)
    definition = _definition(client.get("/calls/manage/tst-call/builder").get_data(as_text=True))
    definition["nodes"][3]["options"][0]["say"] = "草稿裡的新說法。"
    posted = {"definition": json.dumps(definition), "start": "c_complaint"}
    page = client.post("/calls/manage/tst-call/builder/try", data=posted).get_data(as_text=True)
    assert "我被扣了兩次 599 元！" in page and "草稿裡的新說法。" in page
    state = html.unescape(re.search(r'name="state" value="([^"]*)"', page).group(1))
    page = client.post("/calls/manage/tst-call/builder/try", data=dict(posted, state=state, option=0)).get_data(
        as_text=True)
    assert "先致歉，做得好。" in page  # the reply's feedback, as in practice
    assert db.session.scalar(select(func.count()).select_from(CallAttempt)) == 0
    page = client.post("/calls/manage/tst-call/builder/try", data=dict(posted, start="nowhere")).get_data(as_text=True)
    assert "error-summary" in page


def test_a_new_call_starts_as_a_draft_learners_do_not_see(client, auth, make, trainer):
    auth.login(trainer)
    response = client.post("/calls/manage/new", data={"title": "新的練習電話", "category": "inquiry",
                                                       "slug": "new-practice"})
    assert response.headers["Location"].endswith("/calls/manage/new-practice/builder")
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "new-practice"))
    assert scenario.current_number == 0
    assert client.get("/calls/manage/new-practice/builder").status_code == 200
    index = client.get("/calls/manage/").get_data(as_text=True)
    assert "尚未發布的草稿" in index and "/calls/manage/new-practice/builder" in index
    taken = client.post("/calls/manage/new", data={"title": "又一通", "category": "inquiry", "slug": "new-practice"})
    assert taken.status_code == 200 and "已有其他通話使用這個檔名" in taken.get_data(as_text=True)
    auth.logout()
    auth.login(make.user(Role.LEARNER))
    assert "新的練習電話" not in client.get("/calls/").get_data(as_text=True)


def test_the_export_writes_a_scenario_as_its_file_was(app, trainer, tmp_path):
    from lms.curriculum.exporter import export_scenarios

    export_scenarios(tmp_path)
    exported = tmp_path / "courses" / "tst-201-phone" / "scenarios" / "tst-call.yaml"
    assert exported.read_text(encoding="utf-8") == SCENARIO_FILE.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_shipped_scenario_opened_in_the_builder_and_saved_unchanged_keeps_its_file(client, auth, make):
    make.content(SHIPPED_CONTENT)
    auth.login(make.user(Role.TRAINER))
    shipped = sorted(SHIPPED_CONTENT.glob("courses/*/scenarios/*.yaml"))
    for path in shipped:
        page = client.get(f"/calls/manage/{path.stem}/builder").get_data(as_text=True)
        yaml_view = html.unescape(re.search(r'<pre id="builder-yaml"[^>]*>(.*?)</pre>', page, re.S).group(1))
        assert yaml_view == path.read_text(encoding="utf-8"), path.name
        assert "builder-node--fault" not in page, path.name
        response = client.post(f"/calls/manage/{path.stem}/builder", data={
            "definition": json.dumps(_definition(page), ensure_ascii=False), "based_on": _based_on(page)})
        assert response.status_code == 302, path.name
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == len(shipped)
