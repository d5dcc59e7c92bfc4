"""Any allowed name (1..100 characters) and programme title (up to 200) fits the certificate: it shrinks,
then wraps, and stays inside the frame, above the issuer's lines and the QR code, with every character
printed. Measured on WeasyPrint's own layout of the rendered certificate (and looked at as PNGs when the
layout changes: pdftoppm -png -r 60)."""

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from lms.certification import documents
from lms.certification.layout import name_fit, title_fit
from lms.pdf import font_dir
from lms.pdf_engine import AssetFetcher
from tests.certification.test_documents import cert  # noqa: F401 - the fixture

PX_MM = 25.4 / 96
CJK = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋"
NAMES = {
    "short": "林怡",
    "30 chinese": CJK[:30],
    "60 chinese": (CJK * 2)[:60],
    "100 chinese": (CJK * 3)[:100],
    "100 capitals without a space": "W" * 100,
    "100 latin in words": ("Maximilian Alexander " * 5)[:100],
    "emoji": "陳怡君😀👍🏽",
}
TITLES = {
    "short": "測試一級認證",
    "200 chinese": (CJK * 5)[:200],
    "200 latin": ("Customer Service Excellence Programme " * 6)[:200],
}
_fonts = FontConfiguration()


def _boxes(html: str):
    """(class of the nearest element with one, x, y, width, height in mm, text) of every text box, and the
    page count."""
    document = HTML(string=html, base_url="lms-asset:/", url_fetcher=AssetFetcher(str(font_dir()))).render(
        font_config=_fonts)
    found = []

    def walk(box, owner):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "") if element is not None else ""
        owner = classes.split()[0] if classes and classes not in ("iso", "name-inner") else owner
        if type(box).__name__ == "TextBox":
            found.append((owner, box.position_x * PX_MM, box.position_y * PX_MM, box.width * PX_MM,
                          box.height * PX_MM, box.text))
        for child in getattr(box, "children", []):
            walk(child, owner)

    walk(document.pages[0]._page_box, "")  # noqa: SLF001 - WeasyPrint's layout, read only
    return found, len(document.pages)


def _check(cert, name, title):  # noqa: F811
    cert.holder_name, cert.programme_title = name, title
    boxes, pages = _boxes(documents.certificate_html(cert))
    assert pages == 1
    text = {k: "".join(b[5] for b in boxes if b[0] == k) for k in ("name", "programme")}
    assert text["name"].replace(" ", "") == name.replace(" ", "")  # every character printed, none cut
    assert text["programme"].replace(" ", "") == title.replace(" ", "")
    frame_left, frame_right = 14 + 2.2, 297 - 14 - 2.2
    middle = [b for b in boxes if b[0] in ("org", "kind", "kind-en", "lead", "name", "programme", "dates")]
    for owner, x, _y, width, _h, piece in middle:
        assert frame_left <= x and x + width <= frame_right, (owner, piece, x, width)
    def top(owner):
        return min(y for o, _x, y, _w, _h, _t in boxes if o == owner)

    def bottom(owner):
        return max(y + h for o, _x, y, _w, h, _t in boxes if o == owner)

    assert bottom("kind-en") <= top("name") and bottom("name") <= top("programme") <= bottom("programme") <= top("dates")
    lowest = max(y + h for owner, _x, y, _w, h, _t in middle)
    top_of_foot = min(y for owner, _x, y, _w, _h, _t in boxes if owner in ("foot", "issuer", "qr", "id"))
    assert lowest + 2 <= top_of_foot, (lowest, top_of_foot)
    return boxes


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_every_allowed_name_and_title_fits_the_frame(cert, name, title):  # noqa: F811
    _check(cert, name, title)


def test_a_short_name_keeps_the_large_size_and_a_long_one_shrinks_before_wrapping():
    assert name_fit("林怡") == name_fit(CJK[:12])
    assert name_fit(CJK[:12]).size_pt == 30 and name_fit(CJK[:12]).lines == 1
    assert name_fit(CJK[:30]).size_pt < 30 and name_fit(CJK[:30]).lines == 1
    assert name_fit((CJK * 3)[:100]).lines == 2
    assert title_fit((CJK * 5)[:200]).lines <= 4


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 100), st.integers(1, 200), st.sampled_from(["林", "W", "i", "😀", "Ab "]))
def test_the_fit_never_asks_for_more_lines_or_height_than_the_boxes_have(name_len, title_len, unit):
    for fit, lines, height in ((name_fit((unit * 100)[:name_len]), 2, 18), (title_fit((unit * 200)[:title_len]), 4, 18)):
        assert fit.lines <= lines and fit.lines * fit.size_pt * 25.4 / 72 * 1.25 <= height + 1e-9


def test_direction_controls_in_an_old_name_are_dropped_on_the_pdf(cert, tmp_path):  # noqa: F811
    cert.holder_name = "\u202e陳怡君\u202c"
    html = documents.certificate_html(cert)
    assert "\u202e" not in html and "陳怡君" in html
    path = tmp_path / "c.pdf"
    path.write_bytes(documents.render_pdf(html))
    assert "陳怡君" in subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def _transcript_boxes(user):
    with documents.current_app.test_request_context("/"):
        from lms.certification.labels import certification_labels
        from lms.pdf import font_css

        data = documents.transcript(user)
        context = dict(t=data, now=documents.utcnow(), plain=documents.without_bidi_controls,
                       **certification_labels())
        body = documents.render_template("certification/pdf/transcript.html", fonts=("", "sans-serif"), **context)
        html = documents.render_template("certification/pdf/transcript.html", fonts=font_css(body), **context)
    return html, _boxes(html)


@pytest.mark.parametrize("name", [NAMES["100 capitals without a space"], NAMES["100 chinese"], "\u202e陳怡君\u202c"],
                         ids=["capitals", "chinese", "override"])
def test_the_transcript_keeps_a_long_or_hostile_name_and_title_on_the_page(cert, name):  # noqa: F811
    cert.user.name, cert.programme_title = name, TITLES["200 latin"]
    html, (boxes, _pages) = _transcript_boxes(cert.user)
    assert "\u202e" not in html
    page_width = 210 - 15  # A4 less the right margin
    assert all(x + w <= page_width + 0.5 for _o, x, _y, w, _h, _t in boxes), \
        max((x + w, t) for _o, x, _y, w, _h, t in boxes)
    header = "".join(t for o, _x, _y, _w, _h, t in boxes if o == "meta")
    assert header.startswith(documents.without_bidi_controls(name))  # the name first, in its own order
