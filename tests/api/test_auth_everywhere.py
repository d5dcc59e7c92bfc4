"""Authentication and scopes on every operation of the OpenAPI document (the document itself is public):
without a token 401, with a token lacking the operation's scope 403, both in the API's error shape, and
nothing written."""

import re

import pytest

from lms.api.scopes import ALL_SCOPES
from tests.api.conftest import Api, assert_error

BODY = {"items": [{}]}


def _operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            scope = re.search(r"scope `([a-z]+:[a-z]+)`", operation["description"])[1]
            yield method.upper(), re.sub(r"\{[^}]+\}", "X1", path).removeprefix("/api/v1"), scope, operation


def test_the_document_is_openapi_3_1_and_declares_bearer_auth(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"] == {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    assert document["security"] == [{"bearerAuth": []}]
    assert len(document["paths"]) >= 15


def test_every_operation_refuses_no_token_and_a_wrong_scope(client, admin, token_for):
    operations = list(_operations(client))
    assert len(operations) >= 18
    for method, path, scope, operation in operations:
        assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
        body = BODY if method in ("POST", "PUT") else None
        assert_error(Api(client, None).open(method, path, json=body), 401, "unauthorized")
        others = [s for s in ALL_SCOPES if s.split(":")[0] != scope.split(":")[0]]
        assert_error(Api(client, token_for(admin, others)).open(method, path, json=body), 403, "insufficient_scope")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_unknown_api_addresses_answer_json_not_html(client, method):
    response = client.open("/api/v1/no-such-thing", method=method)
    assert_error(response, 404, "not_found")
    assert response.mimetype == "application/json"


def test_a_malformed_body_is_422_in_the_error_shape(api):
    error = assert_error(api.put("/users/A1", data="{not json", content_type="application/json"), 422)
    assert error["details"]
