"""The Learn page: the lesson, one exercise at a time, immediate feedback with the cited passage,
and a sense of progress. Every decision is the tutor's (``teachback.tutor.session``)."""

from __future__ import annotations

import re
import time

import streamlit as st

from teachback.core.kinds import answer_form
from teachback.errors import TeachbackError
from teachback.ui import code_editor, common, learn_help, lesson_view
from teachback.ui.learner import require_learner

VERDICT = {
    "correct": ("success", "Correct"),
    "partly": ("warning", "Partly right"),
    "incorrect": ("error", "Not quite"),
}


def progress_text(progress: dict) -> str:
    """The progress bar's words, as the terminal says them (``cli.learn_cmd.progress_line``):
    concepts mastered out of everything to finish; once concepts have been learnt from their
    lesson alone (nothing to practise), the concepts done and how. Not "lessons read", which a
    learner takes for every lesson they have read.

    >>> progress_text({"mastered": 3, "read": 1, "total": 10, "answered": 7})
    'Concepts done: 4/10 (3 mastered, 1 read) \u00b7 answers given: 7'
    >>> progress_text({"mastered": 3, "read": 0, "total": 10, "answered": 7})
    'Concepts mastered: 3/10 \u00b7 answers given: 7'
    """
    mastered, read = progress.get("mastered") or 0, progress.get("read") or 0
    total = progress.get("total") or 0
    if read:
        done = f"Concepts done: {mastered + read}/{total} ({mastered} mastered, {read} read)"
    else:
        done = f"Concepts mastered: {mastered}/{total}"
    return f"{done} \u00b7 answers given: {progress.get('answered', 0)}"


def show_progress(progress: dict) -> None:
    total = progress.get("total") or 0
    finished = (progress.get("mastered") or 0) + (progress.get("read") or 0)
    st.progress(min(1.0, finished / total) if total else 0.0, text=progress_text(progress))


_OPENING = re.compile(r"^\s*(Correct|Partly right|Not quite)[.!]?\s*", re.I)
_REREAD = re.compile(r"(Reread|Source): \u201c.*?\u201d(?: \(source [^)]*\))?\.?\s*", re.S)
# What is missing, as the grader says it ("A full answer also says: ..." after a correct one).
_MISSING = re.compile(
    r"(?:Missing|A full answer also says): .*?(?:\.|\u2026)(?=\s+[A-Z]|\s*$)\s*", re.S
)
_EXPECTED = re.compile(r"Expected: .*?(?=\s+(?:Reread|Source): |\s*$)\s*", re.S)


def feedback_note(feedback: dict) -> str:
    """What the grader's text adds to the rest of the feedback box, so nothing is said twice:
    the verdict is the heading, the passage, what is missing and the expected answer are
    shown below it.
    """
    text = _OPENING.sub("", str(feedback.get("feedback") or ""), count=1)
    text = _REREAD.sub("", text)
    if feedback.get("missing"):
        text = _MISSING.sub("", text)
    if feedback.get("correct_answer") and feedback.get("verdict") != "correct":
        text = _EXPECTED.sub("", text)
    return " ".join(text.split())


def show_feedback(feedback: dict | None) -> None:
    """How the last answer went, each thing said once: the verdict (with the score when
    partly right), what the grader adds, then the question, the answer, what was missing and
    the passage to reread."""
    if not feedback:
        return
    if feedback.get("kind") == "write_code":  # code shown as code, outputs as literal text
        code_editor.show_feedback(feedback, VERDICT)
        return
    kind, title = VERDICT.get(feedback["verdict"], VERDICT["incorrect"])
    box = getattr(st, kind)
    heading = f"**{title}**"
    if feedback["verdict"] == "partly":
        heading += f" ({round(100 * feedback.get('score', 0))}%)"
    note = common.name_sources(feedback_note(feedback))
    box(f"{heading} \u2014 {note}" if note else heading)
    with st.container(border=True, key=f"feedback_{feedback['step']}"):
        if feedback.get("prompt"):
            st.caption("Last question")
            common.show_source_text(feedback["prompt"])
        st.markdown(f"Your answer: *{common.plain(_one_line(feedback.get('your_answer', '')))}*")
        if feedback["verdict"] != "correct" and feedback.get("correct_answer"):
            st.markdown(f"Answer: **{common.plain(feedback['correct_answer'])}**")
        if feedback.get("missing"):
            st.markdown("Missing: " + "; ".join(common.plain(m) for m in feedback["missing"]))
        common.show_citations(feedback.get("citations") or [], label="Reread")


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "(empty)"


def answer_widget(exercise: dict, step: int):
    """The widget for an exercise kind; returns the answer (None/empty when not given)."""
    key = f"answer_{step}"
    choices = exercise.get("choices") or []
    form = answer_form(exercise["kind"], has_choices=bool(choices))
    if form == "choice":
        return st.radio("Your answer", choices, index=None, key=key)
    if form == "order":
        items = exercise.get("items") or choices
        order = [
            st.selectbox(f"Position {i + 1}", items, index=None, key=f"{key}_{i}")
            for i in range(len(items))
        ]
        return order if all(order) else None
    if form == "pairs":
        pairs = []
        for i, left in enumerate(exercise.get("items") or []):
            right = st.selectbox(left, choices, index=None, key=f"{key}_{i}")
            pairs.append(f"{left} => {right}" if right else None)
        return pairs if pairs and all(pairs) else None
    if form == "text":
        return st.text_area("Your answer", key=key, max_chars=4000)
    return st.text_input("Your answer", key=key, max_chars=1000)


