"""PDFs with WeasyPrint: a CJK font embedded through @font-face, a URL fetcher that serves only the
app's own assets, one font configuration per process, and a time limit.

Fonts: Debian's fonts-noto-cjk ships collections (.ttc) whose first face is Japanese. The traditional
Chinese face is extracted once into FONT_DIR (a fraction of a second), and `flask lms fonts` also builds
a copy subset to the Big5 ∪ GB2312 repertoire (about 40 s, once per machine): loading that small face is
about twice as fast as the whole one. Text with a character outside the subset also gets the whole face
as a fallback, so a rare character in a name never shows as a box.
"""

import atexit
import multiprocessing
import threading
import time
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

SYSTEM_FONTS = {
    "regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
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


def font_css(text: str) -> tuple[str, str]:
    """(@font-face rules, font-family list) for a document whose visible text is ``text``.

    No CJK character: no embedded face at all (the system's Latin sans serif). Otherwise the subset
    face, plus the whole face only when some character is outside the subset."""
    if not any(ord(ch) >= 0x2E80 for ch in text):
        return "", '"DejaVu Sans", "Noto Sans", sans-serif'
    small, full, covered = _font_files(str(font_dir()))
    rules, families = [], []
    if small is not None:
        rules.append(f'@font-face {{ font-family: "CertTC"; src: url("{ASSET_SCHEME}font/subset"); }}')
        families.append('"CertTC"')
    if small is None or any(ord(ch) not in covered for ch in text if not ch.isspace()):
        rules.append(f'@font-face {{ font-family: "CertTCFull"; src: url("{ASSET_SCHEME}font/full"); }}')
        families.append('"CertTCFull"')
    return "\n".join(rules), ", ".join(families + ["sans-serif"])


class AssetFetcher(URLFetcher):
    """Serve the app's own fonts by name; refuse every other URL (file, http, data, loopback, …)."""

    def __init__(self, folder: str, refused: list | None = None):
        super().__init__(timeout=1, allowed_protocols=[], allow_redirects=False)
        self.folder = folder
        self.refused = refused if refused is not None else []

    def fetch(self, url, headers=None):
        if url in (f"{ASSET_SCHEME}font/subset", f"{ASSET_SCHEME}font/full"):
            small, full, _covered = _font_files(self.folder)
            path = small if url.endswith("/subset") and small is not None else full
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/otf"})
        self.refused.append(url)
        raise ValueError(f"refused: {url[:80]}")


_font_config: FontConfiguration | None = None


def _render_here(html: str, folder: str) -> tuple[bytes, list[str]]:
    """Render in this process (the renderer process): one font configuration for its whole life."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    refused: list[str] = []
    document = HTML(string=html, base_url=f"{ASSET_SCHEME}/", url_fetcher=AssetFetcher(folder, refused))
    return document.write_pdf(font_config=_font_config), refused


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
