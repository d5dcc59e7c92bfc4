"""The KPI trend chart: pygal renders SVG on the server (no script). Pages embed it as an image (a data:
URL, which the content-security policy allows and which keeps pygal's own styles), PDFs as the SVG."""

import base64
import sys
from collections import Counter
from datetime import date
from functools import lru_cache

import pygal
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from lms.kpi.effect import TrendPoint
from lms.kpi.models import KpiDefinition

# pygal appends a finder for its map plugins to sys.meta_path that has no find_spec: every later import that
# reaches it (WeasyPrint's, in a PDF request) warns, and the warning is an error in the tests. No map is used.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

FONT = '"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK SC", sans-serif'
# trained, not yet trained, training and certification markers, then reference lines (greys)
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1d2733", foreground_strong="#1d2733",
              foreground_subtle="#d5dbe2", font_family=FONT, label_font_family=FONT, major_label_font_family=FONT,
              legend_font_family=FONT, value_font_family=FONT, tooltip_font_family=FONT, title_font_family=FONT,
              label_font_size=13, major_label_font_size=13, legend_font_size=14, title_font_size=16,
              colors=("#0b5cad", "#b35c00", "#1d6b3a", "#7a3e9d", "#6b7785", "#9aa5b1", "#6b7785"), opacity=".9",
              opacity_hover="1", guide_stroke_dasharray="1,0", major_guide_stroke_dasharray="1,0",
              guide_stroke_color="#e3e8ee", major_guide_stroke_color="#d5dbe2", stroke_width=2.5)


def period_label(period: date, kind: str) -> str:
    if kind == "week":
        year, week, _day = period.isocalendar()
        return f"{year}-W{week:02d}"
    return period.strftime("%Y-%m")


def trend_svg(kpi: KpiDefinition, points: list[TrendPoint], kind: str, trainings: Counter, certificates: Counter,
              reference_lines: list[dict]) -> str:
    """Per period the mean of the trained agents and of those not yet trained, the reference lines, and
    a marker on the time axis where agents completed the training or were certified.

    A chart is a pure function of its figures and the reader's language, and pygal takes ~20 ms to draw
    one (a team's page draws one per KPI): the same figures are drawn once per process."""
    return _trend_svg(str(get_locale()), kpi.decimals, kpi.min_value, tuple(points), kind,
                      tuple(sorted(trainings.items())), tuple(sorted(certificates.items())),
                      tuple((str(line["label"]), line["value"]) for line in reference_lines))


@lru_cache(maxsize=256)
def _trend_svg(_locale: str, decimals: int, min_value: float, points: tuple[TrendPoint, ...], kind: str,
               trainings: tuple, certificates: tuple, reference_lines: tuple) -> str:
    trainings, certificates = dict(trainings), dict(certificates)
    reference_lines = [{"label": label, "value": value} for label, value in reference_lines]
    chart = pygal.Line(style=STYLE, js=[], disable_xml_declaration=True, width=900, height=360,
                       show_y_guides=True, show_x_guides=False, legend_at_bottom=True, legend_at_bottom_columns=3,
                       truncate_legend=-1, x_label_rotation=0 if len(points) <= 12 else 45,
                       show_minor_x_labels=len(points) <= 18, x_labels_major_every=3, dots_size=3,
                       value_formatter=lambda v: f"{v:,.{decimals}f}")
    chart.x_labels = [period_label(p.period, kind) for p in points]
    values = [v for p in points for v in (p.trained_mean, p.peers_mean) if v is not None]
    floor = min(values + [line["value"] for line in reference_lines], default=min_value)
    # Fixed order, so each kind of series keeps its colour on every chart; reference lines come last (grey).
    chart.add(_("Trained (after the training)"), [p.trained_mean for p in points])
    chart.add(_("Not yet trained"), [p.peers_mean for p in points])
    chart.add(_("Training completed"), [{"value": floor, "label": _("%(n)d completed", n=trainings[p.period])}
                                        if trainings.get(p.period) else None for p in points],
              stroke=False, dots_size=7)
    chart.add(_("Certified"), [{"value": floor, "label": _("%(n)d certified", n=certificates[p.period])}
                               if certificates.get(p.period) else None for p in points], stroke=False, dots_size=5)
    for line in reference_lines:
        chart.add(line["label"], [line["value"]] * len(points), show_dots=False, stroke_style={"dasharray": "8,5", "width": 2})
    return chart.render(is_unicode=True)


def inline(svg: str, alt: str) -> Markup:
    """The SVG for inline use in the evaluation reports' pages and PDFs: pygal's style sheet applied as
    presentation attributes (the content-security policy forbids inline sheets), one font family on every
    text (the PDF swaps it for its embedded face), marked as an image named by ``alt``."""
    from xml.etree import ElementTree

    from lms.evaluation.charts import FONT_FAMILY
    from lms.evaluation.svg_style import SVG, inline_styles

    root = ElementTree.fromstring(svg)
    inline_styles(root)
    for element in root.iter():
        if element.tag == f"{{{SVG}}}text" or element.get("font-family"):
            element.set("font-family", FONT_FAMILY)
    root.set("role", "img")
    root.set("aria-label", alt)
    root.set("focusable", "false")
    ElementTree.register_namespace("", SVG)
    return Markup(ElementTree.tostring(root, encoding="unicode"))


def as_image(svg: str, alt: str) -> Markup:
    """The SVG as an <img> with its text alternative."""
    data = base64.b64encode(svg.encode()).decode()
    return Markup('<img class="chart" src="data:image/svg+xml;base64,{}" alt="{}">').format(Markup(data), alt)
