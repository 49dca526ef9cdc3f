"""Help on the Learn page while a step is pending, in a row under the question: "Explain it
another way" (the concept again, in other words) and, for an exercise, "Stuck? Get a hint".

With a model configured for the step (engine/openai_engine.py) the text is shown as it is
written (``st.write_stream``), then checked — an explanation must stay within the lesson's
passages, a hint must not state the answer — and replaced by the checked text (the offline one
when the check fails). Offline, the embedded engine's text appears at once. What was shown
stays on screen for the rest of the step; the number of hints is recorded with the answer.
"""

from __future__ import annotations

import streamlit as st

from teachback.ui import common


def hints_used(step: int) -> int:
    return int(st.session_state.get(f"hints_{step}", 0))


def _written(engine, step_name: str, stream, finish, offline) -> str:
    """The text for a help request: streamed then checked, or the offline one."""
    if engine is None:
        from teachback.engine.embedded import EmbeddedEngine

        return offline(EmbeddedEngine())
    if not common.model_writes(engine, step_name):
        return offline(engine)
    return finish(engine, common.stream_then_clear(stream(engine)))


def _help(who, step: int):
    help_ = common.get_tutor().help_for(who.id, who.curriculum, step)
    if help_ is None:
        st.info("This step has moved on; here is the current one.")
        st.rerun()
    return help_


def help_row(who, payload: dict) -> None:
    """The help buttons side by side, then whatever help was asked for in this step."""
    step = payload["step"]
    left, right = st.columns(2)
    with left:
        explain = f"explained_{step}" not in st.session_state and st.button(
            "Explain it another way", key=f"explain_{step}", icon=":material/lightbulb:"
        )
    with right:
        hint = payload.get("type") == "exercise" and st.button(
            "Stuck? Get a hint", key=f"hint_{step}", icon=":material/help:"
        )
    if explain:
        explain_again(who, step)
    if hint:
        give_hint(who, step)
    if f"explained_{step}" in st.session_state:
        with st.container(border=True, key=f"explanation_{step}"):
            st.caption("In other words")
            common.show_source_text(st.session_state[f"explained_{step}"])
    for i, text in enumerate(st.session_state.get(f"hint_texts_{step}", [])):
        with st.container(border=True, key=f"hint_text_{step}_{i}"):
            st.caption("Hint" if i == 0 else f"Hint {i + 1}")
            common.show_source_text(text)


def explain_again(who, step: int) -> None:
    """The concept explained in other words, kept for the rest of the step."""
    h = _help(who, step)
    st.session_state[f"explained_{step}"] = _written(
        common.get_engine(),
        "explain",
        lambda e: e.stream_explanation(h.concept, h.passages),
        lambda e, text: e.finish_explanation(h.concept, h.passages, text),
        lambda e: e.explain(h.concept, h.passages),
    )


def give_hint(who, step: int) -> None:
    """One more hint for the exercise (counted: the attempt records how many were used)."""
    h = _help(who, step)
    if h.exercise is None:
        return
    text = _written(
        common.get_engine(),
        "hint",
        lambda e: e.stream_hint(h.exercise),
        lambda e, t: e.finish_hint(h.exercise, "", t),
        lambda e: e.hint(h.exercise),
    )
    shown = st.session_state.setdefault(f"hint_texts_{step}", [])
    if text not in shown:
        shown.append(text)
    st.session_state[f"hints_{step}"] = hints_used(step) + 1
