"""The one reader of uploaded text (issue 12, item 4): UTF-8 (BOM or not), UTF-16 with BOM, GB18030 and
Big5 are read; anything else, or a guess that would produce unlikely characters, is refused."""

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accounts.user_import import parse_user_csv
from lms.content.uploads import UploadTextError, decode_upload, first_unlikely

SIMPLIFIED_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵丽", "黄强", "周杰", "吴敏", "徐涛", "孙雪",
                    "马超", "朱琳", "胡军", "郭颖", "何鹏", "高洁", "林峰", "罗欣", "客服一组", "投诉处理"]
TRADITIONAL_NAMES = ["陳小明", "林美華", "黃志豪", "張家豪", "許雅婷", "蔡宗翰", "鄭惠文", "王大明", "李怡君",
                     "劉建國", "楊淑芬", "吳俊傑", "謝佩珊", "郭哲維", "客服一組", "投訴處理"]
HEADER = "employee_no,name,email,team\r\n"

# Text a person could have typed: no control, private-use, unassigned or surrogate code points.
typed = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Co", "Cs", "Cn"), blacklist_characters="\ufffd")
                | st.sampled_from("\t\n\r")).map(lambda s: unicodedata.normalize("NFC", s))


def _users_csv(names):
    return HEADER + "".join(f"A{i},{name},u{i}@example.com,\r\n" for i, name in enumerate(names, start=1))


@settings(max_examples=400, deadline=None)
@given(typed, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_property_unicode_encodings_read_back_exactly(text, encoding):
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    if encoding == "utf-8" and text.startswith("\ufeff"):
        return  # that is the byte-order mark itself
    assert decode_upload(data).text == text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SIMPLIFIED_NAMES), min_size=1, max_size=12), st.sampled_from(["gb18030", "big5"]))
def test_property_legacy_chinese_is_read_right_or_refused_never_guessed(names, encoding):
    pool = SIMPLIFIED_NAMES if encoding == "gb18030" else TRADITIONAL_NAMES
    text = _users_csv([pool[SIMPLIFIED_NAMES.index(n) % len(pool)] for n in names])
    try:
        upload = decode_upload(text.encode("cp950" if encoding == "big5" else encoding))
    except UploadTextError as exc:
        assert "GB18030" in str(exc) and "Big5" in str(exc) and "UTF-8" in str(exc)
        return
    assert upload.text == text and upload.encoding == encoding


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=200))
def test_property_any_bytes_give_plausible_text_or_a_refusal(data):
    try:
        upload = decode_upload(data)
    except UploadTextError as exc:
        assert "UTF-8" in str(exc)
        return
    assert first_unlikely(upload.text) is None and "\ufffd" not in upload.text


def test_a_simplified_users_csv_saved_as_gb18030_keeps_its_names():
    names = ["张伟", "王芳", "刘洋", "陈静", "杨磊"]
    result = parse_user_csv(_users_csv(names).encode("gb18030"), today=None)
    assert result.encoding == "gb18030" and [r.name for r in result.rows] == names


def test_a_traditional_users_csv_saved_as_big5_keeps_its_names():
    names = ["陳小明", "林美華", "黃志豪", "張家豪", "許雅婷"]
    result = parse_user_csv(_users_csv(names).encode("cp950"), today=None)
    assert result.encoding == "big5" and [r.name for r in result.rows] == names


def test_excel_unicode_text_is_utf16_with_tabs():
    text = "工號\t姓名\t電子郵件\r\nB1\t王小華\tb1@example.com\r\n"
    result = parse_user_csv(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), today=None)
    assert result.encoding == "utf-16" and result.rows[0].name == "王小華"


@pytest.mark.parametrize("data, line", [
    ("名稱\n第二行\ue000私用\n".encode(), 2),  # private use area
    ("a\nb\nc\x85d\n".encode(), 3),  # a C1 control
    (b"ok\n\x00\x01 binary", 2),  # NUL and other controls
    ("x\ufffdy".encode(), 1),  # a replacement character: someone decoded wrongly already
])
def test_unlikely_characters_are_refused_naming_the_line_and_the_accepted_encodings(data, line):
    with pytest.raises(UploadTextError) as refused:
        decode_upload(data)
    assert refused.value.line == line
    assert all(name in str(refused.value) for name in ("UTF-8", "UTF-16", "GB18030", "Big5"))


def test_latin1_is_not_guessed():
    with pytest.raises(UploadTextError):
        decode_upload("Müller,Zoë,Ångström\n".encode("latin-1"))
