"""The curriculum editor's forms on one concept, a tab each: rename, definition and aliases,
merge, split, lesson, move, delete. Each sends the revision the editor read, so a change made
meanwhile by someone else is reported as a conflict."""

from __future__ import annotations

import streamlit as st

from teachback.curricula import edits
from teachback.curricula import repository as repo
from teachback.ui.instructor.common import plain, read_rev, run_edit


def concept_forms(db, who: str, curriculum: str, c: dict, concepts: list[dict]) -> None:
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
                focus=cid,
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
                focus=cid,
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
                focus=cid,
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
                focus=cid,
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
                    focus=cid,
                )
    with tabs[5]:
        units = repo.get_units(db, curriculum)
        if not units:
            st.caption("This curriculum has no units.")
        else:
            titles = readable_units(units, concepts)
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
                        focus=cid,
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


def readable_units(units: list[dict], concepts: list[dict]) -> dict:
    """Unit id -> the title people read (stored titles can be file names: "__init__",
    "hash_tables (3)"), the same titles the learner's concept map shows."""
    from teachback.tutor.progress import unit_titles

    by_unit: dict = {}
    for c in concepts:
        by_unit.setdefault(c["unit_id"], []).append(c)
    titles = unit_titles({u["id"]: u for u in units}, by_unit)
    return {u["id"]: titles.get(u["id"]) or u["title"] or f"Unit {n}"
            for n, u in enumerate(units, 1)}  # fmt: skip
