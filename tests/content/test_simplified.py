"""The content in simplified Chinese (issue 15): OpenCC's Taiwan-to-mainland conversion with the content's
phrase corrections, remembered per run and per content generation; the phrases file checked line by line."""

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from lms.content import simplified
from lms.content.files import load_yaml
from lms.content.phrases import PHRASES_FILE, load_phrases, read_phrases, sync_phrases
from lms.content.simplified import PLAIN, SimplifiedConverter, content_converter, in_content_words
from lms.content_language import mark_content_language
from lms.db import db
from lms.generations import CONTENT, changed

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_PHRASES = yaml.safe_load((ROOT / "courses" / PHRASES_FILE).read_text(encoding="utf-8"))


def test_opencc_gives_mainland_words_and_the_corrections_come_first_longest_first():
    assert PLAIN.convert("軟體資訊與簡訊") == "软件信息与短信"
    converter = SimplifiedConverter({"社群": "社交媒体", "社群媒體": "社交媒体", "帳": "账", "品質": "质量"})
    assert PLAIN.convert("在社群媒體上查帳單的品質") == "在社区媒体上查帐单的品质"  # what OpenCC alone says
    assert converter.convert("在社群媒體上查帳單的品質") == "在社交媒体上查账单的质量"
    # Without a traditional character the text is taken as simplified already and left alone.
    assert converter.convert("社群") == "社群" and converter.convert("社群與") == "社交媒体与"


@pytest.mark.parametrize("traditional,simplified_text", [
    ("請依標準文件落實執行", "请依标准文件落实执行"),  # tw2sp: 标准文档, 落实运行
    ("認識呼叫中心系統", "认识呼叫中心系统"),  # tw2sp: 调用中心
    ("客戶結束通話後才掛斷", "客户结束通话后才挂断"),  # tw2sp: 客户挂断后才挂断
    ("稍後回撥給您", "稍后回拨给您"),  # tw2sp: 回调
    ("服務品質指標", "服务质量指标"),  # tw2sp: 服务品质指针
    ("請提供門號與身分證字號", "请提供号码与身份证字号"),
    ("光纖寬頻的帳單", "光纤宽带的账单"),
])
def test_the_shipped_corrections_fix_what_tw2sp_gets_wrong_in_this_content(traditional, simplified_text):
    assert SimplifiedConverter(SHIPPED_PHRASES).convert(traditional) == simplified_text


def test_simplified_text_passes_through_unchanged():
    # tw2sp alone would turn these Taiwan words written in shared characters into mainland ones.
    for text in ("文件已停用", "请上传 CSV 文件", "课程", "已登录"):
        assert SimplifiedConverter(SHIPPED_PHRASES).convert(text) == text


def test_every_simplified_interface_message_is_left_as_it_is_on_a_simplified_page():
    with open(ROOT / "lms/translations/zh_Hans/LC_MESSAGES/messages.po", "rb") as fh:
        catalogue = read_po(fh)
    convert = SimplifiedConverter(SHIPPED_PHRASES).convert
    texts = [s for m in catalogue if m.id for s in (m.string if isinstance(m.string, tuple | list) else [m.string])]
    assert len(texts) > 1000
    changed = [t for t in texts if mark_content_language(f"<p>{t}</p>", "zh-Hans", convert) != f"<p>{t}</p>"]
    assert changed == []


def test_runs_are_remembered_up_to_a_limit(monkeypatch):
    converter = SimplifiedConverter({"帳": "账"})
    calls = []
    real = converter._convert
    monkeypatch.setattr(converter, "_convert", lambda text: calls.append(text) or real(text))
    monkeypatch.setattr(simplified, "RUNS_REMEMBERED", 2)
    assert converter.convert("帳單") == converter.convert("帳單") == "账单"
    assert calls == ["帳單"]
    converter.convert("課程")
    converter.convert("資訊")  # three runs: the oldest is forgotten
    assert converter.remembered() == 2
    converter.convert("帳單")
    assert calls == ["帳單", "課程", "資訊", "帳單"]
    monkeypatch.setattr(simplified, "LONGEST_REMEMBERED", 3)
    converter.convert("很長的一段課程")
    assert "很長的一段課程" not in converter._runs


