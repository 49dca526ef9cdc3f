"""Curriculum editor: the concept graph drawn; forms for every edit; the history with undo.

The page only collects input and calls ``teachback.curricula.edits``; every form sends the
revision the editor read (``common.read_rev``), so a change made meanwhile by someone else is
reported as a conflict instead of being overwritten.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from teachback.core.text import plain_text
from teachback.curricula import edits
from teachback.curricula import repository as repo
from teachback.ui import edit_history as history
from teachback.ui.humanize import human_time
from teachback.ui.instructor.common import (
    instructor_db,
    may_change,
    pick_curriculum,
    plain,
    require_instructor,
    run_edit,
    show_messages,
)
from teachback.ui.instructor.concept_forms import concept_forms, readable_units


def _q(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def graph_dot(concepts: list[dict], edges: list[dict], units: list[dict]) -> str:
    """DOT source: concepts boxed by unit, prerequisite arrows solid, related ones dashed."""
    lines = [
        "digraph curriculum {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontsize=11];',
    ]
    ids = {c["id"] for c in concepts}
    placed = set()
    for n, u in enumerate(units):
        members = [c for c in u["concepts"] if c in ids]
        if not members:
            continue
        lines.append(
            f"  subgraph cluster_{n} {{ label={_q(u['title'] or f'Unit {n + 1}')}; "
            'style="rounded,dashed"; color="#999999";'
        )
        names = {c["id"]: c["name"] for c in concepts}
        for cid in members:
            lines.append(f"    {_q(cid)} [label={_q(names[cid])}];")
            placed.add(cid)
        lines.append("  }")
    for c in concepts:
        if c["id"] not in placed:
            lines.append(f"  {_q(c['id'])} [label={_q(c['name'])}];")
    for e in edges:
        if e["prerequisite"] in ids and e["concept"] in ids:
            attrs = [] if e["kind"] == "prerequisite" else ['style=dashed, color="#888888"']
            if e.get("reason"):
                attrs.append(f"tooltip={_q(e['reason'])}")  # why the edge is there, on hover
            style = f" [{', '.join(attrs)}]" if attrs else ""
            lines.append(f"  {_q(e['prerequisite'])} -> {_q(e['concept'])}{style};")
    lines.append("}")
    return "\n".join(lines)


def default_prerequisite(concepts: list[dict], current: str, edges: list[dict]) -> str | None:
    """The prerequisite the form proposes for ``current``: the nearest concept taught before it
    that is not already linked to it (else the nearest after it); never ``current`` itself.

    >>> default_prerequisite([{"id": "a"}, {"id": "b"}, {"id": "c"}], "c",
    ...                      [{"prerequisite": "b", "concept": "c"}])
    'a'
    """
    ids = [c["id"] for c in concepts]
    if current not in ids:
        return ids[0] if ids else None
    linked = {e["prerequisite"] for e in edges if e["concept"] == current}
    at = ids.index(current)
    for cid in [*reversed(ids[:at]), *ids[at + 1 :]]:
        if cid not in linked:
            return cid
    return next((cid for cid in ids if cid != current), None)


def _edges_and_units(db, who: str, curriculum: str, concepts: list[dict], current: str) -> None:
    names = {c["id"]: c["name"] for c in concepts}
    ids = list(names)
    edges = repo.get_edges(db, curriculum)
    st.subheader("Prerequisites")
    if len(ids) < 2:
        st.caption("A prerequisite links two concepts: add another concept first.")
    else:
        pre_default = default_prerequisite(concepts, current, edges)
        with st.form(f"add_edge_{current}"):
            col1, col2, col3 = st.columns(3)
            pre = col1.selectbox(
                "Prerequisite", ids, format_func=names.get, index=ids.index(pre_default),
                key=f"edge_pre_{current}",
            )  # fmt: skip
            con = col2.selectbox("is needed by", ids, format_func=names.get,
                                 index=ids.index(current), key=f"edge_con_{current}")  # fmt: skip
            kind = col3.selectbox("Kind", ["prerequisite", "related"], key=f"edge_kind_{current}")
            reason = st.text_input("Reason (optional)", key=f"edge_reason_{current}")
            if st.form_submit_button("Add link"):
                if pre == con:
                    st.error("A concept cannot be its own prerequisite: pick two different "
                             "concepts.")  # fmt: skip
                else:
                    run_edit(
                        lambda: edits.add_edge(db, pre, con, who=who, kind=kind, reason=reason),
                        f"{names[pre]} is now "
                        + ("a prerequisite of " if kind == "prerequisite" else "related to ")
                        + f"{names[con]}.",
                        key="add_edge",
                        focus=current,
                    )
    active = edges
    if active:
        # The links of the concept being edited first.
        active = sorted(active, key=lambda e: current not in (e["prerequisite"], e["concept"]))
        labels = {
            e["id"]: f"{names.get(e['prerequisite'])} \u2192 {names.get(e['concept'])}"
            + (" (related)" if e["kind"] == "related" else "")
            + (f": {e['reason']}" if e.get("reason") else "")
            for e in active
        }
        with st.form("remove_edge"):
            eid = st.selectbox("Link", list(labels), format_func=labels.get,
                               key=f"edge_remove_{current}")  # fmt: skip
            if st.form_submit_button("Remove link"):
                run_edit(
                    lambda: edits.remove_edge(db, eid, who=who),
                    f"Removed {labels[eid]}.",
                    key="remove_edge",
                    focus=current,
                )
    units = repo.get_units(db, curriculum)
    if len(units) > 1:
        st.subheader("Unit order")
        seen = [u["id"] for u in units]
        expected = [int(x) for x in st.session_state.setdefault("_unit_order_read", seen)]
        titles = readable_units(units, concepts)
        with st.form("reorder_units"):
            order = st.multiselect(
                "Units in teaching order (pick them in the new order)",
                seen,
                default=seen,
                format_func=titles.get,
                key="unit_order",
            )
            if st.form_submit_button("Save order"):
                st.session_state.pop("_unit_order_read", None)
                run_edit(
                    lambda: edits.reorder_units(db, curriculum, order, expected=expected, who=who),
                    "Units reordered.",
                    key="units",
                )


def _history(db, who: str, curriculum: str, concepts: list[dict], units: list[dict]) -> None:
    st.subheader("History")
    rows = edits.history(db, curriculum, limit=50)
    if not rows:
        st.caption("No edits yet.")
        return
    names = {c["id"]: c["name"] for c in concepts}
    prompts = {x["id"]: plain_text(x["prompt"])
               for x in repo.get_exercises(db, curriculum, statuses=None)}  # fmt: skip
    titles = readable_units(units, concepts)
    earlier = {r["id"]: r for r in rows}
    for r in rows:
        what = history.describe(r, names, exercises=prompts, units=titles, earlier=earlier)
        col1, col2 = st.columns([5, 1])
        text = plain(what)
        col1.markdown(f"~~{text}~~ (undone)" if r["undone"] else text)
        col1.caption(f"by {plain(r['who'])} \u00b7 {human_time(r['at'])}")
        if not r["undone"] and col2.button("Undo", key=f"undo_{r['id']}"):
            run_edit(
                lambda r=r: edits.undo(db, r["id"], who=who),
                f"Undone: {what}.",
                key=f"undo{r['id']}",
                focus=history.focus_of(r, earlier),
            )


def _pick_concept(by_id: dict) -> str:
    """The concept picker. After an edit it is drawn anew (a fresh key: its labels may have
    changed) on the concept just edited, else on the one picked before."""
    state = st.session_state
    ids = list(by_id)
    focus = state.pop("_editor_focus", None)
    current = focus if focus in by_id else state.get("_editor_current")
    index = ids.index(current) if current in by_id else 0
    picked = st.selectbox("Concept", ids, index=index, format_func=lambda k: by_id[k]["name"],
                          key=f"editor_concept_{state.get('_edit_generation', 0)}")  # fmt: skip
    state["_editor_current"] = picked
    return picked


def _read_only(concepts: list[dict]) -> None:
    """Someone else's curriculum: its concepts and definitions, without forms."""
    if not concepts:
        st.info("No concepts yet.")
    for c in concepts:
        st.markdown(f"**{plain(c['name'])}** \u2014 {plain(c['definition'] or '(no definition)')}")


