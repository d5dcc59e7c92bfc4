"""The KPI pages run as many statements for a team of 10 as for a team of 30 with three times the values."""

import pytest

from tests.conftest import Auth, _reset_database
from tests.kpi.helpers import kpi_world
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")

PAGES = [("manager", "/kpi/team?course=TST-101"), ("manager", "/kpi/team"), ("manager", "/kpi/import"),
         ("trainer", "/kpi/"), ("trainer", "/kpi/fcr/items"), ("admin", "/kpi/team"), ("manager", "/kpi/flags"),
         ("trainer", "/kpi/flags"), ("manager", "/kpi/thresholds")]


def _counts(app, world) -> dict:
    people = {"manager": world.manager, "trainer": world.trainer, "admin": world.admin}
    counts = {}
    for role, url in PAGES:
        client = app.test_client()
        Auth(client).login(people[role])
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(role, url)] = len(statements)
    return counts


@pytest.mark.parametrize("sizes", [(5, 15)])
def test_kpi_pages_do_not_grow_with_data(app, make, sizes):
    small = _counts(app, kpi_world(make, sizes[0]))
    _reset_database()
    large = _counts(app, kpi_world(make, sizes[1]))
    assert {page: (small[page], large[page]) for page in small if large[page] != small[page]} == {}
