"""The write-the-code exercise on the Learn page: a monospace editor holding the function's
signature and docstring, a Run button that runs the source's own checks in the sandbox and
lists them (the call, what was expected, what came back, as literal text), then Submit.

A plain text area, not an editor component: the maintained Streamlit code editors load their
editor in an iframe and send the code back only on their own key press, which a form cannot
follow. Indent with spaces (Tab moves to the next field, as in any text box)."""

from __future__ import annotations

import re

import streamlit as st

from teachback import code_checks, sandbox
from teachback.curricula.repository import get_exercise
from teachback.errors import NotFound
from teachback.tutor.grading.kinds.write_code import summary
from teachback.ui import common

MAX_CASES_SHOWN = 12


def _style(key: str) -> None:
    # Our own CSS (no source text in it): the editor in a monospace font.
    st.html(
        f"<style>.st-key-{key} textarea {{font-family: ui-monospace, SFMono-Regular, Menlo, "
        "Consolas, monospace; font-size: 0.9rem;}}</style>"
    )


def _suite(exercise_id: str) -> dict | None:
    try:
        return get_exercise(common.get_db(), exercise_id)["data"].get("suite")
    except NotFound:
        return None


def show_run(run: code_checks.Run) -> None:
    """A run's result: a sentence, then each case (literal text, never Markdown or HTML)."""
    if run.error:
        st.error(common.plain(summary(run)))
        return
    (st.success if run.passed else st.warning)(common.plain(summary(run)))
    for case in run.cases[:MAX_CASES_SHOWN]:
        mark = "\u2713" if case.passed else "\u2717"
        with st.container(border=True):
            st.caption(f"{mark} {common.plain(case.check.replace('`', ''))}")
            st.code(case.call, language="python")
            if not case.passed:
                st.text(f"expected: {case.expected}\ngot:      {case.got}")
    if len(run.cases) > MAX_CASES_SHOWN:
        st.caption(f"... and {len(run.cases) - MAX_CASES_SHOWN} more.")


def show_feedback(feedback: dict, verdicts: dict) -> None:
    """How the last write-the-code answer went: the verdict and the first failing case (as
    literal text: the learner's output is not Markdown), the learner's code and, when it was
    not right, the source's own implementation to compare with (it is the exercise's cited
    passage: not repeated as a quote)."""
    kind, title = verdicts.get(feedback["verdict"], verdicts["incorrect"])
    heading = f"**{title}**"
    if feedback["verdict"] == "partly":
        heading += f" ({round(100 * feedback.get('score', 0))}%)"
    note = re.sub(r"^\s*(Correct|Partly right|Not quite)[.!]?\s*", "", feedback["feedback"] or "")
    getattr(st, kind)(f"{heading} \u2014 {common.plain(note)}" if note else heading)
    with st.container(border=True, key=f"feedback_{feedback['step']}"):
        st.caption("Your answer:")
        st.code(feedback.get("your_answer") or "", language="python")
        if feedback["verdict"] != "correct" and feedback.get("correct_answer"):
            with st.expander("Answer: the source's own implementation"):
                st.code(feedback["correct_answer"], language="python")
        where = common.source_titles([c.get("source", "") for c in feedback.get("citations") or []])
        if where:
            st.caption("Reread: the function in " + ", ".join(common.plain(w) for w in where))


def render_exercise(payload: dict, on_submit) -> None:
    """The exercise, the editor, Run and Submit. ``on_submit(code)`` records the answer."""
    exercise, step = payload["exercise"], payload["step"]
    key = f"code_{step}"
    st.markdown(f"### Question {step}")
    common.show_source_text(exercise["prompt"])
    _style(key)
    code = st.text_area(
        "Your code (the whole function, or only its body; indent with spaces)",
        value=exercise.get("stub") or "",
        key=key,
        height=320,
        max_chars=20_000,
    )
    why = sandbox.available()
    run_col, submit_col = st.columns(2)
    if run_col.button("Run checks", key=f"run_{step}", disabled=bool(why)):
        suite = _suite(exercise["id"])
        if suite is None:
            st.session_state[f"ran_{step}"] = code_checks.Run(error="This exercise has no checks.")
        else:
            with st.spinner("Running the checks in the sandbox..."):
                st.session_state[f"ran_{step}"] = code_checks.run(suite, code)
    if why:
        st.caption(f"Code cannot be run on this machine ({common.plain(why)}).")
    if submit_col.button("Submit", key=f"submit_{step}", type="primary"):
        if not code.strip():
            st.warning("Write some code first.")
        else:
            on_submit(code)
    ran = st.session_state.get(f"ran_{step}")
    if ran is not None:
        show_run(ran)
