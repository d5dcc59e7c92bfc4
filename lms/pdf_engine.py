"""The WeasyPrint side of lms/pdf.py, imported only in the renderer processes (and by tests that lay a
document out): a URL fetcher that serves only the app's own fonts, and one font configuration per process."""

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lms.pdf import ASSET_SCHEME, SYSTEM_FONTS, _font_files


class AssetFetcher(URLFetcher):
    """Serve the app's own fonts by name; refuse every other URL (file, http, data, loopback, …)."""

    def __init__(self, folder: str, refused: list | None = None):
        super().__init__(timeout=1, allowed_protocols=[], allow_redirects=False)
        self.folder = folder
        self.refused = refused if refused is not None else []

    def fetch(self, url, headers=None):
        if url == f"{ASSET_SCHEME}font/emoji" and SYSTEM_FONTS["emoji"].exists():
            return URLFetcherResponse(url, SYSTEM_FONTS["emoji"].read_bytes(), {"Content-Type": "font/ttf"})
        if url in (f"{ASSET_SCHEME}font/subset", f"{ASSET_SCHEME}font/full"):
            small, full, _covered = _font_files(self.folder)
            path = small if url.endswith("/subset") and small is not None else full
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/otf"})
        self.refused.append(url)
        raise ValueError(f"refused: {url[:80]}")


_font_config: FontConfiguration | None = None


def render_here(html: str, folder: str) -> tuple[bytes, list[str]]:
    """Render in this process (a renderer process): one font configuration for its whole life."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    refused: list[str] = []
    document = HTML(string=html, base_url=f"{ASSET_SCHEME}/", url_fetcher=AssetFetcher(folder, refused))
    return document.write_pdf(font_config=_font_config), refused