def render() -> None:
    who = require_instructor()
    db = instructor_db()
    st.title("Curriculum editor")
    curriculum = pick_curriculum(db, who=who)
    if curriculum is None:
        return
    show_messages()
    mine = may_change(db, curriculum, who)
    concepts = repo.get_concepts(db, curriculum)
    units = repo.get_units(db, curriculum)
    edges = repo.get_edges(db, curriculum)
    if concepts:
        # Collapsed for a big curriculum: drawn open, 100+ concepts push every form far down.
        with st.expander(f"Concept graph ({len(concepts)} concepts, {len(edges)} links)",
                         expanded=len(concepts) <= 25):  # fmt: skip
            st.graphviz_chart(graph_dot(concepts, edges, units), width="stretch")
    if not mine:
        _read_only(concepts)
        return
    with st.expander("Add a concept"), st.form("add_concept"):
        name = st.text_input("Name", key="add_name")
        definition = st.text_area("Definition", key="add_def")
        unit_titles = readable_units(units, concepts)
        unit = st.selectbox(
            "Unit",
            [None, *unit_titles],
            format_func=lambda u: "(none)" if u is None else unit_titles[u],
            key="add_unit",
        )
        if st.form_submit_button("Add concept"):
            run_edit(
                lambda: edits.add_concept(
                    db, curriculum, name, who=who, definition=definition, unit_id=unit
                ),
                f"Added {name.strip()}.",
                key="add_concept",
                focus=lambda new_id: new_id,
            )
    if not concepts:
        st.info("No concepts yet: ingest sources on the Library page, or add one above.")
        _history(db, who, curriculum, concepts, units)
        return
    by_id = {c["id"]: c for c in concepts}
    cid = _pick_concept(by_id)
    c = by_id[cid]
    st.markdown(f"### {plain(c['name'])}")
    st.caption("Edited by an instructor" if c["edited"] else "As the ingest made it")
    if c["definition"]:  # source Markdown, rendered with HTML disabled
        st.markdown("> " + " ".join(str(c["definition"]).split()))
    if c["aliases"]:
        st.markdown("Also called: " + ", ".join(plain(a) for a in c["aliases"]))
    sources = {x["id"]: x["title"] or Path(x["path"] or "").name
               for x in repo.get_sources(db, curriculum)}  # fmt: skip
    with st.expander(f"Evidence ({len(c['evidence'])})"):
        for e in c["evidence"]:
            st.markdown("> " + " ".join(str(e["quote"]).split()))
            st.caption(f"{plain(sources.get(e['source'], e['source']))} \u00b7 {e['role']}")
    concept_forms(db, who, curriculum, c, concepts)
    _edges_and_units(db, who, curriculum, concepts, cid)
    _history(db, who, curriculum, concepts, units)
    st.caption(
        f"{len(concepts)} concepts, {len(edges)} links. Edits are drafts until published on "
        "the Review & publish page."
    )
