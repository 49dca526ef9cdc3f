"""The tutor: one LangGraph session per learner and curriculum, checkpointed so it survives a
closed tab or a server restart.

The graph reads top to bottom::

    pick ──► explain ──► ask ──► wait (interrupt) ──► grade ──► record ──► update ──► pace ─┐
     ▲  └──► rest (interrupt: all mastered; resuming re-checks)                             │
     └──────────────────────────────────────────────────────────────────────────────────────┘

* ``pick``    the pacing decision (``session_model.next_step``), or a teach-back when every
              concept of a unit has just been mastered;
* ``explain`` the grounded lesson from the store; only its key sentence when the learner is
              doing well; another cited passage (a different angle) after a miss;
* ``ask``     chooses a stored exercise and snapshots it, answer key included, into the state:
              the exercise the learner sees is exactly the one that gets graded;
* ``wait``    ``interrupt(payload)``; the payload is everything a UI shows, never the key;
* ``grade``   against the snapshot's key (``teachback.tutor.grading``);
* ``record``  appends the attempt with ``event_id = "<session>:<step>"``, so a node that re-runs
              on resume cannot count an answer twice; ``grade`` finds an answer already stored
              under that id and goes on from it, so the log is the truth the checkpoint and the
              feedback follow (a crash between recording and checkpointing, a second process);
* ``update``  mastery per concept from the attempt log; ``pace`` keeps the streak/miss counters.

A concept with no exercise is taught by its lesson (the policy's ``read`` step): ``wait`` shows the
lesson as a ``"lesson"`` payload, the learner marks it read ("Got it"), and ``record`` logs that
as a lesson read (``curricula.lesson_reads``), which counts toward finishing.

Every node before an ``interrupt()`` is a pure function of the state and the store, so re-running
it on resume gives the same payload. ``TutorSessions`` is the small facade the web UI, the
terminal and the benchmark call.

Not handled here: which concept/exercise is best (pacing), what mastery is (learner model) and
how answers are scored (grading) -- see ``session_model``.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt

from teachback.curricula import catalogue, repository
from teachback.curricula.accounts import ensure_learner
from teachback.curricula.db import Database, now, store_file
from teachback.engine.protocol import ExerciseDraft, Span
from teachback.tutor import session_model as model
from teachback.tutor.grading.code import offerable
from teachback.tutor.session_lesson import brief_lesson, lesson_for, public_exercise

# ----------------------------------------------------------------------------------- state


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
    lesson: dict | None  # {"text", "citations", "brief", "angle"}
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

# ----------------------------------------------------------------------------------- factory


def tutor_nodes(
    db: Database, engine=None, on_shown: Callable | None = None
) -> dict[str, Callable[[TutorState], dict]]:
    """The graph's nodes over the store ``db``, by name (tests call them one by one).

    ``engine`` is accepted for the model layer (an LLM engine may phrase explanations); the
    offline path needs none. ``on_shown(exercise, teach_back_concept)`` is called when an
    exercise (or a teach-back) is about to be shown: ``TutorSessions`` uses it to prepare the
    grader in the background, so grading the answer only has to encode the answer.
    """

    def pick(state: TutorState) -> dict:
        cur = model.load_curriculum(db, state["curriculum_id"])
        learner = model.learner_state(db, state["learner_id"], cur)
        p_known = model.mastery_from(learner, cur)
        klass = classroom(db, state["learner_id"], state["curriculum_id"])
        if klass is not None and klass.hold:
            return {
                **_finish_counts(cur, learner),
                "action": "hold",
                "reason": klass.hold,
                "concept_id": None,
                "unit_id": None,
                "suggested_exercise": None,
                "mastery": p_known,
                "threshold": cur.threshold,
            }
        unit = _unit_ready_for_teach_back(cur, p_known, state)
        if unit is not None:
            concept = _teach_back_concept(cur, unit)
            title = cur.units[unit]["title"]
            return {
                **_finish_counts(cur, learner),
                "action": "teach_back",
                "reason": f"you have mastered every concept of \u201c{title}\u201d",
                "concept_id": concept,
                "unit_id": unit,
                "suggested_exercise": None,
                "mastery": p_known,
                "threshold": cur.threshold,
            }
        history = list(state.get("history", []))
        cap = (klass.cap if klass is not None and klass.cap else None) or cur.cap
        if klass is not None and klass.push and klass.push in cur.assessable:
            step = model.Step("review", klass.push, klass.push_reason)
        else:
            step = model.next_step(cur, learner, history, cap=cap)
        reexplained = False
        for _ in range(2):  # a re-explanation is shown together with the next exercise
            if step.action != "reexplain":
                break
            reexplained = True
            history.append(["reexplain", step.concept_id, None, None])
            step = model.next_step(cur, learner, history, cap=cap)
        concept = cur.by_id.get(step.concept_id) if step.concept_id else None
        if concept is None or (concept["id"] not in cur.assessable and step.action != "read"):
            step = model.Step("done", None, step.reason)
        return {
            **_finish_counts(cur, learner),
            "action": "reexplain" if reexplained and step.action != "done" else step.action,
            "reason": step.reason,
            "concept_id": step.concept_id if concept else None,
            "unit_id": concept["unit_id"] if concept else None,
            "suggested_exercise": step.exercise_id,
            "mastery": p_known,
            "threshold": cur.threshold,
            "step_kind": step.action,
            "history": compact_history(history),
        }

    def explain(state: TutorState) -> dict:
        cur = model.load_curriculum(db, state["curriculum_id"])
        cid = state["concept_id"]
        last = state.get("feedback") or {}
        missed = last.get("concept_id") == cid and last.get("verdict") != "correct"
        angle = "evidence" if state["action"] == "reexplain" or missed else "lesson"
        lesson = lesson_for(cur, cid, angle=angle, attempt=state.get("misses", 0))
        doing_well = state.get("streak", 0) >= 2 or state.get("mastery", {}).get(cid, 0) >= 0.6
        whole = state["action"] in ("teach_back", "read")  # the lesson is the whole step
        if doing_well and angle == "lesson" and not whole:
            lesson = brief_lesson(cur, cid, lesson)
        return {"lesson": lesson}

    def ask(state: TutorState) -> dict:
        step = state.get("step", 0) + 1
        cur = model.load_curriculum(db, state["curriculum_id"])
        if state["action"] == "read":
            return {"step": step, "exercise": None, "response": None}
        if state["action"] == "teach_back":
            if on_shown is not None:
                on_shown(None, cur.by_id[state["concept_id"]])
            return {"step": step, "exercise": None, "response": None}
        exercise = _choose_exercise(db, cur, state)
        if on_shown is not None:
            on_shown(exercise, None)
        return {"step": step, "exercise": exercise, "response": None}

    def wait(state: TutorState) -> dict:
        response = interrupt(payload_of(state))
        if not isinstance(response, dict):
            response = {"answer": response}
        return {"response": response}

    def grade(state: TutorState) -> dict:
        response = state.get("response") or {}
        if state["action"] == "read":  # nothing to grade: the learner marked the lesson read
            return {"grade": {"verdict": "read", "score": 1.0, "feedback": ""}}
        stored = None if state["action"] == "teach_back" else model.recorded(db, event_id(state))
        if stored is not None:
            # This step's answer is already in the log: a process died after recording it, or
            # another process served it. The log wins over the answer this run holds.
            response = {k: stored[k] for k in ("answer", "time_taken", "hints")}
            result = model.grade_answer(state["exercise"], response["answer"]).model_dump()
            return {"grade": model.follow_record(result, stored), "response": response}
        answer = response.get("answer")
        if state["action"] == "teach_back":
            cur = model.load_curriculum(db, state["curriculum_id"])
            concept = cur.by_id[state["concept_id"]]
            citations = (state.get("lesson") or {}).get("citations") or []
            result = model.grade_teach_back(str(answer or ""), concept, citations)
        else:
            result = model.grade_answer(state["exercise"], answer)
        return {"grade": result.model_dump()}

    def record(state: TutorState) -> dict:
        if state["action"] == "teach_back":
            return {}  # a teach-back is not an exercise attempt: it stays in the session
        if state["action"] == "read":
            model.record_read(db, _read_event(state))
            return {}
        ex, result, response = state["exercise"], state["grade"], state.get("response") or {}
        mine = model.record(
            db,
            {
                "event_id": event_id(state),
                "learner_id": state["learner_id"],
                "curriculum_id": state["curriculum_id"],
                "exercise_id": ex["id"],
                "concept_id": ex["concept_id"],
                "correct": result["verdict"] == "correct",
                "score": float(result["score"]),
                "answer": model.answer_text(response.get("answer")),
                "time_taken": float(response.get("time_taken") or 0.0),
                "hints": int(response.get("hints") or 0),
                "at": now(),
                "session_id": state["session_id"],
            },
        )
        if mine:
            return {}
        # Someone stored this step's answer after ``grade`` looked (another process without
        # the step lock): the log is the truth, so the feedback is about the stored answer.
        stored = model.recorded(db, event_id(state))
        response = {k: stored[k] for k in ("answer", "time_taken", "hints")}
        regraded = model.grade_answer(ex, response["answer"]).model_dump()
        return {"grade": model.follow_record(regraded, stored), "response": response}

    def update(state: TutorState) -> dict:
        # The answer just recorded moves P(known) of its concept by one BKT step; ``pick`` replays
        # the whole log again before deciding, so this is only what the learner sees meanwhile.
        if state["action"] == "teach_back" or not state.get("exercise"):
            return {}
        cid = state["exercise"]["concept_id"]
        p_known = dict(state.get("mastery", {}))
        p_known[cid] = model.mastery_after(p_known.get(cid), state["grade"]["verdict"] == "correct")
        return {"mastery": p_known}

    def pace(state: TutorState) -> dict:
        if state["action"] == "read":
            history = [*state.get("history", []), ["read", state["concept_id"], None, None]]
            read = [*state.get("lessons_read", []), state["concept_id"]]
            return {
                "feedback": None,
                "misses": 0,
                "history": compact_history(history),
                "lessons_read": sorted(set(read)),
            }
        result = state["grade"]
        right = result["verdict"] == "correct"
        same = (state.get("feedback") or {}).get("concept_id") == state["concept_id"]
        misses = 0 if right else (state.get("misses", 0) if same else 0) + 1
        feedback = _feedback(state)
        history = list(state.get("history", []))
        if state["action"] != "teach_back":  # the policy's own steps, with their outcomes
            kind = state.get("step_kind") or state["action"]
            history.append([kind, state["concept_id"], state["exercise"]["id"], right])
        out = {
            "answered": state.get("answered", 0) + (state["action"] != "teach_back"),
            "misses": misses,
            "streak": state.get("streak", 0) + 1 if right else 0,
            "feedback": feedback,
            "history": compact_history(history),
        }
        if state["action"] == "teach_back":
            out["taught_back"] = [*state.get("taught_back", []), state["unit_id"]]
            out["misses"] = 0
        return out

    def rest(state: TutorState) -> dict:
        # Nothing to learn right now (all mastered, or capped). Wait for the learner to come
        # back; resuming asks the policy again (a review may be due, the cap may be lifted).
        interrupt(payload_of(state))
        # A paused class keeps the feedback to the answer given just before the pause: the
        # learner's page asks again on every visit, and the pause must not hide it.
        return {"feedback": state.get("feedback") if state["action"] == "hold" else None}

    return {f.__name__: f for f in (pick, explain, ask, wait, grade, record, update, pace, rest)}


def after_pick(state: TutorState) -> Literal["explain", "rest"]:
    """Router: teach while there is something to learn, else rest until the learner returns
    (everything mastered for now, or the class is paused)."""
    return "rest" if state["action"] in ("done", "hold") else "explain"


def build_tutor_graph(
    db: Database, checkpointer=None, engine=None, *, name: str = "tutor", on_shown=None
):
    """Compile the tutor graph over the store ``db``; ``checkpointer`` keeps the sessions
    (``interrupt()`` needs one; the thread id is ``thread_id(learner, curriculum)``)."""
    graph = StateGraph(TutorState, input_schema=TutorInput)
    for node_name, node in tutor_nodes(db, engine, on_shown).items():
        graph.add_node(node_name, node)
    graph.add_edge(START, "pick")
    graph.add_conditional_edges("pick", after_pick)
    graph.add_edge("explain", "ask")
    graph.add_edge("ask", "wait")
    graph.add_edge("wait", "grade")
    graph.add_edge("grade", "record")
    graph.add_edge("record", "update")
    graph.add_edge("update", "pace")
    graph.add_edge("pace", "pick")
    graph.add_edge("rest", "pick")
    return graph.compile(checkpointer=checkpointer, name=name)


# ----------------------------------------------------------------------------------- helpers


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
    concept["name"] = (state.get("lesson") or {}).get("concept_name", state["concept_id"])
    kinds = {"teach_back": "teach_back", "read": "lesson"}
    base = {
        "type": kinds.get(state["action"], "exercise"),
        "step": state["step"],
        "action": state["action"],
        "reason": state.get("reason", ""),
        "concept": concept,
        "lesson": state.get("lesson"),
        "feedback": state.get("feedback"),
        "progress": progress,
    }
    if state["action"] == "read":
        base["prompt"] = "Read the lesson, then mark it read."
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
    threshold = state.get("threshold", model.DEFAULT_THRESHOLD)
    read = [c for c in state.get("lessons_read", []) if c not in p_known]
    return {
        "mastered": sum(1 for p in p_known.values() if p >= threshold),
        "read": len(read),
        "total": max(state.get("concepts_total", 0), len(p_known) + len(read)),
        "answered": state.get("answered", 0),
    }


def _finish_counts(cur, learner) -> dict:
    """What finishing means for the progress shown: every concept, and which lessons of
    concepts without exercises the log says were read."""
    readable = [c["id"] for c in cur.concepts if c["id"] not in cur.assessable]
    read = sorted(c for c in readable if c in learner.concepts and learner.concepts[c].read)
    return {"lessons_read": read, "concepts_total": len(cur.concepts)}


def _read_event(state: TutorState) -> dict:
    """The lesson-read row that marks the pending lesson read (idempotent on its event id)."""
    response = state.get("response") or {}
    return {
        "event_id": event_id(state),
        "learner_id": state["learner_id"],
        "curriculum_id": state["curriculum_id"],
        "concept_id": state["concept_id"],
        "time_taken": float(response.get("time_taken") or 0.0),
        "at": now(),
        "session_id": state["session_id"],
    }


def _feedback(state: TutorState) -> dict:
    ex, result = state.get("exercise"), state["grade"]
    response = state.get("response") or {}
    feedback = {
        "step": state["step"],
        "concept_id": state["concept_id"],
        "kind": ex["kind"] if ex else "teach_back",
        "prompt": ex["prompt"] if ex else "",
        "your_answer": model.answer_text(response.get("answer")),
        "verdict": result["verdict"],
        "score": round(float(result["score"]), 3),
        "feedback": result["feedback"],
        "missing": result.get("missing", []),
        "citations": result.get("citations") or (ex.get("citations") if ex else []) or [],
    }
    if ex:
        feedback["correct_answer"] = model.answer_text(ex["answer"])
        feedback["explanation"] = ex.get("explanation") or ""
        if not feedback["citations"]:
            feedback["citations"] = ex.get("citations") or []
    return feedback


def _unit_ready_for_teach_back(cur, p_known, state) -> int | None:
    """A unit whose concepts are all mastered and whose teach-back is still to do."""
    done = set(state.get("taught_back", []))
    last = state.get("feedback") or {}
    if state.get("action") == "teach_back" or last.get("kind") == "teach_back":
        return None  # never two teach-backs in a row
    concept = cur.by_id.get(state.get("concept_id") or "")
    if concept is None or concept["unit_id"] in done or concept["unit_id"] not in cur.units:
        return None
    members = [c for c in cur.unit_concepts(concept["unit_id"]) if c in cur.assessable]
    if members and all(p_known.get(c, 0) >= cur.threshold for c in members):
        return concept["unit_id"]
    return None


def _teach_back_concept(cur, unit_id) -> str:
    members = [cur.by_id[c] for c in cur.unit_concepts(unit_id) if c in cur.assessable]
    return max(members, key=lambda c: (c["importance"] or 0, -(c["position"] or 0)))["id"]


def _choose_exercise(db: Database, cur, state: TutorState) -> dict:
    """The policy's exercise if it named one, else the least-practised one near the target."""
    exercises = offerable(cur.exercises_of(state["concept_id"]))
    if not exercises:
        raise model_error(state["concept_id"])
    wanted = state.get("suggested_exercise")
    for ex in exercises:
        if ex["id"] == wanted:
            return ex
    from teachback.curricula import attempt_log

    seen = attempt_log.counts_by_exercise(db, state["learner_id"], state["concept_id"])
    last_id = (state.get("exercise") or {}).get("id")
    # Target a harder exercise as P(known) grows: difficulty ~ mastery, never the one just asked.
    p = state.get("mastery", {}).get(state["concept_id"], 0.3)
    return min(
        exercises,
        key=lambda ex: (ex["id"] == last_id, seen.get(ex["id"], 0), abs(ex["difficulty"] - p)),
    )


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


