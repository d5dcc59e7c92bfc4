"""The pure parts: the cursor codec (any text is a cursor the API gave, or a 400) and the reference page's
reading of the OpenAPI document."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.api.errors import ApiError
from lms.api.pagination import decode_cursor, encode_cursor
from lms.api.reference import coded, sections, type_text


@given(st.one_of(st.integers(min_value=0, max_value=2**62), st.text(max_size=40)))
def test_a_cursor_round_trips(value):
    assert decode_cursor(encode_cursor(value), type(value)) == value


@given(st.text(max_size=80))
def test_any_other_text_is_refused_as_a_bad_request(text):
    try:
        decode_cursor(text, int)
    except ApiError as error:
        assert error.status == 400 and error.details[0]["field"] == "cursor"


def test_a_cursor_of_the_wrong_kind_is_refused():
    with pytest.raises(ApiError):
        decode_cursor(encode_cursor("A1001"), int)
    with pytest.raises(ApiError):
        decode_cursor(encode_cursor(True), int)


def test_descriptions_show_backticked_parts_as_code():
    assert coded("Needs the scope `users:read` (or `users:write`).") == [
        ("Needs the scope ", False), ("users:read", True), (" (or ", False), ("users:write", True), (").", False)]
    assert coded("") == []


def test_sections_group_operations_by_domain_in_the_scopes_order():
    document = {
        "paths": {
            "/api/v1/kpi/records": {"post": {"tags": ["kpi"], "summary": "Push", "responses": {"200": {}}}},
            "/api/v1/users": {"get": {"tags": ["users"], "summary": "List", "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}], "responses": {"200": {}}}},
        },
        "components": {"schemas": {}},
    }
    found = sections(document)
    assert [s["tag"] for s in found] == ["users", "kpi"]
    assert found[0]["operations"][0]["parameters"][0]["type"] == "integer"
    assert type_text({"anyOf": [{"type": "string"}, {"type": "null"}]}, {}) == "string | null"
    assert type_text({"type": "array", "items": {"$ref": "#/components/schemas/UserItem"}}, {}) == "array of UserItem"
