"""PDFs with WeasyPrint: a CJK font embedded through @font-face, a URL fetcher that serves only the
app's own assets, one font configuration per process, and a time limit.

Fonts: Debian's fonts-noto-cjk ships collections (.ttc) whose first face is Japanese. The traditional
Chinese face is extracted once into FONT_DIR (a fraction of a second), and `flask lms fonts` also builds
a copy subset to the Big5 ∪ GB2312 repertoire (about 40 s, once per machine): loading that small face is
about twice as fast as the whole one. Text with a character outside the subset also gets the whole face
as a fallback, so a rare character in a name never shows as a box. Emoji come from Debian's
fonts-noto-color-emoji, embedded the same way when the text has one. What none of these faces can draw is
refused where names and titles are typed (``undrawable``), so a PDF never shows a box.
"""

import atexit
import multiprocessing
import threading
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context

SYSTEM_FONTS = {
    "regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "emoji": Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),  # Debian's fonts-noto-color-emoji
    "latin": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # what a PDF with no CJK text uses
}
TC_FACE_NAME = "Noto Sans CJK TC"
FULL_FILE = "NotoSansTC-Regular.otf"
SUBSET_FILE = "NotoSansTC-Regular-big5-gb2312.otf"
ASSET_SCHEME = "lms-asset:"


class PdfError(RuntimeError):
    pass


def font_dir() -> Path:
    configured = current_app.config.get("FONT_DIR") if has_app_context() else None
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / ".cache" / "fonts"


def _extract_face(target: Path) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    source = SYSTEM_FONTS["regular"]
    if not source.exists():
        raise PdfError(f"{source} is missing: install Debian's fonts-noto-cjk")
    with TTCollection(str(source), lazy=True) as collection:
        index = next((i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == TC_FACE_NAME), None)
    if index is None:
        raise PdfError(f"{source} has no {TC_FACE_NAME} face")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with TTFont(str(source), fontNumber=index) as face:
        face.save(str(partial))
    partial.replace(target)


def subset_repertoire() -> set[int]:
    """Big5 ∪ GB2312, with ASCII, Latin-1, general punctuation and the full-width forms."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070)) | \
        set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for encoding in ("big5", "gb2312"):
        for first in range(0x81, 0xFF):
            for second in range(0x40, 0xFF):
                try:
                    chars.add(ord(bytes((first, second)).decode(encoding)))
                except (UnicodeDecodeError, TypeError):
                    continue
    return chars


def build_fonts(subset: bool = True) -> dict[str, Path]:
    """Extract the traditional Chinese face (and build its subset) into the font folder if missing."""
    folder = font_dir()
    full, small = folder / FULL_FILE, folder / SUBSET_FILE
    if not full.exists():
        _extract_face(full)
    if subset and not small.exists():
        from fontTools import subset as subsetter
        from fontTools.ttLib import TTFont

        options = subsetter.Options()
        options.name_IDs, options.layout_features, options.notdef_outline = ["*"], ["*"], True
        tool = subsetter.Subsetter(options)
        tool.populate(unicodes=subset_repertoire())
        partial = small.with_suffix(".partial")
        with TTFont(str(full)) as font:
            tool.subset(font)
            font.save(str(partial))
        partial.replace(small)
    _font_files.cache_clear()
    return {"full": full, "subset": small}


@lru_cache(maxsize=4)
def _font_files(folder: str) -> tuple[Path | None, Path, frozenset]:
    base = Path(folder)
    full, small = base / FULL_FILE, base / SUBSET_FILE
    if not full.exists():
        build_fonts(subset=False)
    if small.exists():
        from fontTools.ttLib import TTFont

        with TTFont(str(small), lazy=True) as font:
            covered = frozenset(font.getBestCmap())
        return small, full, covered
    return None, full, frozenset()


@lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset:
    from fontTools.ttLib import TTFont

    if not Path(path).exists():
        return frozenset()
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _invisible(ch: str) -> bool:
    """Characters drawn as nothing by design: format characters (joiners) and variation selectors."""
    code = ord(ch)
    return ch.isspace() or unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no face of the PDFs can draw (each once, in order): they would
    print as boxes, so forms and importers refuse them."""
    _small, full, _covered = _font_files(str(font_dir()))
    drawable = _cmap(str(full)) | _cmap(str(SYSTEM_FONTS["emoji"])) | _cmap(str(SYSTEM_FONTS["latin"]))
    return list(dict.fromkeys(ch for ch in text if not _invisible(ch) and ord(ch) not in drawable))