def classroom(db: Database, learner_id: str, curriculum_id: str):
    """The learner's classroom constraints (``teachback.tutor.classroom.controls``), or None
    when learning alone or when the classroom part is not installed."""
    try:
        from teachback.tutor.classroom.controls import classroom_constraints
    except ModuleNotFoundError:
        return None
    return classroom_constraints(db, learner_id, curriculum_id)


def model_error(concept_id: str):
    from teachback.errors import NotFound

    return NotFound(f"concept {concept_id!r} has no exercises a learner can be asked")


# ----------------------------------------------------------------------------------- facade


def sessions_path(db_path: str | Path) -> Path:
    """Where sessions are checkpointed: a file beside the store, ``<db>.sessions.sqlite``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".sessions.sqlite")


def sqlite_checkpointer(path: str | Path):
    """A ``SqliteSaver`` on ``path`` usable from several threads (Streamlit sessions)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


def learner_id_for(name: str) -> str:
    """A stable learner id from a display name: ``"Ada Lovelace" -> "learner-ada-lovelace"``."""
    from teachback.curricula.repository import slugify

    return "learner-" + slugify(name.strip())


# How long a step waits for another process serving the same learner before giving up.
STEP_WAIT = 120.0


def thread_id(learner_id: str, curriculum_id: str) -> str:
    return f"{learner_id}::{curriculum_id}"


