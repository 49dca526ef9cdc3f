"""The tutor: one LangGraph session per learner and curriculum, checkpointed so it survives a
closed tab or a server restart.

The graph reads top to bottom::

    pick ──► explain ──► ask ──► wait (interrupt) ──► grade ──► record ──► update ──► pace ─┐
     ▲  └──► rest (interrupt: all mastered; resuming re-checks)                             │
     └──────────────────────────────────────────────────────────────────────────────────────┘

* ``pick``    the pacing decision (``learner_model.next_step``), or a teach-back when every
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

The nodes are ``session_nodes.py``, the state and what a learner is shown of it
``session_state.py``; this module wires the graph and holds ``TutorSessions``, the small facade
the web UI, the terminal and the benchmark call.

Not handled here: which concept/exercise is best (pacing), what mastery is (learner model) and
how answers are scored (grading) -- see ``learner_model`` and ``answers``.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import Any, Literal

from langgraph.graph import START, StateGraph
from langgraph.types import Command

from teachback.curricula.accounts import ensure_learner
from teachback.curricula.db import Database, store_file
from teachback.tutor import answers, published, session_nodes
from teachback.tutor.session_help import StepHelp, step_help
from teachback.tutor.session_state import TutorInput, TutorState, event_id

# ----------------------------------------------------------------------------------- graph


def tutor_nodes(
    db: Database, engine=None, on_shown: Callable | None = None
) -> dict[str, Callable[[TutorState], dict]]:
    """The graph's nodes (``session_nodes``) bound to the store ``db``, by name (tests call
    them one by one).

    ``engine`` is accepted for the model layer (an LLM engine may phrase explanations); the
    offline path needs none. ``on_shown(exercise, teach_back_concept)`` is called when an
    exercise (or a teach-back) is about to be shown: ``TutorSessions`` uses it to prepare the
    grader in the background, so grading the answer only has to encode the answer.
    """
    n = session_nodes
    return {
        "pick": partial(n.pick, db=db),
        "explain": partial(n.explain, db=db),
        "ask": partial(n.ask, db=db, on_shown=on_shown),
        "wait": n.wait,
        "grade": partial(n.grade, db=db),
        "record": partial(n.record, db=db),
        "update": n.update,
        "pace": n.pace,
        "rest": n.rest,
    }


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
        # ``answers.prepare_grading``) while the learner reads and answers it.
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
            threading.Thread(target=answers.warm_up, name="tutor-warm-up", daemon=True).start()
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
        if exercise is not None and exercise["kind"] not in answers.FREE_TEXT_KINDS:
            return
        self._prepared = self._prep.submit(answers.prepare_grading, exercise, concept)

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
        stored = answers.recorded(self.db, event_id(snapshot.values))
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
            published.load_curriculum(self.db, curriculum_id, published_only=True)
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
        with self._store_lock:
            cur = published.load_curriculum(self.db, curriculum_id, published_only=True)
            return step_help(self.db, cur, values, payload)


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
