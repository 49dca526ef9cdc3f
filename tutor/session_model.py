"""The tutor's doorway to the store, the learner model, the pacing policy and the grader.

The tutor graph (``session.py``) never decides mastery, pace or grades itself: it calls the
functions here, which call the modules that own those jobs:

* ``teachback.curricula.repository`` (exercises as stored);
* ``teachback.tutor.grading`` (``grade``, ``grade_teach_back``);
* ``teachback.tutor.attempts`` (``record_attempt``, idempotent on ``event_id``);
* ``teachback.tutor.mastery`` (BKT replay of the attempt log, implied mastery),
  ``teachback.tutor.reviews`` (FSRS due reviews) and ``teachback.tutor.pacing`` (``next_step``).

Curriculum settings read here (JSON in ``curricula.settings``): ``mastery_threshold`` (default
0.95) and ``cap`` (a concept id nobody passes).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from teachback.curricula import repository
from teachback.engine.protocol import Grade, GradeRequest, Span

DEFAULT_THRESHOLD = 0.95


# ---------------------------------------------------------------- the curriculum, read once a step


@dataclass
class Curriculum:
    """What the tutor needs of a curriculum, in teaching order (read from the store)."""

    id: str
    concepts: list[dict]  # rows, ordered by unit position then concept position
    prerequisites: dict[str, list[str]]  # concept id -> prerequisite concept ids (active edges)
    units: dict[int, dict]  # unit id -> row
    threshold: float = DEFAULT_THRESHOLD
    cap: str | None = None  # instructor cap: nobody past this concept
    # Concepts with at least one exercise a learner can be asked: only these can be practised
    # and mastered; the others are neither offered nor block what depends on them.
    assessable: set[str] = field(default_factory=set)
    exercises: list[dict] = field(default_factory=list)  # id, concept_id, difficulty (0..1)
    _graph: Any = None
    _pool: Any = None
    fingerprint: tuple = ()
    by_id: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c["id"]: c for c in self.concepts}

    def unit_concepts(self, unit_id) -> list[str]:
        return [c["id"] for c in self.concepts if c["unit_id"] == unit_id]


_FINGERPRINT = """
select (select settings from curricula where id = :c),
       (select count(*) || ':' || coalesce(sum(rev), 0) || ':' || coalesce(max(updated_at), '')
               || ':' || coalesce(sum(unit_id), 0) || ':' || coalesce(sum(position), 0)
          from concepts where curriculum_id = :c),
       (select count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(status = 'active'), 0)
               || ':' || coalesce(sum(kind = 'prerequisite'), 0)
          from edges where curriculum_id = :c),
       (select count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(position), 0)
          from units where curriculum_id = :c),
       (select count(*) || ':' || coalesce(sum(rev), 0) || ':' || coalesce(sum(difficulty), 0)
               || ':' || coalesce(sum(status in ('kept', 'approved')), 0)
          from exercises where curriculum_id = :c)