class TutorSessions:
    """Start, resume and answer tutor sessions: the whole API the UI and terminal use.

    >>> from teachback.curricula.db import open_db
    >>> from teachback.tests.session_fixture import build_fixture_curriculum
    >>> from langgraph.checkpoint.memory import InMemorySaver
    >>> db = open_db(None); build_fixture_curriculum(db, publish=True)
    'water'
    >>> tutor = TutorSessions(db, InMemorySaver())
    >>> tutor.current("ada", "water")["type"]
    'exercise'
    """

    def __init__(
        self,
        db: Database,
        checkpointer,
        engine=None,
        *,
        warm_up: bool = False,
        prepare: bool = True,
        durability: str = "exit",
    ):
        self.db = db
        # One background worker prepares the grader for the exercise just shown (see
        # ``model.prepare_grading``) while the learner reads and answers it.
        self._prep = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="tutor-prepare")
            if prepare
            else None
        )
        self._prepared: Future | None = None
        self.graph = build_tutor_graph(
            db, checkpointer, engine, on_shown=self._on_shown if prepare else None
        )
        if warm_up:  # load the grader's models in the background, off the first answer's path
            threading.Thread(target=model.warm_up, name="tutor-warm-up", daemon=True).start()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        # Several processes may serve one learner (the terminal and the browser, more servers
        # on one store): a step runs under a lock file per session, beside the store.
        store = store_file(db)
        self._lock_dir = Path(f"{store}.session-locks") if store else None
        # One step at a time in this process: the store is ONE sqlite3 connection shared by
        # every Streamlit session thread, and a connection must not interleave transactions.
        self._store_lock = threading.RLock()
        self.durability = durability

    def _on_shown(self, exercise: dict | None, concept: dict | None) -> None:
        if exercise is not None and exercise["kind"] not in model.FREE_TEXT_KINDS:
            return
        self._prepared = self._prep.submit(model.prepare_grading, exercise, concept)

    def wait_prepared(self, timeout: float | None = None) -> None:
        """Block until the grader is prepared for the last exercise shown (benchmarks and
        tests; a learner reading the question gives it that time anyway)."""
        if self._prepared is not None:
            wait([self._prepared], timeout=timeout)

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _step(self, key: str):
        """Hold one session for one step: against this process's other threads, then other
        processes on the same store (a lock file the OS releases if the process dies), then
        the store connection."""
        stack = contextlib.ExitStack()
        stack.enter_context(self._lock(key))
        if self._lock_dir is not None:
            from filelock import FileLock, Timeout

            from teachback.errors import TeachbackError

            self._lock_dir.mkdir(exist_ok=True)
            name = hashlib.sha1(key.encode()).hexdigest()[:24]
            try:
                stack.enter_context(FileLock(self._lock_dir / f"{name}.lock", timeout=STEP_WAIT))
            except Timeout:
                stack.close()
                raise TeachbackError(
                    "another window is still answering for this learner; try again in a moment"
                ) from None
        stack.enter_context(self._store_lock)
        return stack

    def _settle(self, learner_id: str, curriculum_id: str) -> dict | None:
        """The pending payload, after going on from an answer the log already holds for it
        (recorded by a process that died before checkpointing): a recorded step is never
        asked again, and its feedback is about the stored answer."""
        snapshot = self.graph.get_state(self._config(learner_id, curriculum_id))
        payload = _pending_of(snapshot)
        if payload is None or payload.get("type") != "exercise":
            return payload
        stored = model.recorded(self.db, event_id(snapshot.values))
        if stored is None:
            return payload
        response = {k: stored[k] for k in ("answer", "time_taken", "hints")}
        return _interrupt_of(
            self._run(Command(resume=response), self._config(learner_id, curriculum_id))
        )

    def _run(self, value, config: dict) -> dict:
        """One step of the graph, checkpointed when it stops (at the next ``interrupt()``, or
        at an error, so a failed step resumes from the node that failed). Writing a checkpoint
        after each of the step's nine nodes instead costs more than the nodes themselves; what
        a crash of the whole process mid-step loses is the answer being processed: before it
        was recorded the learner sees the same question again; after, ``_settle`` goes on from
        the recorded answer."""
        return self.graph.invoke(value, config, durability=self.durability)

    def _config(self, learner_id: str, curriculum_id: str) -> dict:
        return {"configurable": {"thread_id": thread_id(learner_id, curriculum_id)}}

    def pending(self, learner_id: str, curriculum_id: str) -> dict | None:
        """The payload the session is waiting on, or None if it was never started."""
        return _pending_of(self.graph.get_state(self._config(learner_id, curriculum_id)))

    def current(self, learner_id: str, curriculum_id: str, learner_name: str = "") -> dict:
        """What the learner should see now: resumes a session, or starts one."""
        key = thread_id(learner_id, curriculum_id)
        with self._step(key):
            payload = self._settle(learner_id, curriculum_id)
            config = self._config(learner_id, curriculum_id)
            if payload is not None and payload.get("type") == "done":
                # Resting (all mastered for now, or a paused class): ask the policy again on
                # every visit -- a review may have come due, the class may have resumed.
                return _interrupt_of(self._run(Command(resume={"visit": True}), config))
            if payload is not None:
                return payload
            if self.graph.get_state(config).next:
                # A step that stopped on an error (the answer is in the checkpoint): go on from
                # the node that failed rather than losing the answer or starting over.
                return _interrupt_of(self._run(None, config))
            # NotFound before starting anything (unknown, or not published yet)
            model.load_curriculum(self.db, curriculum_id, published_only=True)
            ensure_learner(self.db, learner_id, learner_name or learner_id)
            start: TutorInput = {
                "learner_id": learner_id,
                "curriculum_id": curriculum_id,
                "session_id": uuid.uuid4().hex[:12],
            }
            return _interrupt_of(self._run(start, config))

    def answer(
        self,
        learner_id: str,
        curriculum_id: str,
        answer: Any,
        *,
        step: int | None = None,
        time_taken: float = 0.0,
        hints: int = 0,
    ) -> dict:
        """Submit an answer to the pending step; returns what to show next.

        ``step`` is the step the learner answered; an answer for a step that is no longer
        pending (a double click, a second tab) is ignored and the current payload returned.
        """
        key = thread_id(learner_id, curriculum_id)
        with self._step(key):
            payload = self._settle(learner_id, curriculum_id)
            if payload is None:
                raise_not_started(learner_id, curriculum_id)
            if step is not None and payload.get("step") != step:
                return payload
            response = {"answer": answer, "time_taken": time_taken, "hints": hints}
            return _interrupt_of(
                self._run(Command(resume=response), self._config(learner_id, curriculum_id))
            )

    def state(self, learner_id: str, curriculum_id: str) -> dict:
        return dict(self.graph.get_state(self._config(learner_id, curriculum_id)).values)

    def help_for(self, learner_id: str, curriculum_id: str, step: int) -> StepHelp | None:
        """What a hint or a second explanation of the pending ``step`` is made from: its
        exercise with the key (never shown; the hint is checked against it), the concept's
        name and the lesson's cited passages. None when ``step`` is no longer pending."""
        with self._lock(thread_id(learner_id, curriculum_id)), self._store_lock:
            payload = self.pending(learner_id, curriculum_id)
            if payload is None or payload.get("step") != step or payload.get("type") == "done":
                return None
            values = self.state(learner_id, curriculum_id)
        lesson = values.get("lesson") or {}
        exercise = values.get("exercise") if payload.get("type") == "exercise" else None
        concept_id = payload["concept"].get("id") or values.get("concept_id")
        with self._store_lock:
            cur = model.load_curriculum(self.db, curriculum_id, published_only=True)
            context = _hint_context(self.db, cur, concept_id, exercise, lesson, payload)
        passages = model.spans_of(lesson.get("citations"))
        return StepHelp(
            concept=lesson.get("concept_name") or payload["concept"]["name"],
            passages=passages,
            exercise=repository.exercise_draft(exercise) if exercise else None,
            other_passages=_other_passages(cur, concept_id, passages),
            context=context,
            builds_on=_names(cur, cur.prerequisites.get(concept_id, [])),
            leads_to=_names(
                cur, [c for c, pres in cur.prerequisites.items() if concept_id in pres]
            ),
        )


