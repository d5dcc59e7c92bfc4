"""pygal styles its SVG with a <style> element; the app's Content-Security-Policy (style-src 'self') forbids
inline style sheets, so a chart in a page would lose its colours and fonts. ``inline_styles`` applies the
style sheet to the elements as SVG presentation attributes (fill, stroke, font-family …, which the policy
allows and WeasyPrint reads), with CSS precedence (specificity, then order; !important first), and removes
the sheet, pygal's script and its tooltips (they need the script)."""

from functools import lru_cache
from xml.etree import ElementTree

import cssselect2
import tinycss2

SVG = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")

PRESENTATION = {"fill", "stroke", "fill-opacity", "stroke-opacity", "stroke-width", "stroke-dasharray", "opacity",
                "font-family", "font-size", "font-weight", "text-anchor", "visibility", "text-decoration"}

_NOT_DRAWN = {f"{{{SVG}}}{name}" for name in ("desc", "title", "metadata")}


def _matcher(sheets: list[str]) -> cssselect2.Matcher:
    matcher = cssselect2.Matcher()
    for sheet in sheets:
        for rule in tinycss2.parse_stylesheet(sheet, skip_whitespace=True, skip_comments=True):
            if rule.type != "qualified-rule":
                continue
            declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                                       skip_comments=True)
                            if d.type == "declaration" and d.lower_name in PRESENTATION]
            if not declarations:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue  # :hover and the like: nothing to apply on paper
            for selector in selectors:
                if selector.pseudo_element is None:
                    matcher.add_selector(selector, declarations)
    return matcher


def _declared(matches) -> dict[str, str]:
    normal: dict[str, str] = {}
    important: dict[str, str] = {}
    for _specificity, _order, _pseudo, declarations in sorted(matches, key=lambda m: (m[0], m[1])):
        for declaration in declarations:
            target = important if declaration.important else normal
            target[declaration.lower_name] = tinycss2.serialize(declaration.value).strip()
    return normal | important


@lru_cache(maxsize=32)
def _cached_matcher(sheets: tuple[str, ...]) -> cssselect2.Matcher:
    return _matcher(list(sheets))


def inline_styles(root: ElementTree.Element) -> None:
    # pygal scopes its sheet under the chart's random id; scoped to the root element instead, the sheet of
    # every chart of one kind is the same text, so it is parsed once per process.
    chart_id = root.get("id") or ""
    sheets = tuple((style.text or "").replace(f"#{chart_id}", ":root") if chart_id else (style.text or "")
                   for style in root.iter(f"{{{SVG}}}style"))
    matcher = _cached_matcher(sheets)
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        if wrapper.etree_element.tag in _NOT_DRAWN:
            continue  # presentation attributes are not allowed on descriptive elements (HTML checker)
        matches = matcher.match(wrapper)
        if matches:
            for name, value in _declared(matches).items():
                wrapper.etree_element.set(name, value)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}style", f"{{{SVG}}}script") \
                    or "tooltip" in (child.get("class") or "").split():
                parent.remove(child)
    for defs in [d for d in root if d.tag == f"{{{SVG}}}defs" and not len(d)]:
        root.remove(defs)