def test_text_with_private_use_characters_of_its_own_is_converted_piece_by_piece():
    converter = SimplifiedConverter({"品質": "质量", "帳": "账"})
    assert converter.convert("\ue000品質與帳單\ue001") == "\ue000质量与账单\ue001"


def test_what_a_reader_types_is_read_in_the_contents_words():
    converter = SimplifiedConverter({"帳": "账", "品質": "质量", "門號": "号码"})
    assert converter.content_words("服务质量") == "服務品質"
    assert converter.content_words("账户") == "帳戶"
    assert converter.content_words("软件信息") == "軟體資訊"
    assert in_content_words("软件") == "軟體"  # outside the app: OpenCC alone


def test_one_converter_per_content_generation(app, make):
    simplified._BY_PHRASES.clear()  # what earlier tests converted with the same phrases
    make.content()
    first = content_converter()
    assert first.phrases == {"帳": "账"} and content_converter() is first
    first.convert("帳號")
    db.session.commit()
    assert content_converter() is first and first.remembered() == 1  # a new transaction, the same generation
    changed(CONTENT)  # a new generation (a standard revised), the same phrases: the same converter
    db.session.commit()
    assert content_converter() is first and first.remembered() == 1
    sync_phrases({"帳": "账", "品質": "质量"})
    db.session.commit()
    second = content_converter()
    assert second is not first and second.remembered() == 0 and second.convert("品質") == "质量"


def test_sync_counts_and_keeps_the_table_as_the_file(app):
    from lms.content.phrases import content_phrases

    assert sync_phrases({"帳": "账", "品質": "质量"}) == "2 new, 0 changed, 0 unchanged"
    assert sync_phrases({"帳": "账", "品質": "品质"}) == "0 new, 1 changed, 1 unchanged"
    assert sync_phrases({"帳": "账"}) == "0 new, 0 changed, 1 unchanged, 1 removed"
    assert content_phrases() == {"帳": "账"}


def _problems(text):
    data = load_yaml(text, "courses/zh_Hans.phrases.yaml")
    return [(e.line, e.field, e.message) for e in read_phrases(data, "courses/zh_Hans.phrases.yaml")[1]]


def test_the_phrases_file_is_checked_line_by_line():
    problems = _problems("# comment\n帳: 账\n品質: 品質\nabc: 文字\n回撥:\n門號: [号码]\n")
    assert problems == [(3, "simplified", "品質 still has traditional characters"),
                        (4, "phrase", "the phrase must be Chinese text"),
                        (5, "simplified", "give the phrase's simplified Chinese after the colon"),
                        (6, "simplified", "give the phrase's simplified Chinese after the colon")]
    assert _problems("- 帳\n") == [(1, None, "the file must map traditional phrases to simplified Chinese")]


def test_a_phrase_given_twice_names_its_line(tmp_path):
    courses = tmp_path / "courses"
    courses.mkdir()
    (courses / PHRASES_FILE).write_text("帳: 账\n品質: 质量\n帳: 帐\n", encoding="utf-8")
    phrases, errors = load_phrases(courses)
    assert phrases == {} and [(e.path, e.line) for e in errors] == [("courses/zh_Hans.phrases.yaml", 3)]
    assert "duplicate key" in errors[0].message
    assert load_phrases(tmp_path) == ({}, [])  # no file: no phrases


def test_the_shipped_phrases_load_without_problems():
    phrases, errors = load_phrases(ROOT / "courses")
    assert errors == [] and phrases == SHIPPED_PHRASES


def test_every_shipped_correction_occurs_in_the_content_and_changes_what_opencc_alone_gives():
    """The list stays honest: no phrase the content never uses, none that OpenCC already gets right."""
    from lms.content.simplified import CLAUSE

    text = "".join(p.read_text(encoding="utf-8") for folder in ("courses", "quizzes")
                   for p in (ROOT / folder).rglob("*") if p.suffix in (".md", ".yaml", ".gift") and p.name != PHRASES_FILE)
    clauses = CLAUSE.findall(text)
    corrected = SimplifiedConverter(SHIPPED_PHRASES)
    idle = [phrase for phrase in SHIPPED_PHRASES
            if not any(corrected.convert(c) != PLAIN.convert(c) for c in clauses if phrase in c)]
    assert idle == []
