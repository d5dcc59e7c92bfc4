"""The export holds every registered table's rows about a person, readable and with ISO dates."""

import json
import re

from lms.privacy.export import export_data, export_json, summaries
from lms.privacy.registry import entries

# Rows that only exist once someone's data has been erased.
ONLY_AFTER_AN_ERASURE = {"personal_data_erasures"}


def test_the_export_has_rows_from_every_registered_table(app, departed):
    data = export_data(departed.person)
    by_table = {t["table"]: t["rows"] for t in data["tables"]}
    assert set(by_table) == {e.table for e in entries()}
    empty = sorted(name for name, rows in by_table.items() if not rows and name not in ONLY_AFTER_AN_ERASURE)
    assert empty == []
    assert data["person"]["employee_no"] == departed.employee_no


def test_the_export_is_readable_json_without_secrets(app, departed):
    text = export_json(departed.person)
    data = json.loads(text)
    users = next(t for t in data["tables"] if t["table"] == "users")["rows"]
    assert users[0]["name"] == "王小明" and "password_hash" not in users[0]
    assert all("token_hash" not in row for t in data["tables"] for row in t["rows"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", users[0]["created_at"])
    assert "王小明" in text  # not escaped: a person can read it


def test_rows_they_only_acted_on_are_counted_apart(app, departed):
    counts = {s.table: s for s in summaries(departed.person)}
    assert counts["course_versions"].about == 0 and counts["course_versions"].acted == 1
    assert counts["attempts"].about >= 1
    assert counts["accommodations"].about == 1
