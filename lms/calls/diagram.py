"""The branches of a scenario as a server-rendered SVG: columns by distance from the start, one box
per node (its kind says its colours and words), arrows for every way on, and each ending marked with its
best and worst score."""

from collections import deque

from markupsafe import Markup, escape

from lms.calls import engine

BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 168, 54, 64, 22, 20
SAMPLE_AGENT_ID = "1024"


def _short(text: str) -> str:
    return (text[:13] + "…") if len(text) > 14 else text


def layout(scenario: engine.Scenario) -> dict[str, tuple[int, int]]:
    """Column (distance from the start) and row of every reachable node."""
    depth = {scenario.start: 0}
    order = [scenario.start]
    queue = deque([scenario.start])
    while queue:
        nid = queue.popleft()
        for target, _outcome in scenario.nodes[nid].successors():
            if target not in depth:
                depth[target] = depth[nid] + 1
                order.append(target)
                queue.append(target)
    rows: dict[int, int] = {}
    positions = {}
    for nid in order:
        column = depth[nid]
        positions[nid] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return positions


class _Drawing:
    def __init__(self, scenario: engine.Scenario):
        self.scenario = scenario
        self.positions = layout(scenario)

    def corner(self, nid: str) -> tuple[int, int]:
        column, row = self.positions[nid]
        return PAD + column * (BOX_W + COL_GAP), PAD + row * (BOX_H + ROW_GAP)

    def size(self) -> tuple[int, int]:
        columns = max(c for c, _r in self.positions.values()) + 1
        rows = max(r for _c, r in self.positions.values()) + 1
        return PAD * 2 + columns * BOX_W + (columns - 1) * COL_GAP, PAD * 2 + rows * (BOX_H + ROW_GAP) + 20

    def arrow(self, nid: str, target: str) -> str:
        x1, y1 = self.corner(nid)
        x2, y2 = self.corner(target)
        if self.positions[target][0] > self.positions[nid][0]:
            sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            mid = (sx + ex) / 2
            path = f"M{sx:.0f},{sy:.0f} C{mid:.0f},{sy:.0f} {mid:.0f},{ey:.0f} {ex:.0f},{ey:.0f}"
        else:  # back or sideways: loop under the boxes
            sx, sy, ex, ey = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2 + BOX_H
            low = max(sy, ey) + ROW_GAP
            path = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{low:.0f} {ex:.0f},{low:.0f} {ex:.0f},{ey:.0f}"
        return f'<path d="{path}" fill="none" stroke="#8795a4" stroke-width="1.4" marker-end="url(#arrow)"/>'

    def arrows(self) -> list[str]:
        edges = dict.fromkeys((nid, target) for nid, node in self.scenario.nodes.items() if nid in self.positions
                              for target, _outcome in node.successors() if target in self.positions)
        return [self.arrow(nid, target) for nid, target in edges]

    def box(self, node: engine.Node, extremes: dict, variant: dict) -> str:
        x, y = self.corner(node.id)
        fill, stroke, subtitle = node.diagram_look(extremes)
        width_px = 2.5 if node.id == self.scenario.start else 1.2
        return (f'<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="{width_px}"/>'
                f'<text x="{x + 8}" y="{y + 19}" font-size="12" font-weight="700" fill="#1d2733">'
                f'{escape(node.id[:22])}</text>'
                f'<text x="{x + 8}" y="{y + 36}" font-size="11" fill="#33404d">'
                f'{escape(_short(node.diagram_text(variant)))}</text>'
                f'<text x="{x + 8}" y="{y + 49}" font-size="10" fill="{stroke}">{escape(subtitle)}</text></g>')


def render_svg(scenario: engine.Scenario, extremes: dict[str, tuple[float, float, bool]], title: str) -> Markup:
    """The diagram as inline SVG, titled ``title`` (translated by the caller)."""
    drawing = _Drawing(scenario)
    width, height = drawing.size()
    variant = dict(scenario.variants[0], agent_id=SAMPLE_AGENT_ID)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="diagram-title" class="call-diagram">',
             f'<title id="diagram-title">{escape(title)}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7785"/></marker></defs>',
             *drawing.arrows(),
             *(drawing.box(node, extremes, variant) for nid, node in scenario.nodes.items() if nid in drawing.positions),
             "</svg>"]
    return Markup("".join(parts))
