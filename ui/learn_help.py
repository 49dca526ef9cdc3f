"""Help on the Learn page while a step is pending, in a row under the question: "Explain it
another way" (the concept from passages the lesson did not use, and how it connects) and, for
an exercise, "Stuck? Get a hint": a ladder of up to three hints, each giving more (where to
look, a narrower cue, a worked example; ``teachback.tutor.hint_ladder``).

With a model configured for the step (engine/openai_engine/) the explanation and the first
hint are shown as they are written (``st.write_stream``), then checked — an explanation must
stay within its passages, a hint must not state the answer — and replaced by the checked text
(the offline one when the check fails). What was shown stays on screen for the rest of the
step; the number of hints is recorded with the answer.
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
        from teachback.tutor.algorithms import TutorSteps

        return offline(EmbeddedEngine(tutor=TutorSteps()))
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
    from teachback.tutor.hint_ladder import RUNGS

    step = payload["step"]
    given = len(st.session_state.get(f"hint_texts_{step}", []))
    left, right = st.columns(2)
    with left:
        explain = f"explained_{step}" not in st.session_state and st.button(
            "Explain it another way", key=f"explain_{step}", icon=":material/lightbulb:"
        )
    with right:
        hint = payload.get("type") == "exercise" and st.button(
            _hint_label(given, len(RUNGS)),
            key=f"hint_{step}",
            icon=":material/help:",
            disabled=given >= len(RUNGS),
        )
    if explain:
        explain_again(who, step)
        st.rerun()  # the explanation is given once per step: its button goes away
    if hint:
        give_hint(who, step)
        st.rerun()  # the button now offers the next rung (or says there are no more)
    if f"explained_{step}" in st.session_state:
        with st.container(border=True, key=f"explanation_{step}"):
            st.caption("In other words")
            common.show_source_text(st.session_state[f"explained_{step}"])
    for i, text in enumerate(st.session_state.get(f"hint_texts_{step}", [])):
        with st.container(border=True, key=f"hint_text_{step}_{i}"):
            st.caption(f"Hint {i + 1} of {len(RUNGS)}: {RUNGS[min(i, len(RUNGS) - 1)]}")
            common.show_source_text(text)


def _hint_label(given: int, rungs: int) -> str:
    if given == 0:
        return "Stuck? Get a hint"
    if given >= rungs:
        return "No more hints"
    return f"Another hint ({given + 1} of {rungs})"


def explain_again(who, step: int) -> None:
    """The concept explained in other words — from the passages the lesson did not use when
    there are any — and how it connects; kept for the rest of the step."""
    h = _help(who, step)
    passages = h.other_passages or h.passages
    text = _written(
        common.get_engine(),
        "explain",
        lambda e: e.stream_explanation(h.concept, passages),
        lambda e, text: e.finish_explanation(h.concept, passages, text),
        lambda e: e.explain(h.concept, passages),
    )
    st.session_state[f"explained_{step}"] = text + _connections(h)


def _connections(h) -> str:
    """How the concept connects to the rest, in one or two sentences (names as text)."""
    lines = []
    if h.builds_on:
        lines.append(f"It builds on {_listing(h.builds_on)}.")
    if h.leads_to:
        lines.append(f"Next, it helps with {_listing(h.leads_to)}.")
    return ("\n\n" + " ".join(lines)) if lines else ""


def _listing(names: list[str], most: int = 4) -> str:
    shown = [f"*{common.plain(n)}*" for n in names[:most]]
    if len(names) > most:
        shown.append(f"{len(names) - most} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def give_hint(who, step: int) -> None:
    """The next hint of the ladder (counted: the attempt records how many were used)."""
    from teachback.tutor.hint_ladder import RUNGS, ladder_hint

    h = _help(who, step)
    if h.exercise is None:
        return
    shown = st.session_state.setdefault(f"hint_texts_{step}", [])
    level = len(shown) + 1
    if level > len(RUNGS):
        return
    engine = common.get_engine()
    if level == 1 and engine is not None and common.model_writes(engine, "hint"):
        text = _written(
            engine,
            "hint",
            lambda e: e.stream_hint(h.exercise),
            lambda e, t: e.finish_hint(h.exercise, "", t),
            lambda e: e.hint(h.exercise),
        )
    else:
        text = ladder_hint(h.exercise, level, h.context)
    shown.append(text)
    st.session_state[f"hints_{step}"] = hints_used(step) + 1
