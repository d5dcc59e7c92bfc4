"""The pure parts of erasure: identifiers replaced whole, free text removed, ratings kept."""

from hypothesis import given
from hypothesis import strategies as st

from lms.privacy.identity import _replacer, without_typed_text
from lms.privacy.registry import ErasureContext, without_text

CTX = ErasureContext(
    user_id=7,
    number=3,
    name="王小明",
    email="wang@example.com",
    employee_no="E0001",
    pseudonym="已刪除的人員 #3",
)
SUFFIX = st.text(alphabet="0123456789ABCxyz_-.", min_size=1, max_size=4)


@given(SUFFIX)
def test_a_longer_identifier_is_left_alone(suffix):
    replace = _replacer(CTX, with_name=False)
    for other in (f"E0001{suffix}", f"{suffix}E0001", f"wang@example.com{suffix}"):
        if other.lower() not in ("e0001", "wang@example.com"):
            assert replace(f"說明：{other} 完成") == f"說明：{other} 完成"


@given(st.text(max_size=20).filter(lambda t: "E0001" not in t and "wang@" not in t.lower()))
def test_the_identifiers_themselves_are_replaced_wherever_they_stand(text):
    replace = _replacer(CTX, with_name=False)
    assert replace(f"{text} E0001；WANG@example.com") == f"{text} 已刪除的人員 #3；已刪除的人員 #3"
    assert replace({"managers": ["E0001"], "n": 3}) == {"managers": ["已刪除的人員 #3"], "n": 3}


def test_the_name_is_replaced_only_when_asked():
    assert _replacer(CTX, with_name=False)("王小明 E0001") == "王小明 已刪除的人員 #3"
    assert _replacer(CTX, with_name=True)("王小明 E0001") == "已刪除的人員 #3 已刪除的人員 #3"


@given(st.dictionaries(st.text(max_size=5), st.one_of(st.integers(0, 10), st.text(max_size=10)), max_size=6))
def test_survey_answers_keep_every_rating_and_lose_every_comment(answers):
    kept = without_text(answers, CTX)
    assert kept == {k: v for k, v in answers.items() if isinstance(v, int)}


def test_a_calls_state_loses_what_was_typed():
    state = {
        "variant": {"agent_id": "E0001", "caller": "王先生"},
        "events": [
            {"kind": "typed", "text": "我是王小明", "marks": [["verify", "met", 2]]},
            {"kind": "email", "subject": "退款", "text": "您好"},
        ],
    }
    assert without_typed_text(state, CTX) == {
        "variant": {"agent_id": "已刪除的人員 #3", "caller": "王先生"},
        "events": [
            {"kind": "typed", "text": "", "marks": [["verify", "met", 2]]},
            {"kind": "email", "subject": "", "text": ""},
        ],
    }
