"""Simplified Chinese is derived from the traditional by OpenCC; these wrong conversions must not
reach any zh_Hans message (issue 12, item 18). And WTForms' own messages speak the page's language."""

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lms.accounts.models import Locale, Role, User
from lms.db import db

ROOT = Path(__file__).resolve().parent.parent

# (a phrase in the traditional text, the wrong simplified it turned into); "" = wrong whatever the source.
KNOWN_BAD = [
    ("", "纪录"),  # 紀錄 → 记录
    ("登錄", "登录"),  # recording a result is 录入; 登录 means logging in
    ("", "范例档"),
    ("", "范例"),
    ("", "存新档"),
    ("", "文字档"),
    ("", "帐号"),  # 账号
    ("", "回馈"),  # 反馈
    ("", "查找"),  # 搜索 / 查询
    ("資料", "数据"),  # 資料 is information, not data
    ("", "品质"),  # 质量
    ("", "预设"),  # 默认
    ("", "评核"),  # 考核
]


def _i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalogue(locale):
    with open(ROOT / f"lms/translations/{locale}/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else m.string[0]
            for m in catalog if m.id}


def test_no_simplified_message_has_a_known_bad_conversion():
    traditional, simplified = _catalogue("zh_Hant"), _catalogue("zh_Hans")
    chosen = _i18n_script().load_messages("zh_Hans")  # whole messages a person wrote in simplified Chinese
    wrong = [(msgid, bad, text) for msgid, text in simplified.items() for trigger, bad in KNOWN_BAD
             if bad in text and trigger in traditional.get(msgid, "") and msgid not in chosen
             and not (trigger == "資料" and "數據" in traditional[msgid])]
    assert wrong == []


@pytest.mark.parametrize("traditional,simplified", [
    ("登錄實地觀察評核", "录入实地观察考核"),
    ("稽核紀錄", "审核记录"),
    ("下載範例檔", "下载示例文件"),
    ("查找人員", "搜索人员"),
    ("客戶查詢", "客户查询"),
    ("課程資料夾與課程資料", "课程文件夹与课程资料"),
    ("登入", "登录"),  # logging in still converts as OpenCC does
])
def test_phrase_corrections_apply_before_the_conversion(traditional, simplified):
    assert _i18n_script().simplified_converter()(traditional) == simplified


def test_the_app_catalogue_covers_every_wtforms_message():
    from wtforms.i18n import messages_path

    from lms.forms import BUILT_IN_MESSAGES

    with open(Path(messages_path()) / "wtforms.pot", "rb") as fh:
        wtforms_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    ours = {getattr(m, "_args", (None,))[0] for m in BUILT_IN_MESSAGES}
    assert wtforms_ids - ours == set()
    assert wtforms_ids <= set(_catalogue("zh_Hant"))


@pytest.mark.parametrize("locale,too_long,bad_choice", [
    (Locale.ZH_HANT, "最多只能輸入 100 個字元。", "請從清單中選擇一個項目。"),
    (Locale.ZH_HANS, "最多只能输入 100 个字符。", "请从清单中选择一个项目。"),
    (Locale.EN, "Field cannot be longer than 100 characters.", "Not a valid choice."),
])
def test_built_in_form_messages_come_in_the_page_language(client, auth, make, locale, too_long, bad_choice):
    admin = make.user(Role.ADMIN)
    db.session.get(User, admin.id).locale = locale
    db.session.commit()
    auth.login(admin)
    html = client.post("/admin/users/new", data={
        "employee_no": "Z9", "name": "名" * 101, "email": "z9@example.com", "locale": "2",
        "roles": ["learner"]}).get_data(as_text=True)
    assert too_long in html and bad_choice in html
    assert "字段长度" not in html or locale == Locale.ZH_HANS
