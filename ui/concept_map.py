"""The learner's concept map: units as rows that open and close, concepts coloured by mastery,
the frontier (what the learner can take on next) ringed in blue, zoom and pan, and the same map
as a list for screen readers and small screens.

The layout is computed here in Python (no Graphviz binary) and drawn with Vega-Lite (Altair,
which Streamlit ships). A closed unit is one row: its title, its counts and a strip of one
square per concept, so a 100-concept curriculum fits one screen. An open unit shows its concepts
by name, in columns by prerequisite depth within the unit, with the arrows between them;
prerequisites in other units are listed in each concept's tooltip and in the list.

``layout`` and ``chart`` are pure (data in, data or a chart spec out); ``render`` draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt

from teachback.tutor.progress import STATUS_TEXT

WIDTH = 880
TITLE_W = 370  # the unit title column (a closed unit's concepts are to its right)
LEFT = TITLE_W + 16  # where a unit's concepts start
ROW_H = 40  # a closed unit
SQUARE, SQUARE_GAP = 16, 5
BOX_W, BOX_H, BOX_GAP_X, BOX_GAP_Y = 148, 26, 18, 8
OPEN_PAD = 12
OPEN_LEFT = 24  # an open unit's concepts sit under its title
MAX_COLUMNS = (WIDTH - OPEN_LEFT) // (BOX_W + BOX_GAP_X)
TITLE_CHARS, NAME_CHARS = 48, 20

FILL = {
    "mastered": "#4caf50",
    "due": "#4caf50",
    "learning": "#f4b400",
    "ready": "#ffffff",
    "locked": "#e3e3e3",
    "read": "#c8e6c9",
    "unpractised": "#ffffff",
}
STROKE = {"ready": "#1a73e8", "learning": "#1a73e8", "due": "#d93025"}
LEGEND = (  # Streamlit Markdown colours, close to the fills above
    ":green[\u25a0] mastered",
    ":orange[\u25a0] on the way",
    ":blue[\u25a1] ready to learn",
    ":gray[\u25a0] not yet",
    ":green[\u25a1] lesson read",
    ":red[\u25a1] due for review",
)


@dataclass
class Layout:
    width: int
    height: int
    units: list[dict] = field(default_factory=list)  # rows: title, counts, band y0/y1, open
    nodes: list[dict] = field(default_factory=list)  # concept marks: x, y, x2, y2, label
    edges: list[dict] = field(default_factory=list)  # x, y, x2, y2


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _depths(ids: list[str], needs: dict[str, list[str]]) -> dict[str, int]:
    """Longest prerequisite chain within the unit leading to each concept (cycles cut)."""
    inside = set(ids)
    depth: dict[str, int] = {}

    def visit(cid: str, path: frozenset) -> int:
        if cid in depth:
            return depth[cid]
        pres = [p for p in needs.get(cid, []) if p in inside and p not in path]
        d = 1 + max((visit(p, path | {cid}) for p in pres), default=-1)
        depth[cid] = d
        return d

    for cid in ids:
        visit(cid, frozenset())
    return depth


def _counts(unit: dict) -> str:
    parts = [f"{unit['mastered']} of {unit['total']} mastered"] if unit["total"] else []
    if unit["ready"]:
        parts.append(f"{unit['ready']} ready")
    return " \u00b7 ".join(parts) or "nothing to practise"


def _tooltip(c: dict, names: dict[str, str], unit_title: str) -> dict:
    pct = "" if c["p_known"] is None else f" ({round(100 * c['p_known'])}%)"
    outside = [names[p] for p in c["prerequisites"] if p in names]
    return {
        "concept": c["name"],
        "unit": unit_title,
        "state": STATUS_TEXT[c["status"]] + pct,
        "builds_on": ", ".join(outside[:6]) + (" \u2026" if len(outside) > 6 else "") or "-",
    }


def layout(data: dict, opened: set) -> Layout:
    """Positions (pixels, y down) for the map ``data`` (``tutor.progress.concept_map``) with
    the units in ``opened`` shown concept by concept."""
    by_id = {c["id"]: c for c in data["concepts"]}
    names = {c["id"]: c["name"] for c in data["concepts"]}
    needs = {c["id"]: c["prerequisites"] for c in data["concepts"]}
    out = Layout(WIDTH, 0)
    y = 0
    for n, unit in enumerate(data["units"]):
        members = [by_id[cid] for cid in unit["concepts"]]
        is_open = unit["id"] in opened
        top = y
        if is_open:
            height = _open_unit(out, unit, members, top, names, needs)
        else:
            height = _closed_unit(out, unit, members, top, names)
        out.units.append(
            {"unit": unit["id"], "title": _short(unit["title"], TITLE_CHARS),
             "full_title": unit["title"], "counts": _counts(unit), "open": is_open,
             "y0": top, "y1": top + height, "ty": top + (ROW_H / 2 if not is_open else 22),
             "band": n % 2, "x0": 0, "x1": WIDTH,
             "toggle": ("\u25be " if is_open else "\u25b8 ")}
        )  # fmt: skip
        y = top + height
    out.height = int(y)
    return out


def _closed_unit(out: Layout, unit: dict, members: list[dict], top: float, names) -> float:
    """A closed unit: one small square per concept, in rows; returns the unit's height."""
    per_row = (WIDTH - LEFT) // (SQUARE + SQUARE_GAP)
    lines = max(1, -(-len(members) // per_row))
    for i, c in enumerate(members):
        row, col = divmod(i, per_row)
        x0 = LEFT + col * (SQUARE + SQUARE_GAP)
        y0 = top + (ROW_H - SQUARE) / 2 + row * (SQUARE + SQUARE_GAP)
        out.nodes.append(
            {"id": c["id"], "x": x0, "x2": x0 + SQUARE, "y": y0, "y2": y0 + SQUARE,
             "label": "", "status": c["status"], "unit": unit["id"],
             **_tooltip(c, names, unit["title"])}
        )  # fmt: skip
    return max(ROW_H, lines * (SQUARE + SQUARE_GAP) + 2 * SQUARE_GAP + 8)


def _open_unit(out: Layout, unit: dict, members: list[dict], top: float, names, needs) -> float:
    """An opened unit: a named box per concept, a column per prerequisite depth, and an arrow
    from each prerequisite inside the unit; returns the unit's height."""
    depth = _depths(unit["concepts"], needs)
    columns: dict[int, list[dict]] = {}
    for c in members:
        columns.setdefault(min(depth[c["id"]], MAX_COLUMNS - 1), []).append(c)
    tallest = max(len(v) for v in columns.values())
    place = {}
    for col, group in columns.items():
        for row, c in enumerate(group):
            x0 = OPEN_LEFT + col * (BOX_W + BOX_GAP_X)
            y0 = top + 44 + row * (BOX_H + BOX_GAP_Y)
            place[c["id"]] = (x0, y0)
            out.nodes.append(
                {"id": c["id"], "x": x0, "x2": x0 + BOX_W, "y": y0, "y2": y0 + BOX_H,
                 "label": _short(c["name"], NAME_CHARS), "status": c["status"],
                 "unit": unit["id"], **_tooltip(c, names, unit["title"])}
            )  # fmt: skip
    for c in members:
        for pre in c["prerequisites"]:
            if pre in place and c["id"] in place:
                out.edges.append(_arrow(place[pre], place[c["id"]]))
    return OPEN_PAD + 44 + tallest * (BOX_H + BOX_GAP_Y)


def _arrow(pre: tuple[float, float], concept: tuple[float, float]) -> dict:
    """The arrow between two boxes: side to side, or down the side within one column (a chain
    deeper than the columns)."""
    (px, py), (cx, cy) = pre, concept
    if px == cx:
        return {"x": px + 8, "y": py + BOX_H, "x2": cx + 8, "y2": cy}
    return {"x": px + BOX_W, "y": py + BOX_H / 2, "x2": cx, "y2": cy + BOX_H / 2}


def chart(lay: Layout) -> alt.LayerChart:
    """The map as a Vega-Lite chart: pixel positions on fixed scales, zoom and pan on both."""
    x = alt.Scale(domain=[0, lay.width], nice=False, zero=False)
    y = alt.Scale(domain=[0, lay.height], nice=False, zero=False, reverse=True)
    status = alt.Scale(domain=list(FILL), range=list(FILL.values()))
    stroke = alt.Scale(domain=list(FILL), range=[STROKE.get(s, "#9e9e9e") for s in FILL])
    units = alt.Data(values=lay.units)
    pick = alt.selection_point(name="open_unit", fields=["unit"], on="click", clear=False)
    # Zoom on shift+wheel only: a plain wheel keeps scrolling the page past the map.
    zoom = alt.selection_interval(name="zoom", bind="scales", zoom="wheel![event.shiftKey]")

    bands = (
        alt.Chart(units)
        .mark_rect(cornerRadius=4)
        .encode(
            x=alt.X("x0:Q", scale=x, axis=None),
            x2="x1:Q",
            y=alt.Y("y0:Q", scale=y, axis=None),
            y2="y1:Q",
            color=alt.condition("datum.band == 1", alt.value("#f6f8fb"), alt.value("#ffffff")),
            tooltip=[
                alt.Tooltip("full_title:N", title="unit"),
                alt.Tooltip("counts:N", title="progress"),
            ],
        )
        .add_params(pick, zoom)
    )
    titles = (
        alt.Chart(units)
        .transform_calculate(text="datum.toggle + datum.title")
        .mark_text(
            align="left",
            baseline="middle",
            dx=8,
            dy=-7,
            fontSize=13,
            fontWeight=600,
            color="#202124",
            cursor="pointer",
        )  # fmt: skip
        .encode(x=alt.X("x0:Q", scale=x), y=alt.Y("ty:Q", scale=y), text="text:N")
    )
    counts = (
        alt.Chart(units)
        .mark_text(align="left", baseline="middle", dx=22, dy=9, fontSize=11, color="#5f6368")
        .encode(x=alt.X("x0:Q", scale=x), y=alt.Y("ty:Q", scale=y), text="counts:N")
    )
    layers = [bands, titles, counts]
    if lay.edges:
        layers.append(
            alt.Chart(alt.Data(values=lay.edges))
            .mark_rule(color="#9aa0a6", strokeWidth=1.2, opacity=0.8)
            .encode(x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), x2="x2:Q", y2="y2:Q")
        )
    nodes = alt.Data(values=lay.nodes)
    tip = [
        alt.Tooltip("concept:N"),
        alt.Tooltip("state:N"),
        alt.Tooltip("builds_on:N", title="builds on"),
        alt.Tooltip("unit:N"),
    ]
    layers.append(
        alt.Chart(nodes)
        .mark_rect(cornerRadius=4)
        .encode(
            x=alt.X("x:Q", scale=x),
            x2="x2:Q",
            y=alt.Y("y:Q", scale=y),
            y2="y2:Q",
            fill=alt.Fill("status:N", scale=status, legend=None),
            stroke=alt.Stroke("status:N", scale=stroke, legend=None),
            strokeWidth=alt.condition(
                "indexof(['ready', 'learning', 'due'], datum.status) >= 0",
                alt.value(2.5),
                alt.value(1),
            ),
            strokeDash=alt.condition(
                "datum.status == 'unpractised'", alt.value([3, 2]), alt.value([1, 0])
            ),
            tooltip=tip,
        )
    )
    if any(n["label"] for n in lay.nodes):
        layers.append(
            alt.Chart(nodes)
            .transform_filter("datum.label != ''")
            .mark_text(align="left", baseline="middle", dx=7, fontSize=11, color="#202124")
            .encode(x=alt.X("x:Q", scale=x), y=alt.Y("mid:Q", scale=y), text="label:N", tooltip=tip)
            .transform_calculate(mid="(datum.y + datum.y2) / 2")
        )
    return (
        alt.layer(*layers)
        .properties(width=lay.width, height=lay.height)
        .configure_view(strokeWidth=0)
        .configure(padding=4)
    )


def as_text(data: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The map as a list: per unit (title with counts), per concept its name and a line with
    its state and what it builds on."""
    names = {c["id"]: c["name"] for c in data["concepts"]}
    by_id = {c["id"]: c for c in data["concepts"]}
    out = []
    for unit in data["units"]:
        lines = []
        for cid in unit["concepts"]:
            c = by_id[cid]
            pct = "" if c["p_known"] is None else f" ({round(100 * c['p_known'])}%)"
            pres = [names[p] for p in c["prerequisites"] if p in names]
            after = f"; builds on {', '.join(pres)}" if pres else ""
            lines.append((c["name"], f"{STATUS_TEXT[c['status']]}{pct}{after}"))
        out.append((f"{unit['title']} \u2014 {_counts(unit)}", lines))
    return out


def frontier(data: dict) -> list[str]:
    """Names of the concepts the learner can take on next, in teaching order."""
    return [c["name"] for c in data["concepts"] if c["status"] in ("ready", "learning")]


def render(data: dict, key: str = "concept_map") -> None:
    """The map with its controls: units to open (also by clicking a unit in the map), the
    frontier in words, the chart, and the list version."""
    import streamlit as st

    units = {u["id"]: u for u in data["units"]}
    open_key, chart_key = f"{key}_open", f"{key}_chart"
    opened = [u for u in st.session_state.get(open_key, []) if u in units]
    st.session_state[open_key] = opened

    def clicked() -> None:
        event = st.session_state.get(chart_key) or {}
        picked = (event.get("selection") or {}).get("open_unit") or []
        now = list(st.session_state.get(open_key, []))
        for point in picked:
            unit = point.get("unit")
            if unit in units:
                now.remove(unit) if unit in now else now.append(unit)
        st.session_state[open_key] = now

    ready = frontier(data)
    if ready:
        shown = ", ".join(ready[:8]) + (f" and {len(ready) - 8} more" if len(ready) > 8 else "")
        st.markdown(f"**Ready to learn next:** {_plain(shown)}")
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.multiselect(
        "Open units",
        list(units),
        format_func=lambda u: units[u]["title"],
        key=open_key,
        placeholder="Click a unit in the map, or pick it here",
    )

    def open_or_close_all() -> None:
        st.session_state[open_key] = [] if st.session_state.get(open_key) else list(units)

    right.button(
        "Close all" if opened else "Open all",
        key=f"{key}_all",
        width="stretch",
        on_click=open_or_close_all,
    )
    st.caption(
        " \u00b7 ".join(LEGEND)
        + " \u00b7 shift+scroll to zoom, drag to move, double-click to reset"
    )
    lay = layout(data, set(st.session_state[open_key]))
    st.altair_chart(
        chart(lay),
        key=chart_key,
        on_select=clicked,
        selection_mode="open_unit",
        width="stretch",
        alt=f"Concept map: {len(units)} units, {len(data['concepts'])} concepts. "
        "The same map as a list is below.",
    )
    with st.expander("The map as a list"):
        for heading, lines in as_text(data):
            items = (f"- **{_plain(name)}**: {_plain(detail)}" for name, detail in lines)
            st.markdown(f"**{_plain(heading)}**\n\n" + "\n".join(items))


def _plain(text: str) -> str:
    from teachback.ui.common import plain

    return plain(text)
