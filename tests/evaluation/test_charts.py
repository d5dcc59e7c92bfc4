"""Charts are SVG a strict Content-Security-Policy shows as drawn: no style sheet, no script, colours and
fonts as presentation attributes, and an accessible name."""

import contextlib
from xml.etree import ElementTree

from lms.evaluation.charts import FONT_FAMILY, bar_chart, funnel, histogram, line_chart
from lms.evaluation.svg_style import SVG, inline_styles


def _tree(chart):
    return ElementTree.fromstring(str(chart.svg))


def test_bar_chart_has_no_style_sheet_or_script_and_keeps_its_colours():
    chart = bar_chart("課前與課後", ["PRO-205"], [("課前測驗", [40]), ("課後測驗", [82])], "課前 40 分，課後 82 分",
                      maximum=100)
    root = _tree(chart)
    assert root.get("role") == "img" and root.get("aria-label") == "課前 40 分，課後 82 分"
    assert not list(root.iter(f"{{{SVG}}}style")) and not list(root.iter(f"{{{SVG}}}script"))
    assert not [el for el in root.iter() if "tooltip" in (el.get("class") or "").split()]
    fills = {el.get("fill") for el in root.iter() if "reactive" in (el.get("class") or "")}
    assert {"#0b5cad", "#c2571a"} <= fills  # the two series' colours, as attributes
    assert "Noto Sans CJK TC" in root.get("font-family")
    assert "課後測驗" in str(chart.svg)


def test_other_charts_render():
    for chart in (histogram("分布", ["0–9", "10–19"], [("課前", [1, 2])], "alt"),
                  funnel("漏斗", [("已選課", 5), ("完成", 3)], "alt"),
                  line_chart("趨勢", ["2026-01", "2026-02"], [("FCR", [70, None])], "alt")):
        root = _tree(chart)
        assert root.get("aria-label") == "alt" and not list(root.iter(f"{{{SVG}}}style"))


def test_inline_styles_follows_css_precedence():
    root = ElementTree.fromstring(
        f'<svg xmlns="{SVG}"><style>.a .line{{stroke:red}} .a .guide.line{{stroke:blue}} .b{{stroke:green !important}}'
        ' .a:hover .line{fill:pink} rect{font-family:"X"}</style>'
        '<g class="a"><line class="line"/><line class="guide line"/><line class="guide line b"/></g><rect/></svg>')
    inline_styles(root)
    lines = list(root.iter(f"{{{SVG}}}line"))
    assert [line.get("stroke") for line in lines] == ["red", "blue", "green"]
    assert all(line.get("fill") is None for line in lines)  # :hover never applies on paper
    assert next(root.iter(f"{{{SVG}}}rect")).get("font-family") == '"X"'
    assert FONT_FAMILY.startswith('"Noto Sans CJK TC"')


def test_pygal_leaves_no_import_hook_behind():
    """pygal's legacy finder turned every failed optional import into an ImportWarning (an error here)."""
    import importlib
    import sys

    assert not [f for f in sys.meta_path if type(f).__name__ == "PluginImportFixer"]
    with contextlib.suppress(ImportError):
        importlib.import_module("_winapi")


def test_charts_keep_the_plain_svg_tag_after_other_namespace_registrations():
    """WeasyPrint registers XML namespaces of its own; a chart drawn after a PDF must still be <svg>."""
    ElementTree.register_namespace("", "urn:someone-else")
    try:
        assert str(bar_chart("t", ["x"], [("s", [1])], "alt").svg).startswith("<svg ")
    finally:
        ElementTree.register_namespace("", SVG)