def show_lesson(lesson: dict | None, action: str) -> None:
    if not lesson:
        return
    if lesson.get("recall"):  # a question asked again: answered from memory
        st.caption("From memory this time:")
        with st.expander("The lesson, if you need it"):
            lesson_view.render_lesson({**lesson, "text": lesson["whole"]})
        return
    if lesson.get("angle") == "evidence":
        st.caption("Another way to look at it, straight from the source:")
    elif lesson.get("brief"):
        st.caption("The key idea (you have read the whole lesson already):")
    with st.container(border=True):
        lesson_view.render_lesson(lesson)
    if lesson.get("whole"):
        with st.expander("The whole lesson again"):
            lesson_view.render_lesson({**lesson, "text": lesson["whole"], "brief": False})
    if lesson.get("angle") == "lesson" and lesson.get("citations"):
        with st.expander("Sources for this lesson"):
            common.show_citations(lesson["citations"])


def submit(who, payload: dict, answer) -> None:
    shown = st.session_state.get(f"shown_{payload['step']}", time.time())
    try:
        common.get_tutor().answer(
            who.id,
            who.curriculum,
            answer,
            step=payload["step"],
            time_taken=max(0.0, time.time() - shown),
            hints=learn_help.hints_used(payload["step"]),
        )
    except TeachbackError as err:
        st.error(f"Your answer was kept but the next step failed: {err}")
        st.stop()
    st.rerun()


def render() -> None:
    st.title("Learn")
    who = require_learner()
    try:
        payload = common.get_tutor().current(who.id, who.curriculum, who.name)
    except TeachbackError as err:
        st.error(str(err))
        st.stop()
    st.session_state.setdefault(f"shown_{payload.get('step')}", time.time())
    show_progress(payload.get("progress") or {})
    show_feedback(payload.get("feedback"))
    if payload.get("held"):
        show_paused(payload)
    elif payload["type"] == "done":
        show_done(payload)
    else:
        show_step(who, payload)


def show_paused(payload: dict) -> None:
    """A paused class: nothing new until the instructor resumes."""
    st.info(common.plain(payload.get("reason") or "Your class is paused."))
    if st.button("Check again", key="hold_again"):
        st.rerun()


def show_done(payload: dict) -> None:
    st.success(
        "You have finished everything you can reach in this curriculum for now: each "
        "concept is mastered, or its lesson read where there is nothing to practise. "
        "Come back later: the tutor will bring back concepts that are due for review."
    )
    if payload.get("reason"):
        st.caption(common.plain(payload["reason"]))
    st.markdown("Open **Progress** in the menu to see your concept map.")


def show_step(who, payload: dict) -> None:
    """The concept, its lesson, then what the step asks: mark the lesson read, explain the
    concept back, write code, or answer a question."""
    concept = payload["concept"]
    st.subheader(concept.get("heading") or concept["name"])
    if payload.get("reason"):
        st.caption(f"Why this now: {common.plain(payload['reason'])}")
    show_lesson(payload.get("lesson"), payload["action"])
    if payload["type"] == "lesson":
        mark_read(who, payload)
        return
    if payload["type"] == "teach_back":
        teach_back_form(who, payload)
    elif answer_form(payload["exercise"]["kind"]) == "code":
        code_editor.render_exercise(payload, lambda code: submit(who, payload, code))
    else:
        question_form(who, payload)
    learn_help.help_row(who, payload)


def teach_back_form(who, payload: dict) -> None:
    st.markdown("### Teach it back")
    common.show_source_text(common.plain(payload["prompt"]))
    with st.form(f"form_{payload['step']}"):
        text = st.text_area("Your explanation", key=f"answer_{payload['step']}", height=160)
        if st.form_submit_button("Submit explanation"):
            if not text.strip():
                st.warning("Write a few sentences first.")
            else:
                submit(who, payload, text)


def question_form(who, payload: dict) -> None:
    exercise = payload["exercise"]
    st.markdown(f"### Question {payload['step']}")
    with st.form(f"form_{payload['step']}"):
        common.show_source_text(exercise["prompt"])
        answer = answer_widget(exercise, payload["step"])
        if st.form_submit_button("Check answer"):
            if answer is None or (isinstance(answer, str) and not answer.strip()):
                st.warning("Give an answer first.")
            else:
                submit(who, payload, answer)


def mark_read(who, payload: dict) -> None:
    """A concept with nothing to practise is taught by its lesson (shown above): the learner
    says they have read it, and that counts toward finishing the curriculum."""
    if payload.get("questions_later"):
        st.caption(
            "Read this lesson first, then mark it read: its questions come afterwards, without it."
        )
    else:
        st.caption(
            "There are no questions on this one: read the lesson, then mark it read to go on."
        )
    if st.button("Got it", key=f"read_{payload['step']}", type="primary"):
        submit(who, payload, "read")
