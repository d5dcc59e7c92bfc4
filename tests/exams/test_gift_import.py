"""The GIFT import page: what an import may change, and what it tells the trainer afterwards."""

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms.accounts.models import Role
from lms.db import db
from lms.exams.models import Question, QuestionBank, QuestionTag, QuestionVersion
from lms.standards.models import StandardCitation


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


def _upload(client, text, bank="新匯入題庫", follow=False):
    return client.post("/exams/manage/gift", data={"bank": bank, "file": (io.BytesIO(text.encode()), "q.gift")},
                       content_type="multipart/form-data", follow_redirects=follow)


def _counts():
    return (db.session.scalar(select(func.count()).select_from(QuestionBank)),
            db.session.scalar(select(func.count()).select_from(QuestionVersion)))


def test_an_id_of_another_banks_question_is_refused_and_nothing_is_written(client, trainer):
    before = _counts()
    response = _upload(client, "// [id:t-single] [tag:std:4.1.1-a]\n換掉別人的題目 {T}\n\n"
                               "// [tag:std:4.1.1-a]\n新的題目 {F}\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in html
    assert "[id:t-single]" in html and "測試題庫" in html  # names the id and the bank that owns it
    assert _counts() == before
    question = db.session.scalar(select(Question).where(Question.uid == "t-single"))
    assert question.current_version.qtype == "single" and question.bank.slug == "test-bank"


def test_the_same_id_twice_in_a_file_is_refused(client, trainer):
    before = _counts()
    html = _upload(client, "// [id:dup-1] [tag:std:4.1.1-a]\nA {T}\n\n// [id:dup-1] [tag:std:4.1.1-a]\nB {F}\n"
                   ).get_data(as_text=True)
    assert "[id:dup-1]" in html and "第一次在第 2 行" in html and "第 5 行" in html and _counts() == before


def test_updating_the_banks_own_questions_is_allowed_and_an_unchanged_file_says_so(client, trainer):
    exported = client.get("/exams/manage/banks/test-bank/export.gift").get_data(as_text=True)
    page = _upload(client, exported, bank="測試題庫", follow=True).get_data(as_text=True)
    assert "已在「測試題庫」中且沒有變更" in page and "匯入 0 題" not in page
    changed = exported.replace("::", "::改", 1)  # the first question's name changes
    page = _upload(client, changed, bank="test-bank", follow=True).get_data(as_text=True)
    assert "已匯入 1 題到「測試題庫」；另有 6 題已在題庫中且沒有變更" in page
    db.session.expire_all()
    essay = db.session.scalar(select(Question).where(Question.uid == "t-essay"))  # the first one exported
    assert essay.current_version.number == 2 and essay.current_version.name.startswith("改")
    assert essay.current_version.data["rubric"]  # GIFT cannot carry the rubric: it is kept
    assert set(db.session.scalars(select(QuestionTag.tag).where(QuestionTag.question_id == essay.id))) == {"essays"}
    cited = db.session.scalars(select(StandardCitation.label).where(StandardCitation.ref_id == essay.id,
                                                                   StandardCitation.kind == "question")).all()
    assert cited and all(label.startswith("t-essay · 改") for label in cited)


def test_warnings_are_shown_with_their_lines_after_a_successful_import(client, trainer):
    response = _upload(client, "// [tag:std:4.1.1-a]\n可以先掛？{T}\n\n// [tag:std:4.1.1-a]\n對嗎？{錯誤#因為}\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" not in html
    assert "已匯入 2 題到 新匯入題庫" in html  # the import happened …
    warnings = html.split("flash--warning")[1].split("</ul>")[0]
    assert "第 5 行" in warnings and "錯誤" in warnings  # … and its warning names the line
    assert db.session.scalar(select(func.count()).select_from(QuestionBank).where(QuestionBank.title == "新匯入題庫")) == 1


def test_trainers_read_bank_titles_not_generated_bank_ids(client, trainer):
    page = _upload(client, "// [tag:std:4.1.1-a]\n可以先掛？{T}\n", follow=True).get_data(as_text=True)
    slug = db.session.scalar(select(QuestionBank.slug).where(QuestionBank.title == "新匯入題庫"))
    flash = page.split('flash--success')[1].split("</div>")[0]
    assert slug.startswith("bank-") and "新匯入題庫" in flash and slug not in flash
    index = client.get("/exams/manage/").get_data(as_text=True)
    assert "新匯入題庫" in index and "測試題庫" in index
    for code in (slug, "test-bank"):
        assert code not in index.replace(f"/banks/{code}", "")  # in links only, never as text
    bank = client.get(f"/exams/manage/banks/{slug}").get_data(as_text=True)
    assert ">可以先掛？</a>" in bank and f"題目代號 <code>{slug}-001</code>" in bank  # named; the id is labelled
    question = client.get(f"/exams/manage/questions/{slug}-001").get_data(as_text=True)
    assert "<h1>可以先掛？" in question and f"題目代號 <code>{slug}-001</code>" in question


def test_a_shipped_gift_bank_is_titled_by_its_first_category_not_its_file_name():
    from pathlib import Path

    from lms.exams.loader import _load_gift_bank

    quizzes = Path(__file__).resolve().parents[2] / "quizzes"
    bank, errors = _load_gift_bank(quizzes / "gift" / "moodle-phone-basics.gift", quizzes)
    assert errors == [] and bank.slug == "moodle-phone-basics" and bank.title == "電話禮儀基礎"
    assert all("$" not in tag for spec in bank.questions for tag in spec.tags)


def test_gift_uploads_use_the_shared_reader(client, trainer):
    text = "// [tag:std:4.1.1-a]\n::先挂::通话结束时应该让客户先挂断电话，确认没有其他问题。{T}\n"
    response = client.post("/exams/manage/gift", data={"bank": "简体题库", "file": (io.BytesIO(text.encode("gb18030")),
                                                                                "q.gift")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    version = db.session.scalar(select(QuestionVersion).where(QuestionVersion.name == "先挂"))
    assert version.text_md.startswith("通话结束时应该让客户先挂断电话")
    before = _counts()
    html = client.post("/exams/manage/gift", data={"bank": "x", "text": "// [tag:std:4.1.1-a]\nQ\ue001 {T}\n"}
                       ).get_data(as_text=True)
    assert "error-summary" in html and "GB18030" in html and _counts() == before


def test_the_gift_download_names_its_charset_once(client, trainer):
    response = client.get("/exams/manage/banks/test-bank/export.gift")
    assert response.headers["Content-Type"].lower().count("charset") == 1
    assert response.headers["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"


def test_files_and_pasted_text_share_one_size_limit_and_one_question_limit(client, trainer):
    from lms.exams.gift_files import MAX_GIFT_BYTES, MAX_GIFT_QUESTIONS

    before = _counts()
    big = "// [tag:std:4.1.1-a]\n" + "客戶先掛斷電話是對的嗎？" * (MAX_GIFT_BYTES // 36 + 1) + "{T}\n"
    assert len(big) < MAX_GIFT_BYTES < len(big.encode())  # under the limit in characters, over it in bytes
    # Encoded here in memory: the test client would spool a body this large to a file it never closes.
    boundary, body = encode_multipart({"bank": "大題庫", "file": FileStorage(io.BytesIO(big.encode()), "big.gift")})
    by_file = client.post("/exams/manage/gift", data=body,
                          content_type=f"multipart/form-data; boundary={boundary}").get_data(as_text=True)
    by_paste = client.post("/exams/manage/gift", data={"bank": "大題庫", "text": big}).get_data(as_text=True)
    for html in (by_file, by_paste):
        assert "GIFT 內容有 1,025 KB；一個檔案或貼上的文字最多 1,024 KB" in html and "error-summary" in html
    assert "每次匯入最多 2,000 題、1,024 KB" in client.get("/exams/manage/gift").get_data(as_text=True)  # said up front
    many = "".join(f"// [tag:std:4.1.1-a]\n第 {i} 題對嗎？{{T}}\n\n" for i in range(MAX_GIFT_QUESTIONS + 1))
    html = client.post("/exams/manage/gift", data={"bank": "大題庫", "text": many}).get_data(as_text=True)
    assert "2,001 題" in html and "最多 2,000 題" in html and _counts() == before