@dataclass(frozen=True)
class StepHelp:
    """What help for a pending step is made from. ``passages``: the lesson's cited passages;
    ``other_passages``: the concept's other evidence (an explanation that is not the lesson
    again); ``context``: the hint ladder's (``tutor.hint_ladder``)."""

    concept: str
    passages: list[Span]
    exercise: ExerciseDraft | None
    other_passages: list[Span] = field(default_factory=list)
    context: Any = None
    builds_on: list[str] = field(default_factory=list)
    leads_to: list[str] = field(default_factory=list)


def _names(cur, ids) -> list[str]:
    return [cur.by_id[i]["name"] for i in ids if i in cur.by_id]


def _other_passages(cur, concept_id, lesson_spans: list[Span]) -> list[Span]:
    """The concept's evidence passages that the lesson does not cite, mentions first."""
    shown = {" ".join(p.quote.split()) for p in lesson_spans}
    out = []
    for r in cur.evidence.get(concept_id) or []:
        quote = r.get("passage") or r["quote"]
        if " ".join(r["quote"].split()) in shown or " ".join(quote.split()) in shown:
            continue
        out.append(Span(source=r["source_id"], start=r["start"], end=r["end"], quote=quote))
    return out


def _hint_context(db, cur, concept_id, exercise, lesson, payload):
    """The hint ladder's context: the cited source's title, the section and the sentence
    before the passage, and the concept's other exercises (worked examples)."""
    from teachback.tutor.hint_ladder import HintContext, around

    name = lesson.get("concept_name") or payload["concept"]["name"]
    if exercise is None:
        return HintContext(concept=name)
    title = heading = before = ""
    citations = model.spans_of(exercise.get("citations"))
    if citations:
        row = catalogue.source_text(db, citations[0].source)
        if row is not None:
            title = row["title"] or (row["path"] or "").rsplit("/", 1)[-1]
            heading, before = around(row["text"] or "", citations[0].start)
    examples = tuple(
        repository.exercise_draft(r)
        for r in cur.exercises_of(concept_id)
        if r.get("id") != exercise.get("id")
    )
    return HintContext(name, title, heading, before, examples)


def _pending_of(snapshot) -> dict | None:
    """The payload a state snapshot is waiting on, or None."""
    for task in snapshot.tasks:
        for intr in task.interrupts:
            return intr.value
    return None


def _interrupt_of(result: dict) -> dict:
    interrupts = result.get("__interrupt__") or []
    if not interrupts:  # the graph never ends on its own; this would be a bug
        raise RuntimeError("the tutor session stopped without waiting for the learner")
    return interrupts[0].value


def raise_not_started(learner_id: str, curriculum_id: str):
    from teachback.errors import NotFound

    raise NotFound(f"no tutor session for {learner_id!r} on {curriculum_id!r}; start one first")
