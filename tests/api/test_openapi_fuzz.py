"""schemathesis against the API's own OpenAPI document, on each test database: no 5xx, every answer
matches its documented status, content type and schema, and authentication is enforced on every
operation. Bounded: a few examples per operation."""

import contextvars

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from lms.accounts.models import Role
from lms.api.scopes import ALL_SCOPES

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          ignored_auth]


@pytest.fixture
def api_secret(app, make, token_for):
    """A small world (content, a team, people) and a token holding every scope."""
    make.content()
    admin = make.user(Role.ADMIN, employee_no="ADM1")
    team = make.team("甲組", managers=[make.user(Role.MANAGER, employee_no="MGR1")])
    make.enrol(make.user(Role.LEARNER, team=team, employee_no="A1001"), "TST-101")
    return token_for(admin, ALL_SCOPES)


@pytest.fixture
def api_schema(app, api_secret):
    def isolated(environ, start_response):  # each request in a context of its own, as a server runs it
        return contextvars.Context().run(app.wsgi_app, environ, start_response)

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)


def _fuzz(operation, secret: str) -> None:
    @settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

    run()


def test_every_operation_keeps_its_document(api_schema, api_secret):
    # One test walks every operation (schemathesis' pytest plugin does not run on this pytest).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        _fuzz(operation, api_secret)
