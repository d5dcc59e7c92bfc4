"""A test curriculum with media: an image and an audio clip in courses/media, used by a lesson of TST-101, a
question of the test bank and the customer's complaint line of the call tst-call."""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from lms.accounts.models import Role
from tests.factories import FIXTURE_CONTENT
from tests.media import samples

TRANSCRIPT = "客戶：我被扣了兩次錢！\n客服：非常抱歉造成您的困擾，我馬上幫您查詢。"


def add_media(root: Path) -> dict[str, str]:
    """Write the media files and their index into a content tree; the file names by kind."""
    folder = root / "courses" / "media"
    folder.mkdir(parents=True, exist_ok=True)
    image, audio = samples.png("navy"), samples.wav()
    names = {"image": hashlib.sha256(image).hexdigest() + ".png", "audio": hashlib.sha256(audio).hexdigest() + ".wav"}
    (folder / names["image"]).write_bytes(image)
    (folder / names["audio"]).write_bytes(audio)
    (folder / "media.yaml").write_text(yaml.safe_dump({"files": [
        {"file": names["image"], "name": "接聽流程.png", "title": "接聽流程", "alt_text": "三聲之內接起電話的流程圖"},
        {"file": names["audio"], "name": "double-charge.wav", "title": "重複扣款來電", "transcript": TRANSCRIPT},
    ]}, allow_unicode=True), encoding="utf-8")
    lesson = root / "courses/tst-101-basics/lessons/01-pickup.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n![](media:接聽流程.png)\n\n![來電錄音](media:double-charge.wav)\n",
                      encoding="utf-8")
    call = root / "courses/tst-201-phone/scenarios/tst-call.yaml"
    text = call.read_text(encoding="utf-8")
    call.write_text(text.replace("    say: 我被扣了兩次 {amount} 元！\n", "    say: 我被扣了兩次 {amount} 元！\n    media: double-charge.wav\n"),
                    encoding="utf-8")
    assert "media: double-charge.wav" in call.read_text(encoding="utf-8")
    bank = root / "quizzes/banks/test-bank.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("    text: 鈴響第幾聲前要接起？\n",
                                 "    text: |\n      鈴響第幾聲前要接起？\n\n      ![](media:接聽流程.png)\n"), encoding="utf-8")
    assert "media:接聽流程.png" in bank.read_text(encoding="utf-8")
    return names


@pytest.fixture
def media_tree(tmp_path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, root)
    add_media(root)
    return root


@pytest.fixture
def people(make):
    return {role: make.user(Role(role), name=f"{role}-媒體") for role in ("learner", "manager", "trainer", "admin")}
