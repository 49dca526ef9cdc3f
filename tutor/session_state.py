"""The tutor session's state (what each checkpoint holds), and what a learner is shown of it.

``payload_of`` is the one place that turns the state into what the UI shows while the session
waits: never the answer key. ``compact_history`` keeps the policy's step history bounded.
"""

from __future__ import annotations

from typing import TypedDict

from teachback.tutor.published import DEFAULT_THRESHOLD
from teachback.tutor.session_lesson import (
    ASKS_FOR_NAME,
    NAME_HIDDEN,
    TERM_HIDDEN,
    answers_with_name,
    public_exercise,
    untitled,
)


class TutorInput(TypedDict):
    learner_id: str
    curriculum_id: str
    session_id: str  # names this run of the session; attempts' event ids start with it


class TutorState(TutorInput, total=False):
    step: int  # exercises (and teach-backs) asked so far; the event id's second half
    # "learn" | "review" | "reexplain" | "probe" | "read" | "teach_back" | "done" | "hold"
    action: str
    reason: str  # why the policy chose it, shown to the learner
    concept_id: str | None
    unit_id: int | None
    suggested_exercise: str | None  # the policy's choice, if it made one
    # {"concept_name", "text", "citations", "brief", "angle"}; None when it would answer the
    # exercise asked (``session_lesson.gives_away``)
    lesson: dict | None
    concept_name: str  # the concept's name when no lesson is shown
    # a lesson step of a concept that has questions: they would be answered by the lesson, so
    # it is read first and they come after other steps
    questions_later: bool
    exercise: dict | None  # snapshot of the stored exercise, answer key included
    response: dict | None  # what the learner sent: {"answer", "time_taken", "hints"}
    grade: dict | None  # the Grade of the last answer
    feedback: dict | None  # what the learner is shown about the last answer
    misses: int  # consecutive misses on the current concept
    streak: int  # consecutive correct answers
    mastery: dict[str, float]  # P(known) per concept after the last answer
    threshold: float  # P(known) at which a concept counts as mastered (instructor setting)
    taught_back: list[int]  # units whose teach-back is done
    lessons_read: list[str]  # concepts without exercises whose lesson the learner marked read
    concepts_total: int  # concepts to finish: the practisable ones and the ones to read
    answered: int  # exercises answered in this session
    step_kind: str  # the policy's own kind for the exercise asked ("learn" after a re-explain)
    # The policy's earlier steps as [kind, concept_id, exercise_id, correct] (lists: compact
    # in every checkpoint). Kept whole: the policy's final check counts confirmations in it.
    history: list[list]


# The policy's step history is bounded: the last HISTORY_KEEP steps are kept as they were; older
# ones are folded into a short summary that keeps what the policy still reads of them (each
# concept's confirmations since its last miss, one test-out per unit). See ``compact_history``.
HISTORY_KEEP = 150
HISTORY_SLACK = 50  # fold only when this many more have piled up (not on every step)


def event_id(state: TutorState) -> str:
    """The attempt log's id for the answer to this step: ``"<session>:<step>"``."""
    return f"{state['session_id']}:{state['step']}"


def payload_of(state: TutorState) -> dict:
    """What the learner sees while the graph waits: never the answer key."""
    cur_mastery = state.get("mastery", {})
    progress = _progress(state)
    if state["action"] in ("done", "hold"):
        # A paused class ("hold") is shown as a rest too, flagged ``held``, with the reason.
        return {
            "type": "done",
            "held": state["action"] == "hold",
            "reason": state.get("reason", ""),
            "feedback": state.get("feedback"),
            "progress": progress,
        }
    concept = {
        "id": state["concept_id"],
        "mastery": round(cur_mastery.get(state["concept_id"], 0), 3),
    }
    lesson = state.get("lesson") or {}
    concept["name"] = lesson.get("concept_name") or state.get("concept_name") or state["concept_id"]
    reason = state.get("reason", "")
    exercise = state.get("exercise") if state["action"] not in ("read", "teach_back") else None
    if exercise and exercise["kind"] in ASKS_FOR_NAME:  # the question asks for the name
        reason = reason.replace(concept["name"], "this function")
        concept["name"] = NAME_HIDDEN
    # What a page shows above the step: not the name the question asks for (a blank the
    # concept's name fills, the term a description is of)
    concept["heading"] = concept["name"]
    shown_lesson = state.get("lesson")
    if answers_with_name(exercise, concept["name"]):
        reason = reason.replace(concept["name"], "this concept")
        concept["heading"] = TERM_HIDDEN
        shown_lesson = untitled(shown_lesson, concept["name"])
    kinds = {"teach_back": "teach_back", "read": "lesson"}
    base = {
        "type": kinds.get(state["action"], "exercise"),
        "step": state["step"],
        "action": state["action"],
        "reason": reason,
        "concept": concept,
        "lesson": shown_lesson,
        "feedback": state.get("feedback"),
        "progress": progress,
    }
    if state["action"] == "read":
        base["prompt"] = "Read the lesson, then mark it read."
        base["questions_later"] = bool(state.get("questions_later"))
    elif state["action"] == "teach_back":
        base["prompt"] = (
            f"Explain \u201c{concept['name']}\u201d in your own words, as if teaching a friend "
            "who has not met it yet."
        )
    else:
        base["exercise"] = public_exercise(state["exercise"])
    return base


def _progress(state: TutorState) -> dict:
    """Concepts mastered, lessons read (concepts with no exercise) and the total to finish."""
    p_known = state.get("mastery", {})
    threshold = state.get("threshold", DEFAULT_THRESHOLD)
    read = [c for c in state.get("lessons_read", []) if c not in p_known]
    return {
        "mastered": sum(1 for p in p_known.values() if p >= threshold),
        "read": len(read),
        "total": max(state.get("concepts_total", 0), len(p_known) + len(read)),
        "answered": state.get("answered", 0),
    }


def compact_history(history: list[list], keep: int = HISTORY_KEEP) -> list[list]:
    """``history`` bounded: the last ``keep`` steps as they were, older ones folded into a few
    summary steps that keep what the pacing policy still reads of old steps -- per concept, the
    right answers to reviews since its last miss (the final check counts them), and per concept
    whose unit was tested out, one test-out step (one test-out per unit), per lesson marked read
    one read step. Folding happens once
    ``keep + HISTORY_SLACK`` steps have piled up, so the length stays under
    ``keep + HISTORY_SLACK + 2 * concepts``.

    >>> old = [["review", "c/a", "e1", True], ["learn", "c/b", "e2", False]] * 100
    >>> short = compact_history(old + [["learn", "c/b", "e3", True]], keep=10)
    >>> len(short), short[0]
    (13, ['review', 'c/a', None, True])
    """
    if len(history) <= keep + HISTORY_SLACK:
        return history
    old, recent = history[:-keep], history[-keep:]
    rights: dict[str, int] = {}
    tested: dict[str, None] = {}
    read: dict[str, None] = {}
    for kind, concept, _exercise, correct, *_ in old:
        if kind == "read":
            read[concept] = None
        if kind == "review" and correct:
            rights[concept] = rights.get(concept, 0) + 1
        elif correct is False:
            rights.pop(concept, None)
        if kind == "test_out":
            tested[concept] = None
    summary = [["test_out", c, None, None] for c in tested]
    summary += [["read", c, None, None] for c in read]
    for concept, n in rights.items():
        summary.extend(["review", concept, None, True] for _ in range(min(n, 3)))
    return summary + recent
