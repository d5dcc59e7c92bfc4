import pytest

from lms.tasks import huey
from tests.webhooks.receiver import start_receiver


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _no_scheduled_tasks():
    """Retries scheduled by one test (immediate mode keeps them in memory) are not another's."""
    huey.storage.flush_schedule()
    yield
    huey.storage.flush_schedule()
