"""The tutor's doorway to the store, the learner model, the pacing policy and the grader.

The tutor graph (``session.py``) never decides mastery, pace or grades itself: it calls the
functions here, which call the modules that own those jobs:

* ``teachback.curricula.repository`` (exercises as stored);
* ``teachback.tutor.grading`` (``grade``, ``grade_teach_back``);
* ``teachback.tutor.attempts`` (``record_attempt``, idempotent on ``event_id``);
* ``teachback.tutor.mastery`` (BKT replay of the attempt log, implied mastery),
  ``teachback.tutor.reviews`` (FSRS due reviews) and ``teachback.tutor.pacing`` (``next_step``).

Learners see only the PUBLISHED version of a curriculum (``load_curriculum`` reads the snapshot
of ``curricula.published_version``, cached per version), never the draft tables.

Curriculum settings read here (JSON in ``curricula.settings``, live): ``mastery_threshold``
(default 0.95) and ``cap_concept`` (a concept id nobody passes; ``cap`` is read as a legacy
alias) -- ``read_settings`` is the one place that parses them.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from teachback.curricula import repository
from teachback.curricula.db import Database
from teachback.engine.protocol import Grade, GradeRequest, Span

DEFAULT_THRESHOLD = 0.95


# ---------------------------------------------------------------- the curriculum, as published


@dataclass
class Curriculum:
    """What the tutor needs of a curriculum's PUBLISHED version, in teaching order.

    Learners never see the draft tables: everything here comes from the snapshot that
    ``teachback.curricula.publish.publish`` stored (``published_view``). Only the instructor's
    settings (threshold, cap) are read live from ``curricula.settings``.
    """

    id: str
    concepts: list[dict]  # rows, ordered by unit position then concept position
    prerequisites: dict[str, list[str]]  # concept id -> prerequisite concept ids (active edges)
    units: dict[int, dict]  # unit id -> {"id", "title", "position"}
    threshold: float = DEFAULT_THRESHOLD
    cap: str | None = None  # instructor cap: nobody past this concept
    # Concepts with at least one exercise a learner can be asked: only these can be practised
    # and mastered; the others are neither offered nor block what depends on them.
    assessable: set[str] = field(default_factory=set)
    exercises: list[dict] = field(default_factory=list)  # id, concept_id, difficulty (0..1)
    version: int | None = None  # the published version this was read from
    exercise_rows: dict[str, list[dict]] = field(default_factory=dict)  # concept -> full rows
    lessons: dict[str, dict] = field(default_factory=dict)  # concept -> {"text", "citations"}
    evidence: dict[str, list[dict]] = field(default_factory=dict)  # concept -> cited passages
    source_ids: frozenset = frozenset()  # the sources the published version was made from
    _graph: Any = None
    _pool: Any = None
    fingerprint: tuple = ()
    by_id: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c["id"]: c for c in self.concepts}
        self._members: dict = {}
        for c in self.concepts:
            self._members.setdefault(c["unit_id"], []).append(c["id"])

    def unit_concepts(self, unit_id) -> list[str]:
        return list(self._members.get(unit_id, []))

    def exercises_of(self, concept_id: str) -> list[dict]:
        """The learner-facing exercises of a concept (kept or approved), easiest first."""
        return self.exercise_rows.get(concept_id, [])


# Legacy spelling of the cap setting, still read (``cap_concept`` is the key written and read).
SETTINGS_ALIASES = {"cap": "cap_concept"}


def read_settings(raw: Any) -> dict:
    """A curriculum's ``settings`` (JSON text or dict) with the canonical keys
    ``mastery_threshold`` (float, default 0.95) and ``cap_concept`` (concept id or None).
    The legacy key ``cap`` is accepted as an alias; ``cap_concept`` wins when both are set.

    >>> read_settings('{"cap": "c/x", "mastery_threshold": 0.9}')
    {'mastery_threshold': 0.9, 'cap_concept': 'c/x'}
    >>> read_settings(None)
    {'mastery_threshold': 0.95, 'cap_concept': None}
    """
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            raw = {}
    raw = dict(raw) if isinstance(raw, dict) else {}
    for old, new in SETTINGS_ALIASES.items():
        if raw.get(old) and not raw.get(new):
            raw[new] = raw[old]
    try:
        threshold = float(raw.get("mastery_threshold", DEFAULT_THRESHOLD))
    except (TypeError, ValueError):
        threshold = DEFAULT_THRESHOLD
    if not 0.0 < threshold < 1.0:
        threshold = DEFAULT_THRESHOLD
    return {"mastery_threshold": threshold, "cap_concept": raw.get("cap_concept") or None}


# Parsed published versions, per open database (weak keys: a closed and collected store takes
# its cache with it), then per (curriculum, version, settings). A version never changes once
# published, so an entry is valid for as long as it is the published one.
_CURRICULA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
_BUILD_LOCKS: dict = {}
_DRAFTS = itertools.count()


def load_curriculum(db: Database, curriculum: str, *, published_only: bool = False) -> Curriculum:
    """The published version of ``curriculum`` as the tutor needs it: concepts, prerequisite
    edges, units, lessons and exercise pool. Parsed once per (curriculum, version) and kept in
    memory; each call costs one indexed query (the published version number and the settings).

    ``NotFound`` if it does not exist. A curriculum never published is refused with
    ``published_only=True`` (what every learner-facing entry point passes: ``TutorSessions``,
    ``ask``); otherwise (instructor tools, e.g. a mastery export of a draft) it is read from
    the draft tables, uncached, with ``version`` None.
    """
    from teachback.curricula import catalogue
    from teachback.errors import NotFound

    row = catalogue.fingerprint(db, curriculum)
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    if row[0] is None:
        if published_only:
            raise NotFound(
                f"curriculum {curriculum!r} is not published yet: an instructor publishes it "
                "on the Review & publish page before learners can start"
            )
        from teachback.curricula.export_json import export_curriculum

        cur = curriculum_from_view(export_curriculum(db, curriculum), read_settings(row[1]))
        cur.fingerprint = ("draft", next(_DRAFTS))  # never reused: drafts change
        return cur
    fingerprint = (row[0], row[1])
    with _CACHE_LOCK:
        hit = _CURRICULA.get(db, {}).get(curriculum)
        build_lock = _BUILD_LOCKS.setdefault((id(db), curriculum), threading.Lock())
    if hit is not None and hit.fingerprint == fingerprint:
        return hit
    with build_lock:  # one thread parses a new version; the others wait and reuse it
        with _CACHE_LOCK:
            hit = _CURRICULA.get(db, {}).get(curriculum)
        if hit is not None and hit.fingerprint == fingerprint:
            return hit
        from teachback.curricula.publish import snapshot

        cur = curriculum_from_view(snapshot(db, curriculum, row[0]), read_settings(row[1]))
        cur.fingerprint = fingerprint
        with _CACHE_LOCK:
            _CURRICULA.setdefault(db, {})[curriculum] = cur
        return cur


def curriculum_from_view(view: dict, settings: dict | None = None) -> Curriculum:
    """Build the tutor's ``Curriculum`` from a curriculum export/snapshot (``export_json``
    format); rejected exercises and removed edges are left out (``publish.learner_view``)."""
    from teachback.curricula.publish import learner_view

    view = learner_view(view)
    settings = settings or read_settings(view["curriculum"].get("settings"))
    units = {
        u["id"]: {"id": u["id"], "title": u["title"], "position": u["position"]}
        for u in view["units"]
    }
    concepts = sorted(
        (
            {
                "id": c["id"],
                "name": c["name"],
                "slug": c["slug"],
                "definition": c["definition"],
                "importance": c["importance"],
                "unit_id": c["unit"],
                "position": c["position"],
                "unit_position": (units.get(c["unit"]) or {}).get("position") or 0,
            }
            for c in view["concepts"]
        ),
        key=lambda c: (c["unit_position"], c["position"] or 0, c["id"]),
    )
    prerequisites: dict[str, list[str]] = {c["id"]: [] for c in concepts}
    for e in view["edges"]:
        if e["kind"] == "prerequisite" and e["concept"] in prerequisites:
            prerequisites[e["concept"]].append(e["prerequisite"])
    rows: dict[str, list[dict]] = {}
    for x in view["exercises"]:
        if x["concept"] not in prerequisites:
            continue
        rows.setdefault(x["concept"], []).append(
            {
                "id": x["id"],
                "curriculum_id": view["curriculum"]["id"],
                "concept_id": x["concept"],
                "kind": x["kind"],
                "prompt": x["prompt"],
                "choices": x["choices"],
                "answer": x["answer"],
                "explanation": x["explanation"],
                "difficulty": x["difficulty"],
                "citations": x["citations"],
                "data": x["data"],
                "self_check": x["self_check"],
                "status": x["status"],
            }
        )
    for items in rows.values():
        items.sort(key=lambda r: (r.get("difficulty") or 0.5, r["id"]))
    pool = sorted(
        (
            {"id": r["id"], "concept_id": r["concept_id"], "difficulty": r["difficulty"]}
            for items in rows.values()
            for r in items
        ),
        key=lambda e: (e["concept_id"], e["difficulty"], e["id"]),
    )
    return Curriculum(
        id=view["curriculum"]["id"],
        assessable={e["concept_id"] for e in pool},
        exercises=pool,
        concepts=concepts,
        prerequisites=prerequisites,
        units=units,
        threshold=settings["mastery_threshold"],
        cap=settings["cap_concept"],
        version=view["curriculum"].get("published_version"),
        exercise_rows=rows,
        lessons={
            lesson["concept"]: {"text": lesson["text"], "citations": lesson["citations"]}
            for lesson in view["lessons"]
        },
        evidence=_evidence(view),
        source_ids=frozenset(s["id"] for s in view["sources"]),
    )


_ROLE_ORDER = {"mention": 0, "code": 1}


def _evidence(view: dict) -> dict[str, list[dict]]:
    """Per concept, its cited spans with the passage around each (a lesson from another
    angle), mentions first, then code, then the rest."""
    passages = {}
    for s in view["sources"]:
        text = s.get("text") or ""
        passages[s["id"]] = (
            s.get("path") or "",
            text,
            sorted((p["start"], p["end"]) for p in s.get("passages") or []),
        )
    out: dict[str, list[dict]] = {}
    for c in view["concepts"]:
        items = []
        for e in c.get("evidence") or []:
            path, text, spans = passages.get(e["source"], ("", "", []))
            around = next(
                (text[a:b].strip() for a, b in spans if a <= e["start"] and e["end"] <= b), ""
            )
            items.append(
                {
                    "quote": e["quote"],
                    "start": e["start"],
                    "end": e["end"],
                    "source_id": e["source"],
                    "passage": around or e["quote"],
                    "path": path,
                    "role": e.get("role"),
                }
            )
        items.sort(key=lambda r: _ROLE_ORDER.get(r["role"], 2))  # stable: keeps stored order
        out[c["id"]] = items
    return out


def exercises_for(db: Database, curriculum: str, concept_id: str) -> list[dict]:
    """The learner-facing exercises of a concept in the published version, easiest first."""
    return load_curriculum(db, curriculum).exercises_of(concept_id)


def attempts_of(db: Database, learner: str, curriculum: str) -> list[dict]:
    from teachback.curricula import attempt_log

    return attempt_log.rows(db, learner, curriculum)


# ---------------------------------------------------------------- grading


def spans_of(citations: Any) -> list[Span]:
    """Stored citation dicts as ``Span``s (malformed items skipped)."""
    return [
        Span(**{k: c[k] for k in _SPAN})
        for c in citations or []
        if isinstance(c, dict) and set(_SPAN) <= set(c)
    ]


def grade_answer(exercise: dict, answer: Any) -> Grade:
    """Grade ``answer`` against the stored key of ``exercise`` (a decoded exercises row)."""
    from teachback.tutor.grading import grade

    citations = spans_of(exercise.get("citations"))
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


FREE_TEXT_KINDS = frozenset({"short_answer", "function_purpose"})


def prepare_grading(exercise: dict | None = None, concept: dict | None = None) -> None:
    """Encode what grading will compare an answer with (question, reference, key points) ahead
    of the answer, for a free-text ``exercise`` or the teach-back of ``concept``; the grader's
    embeddings are cached by text, so grading then only encodes the answer. Closed kinds need
    nothing. Errors are ignored here: grading itself reports them."""
    from teachback.tutor.grading import prepare

    try:
        if exercise is not None:
            if exercise["kind"] in FREE_TEXT_KINDS and not exercise.get("choices"):
                rubric = list((exercise.get("data") or {}).get("rubric") or [])
                prepare(exercise["prompt"], answer_text(exercise["answer"]), rubric)
        elif concept is not None:
            from teachback.tutor.grading.teachback import points_of

            definition = concept["definition"] or concept["name"]
            prepare(
                f"Explain {concept['name']} in your own words.",
                definition,
                points_of(definition, None),
            )
    except Exception:  # noqa: BLE001 - a warm cache is an optimisation only
        pass


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


def record_read(db: Database, event: dict) -> bool:
    """Store a lesson marked read; False when ``event_id`` was already recorded."""
    from teachback.tutor.attempts import LessonRead, record_lesson_read

    return bool(record_lesson_read(db, LessonRead(**event)))


def recorded(db: Database, event_id: str) -> dict | None:
    """The attempt already stored under ``event_id`` as the response the tutor would have
    received (``{"answer", "time_taken", "hints", "correct", "score"}``), or None."""
    from teachback.tutor.attempts import attempt_by_event

    event = attempt_by_event(db, event_id)
    if event is None:
        return None
    return {
        "answer": event.answer,
        "time_taken": event.time_taken,
        "hints": event.hints,
        "correct": event.correct,
        "score": event.score,
    }


def follow_record(grade: dict, stored: dict) -> dict:
    """``grade`` (a dumped ``Grade`` of the stored answer, graded again) made to agree with the
    stored attempt: the log is the truth, so its verdict and score win when they differ (a
    grader that changed between the two runs)."""
    if (grade["verdict"] == "correct") == stored["correct"]:
        return grade
    verdict = "correct" if stored["correct"] else "incorrect"
    return {
        **grade,
        "verdict": verdict,
        "score": stored["score"] if stored["score"] >= 0 else float(stored["correct"]),
        "feedback": f"This answer was recorded as {verdict}.",
    }


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
    """The learner model's state over ``learner``'s attempts and lesson reads
    (``teachback.tutor.mastery``).

    A step only adds an attempt or two, so the tracker of each (learner, curriculum) is kept and
    fed the attempts and reads recorded since; it is rebuilt from the whole log when the
    curriculum changed or an event arrives out of time order. ``cached=False`` replays from
    scratch.
    """
    from teachback.curricula import attempt_log, lesson_reads
    from teachback.tutor.attempts import row_to_event, row_to_read
    from teachback.tutor.mastery import MasteryTracker, PersonalModel

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
                    personal=PersonalModel(),  # this learner's own rates, refitted as they go
                ),
                "last_id": 0,
                "last_read_id": 0,
                "last_at": "",
            }
        answers = attempt_log.rows(db, learner, cur.id, after_id=entry["last_id"])
        reads = lesson_reads.rows(db, learner, cur.id, after_id=entry["last_read_id"])
        first = min((r["at"] for r in answers[:1] + reads[:1]), default=entry["last_at"])
        if first < entry["last_at"]:  # out of order: replay everything
            entry["tracker"] = MasteryTracker(
                concept_graph(cur),
                threshold=cur.threshold,
                difficulty={e.id: e.difficulty for e in pacing_exercises(cur)},
                personal=PersonalModel(),
            )
            answers = attempt_log.rows(db, learner, cur.id)
            reads = lesson_reads.rows(db, learner, cur.id)
        entry["last_id"] = max([entry["last_id"], *(r["id"] for r in answers)])
        entry["last_read_id"] = max([entry["last_read_id"], *(r["id"] for r in reads)])
        events = heapq.merge(
            map(row_to_event, answers), map(row_to_read, reads), key=lambda e: e.at
        )
        for event in events:
            entry["tracker"].apply(event)
            entry["last_at"] = max(entry["last_at"], event.at or "")
        if cached:
            with _CACHE_LOCK:
                _TRACKERS.setdefault(db, {})[key] = entry
        return entry["tracker"].state


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


def next_step(cur: Curriculum, state, history: list[list], *, cap: str | None = None) -> Step:
    """The pacing policy's decision (``teachback.tutor.pacing.next_step``). ``history``: the
    session's earlier steps, ``[kind, concept_id, exercise_id, correct]``; ``cap`` overrides
    the curriculum's own cap (a classroom's)."""
    from teachback.tutor import pacing, reviews

    step = pacing.next_step(
        concept_graph(cur),
        state,
        pacing_exercises(cur),
        due=reviews.due_reviews(state),
        history=[pacing.HistoryItem(*h) for h in history],
        settings=pacing.PacingSettings(threshold=cur.threshold, cap_concept=cap or cur.cap),
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
