"""The bank page shows a trainer the item-writing cues of a bank they authored, in their language."""

import io
import re

import pytest

from lms.accounts.models import Role

CUED = "\n\n".join(
    [f"// [tag:std:4.1.1-a]\n::Q{i}::來電第 {i} 種情況該怎麼處理？{{=先確認客戶需求並依規定處理第 {i} 種情況 ~掛斷 ~轉接 ~等待}}"
     for i in range(6)]
    + [f"// [tag:std:4.1.1-a]\n::T{i}::第 {i} 種做法可以先掛斷電話。{{F}}" for i in range(8)]
    + ["// [tag:std:4.1.1-a]\n::G::客戶要求轉接主管時，你應該轉接主管嗎？{~不必理會 =轉接主管 ~請客戶改天再打}"])
CLEAN = "\n\n".join(
    [f"// [tag:std:4.1.1-a]\n::Q{i}::第 {i} 題怎麼做？{{{' '.join(('=' if j == i % 4 else '~') + t for j, t in enumerate(['甲案', '乙案', '丙案', '丁案']))}}}"
     for i in range(8)]
    + [f"// [tag:std:4.1.1-a]\n::T{i}::第 {i} 個敘述。{{{'T' if i % 2 else 'F'}}}" for i in range(6)])


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    auth.login(make.user(Role.TRAINER))


def _bank_page(client, text, name):
    response = client.post("/exams/manage/gift", data={"bank": name, "tags": "pro-201",
                                                       "file": (io.BytesIO(text.encode()), "bank.gift")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_trainers_bank_shows_its_cues_in_words(client, trainer):
    html = _bank_page(client, CUED, "線索題庫")
    section = html.split('id="cues-heading"')[1].split("</section>")[0]
    assert "命題檢查" in html
    assert "7 題選擇題中，有 6 題的正確選項排在最前面" in section  # the giveaway has its key second
    assert "8 題是非題中，0 題答案為「對」，8 題為「錯」" in section
    assert "最長的選項就是正確答案" in section
    assert re.search(r"<code>[a-z0-9-]+-015</code></a>: 題目本身就含有正確選項「轉接主管」", section)
    assert "keys_first" not in section and "truefalse_balance" not in section  # no codes on screen


def test_a_bank_without_cues_says_so(client, trainer):
    html = _bank_page(client, CLEAN, "均衡題庫")
    section = html.split('id="cues-heading"')[1].split("</section>")[0]
    assert "沒有發現命題線索。" in section
    assert "是非題：3 題答案為「對」，3 題為「錯」" in section
    assert "第 1 個選項：2 題" in section