"""
# Per open database (weak keys: a closed and collected store takes its cache with it).
_CURRICULA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def load_curriculum(db: Database, curriculum: str) -> Curriculum:
    """The concepts, prerequisite edges, units and exercise pool of ``curriculum`` (NotFound if
    missing). Read once and kept while a one-query fingerprint of those tables is unchanged
    (an instructor's edit, a publish or a re-ingest changes it)."""
    fingerprint = tuple(db.execute(_FINGERPRINT, {"c": curriculum}).fetchone())
    with _CACHE_LOCK:
        hit = _CURRICULA.get(db, {}).get(curriculum)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    cur = _read_curriculum(db, curriculum)
    cur.fingerprint = fingerprint
    with _CACHE_LOCK:
        _CURRICULA.setdefault(db, {})[curriculum] = (fingerprint, cur)
    return cur


def _read_curriculum(db: Database, curriculum: str) -> Curriculum:
    from teachback.errors import NotFound

    row = db.execute("select settings from curricula where id = ?", [curriculum]).fetchone()
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    settings = json.loads(row[0] or "{}") if row[0] else {}
    concepts = [
        dict(r)
        for r in db.query(
            """select c.id, c.name, c.slug, c.definition, c.importance, c.unit_id, c.position,
                      coalesce(u.position, 0) as unit_position
               from concepts c left join units u on u.id = c.unit_id
               where c.curriculum_id = ? order by unit_position, c.position, c.id""",
            [curriculum],
        )
    ]
    prerequisites: dict[str, list[str]] = {c["id"]: [] for c in concepts}
    for e in db.query(
        """select prerequisite, concept from edges where curriculum_id = ?
           and kind = 'prerequisite' and coalesce(status, 'active') = 'active'""",
        [curriculum],
    ):
        if e["concept"] in prerequisites:
            prerequisites[e["concept"]].append(e["prerequisite"])
    units = {
        u["id"]: dict(u)
        for u in db.query("select * from units where curriculum_id = ?", [curriculum])
    }
    pool = [
        {"id": r[0], "concept_id": r[1], "difficulty": r[2]}
        for r in db.execute(
            """select id, concept_id, difficulty from exercises where curriculum_id = ?
               and status in ('kept', 'approved') order by concept_id, difficulty, id""",
            [curriculum],
        ).fetchall()
    ]
    assessable = {e["concept_id"] for e in pool}
    return Curriculum(
        id=curriculum,
        assessable=assessable,
        exercises=pool,
        concepts=concepts,
        prerequisites=prerequisites,
        units=units,
        threshold=float(settings.get("mastery_threshold", DEFAULT_THRESHOLD)),
        cap=settings.get("cap"),
    )


def exercises_for(db: Database, curriculum: str, concept_id: str) -> list[dict]:
    """The learner-facing exercises of a concept (kept or approved), easiest first."""
    rows = repository.get_exercises(db, curriculum, concept_id)
    return sorted(rows, key=lambda r: (r.get("difficulty") or 0.5, r["id"]))


def attempts_of(db: Database, learner: str, curriculum: str) -> list[dict]:
    return [
        dict(r)
        for r in db.query(
            """select * from attempts where learner_id = ? and curriculum_id = ?
               order by at, id""",
            [learner, curriculum],
        )
    ]


# ---------------------------------------------------------------- grading


def grade_answer(exercise: dict, answer: Any) -> Grade:
    """Grade ``answer`` against the stored key of ``exercise`` (a decoded exercises row)."""
    from teachback.tutor.grading import grade

    citations = [Span(**{k: c[k] for k in _SPAN}) for c in exercise.get("citations") or []
                 if isinstance(c, dict) and set(_SPAN) <= set(c)]  # fmt: skip
    request = GradeRequest(
        question=exercise["prompt"],
        reference=answer_text(exercise["answer"]),
        answer=answer_text(answer),
        kind=exercise["kind"],
        rubric=list((exercise.get("data") or {}).get("rubric") or []),
        citations=citations,
        exercise=repository.exercise_draft(exercise),
    )
    return grade(request)


def grade_teach_back(explanation: str, concept: dict, citations: list[dict]) -> Grade:
    """Score a learner's explanation of ``concept`` (a concepts row) by the key points of its
    definition that it covers."""
    from teachback.tutor.grading import grade_teach_back as score

    spans = [Span(**{k: c[k] for k in _SPAN}) for c in citations or []
             if isinstance(c, dict) and set(_SPAN) <= set(c)]  # fmt: skip
    return score(explanation, concept["definition"] or concept["name"], None, spans,
                 concept["name"])  # fmt: skip


_SPAN = ("source", "start", "end", "quote")


def warm_up() -> None:
    """Load the grader's models now (the free-text grader's embeddings take ~1 s the first
    time), so the first learner's first answer is not the one that pays for it."""
    from teachback.tutor.grading import grade

    grade(
        GradeRequest(
            question="What is a warm-up?",
            reference="A short run before the real one.",
            answer="A short practice run.",
            kind="short_answer",
            rubric=["short run"],
        )
    )


def answer_text(value: Any) -> str:
    """How an answer or key reads as text: lists one item a line, booleans as True/False."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


# ---------------------------------------------------------------- the attempt log


def record(db: Database, event: dict) -> bool:
    """Append one attempt; False when ``event_id`` was already recorded (a resumed node)."""
    from teachback.tutor.attempts import AttemptEvent, record_attempt

    return bool(record_attempt(db, AttemptEvent(**event)))


# ---------------------------------------------------------------- mastery and what comes next


def concept_graph(cur: Curriculum):
    """The learner model's ``ConceptGraph`` of ``cur`` (built once per ``Curriculum``)."""
    if cur._graph is None:
        from teachback.tutor.mastery import ConceptGraph, ConceptNode

        cur._graph = ConceptGraph(
            ConceptNode(
                c["id"],
                tuple(
                    p for p in dict.fromkeys(cur.prerequisites.get(c["id"], [])) if p in cur.by_id
                ),
                str(c["unit_id"]) if c["unit_id"] is not None else None,
                c["name"],
            )
            for c in cur.concepts
        )
    return cur._graph


_TRACKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TRACKER_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def learner_state(db: Database, learner: str, cur: Curriculum, *, cached: bool = True):
    """The learner model's state over ``learner``'s attempt log (``teachback.tutor.mastery``).

    A step only adds an attempt or two, so the tracker of each (learner, curriculum) is kept and
    fed the attempts recorded since; it is rebuilt from the whole log when the curriculum
    changed or an attempt arrives out of time order. ``cached=False`` replays from scratch.
    """
    from teachback.tutor.mastery import MasteryTracker

    key = (learner, cur.id)
    with _CACHE_LOCK:  # one lock per learner: different learners replay in parallel
        lock = _TRACKER_LOCKS.setdefault(db, {}).setdefault(key, threading.Lock())
    with lock:
        entry = _TRACKERS.get(db, {}).get(key) if cached else None
        if entry is None or entry["fingerprint"] != cur.fingerprint:
            entry = {
                "fingerprint": cur.fingerprint,
                "tracker": MasteryTracker(
                    concept_graph(cur),
                    threshold=cur.threshold,
                    difficulty={e.id: e.difficulty for e in pacing_exercises(cur)},
                ),
                "last_id": 0,
                "last_at": "",
            }
        rows = _attempt_rows(db, learner, cur.id, entry["last_id"])
        if rows and rows[0]["at"] < entry["last_at"]:  # out of order: replay everything
            entry["tracker"] = MasteryTracker(
                concept_graph(cur),
                threshold=cur.threshold,
                difficulty={e.id: e.difficulty for e in pacing_exercises(cur)},
            )
            rows = _attempt_rows(db, learner, cur.id, 0)
        for event in rows:
            entry["tracker"].apply(_event(event))
            entry["last_id"] = max(entry["last_id"], event["id"])
            entry["last_at"] = max(entry["last_at"], event["at"] or "")
        if cached:
            with _CACHE_LOCK:
                _TRACKERS.setdefault(db, {})[key] = entry
        return entry["tracker"].state


def _attempt_rows(db: Database, learner: str, curriculum: str, after_id: int) -> list[dict]:
    return [
        dict(r)
        for r in db.query(
            """select * from attempts where learner_id = ? and curriculum_id = ? and id > ?
               order by at, id""",
            [learner, curriculum, after_id],
        )
    ]


def _event(row: dict):
    from teachback.tutor.attempts import AttemptEvent

    row = {k: v for k, v in row.items() if k != "id" and v is not None}
    row["correct"] = bool(row.get("correct", 0))
    return AttemptEvent(**row)


def mastery_from(state, cur: Curriculum) -> dict[str, float]:
    """P(known) per practisable concept; a concept the model marks mastered (also by
    implication from a mastered dependent) counts at least the threshold."""
    out = {}
    for cid in cur.by_id:
        if cid in cur.assessable and cid in state.concepts:
            st = state.concepts[cid]
            out[cid] = max(st.p_known, cur.threshold) if st.mastered else st.p_known
    return out


def mastery(db: Database, learner: str, cur: Curriculum) -> dict[str, float]:
    """P(known) per practisable concept for ``learner``, replayed from the attempt log."""
    return mastery_from(learner_state(db, learner, cur), cur)


def mastery_after(p_known: float | None, correct: bool) -> float:
    """P(known) after one more answer (BKT with default rates)."""
    from teachback.tutor import bkt

    prior = bkt.DEFAULT_PARAMS.prior if p_known is None else p_known
    return bkt.step(prior, correct)


def pacing_exercises(cur: Curriculum) -> list:
    """The exercise pool as the pacing policy sees it (difficulty 0..1 -> logits -2..2)."""
    from teachback.tutor.pacing import Exercise

    if cur._pool is None:
        cur._pool = [
            Exercise(e["id"], e["concept_id"], 4.0 * ((e["difficulty"] or 0.5) - 0.5))
            for e in cur.exercises
        ]
    return cur._pool


@dataclass
class Step:
    """What the tutor does next: ``action`` on ``concept_id`` (None when nothing is left)."""

    action: str  # pacing's kinds: learn, review, placement, test_out, reexplain, ..., done
    concept_id: str | None
    reason: str = ""
    exercise_id: str | None = None


def next_step(cur: Curriculum, state, history: list[list]) -> Step:
    """The pacing policy's decision (``teachback.tutor.pacing.next_step``). ``history``: the
    session's earlier steps, ``[kind, concept_id, exercise_id, correct]``."""
    from teachback.tutor import pacing, reviews

    step = pacing.next_step(
        concept_graph(cur),
        state,
        pacing_exercises(cur),
        due=reviews.due_reviews(state),
        history=[pacing.HistoryItem(*h) for h in history],
        settings=pacing.PacingSettings(threshold=cur.threshold, cap_concept=cur.cap),
    )
    action = "done" if step.kind in ("done", "capped") else step.kind
    return Step(action, step.concept_id, _named(cur, step.reason), step.exercise_id)


_CONCEPT_ID = re.compile(r"[\w.-]+/[\w.-]+")


def _named(cur: Curriculum, text: str) -> str:
    """Concept ids in a policy's reason, written as the concepts' names."""
    return _CONCEPT_ID.sub(lambda m: cur.by_id.get(m.group(0), {}).get("name", m.group(0)), text)


def due_reviews(db: Database, learner: str, cur: Curriculum, state=None) -> list[dict]:
    """Concepts due for review, most overdue first: ``{"concept", "due", "overdue_days",
    "recall", "concept_id"}``."""
    from teachback.tutor import reviews

    state = state if state is not None else learner_state(db, learner, cur)
    return [
        {
            "concept": cur.by_id[d.concept_id]["name"],
            "due": d.due.isoformat(timespec="minutes"),
            "overdue_days": round(d.overdue_days, 1),
            "recall": round(d.retrievability, 2),
            "concept_id": d.concept_id,
        }
        for d in reviews.due_reviews(state)
        if d.concept_id in cur.by_id
    ]
