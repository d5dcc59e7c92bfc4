"""Where a saved version came from reads as words in the audit log, not as file/editor/gift (issue 12, item 16)."""

import pytest

from lms.audit.labels import field_value


@pytest.mark.parametrize("code,label", [("file", "由內容檔案匯入"), ("editor", "於網頁中編輯"), ("gift", "由 GIFT 檔案匯入")])
def test_sources_have_labels(app, code, label):
    with app.test_request_context("/"):
        assert field_value("source", code) == label