def font_css(text: str) -> tuple[str, str]:
    """(@font-face rules, font-family list) for a document whose visible text is ``text``.

    No CJK character: no embedded CJK face, the system's DejaVu Sans only. Otherwise the subset face, plus
    the whole face only when some character is outside the subset, then DejaVu Sans. Emoji: the colour
    emoji face last. Whatever ``printable_problem`` accepts, one of these faces draws."""
    rules, families = [], []
    latin = _cmap(str(SYSTEM_FONTS["latin"]))
    if any(ord(ch) >= 0x2E80 or (ord(ch) not in latin and not _invisible(ch)) for ch in text):
        small, full, covered = _font_files(str(font_dir()))
        if small is not None:
            rules.append(f'@font-face {{ font-family: "CertTC"; src: url("{ASSET_SCHEME}font/subset"); }}')
            families.append('"CertTC"')
        if small is None or any(ord(ch) not in covered for ch in text if not ch.isspace()):
            rules.append(f'@font-face {{ font-family: "CertTCFull"; src: url("{ASSET_SCHEME}font/full"); }}')
            families.append('"CertTCFull"')
    families.append('"DejaVu Sans"')  # letters the CJK face lacks (Ą, ŉ …)
    emoji = _cmap(str(SYSTEM_FONTS["emoji"]))
    if any(ord(ch) in emoji for ch in text if not _invisible(ch)) and any(
            ord(ch) in emoji and ord(ch) not in _cmap(str(_font_files(str(font_dir()))[1]))
            for ch in text if not _invisible(ch)):
        rules.append(f'@font-face {{ font-family: "CertEmoji"; src: url("{ASSET_SCHEME}font/emoji"); }}')
        families.append('"CertEmoji"')
    return "\n".join(rules), ", ".join(families + ["sans-serif"])


def _render_here(html: str, folder: str) -> tuple[bytes, list[str]]:
    """Render in this process (the renderer process). WeasyPrint is imported here, in the renderer, never
    by a web worker: importing it took a third of a worker's start (python -X importtime)."""
    from lms.pdf_engine import render_here

    return render_here(html, folder)


# WeasyPrint runs in a separate process per worker, so a document that takes too long can be stopped
# (the process is killed and replaced) without harming the requests the worker is serving.
_pool = None
_pool_lock = threading.Lock()


def _renderer():
    """The renderer processes: ``PDF_RENDERERS`` of them (one for a web worker; as many as the task
    consumer has worker threads), so a render that hangs or bloats never takes the caller with it."""
    global _pool
    with _pool_lock:
        if _pool is None:
            count = current_app.config.get("PDF_RENDERERS", 1) if has_app_context() else 1
            _pool = multiprocessing.get_context("forkserver").Pool(processes=max(1, int(count)))
        return _pool


def _discard_renderer() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.terminate()
            _pool.join()
            _pool = None


atexit.register(_discard_renderer)


def renderer_pid() -> int | None:
    """The renderer process (for the benchmark's memory figures)."""
    pool = _renderer()
    return pool._pool[0].pid if pool._pool else None  # noqa: SLF001 - no public accessor


def render_pdf(html: str, refused: list | None = None, timeout: float | None = None) -> bytes:
    """HTML (already escaped by Jinja) → PDF bytes. Nothing is fetched but the app's own fonts; a
    render longer than ``timeout`` seconds is stopped and raises PdfError."""
    if timeout is None:
        timeout = current_app.config.get("PDF_TIMEOUT_SECONDS", 20) if has_app_context() else 20
    started = time.perf_counter()
    if multiprocessing.current_process().daemon:
        # A daemonic process (huey's "process" workers) may not start children: render here instead.
        pdf, refused_urls = _render_here(html, str(font_dir()))
        if refused is not None:
            refused.extend(refused_urls)
        return pdf
    job = _renderer().apply_async(_render_here, (html, str(font_dir())))
    try:
        pdf, refused_urls = job.get(timeout)
    except multiprocessing.TimeoutError:
        _discard_renderer()
        raise PdfError(f"the PDF took longer than {timeout} s and was stopped") from None
    if refused is not None:
        refused.extend(refused_urls)
    if has_app_context():
        current_app.logger.debug("pdf rendered in %.0f ms", (time.perf_counter() - started) * 1000)
    return pdf


BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))  # embeddings, overrides, isolates


def without_bidi_controls(text: str) -> str:
    """Text with the direction embeddings, overrides and isolates removed (what a document prints of a
    name stored before they were refused): they cannot reorder what follows them."""
    return "".join(ch for ch in text if ord(ch) not in BIDI_CONTROLS)


def printable_problem(text: str) -> str | None:
    """Why ``text`` (a name, a title) cannot be printed as typed, or None: direction controls (U+202A–U+202E,
    U+2066–U+2069) would reverse the text around it, and characters no PDF face draws would print as boxes."""
    from flask_babel import gettext as _

    controls = list(dict.fromkeys(ch for ch in text if ord(ch) in BIDI_CONTROLS))
    if controls:
        return _("Remove the invisible direction characters (%(codes)s): they reverse the text around them.",
                 codes=", ".join(f"U+{ord(ch):04X}" for ch in controls))
    missing = undrawable(text)
    if missing:
        return _("These characters cannot be printed on certificates: %(chars)s. Please use other characters.",
                 chars=" ".join(f"「{ch}」(U+{ord(ch):04X})" for ch in missing[:10]))
    return None
