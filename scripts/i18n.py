"""Translation catalogues: English message ids in the code, traditional Chinese written by hand in
lms/translations/zh_Hant.yaml (and lms/translations/zh_Hant.d/*.yaml), simplified Chinese derived from it by OpenCC's Taiwan-to-mainland
phrase conversion (tw2sp: 登入 → 登录, 檔案 → 文件). What it gets wrong is corrected twice over:
lms/translations/zh_Hans.phrases.yaml gives phrases (紀錄 → 记录) applied to every message before the
conversion, and lms/translations/zh_Hans.yaml (and zh_Hans.d/*.yaml) override whole messages.

    python scripts/i18n.py check   # list message ids with no traditional Chinese translation
    python scripts/i18n.py build   # write the zh_Hant and zh_Hans .po files from the YAML
The set-up compiles the .po files into .mo files (pybabel compile).
"""

import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "lms" / "translations"
SOURCE = TRANSLATIONS / "zh_Hant.yaml"
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def extract_ids() -> dict[str, list[str]]:
    """Every message id in the code and templates, with where it appears. A plural message is keyed
    by its singular form; PLURALS maps that to the plural form."""
    found: dict[str, list[str]] = {}
    method_map = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    # Babel skips folders starting with "_" by default; templates/_macros holds translated macros.
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, options_map=options, keywords=KEYWORDS,
            directory_filter=lambda path: not Path(path).name.startswith(".")):
        if isinstance(message, tuple):
            PLURALS[message[0]] = message[1]
            message = message[0]
        if message:
            found.setdefault(message, []).append(filename)
    return found


PLURALS: dict[str, str] = {}


def load_messages(locale: str) -> dict[str, str]:
    """The main file lms/translations/<locale>.yaml and every lms/translations/<locale>.d/*.yaml (one per
    domain or piece of work, so parallel work merges without conflicts). A message id given two different
    translations is an error."""
    files = [TRANSLATIONS / f"{locale}.yaml", *sorted((TRANSLATIONS / f"{locale}.d").glob("*.yaml"))]
    merged: dict[str, str] = {}
    for path in files:
        if not path.exists():
            continue
        for msgid, text in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if merged.get(msgid, text) != text:
                raise SystemExit(f"{path.relative_to(ROOT)}: {msgid!r} is translated twice, differently")
            merged[msgid] = text
    return merged


def load_source() -> dict[str, str]:
    return load_messages("zh_Hant")


def missing_translations() -> list[str]:
    source = load_source()
    return sorted(msgid for msgid in extract_ids() if not source.get(msgid))


PHRASES = TRANSLATIONS / "zh_Hans.phrases.yaml"


def simplified_converter():
    """Traditional → simplified text: OpenCC's tw2sp, with this app's phrase corrections. Each phrase is
    swapped for a private-use character OpenCC leaves alone, and its own simplified form put back."""
    from opencc import OpenCC

    tw2sp = OpenCC("tw2sp").convert
    phrases = yaml.safe_load(PHRASES.read_text(encoding="utf-8")) or {}
    ordered = sorted(phrases.items(), key=lambda pair: -len(pair[0]))  # 資料夾 before 資料

    def convert(text: str) -> str:
        for index, (traditional, _simplified) in enumerate(ordered):
            text = text.replace(traditional, chr(0xE000 + index))
        text = tw2sp(text)
        for index, (_traditional, simplified) in enumerate(ordered):
            text = text.replace(chr(0xE000 + index), simplified)
        return text

    return convert


def build() -> None:
    to_simplified_text = simplified_converter()
    overrides = load_messages("zh_Hans")
    source = load_source()
    ids = extract_ids()
    def to_simplified(msgid: str, text: str) -> str:
        return overrides.get(msgid) or to_simplified_text(text)

    for locale, convert in (("zh_Hant", lambda _msgid, text: text), ("zh_Hans", to_simplified)):
        catalog = Catalog(locale=locale, project="lms", charset="utf-8", fuzzy=False,
                          creation_date=datetime(2026, 1, 1, tzinfo=UTC), revision_date=datetime(2026, 1, 1, tzinfo=UTC))
        for msgid in sorted(ids):
            if msgid in source:
                text = convert(msgid, source[msgid])
                key, value = ((msgid, PLURALS[msgid]), (text,)) if msgid in PLURALS else (msgid, text)
                catalog.add(key, value, locations=[(f, 0) for f in sorted(set(ids[msgid]))[:3]])
        out = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as fh:
            write_po(fh, catalog, omit_header=False, sort_output=True, include_lineno=False, width=0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "check":
        missing = missing_translations()
        print("\n".join(missing) or "every message has a traditional Chinese translation")
        sys.exit(1 if missing else 0)
    if command == "build":
        build()
    else:
        sys.exit(__doc__)
