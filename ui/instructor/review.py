"""Review & publish: each exercise with its provenance (the source passages it cites, the
self-check result), approve / edit / reject / add your own, then publish a version.

Learners see only published versions; the page shows what publishing now would change.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from teachback.core.kinds import fixed_options, picks_own_option
from teachback.curricula import edits, publish
from teachback.curricula import repository as repo
from teachback.errors import TeachbackError
from teachback.ui.humanize import human_time
from teachback.ui.instructor.common import (
    instructor_db,
    may_change,
    pick_curriculum,
    plain,
    read_rev,
    require_instructor,
    run_edit,
    show_messages,
)

STATUS_BADGE = {
    "kept": "\U0001f7e1 kept",
    "approved": "\U0001f7e2 approved",
    "rejected": "\U0001f534 rejected",
    "draft": "\u26aa draft",
}
KINDS = list(edits.EXERCISE_KINDS)


def _answer_input(kind: str, current, key: str):
    if fixed_options(kind):  # a verdict, stored as a bool
        return st.selectbox(
            "Answer", [True, False], index=0 if current in (True, None) else 1, key=key
        )
    if isinstance(current, list):
        text = st.text_area(
            "Answer (one item per line)", value="\n".join(map(str, current)), key=key
        )
        return [line.strip() for line in text.splitlines() if line.strip()]
    return st.text_input("Answer", value="" if current is None else str(current), key=key)


def _exercise(db, who: str, x: dict, sources: dict[str, str]) -> None:
    xid = x["id"]
    rev = read_rev("exercise", xid, x["rev"] or 0)
    with st.container(border=True):
        st.markdown(
            f"**{plain(x['kind'].replace('_', ' '))}** \u00b7 "
            f"{STATUS_BADGE.get(x['status'], x['status'])}"
        )
        st.markdown(x["prompt"])  # Markdown from the generator; HTML stays disabled
        for choice in x["choices"]:
            mark = "\u2714\ufe0f " if choice == x["answer"] else "\u2022 "
            st.markdown(mark + plain(choice))
        st.markdown(f"Answer: **{plain(x['answer'])}**")
        if x["explanation"]:
            st.caption(plain(x["explanation"]))
        with st.expander("Provenance"):
            for cit in x["citations"]:
                st.markdown("> " + " ".join(str(cit.get("quote", "")).split()))
                st.caption(plain(sources.get(cit.get("source"), "a source")))
            check = x.get("self_check") or {}
            passed = check.get("passed")
            st.markdown(
                "Self-check: "
                + ("passed" if passed else "failed" if passed is False else "none")
                + (
                    " \u2014 " + plain("; ".join(map(str, check.get("reasons", []))))
                    if check.get("reasons")
                    else ""
                )
            )
            if check.get("answered"):
                st.caption(f"The checker answered from the sources: {plain(check['answered'])}")
        col1, col2, _ = st.columns([1, 1, 4])
        if x["status"] != "approved" and col1.button("Approve", key=f"approve_{xid}"):
            run_edit(
                lambda: edits.approve_exercise(db, xid, rev=rev, who=who),
                "Exercise approved.",
                key=f"a{xid}",
            )
        if x["status"] != "rejected" and col2.button("Reject", key=f"reject_{xid}"):
            run_edit(
                lambda: edits.reject_exercise(db, xid, rev=rev, who=who),
                "Exercise rejected.",
                key=f"r{xid}",
            )
        with st.expander("Edit"), st.form(f"edit_{xid}"):
            prompt = st.text_area("Question", value=x["prompt"], key=f"prompt_{xid}")
            choices = None
            if x["choices"]:
                text = st.text_area(
                    "Choices (one per line)", value="\n".join(x["choices"]), key=f"choices_{xid}"
                )
                choices = [c.strip() for c in text.splitlines() if c.strip()]
            answer = _answer_input(x["kind"], x["answer"], f"answer_{xid}")
            explanation = st.text_area(
                "Explanation", value=x["explanation"] or "", key=f"expl_{xid}"
            )
            if st.form_submit_button("Save exercise"):
                run_edit(
                    lambda: edits.edit_exercise(
                        db,
                        xid,
                        rev=rev,
                        who=who,
                        prompt=prompt,
                        choices=choices,
                        answer=answer,
                        explanation=explanation,
                    ),
                    "Exercise saved (and approved).",
                    key=f"e{xid}",
                )


def _add_exercise(db, who: str, concept: dict) -> None:
    with st.expander(f"Add your own exercise for {plain(concept['name'])}"):
        kind = st.selectbox("Kind", KINDS, key="new_kind")
        with st.form("add_exercise"):
            prompt = st.text_area("Question", key="new_prompt")
            choices = []
            if picks_own_option(kind):  # the instructor writes the options
                text = st.text_area("Choices (one per line)", key="new_choices")
                choices = [c.strip() for c in text.splitlines() if c.strip()]
            answer = _answer_input(kind, None, "new_answer")
            explanation = st.text_area("Explanation", key="new_expl")
            if st.form_submit_button("Add exercise"):
                run_edit(
                    lambda: edits.add_exercise(
                        db,
                        concept["id"],
                        who=who,
                        kind=kind,
                        prompt=prompt,
                        answer=answer,
                        choices=choices,
                        explanation=explanation,
                    ),
                    "Exercise added.",
                    key="add_ex",
                )


def _publish(db, who: str, curriculum: str) -> None:
    st.subheader("Publish")
    versions = publish.versions(db, curriculum)
    if versions:
        v = versions[0]
        st.caption(
            f"Learners see version {v['version']}, published by {plain(v['published_by'])}"
            f" {human_time(v['published_at'])}."
        )
    else:
        st.caption("Nothing published yet: learners do not see this curriculum's draft.")
    try:
        diff = publish.draft_changes(db, curriculum)
    except TeachbackError as err:
        st.error(str(err))
        return
    st.markdown(
        f"Publishing now: {len(diff['added'])} concepts added, {len(diff['changed'])} changed, "
        f"{len(diff['removed'])} removed, {len(diff['unchanged'])} unchanged (learners keep "
        "their progress on every concept that stays)."
    )
    if st.button("Publish a new version", type="primary", key="publish"):
        try:
            version = publish.publish(db, curriculum, who)
        except TeachbackError as err:
            st.error(str(err))
        else:
            st.session_state["_flash"] = f"Published version {version}."
            st.rerun()


def render() -> None:
    who = require_instructor()
    db = instructor_db()
    st.title("Review & publish")
    curriculum = pick_curriculum(db, who=who)
    if curriculum is None:
        return
    show_messages()
    if not may_change(db, curriculum, who):
        return
    _publish(db, who, curriculum)
    concepts = repo.get_concepts(db, curriculum)
    if not concepts:
        st.info("No concepts yet.")
        return
    st.subheader("Exercises")
    sources = {s["id"]: s["title"] or Path(s["path"] or "").name
               for s in repo.get_sources(db, curriculum)}  # fmt: skip
    by_id = {c["id"]: c for c in concepts}
    counts = {}
    for x in repo.get_exercises(db, curriculum, statuses=None):
        counts.setdefault(x["concept_id"], {}).setdefault(x["status"], 0)
        counts[x["concept_id"]][x["status"]] += 1

    def label(cid: str) -> str:
        n = counts.get(cid, {})
        return f"{by_id[cid]['name']} ({sum(n.values())}; {n.get('rejected', 0)} rejected)"

    cid = st.selectbox("Concept", list(by_id), format_func=label, key="review_concept")
    show = st.multiselect(
        "Show", list(STATUS_BADGE), default=list(STATUS_BADGE), key="review_status"
    )
    for x in repo.get_exercises(db, curriculum, cid, statuses=show or None):
        _exercise(db, who, x, sources)
    _add_exercise(db, who, by_id[cid])
    total = sum(sum(v.values()) for v in counts.values())
    st.caption(f"{total} exercises in this curriculum.")
