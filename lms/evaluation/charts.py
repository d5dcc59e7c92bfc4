"""Charts for every evaluation and KPI report: pygal renders SVG on the server, in one shared style, so the
same chart shows in the page and in the report's PDF (WeasyPrint draws inline SVG) and needs no script.

Every chart comes back as ``Chart``: the inline SVG, marked as an image whose accessible name is the
chart's description in words; the page puts it in a figure with that description as its caption and the
chart's data as a table beside it (``Section.table``).
"""

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

import pygal
from markupsafe import Markup
from pygal.style import Style

from lms.evaluation.svg_style import SVG, inline_styles

# pygal appends a legacy import hook (for its map plugins, which we do not use) to sys.meta_path; every
# import that no other finder resolves then raises an ImportWarning (an error under the test suite's
# warning filter, e.g. multiprocessing's optional "import _winapi"). Take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

# The faces the site's CSS names first (lms/static/css), so Chinese labels render in the browser, and in
# WeasyPrint through the system's fonts-noto-cjk.
FONT_FAMILY = '"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK SC", sans-serif'
COLOURS = ("#0b5cad", "#c2571a", "#2e7d4f", "#7b4ea3", "#8a6d00", "#4a5868")

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1d2733", foreground_strong="#1d2733",
    foreground_subtle="#8795a4", opacity=".9", opacity_hover="1", colors=COLOURS,
    font_family=FONT_FAMILY, label_font_family=FONT_FAMILY, major_label_font_family=FONT_FAMILY,
    value_font_family=FONT_FAMILY, value_label_font_family=FONT_FAMILY, title_font_family=FONT_FAMILY,
    legend_font_family=FONT_FAMILY, tooltip_font_family=FONT_FAMILY,
    major_guide_stroke_color="#d5dbe2", major_guide_stroke_dasharray="4,4",
    label_font_size=13, major_label_font_size=13, value_font_size=12, value_label_font_size=12,
    legend_font_size=13, title_font_size=15, tooltip_font_size=12, guide_stroke_color="#d5dbe2",
)

WIDTH, HEIGHT = 760, 340
_CONFIG = dict(style=STYLE, width=WIDTH, height=HEIGHT, js=[], disable_xml_declaration=True,
               explicit_size=False, legend_at_bottom=True, legend_at_bottom_columns=3, print_values=False,
               show_y_guides=True, margin=12, margin_bottom=22, spacing=10, truncate_label=-1, truncate_legend=-1)


def for_pdf(html: str, family: str) -> str:
    """A page's charts drawn in the PDF's embedded faces (``lms.pdf.font_css``) instead of the system's."""
    return html.replace(_font_attribute(FONT_FAMILY), _font_attribute(family))


def _font_attribute(family: str) -> str:
    """The attribute as ElementTree writes it."""
    return 'font-family="' + family.replace("&", "&amp;").replace('"', "&quot;") + '"'


@dataclass(frozen=True)
class Chart:
    svg: Markup
    alt: str


def _finish(chart, alt: str) -> Chart:
    return Chart(_normalised(chart.render(is_unicode=True), alt), alt)


@lru_cache(maxsize=64)
def normalised_svg(svg: str, alt: str) -> Markup:
    """Any section's pygal SVG made like ours: its style sheet applied as attributes (the page's policy
    blocks an inline sheet: lines drawn without it fill black), no script, our font, named by ``alt``."""
    return _normalised(svg, alt)


def _normalised(svg: str, alt: str) -> Markup:
    root = ElementTree.fromstring(svg)
    inline_styles(root)
    for element in root.iter():  # one family, spelt one way, on every text (WeasyPrint does not inherit it)
        if element.tag == f"{{{SVG}}}text" or element.get("font-family"):
            element.set("font-family", FONT_FAMILY)
        # pygal names each legend entry "activate-serie-N" for its script (removed): two charts on one page
        # would repeat the id.
        if element.get("id", "").startswith("activate-serie-"):
            del element.attrib["id"]
    root.set("role", "img")
    root.set("aria-label", alt)
    root.set("focusable", "false")
    ElementTree.register_namespace("", SVG)  # again: other libraries' registrations can displace it
    return Markup(ElementTree.tostring(root, encoding="unicode"))


def _wide_extra(labels: Sequence[str], size: int = 13) -> int:
    """pygal sizes label room by a Latin character's width; a CJK character is about twice that wide."""
    return int(max((sum(size * 0.45 for ch in str(label) if ord(ch) >= 0x2E80) for label in labels), default=0))


_KINDS = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar, "line": pygal.Line}


@lru_cache(maxsize=256)
def _drawn(kind: str, title: str, labels: tuple, series: tuple, alt: str, options: tuple) -> Chart:
    """Charts are pure functions of their data: the same figures are drawn once per process."""
    chart = _KINDS[kind](title=title, **(_CONFIG | dict(options)))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _finish(chart, alt)


def _series(series, digits: int = 1) -> tuple:
    return tuple((str(name), tuple(None if v is None else round(float(v), digits) for v in values))
                 for name, values in series)


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], alt: str,
              y_title: str = "", maximum: float | None = None, horizontal: bool = False) -> Chart:
    """Bars grouped by label, one colour per series (e.g. pre-test and post-test per course)."""
    labels = tuple(str(label) for label in labels)
    options = {"y_title": str(y_title), "range": (0, maximum) if maximum is not None else None}
    if horizontal:
        options["margin_left"] = 12 + _wide_extra(labels)
    return _drawn("hbar" if horizontal else "bar", str(title), labels, _series(series), str(alt),
                  tuple(options.items()))


def histogram(title: str, bands: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], alt: str,
              y_title: str = "") -> Chart:
    """Counts per score band, one series per test; the axis marks whole numbers (no 0.1 of a person)."""
    top = max((v for _name, values in series for v in values if v is not None), default=0)
    step = max(1, math.ceil(top / 10))
    return _drawn("bar", str(title), tuple(str(b) for b in bands), _series(series, 0), str(alt),
                  (("y_title", str(y_title)), ("y_labels", tuple(range(0, top + step, step)))))


def funnel(title: str, stages: Sequence[tuple[str, int]], alt: str) -> Chart:
    """A completion funnel drawn as horizontal bars, widest stage first (pygal's own funnel has no axis)."""
    names = tuple(str(name) for name, _n in reversed(stages))
    return _drawn("hbar", str(title), names, ((str(title), tuple(n for _name, n in reversed(stages))),), str(alt),
                  (("show_legend", False), ("margin_left", 12 + _wide_extra(names))))


def line_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], alt: str,
               y_title: str = "") -> Chart:
    """Values over time (periods on the x axis)."""
    return _drawn("line", str(title), tuple(str(label) for label in labels), _series(series, 2), str(alt),
                  (("y_title", str(y_title)), ("x_label_rotation", 0), ("show_minor_x_labels", True),
                   ("allow_interruptions", True)))
