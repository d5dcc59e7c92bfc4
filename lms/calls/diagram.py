"""The branches of a scenario as a server-rendered SVG: columns by distance from the start, one box
per node, arrows for every way on, and each ending marked with its best and worst score."""

from collections import deque

from markupsafe import Markup, escape

from lms.calls import engine

BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 168, 54, 64, 22, 20
COLOURS = {
    "agent": ("#e6f0fa", "#0b5cad"),
    "customer": ("#f1f3f5", "#4a5868"),
    "end_pass": ("#e5f4ea", "#1d6b3a"),
    "end_fail": ("#fdecea", "#b3261e"),
}


def _label(node: engine.Node, variant: dict, typed: str) -> str:
    text = engine.fill(node.say or node.prompt, variant)
    if node.type == "agent" and not text:
        text = engine.fill(node.options[0].say, variant) if node.options else typed
    return (text[:13] + "…") if len(text) > 14 else text


def layout(scenario: engine.Scenario) -> dict[str, tuple[int, int]]:
    """Column (distance from the start) and row of every reachable node."""
    depth = {scenario.start: 0}
    order = [scenario.start]
    queue = deque([scenario.start])
    while queue:
        nid = queue.popleft()
        for target, _outcome in engine.successors(scenario.nodes[nid]):
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


def render_svg(scenario: engine.Scenario, extremes: dict[str, tuple[float, float, bool]],
               labels: dict[str, str]) -> Markup:
    """The diagram as inline SVG. ``labels`` holds the translated words (node kinds, outcomes, title)."""
    positions = layout(scenario)
    columns = max(c for c, _r in positions.values()) + 1
    rows = max(r for _c, r in positions.values()) + 1
    width = PAD * 2 + columns * BOX_W + (columns - 1) * COL_GAP
    height = PAD * 2 + rows * (BOX_H + ROW_GAP) + 20
    variant = dict(scenario.variants[0], agent_id="1024")
    typed = labels.get("typed", "")

    def box(nid):
        column, row = positions[nid]
        return PAD + column * (BOX_W + COL_GAP), PAD + row * (BOX_H + ROW_GAP)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="diagram-title" class="call-diagram">',
             f'<title id="diagram-title">{escape(labels["title"])}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7785"/></marker></defs>']
    drawn = set()
    for nid, node in scenario.nodes.items():
        if nid not in positions:
            continue
        x1, y1 = box(nid)
        for target, _outcome in engine.successors(node):
            if (nid, target) in drawn or target not in positions:
                continue
            drawn.add((nid, target))
            x2, y2 = box(target)
            if positions[target][0] > positions[nid][0]:
                sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
                mid = (sx + ex) / 2
                path = f"M{sx:.0f},{sy:.0f} C{mid:.0f},{sy:.0f} {mid:.0f},{ey:.0f} {ex:.0f},{ey:.0f}"
            else:  # back or sideways: loop under the boxes
                sx, sy, ex, ey = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2 + BOX_H
                low = max(sy, ey) + ROW_GAP
                path = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{low:.0f} {ex:.0f},{low:.0f} {ex:.0f},{ey:.0f}"
            parts.append(f'<path d="{path}" fill="none" stroke="#8795a4" stroke-width="1.4" '
                         f'marker-end="url(#arrow)"/>')
    for nid, node in scenario.nodes.items():
        if nid not in positions:
            continue
        x, y = box(nid)
        kind = node.type
        subtitle = labels.get(kind, kind)
        if kind == "end":
            best, worst, can_pass = extremes.get(nid, (0.0, 0.0, False))
            kind = "end_pass" if can_pass else "end_fail"
            subtitle = f"{labels.get(node.end_outcome, node.end_outcome)} {worst:.0f}–{best:.0f}%"
        elif node.timer:
            subtitle += f" · {labels.get('timer', '%d s') % node.timer.seconds}"
        fill, stroke = COLOURS[kind]
        width_px = 2.5 if nid == scenario.start else 1.2
        parts.append(f'<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="{width_px}"/>'
                     f'<text x="{x + 8}" y="{y + 19}" font-size="12" font-weight="700" fill="#1d2733">'
                     f'{escape(nid[:22])}</text>'
                     f'<text x="{x + 8}" y="{y + 36}" font-size="11" fill="#33404d">{escape(_label(node, variant, typed))}</text>'
                     f'<text x="{x + 8}" y="{y + 49}" font-size="10" fill="{stroke}">{escape(subtitle)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
