"""The accounts domain's labels cover every value, and the demo command loads once and commits once."""

import pytest
from sqlalchemy import func, select

from lms.accounts.demo import DEMO_USERS
from lms.accounts.labels import LOCALE_LABELS, ROLE_LABELS, USER_STATUS_LABELS
from lms.accounts.models import Locale, Role, User
from lms.accounts.users import UserFilter, search_users
from lms.db import db
from tests.factories import SHIPPED_CONTENT


def test_every_role_and_language_has_a_label():
    assert set(ROLE_LABELS) == set(Role)
    assert set(LOCALE_LABELS) == set(Locale)


def test_every_status_of_the_users_filter_has_a_label_and_filters(app, make):
    active, inactive = make.user(), make.user(active=False)
    found = {status: {u.id for u in search_users(UserFilter(status=status), page=1).items}
             for status in USER_STATUS_LABELS}
    assert found == {"active": {active.id}, "inactive": {inactive.id}, "all": {active.id, inactive.id}}


@pytest.mark.slow
def test_demo_command_loads_users_and_progress_in_one_commit(app, runner, make, monkeypatch):
    make.content(SHIPPED_CONTENT)
    session, commits = db.session(), []
    commit = session.commit

    def counted_commit():
        commits.append(1)
        commit()

    monkeypatch.setattr(session, "commit", counted_commit)
    result = runner.invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo users created." in result.output and "Demo progress:" in result.output
    assert len(commits) == 1
    from lms.evaluation.learning_demo import LEARNERS as LEARNING_DEMO_AGENTS
    from lms.evaluation.levels13_demo import NEW_HIRES as LEVELS13_NEW_HIRES
    from lms.kpi.demo import AGENTS as KPI_DEMO_AGENTS

    assert db.session.scalar(select(func.count()).select_from(User)) == (
        len(DEMO_USERS) + len(LEARNING_DEMO_AGENTS) + len(LEVELS13_NEW_HIRES) + len(KPI_DEMO_AGENTS))
    again = runner.invoke(args=["lms", "demo"])
    assert again.exit_code == 0 and "Demo users were already loaded." in again.output
