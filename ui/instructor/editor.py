"""Curriculum editor: the concept graph drawn; forms for every edit; the history with undo.

The page only collects input and calls ``teachback.curricula.edits``; every form sends the
revision the editor read (``common.read_rev``), so a change made meanwhile by someone else is
reported as a conflict instead of being overwritten.
"""

from __future__ import annotations

import json

import streamlit as st

from teachback.curricula import edits
from teachback.curricula import repository as repo
from teachback.ui.instructor.common import (
    instructor_db,
    pick_curriculum,
    plain,
    read_rev,
    require_instructor,
    run_edit,
    show_messages,
)


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


def _concept_forms(db, who: str, curriculum: str, c: dict, concepts: list[dict]) -> None:
    cid = c["id"]
    rev = read_rev("concept", cid, c["rev"] or 0)
    others = {x["id"]: x["name"] for x in concepts if x["id"] != cid}
    tabs = st.tabs(["Rename", "Definition & aliases", "Merge", "Split", "Lesson", "Move", "Delete"])
    with tabs[0], st.form(f"rename_{cid}"):
        new = st.text_input("New name", value=c["name"], key=f"rename_name_{cid}")
        keep = st.checkbox("Keep the old name as an alias", value=True, key=f"rename_keep_{cid}")
        if st.form_submit_button("Rename"):
            run_edit(
                lambda: edits.rename_concept(
                    db, cid, new, rev=rev, who=who, keep_old_as_alias=keep
                ),
                f"Renamed to {new.strip()}.",
                key="rename",
            )
    with tabs[1], st.form(f"update_{cid}"):
        definition = st.text_area("Definition", value=c["definition"] or "", key=f"def_{cid}")
        aliases = st.text_area(
            "Aliases (one per line)", value="\n".join(c["aliases"]), key=f"aliases_{cid}"
        )
        importance = st.slider(
            "Importance", 0.0, 1.0, float(c["importance"] or 0.5), key=f"imp_{cid}"
        )
        if st.form_submit_button("Save"):
            run_edit(
                lambda: edits.update_concept(
                    db,
                    cid,
                    rev=rev,
                    who=who,
                    definition=definition,
                    importance=importance,
                    aliases=[a for a in aliases.splitlines() if a.strip()],
                ),
                "Saved.",
                key="update",
            )
    with tabs[2], st.form(f"merge_{cid}"):
        st.caption(
            f"Merge another concept into {plain(c['name'])}: its aliases, evidence, "
            "exercises and learners' attempts move here."
        )
        other = st.selectbox(
            "Concept to merge in",
            list(others),
            format_func=lambda k: others[k],
            key=f"merge_other_{cid}",
        )
        if st.form_submit_button("Merge") and other:
            other_row = next(x for x in concepts if x["id"] == other)
            other_rev = read_rev("concept", other, other_row["rev"] or 0)
            run_edit(
                lambda: edits.merge_concepts(
                    db, cid, other, keep_rev=rev, absorb_rev=other_rev, who=who
                ),
                f"Merged {others[other]} into {c['name']}.",
                key="merge",
            )
    with tabs[3], st.form(f"split_{cid}"):
        new_name = st.text_input("Name of the new concept", key=f"split_name_{cid}")
        ev = {e["id"]: e for e in c["evidence"]}
        ev_pick = st.multiselect(
            "Evidence that belongs to the new concept",
            list(ev),
            format_func=lambda i: ev[i]["quote"][:90],
            key=f"split_ev_{cid}",
        )
        al_pick = st.multiselect("Aliases that move", c["aliases"], key=f"split_al_{cid}")
        exs = {x["id"]: x["prompt"] for x in repo.get_exercises(db, curriculum, cid, statuses=None)}
        ex_pick = st.multiselect(
            "Exercises that move",
            list(exs),
            format_func=lambda i: exs[i][:90],
            key=f"split_ex_{cid}",
        )
        if st.form_submit_button("Split"):
            run_edit(
                lambda: edits.split_concept(
                    db,
                    cid,
                    new_name,
                    rev=rev,
                    who=who,
                    evidence_ids=ev_pick,
                    aliases=al_pick,
                    exercise_ids=ex_pick,
                ),
                f"Split off {new_name.strip()}.",
                key="split",
            )
    with tabs[4]:
        lesson = repo.get_lesson(db, cid)
        lrev = read_rev("lesson", cid, (lesson or {}).get("rev") or 0)
        with st.form(f"lesson_{cid}"):
            text = st.text_area(
                "Lesson (Markdown)",
                value=(lesson or {}).get("text", ""),
                height=240,
                key=f"lesson_text_{cid}",
            )
            if st.form_submit_button("Save lesson"):
                run_edit(
                    lambda: edits.edit_lesson(db, cid, text, rev=lrev, who=who),
                    "Lesson saved.",
                    key="lesson",
                )
    with tabs[5]:
        units = repo.get_units(db, curriculum)
        if not units:
            st.caption("This curriculum has no units.")
        else:
            titles = {u["id"]: u["title"] or f"Unit {u['id']}" for u in units}
            with st.form(f"move_{cid}"):
                unit = st.selectbox(
                    "Unit", list(titles), format_func=titles.get, key=f"move_unit_{cid}"
                )
                place = st.number_input(
                    "Position in the unit (1 = first)",
                    min_value=1,
                    value=1,
                    step=1,
                    key=f"move_pos_{cid}",
                )
                if st.form_submit_button("Move"):
                    run_edit(
                        lambda: edits.move_concept(
                            db, cid, unit_id=unit, index=int(place) - 1, rev=rev, who=who
                        ),
                        f"Moved {c['name']}.",
                        key="move",
                    )
    with tabs[6], st.form(f"delete_{cid}"):
        st.caption(
            "Deletes the concept with its evidence, edges, lesson and exercises. "
            "Learners' attempts stay. Undo brings everything back."
        )
        sure = st.checkbox(f"Yes, delete {plain(c['name'])}", key=f"delete_sure_{cid}")
        if st.form_submit_button("Delete"):
            if not sure:
                st.error("Tick the box to confirm.")
            else:
                run_edit(
                    lambda: edits.delete_concept(db, cid, rev=rev, who=who),
                    f"Deleted {c['name']}.",
                    key="delete",
                )


def _edges_and_units(db, who: str, curriculum: str, concepts: list[dict]) -> None:
    names = {c["id"]: c["name"] for c in concepts}
    st.subheader("Prerequisites")
    with st.form("add_edge"):
        col1, col2, col3 = st.columns(3)
        pre = col1.selectbox("Prerequisite", list(names), format_func=names.get, key="edge_pre")
        con = col2.selectbox("is needed by", list(names), format_func=names.get, key="edge_con")
        kind = col3.selectbox("Kind", ["prerequisite", "related"], key="edge_kind")
        reason = st.text_input("Reason (optional)", key="edge_reason")
        if st.form_submit_button("Add edge"):
            run_edit(
                lambda: edits.add_edge(db, pre, con, who=who, kind=kind, reason=reason),
                f"Added {names[pre]} \u2192 {names[con]}.",
                key="add_edge",
            )
    active = repo.get_edges(db, curriculum)
    if active:
        labels = {
            e["id"]: f"{names.get(e['prerequisite'])} \u2192 {names.get(e['concept'])} "
            f"({e['kind']})" + (f": {e['reason']}" if e.get("reason") else "")
            for e in active
        }
        with st.form("remove_edge"):
            eid = st.selectbox("Edge", list(labels), format_func=labels.get, key="edge_remove")
            if st.form_submit_button("Remove edge"):
                run_edit(
                    lambda: edits.remove_edge(db, eid, who=who),
                    f"Removed {labels[eid]}.",
                    key="remove_edge",
                )
    units = repo.get_units(db, curriculum)
    if len(units) > 1:
        st.subheader("Unit order")
        seen = [u["id"] for u in units]
        expected = [int(x) for x in st.session_state.setdefault("_unit_order_read", seen)]
        titles = {u["id"]: u["title"] or f"Unit {u['id']}" for u in units}
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


def _history(db, who: str, curriculum: str) -> None:
    st.subheader("History")
    rows = edits.history(db, curriculum, limit=50)
    if not rows:
        st.caption("No edits yet.")
        return
    for r in rows:
        col1, col2 = st.columns([5, 1])
        what = ", ".join(f"{k}={v}" for k, v in r["payload"].items() if not isinstance(v, list))
        mark = " ~~undone~~" if r["undone"] else ""
        col1.markdown(
            f"#{r['id']} **{plain(r['op'])}** by {plain(r['who'])} at "
            f"{plain(r['at'])}: {plain(what[:160])}{mark}"
        )
        if not r["undone"] and col2.button("Undo", key=f"undo_{r['id']}"):
            run_edit(
                lambda r=r: edits.undo(db, r["id"], who=who),
                f"Undid edit #{r['id']} ({r['op']}).",
                key=f"undo{r['id']}",
            )


def render() -> None:
    who = require_instructor()
    db = instructor_db()
    st.title("Curriculum editor")
    curriculum = pick_curriculum(db)
    if curriculum is None:
        return
    show_messages()
    concepts = repo.get_concepts(db, curriculum)
    units = repo.get_units(db, curriculum)
    edges = repo.get_edges(db, curriculum)
    if concepts:
        st.graphviz_chart(graph_dot(concepts, edges, units), use_container_width=True)
    with st.expander("Add a concept"), st.form("add_concept"):
        name = st.text_input("Name", key="add_name")
        definition = st.text_area("Definition", key="add_def")
        unit_titles = {u["id"]: u["title"] or f"Unit {u['id']}" for u in units}
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
            )
    if not concepts:
        st.info("No concepts yet: ingest sources on the Library page, or add one above.")
        _history(db, who, curriculum)
        return
    by_id = {c["id"]: c for c in concepts}
    cid = st.selectbox(
        "Concept", list(by_id), format_func=lambda k: by_id[k]["name"], key="editor_concept"
    )
    c = by_id[cid]
    st.markdown(f"### {plain(c['name'])}")
    st.caption(
        f"id `{cid}` \u00b7 rev {c['rev']} \u00b7 "
        + ("edited by an instructor" if c["edited"] else "as ingested")
    )
    if c["definition"]:  # source Markdown, rendered with HTML disabled
        st.markdown("> " + " ".join(str(c["definition"]).split()))
    if c["aliases"]:
        st.markdown("Also called: " + ", ".join(plain(a) for a in c["aliases"]))
    with st.expander(f"Evidence ({len(c['evidence'])})"):
        for e in c["evidence"]:
            st.markdown("> " + " ".join(str(e["quote"]).split()))
            st.caption(f"{plain(e['source'])} [{e['start']}:{e['end']}] \u00b7 {e['role']}")
    _concept_forms(db, who, curriculum, c, concepts)
    _edges_and_units(db, who, curriculum, concepts)
    _history(db, who, curriculum)
    st.caption(
        "Edits are drafts until published on the Review & publish page. "
        + json.dumps({"concepts": len(concepts), "edges": len(edges)})
    )
