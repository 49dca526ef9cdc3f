"""The learner model and the pacing policy over one published curriculum: a learner's state
replayed from the attempt log and lesson reads (``teachback.tutor.mastery``), P(known) per
concept, the reviews due (``teachback.tutor.reviews``) and the next step
(``teachback.tutor.pacing``).

The tutor graph calls these through the module (``learner_model.next_step(...)``), so a test can
script the policy's decisions.
"""

from __future__ import annotations

import heapq
import re
import threading
import weakref
from dataclasses import dataclass

from teachback.curricula.db import Database
from teachback.tutor.published import Curriculum


def concept_graph(cur: Curriculum):
    """The learner model's ``ConceptGraph`` of ``cur`` (built once per ``Curriculum``), in
    teaching order (``teaching_order``)."""
    if cur._graph is None:
        from teachback.tutor.mastery import ConceptGraph, ConceptNode

        by_id = {c["id"]: c for c in cur.concepts}
        cur._graph = ConceptGraph(
            ConceptNode(
                c["id"],
                tuple(
                    p for p in dict.fromkeys(cur.prerequisites.get(c["id"], [])) if p in cur.by_id
                ),
                str(c["unit_id"]) if c["unit_id"] is not None else None,
                c["name"],
            )
            for c in (by_id[cid] for cid in teaching_order(cur))
        )
    return cur._graph


# A side topic is a concept in the least important third of the course that nothing builds on.
SIDE_SHARE = 3


def teaching_order(cur: Curriculum) -> list[str]:
    """The course's order with each side topic (a concept the material stresses least --
    the bottom third by importance -- that no concept builds on: a contrast remark, an aside)
    moved after the main concept that follows it, so the main line comes first: on the
    samples, "cryptographic hash" after "collision", not between hash functions and
    collisions. Nothing waits on a side topic, so the order stays a topological one.

    >>> from types import SimpleNamespace as C
    >>> cur = C(concepts=[{"id": i, "importance": w} for i, w in
    ...     [("a", .9), ("aside", .1), ("b", .8), ("c", .7), ("d", .5)]], prerequisites={})
    >>> teaching_order(cur)
    ['a', 'b', 'aside', 'c', 'd']
    """
    import statistics

    ids = [c["id"] for c in cur.concepts]
    weight = {c["id"]: c["importance"] or 0.0 for c in cur.concepts}
    if len(ids) < SIDE_SHARE:
        return ids
    low = statistics.quantiles(weight.values(), n=SIDE_SHARE)[0]
    built_on = {p for c in ids for p in cur.prerequisites.get(c, [])}
    out, waiting = [], []
    for c in ids:
        if weight[c] < low and c not in built_on:
            waiting.append(c)
            continue
        out += [c, *waiting]
        waiting = []
    return out + waiting


_TRACKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TRACKER_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCKS_LOCK = threading.Lock()


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

    key = (learner, cur.id)
    with _LOCKS_LOCK:  # one lock per learner: different learners replay in parallel
        lock = _TRACKER_LOCKS.setdefault(db, {}).setdefault(key, threading.Lock())
    with lock:
        entry = _TRACKERS.get(db, {}).get(key) if cached else None
        if entry is None or entry["fingerprint"] != cur.fingerprint:
            entry = {
                "fingerprint": cur.fingerprint,
                "tracker": _tracker(cur),
                "last_id": 0,
                "last_read_id": 0,
                "last_at": "",
            }
        answers = attempt_log.rows(db, learner, cur.id, after_id=entry["last_id"])
        reads = lesson_reads.rows(db, learner, cur.id, after_id=entry["last_read_id"])
        first = min((r["at"] for r in answers[:1] + reads[:1]), default=entry["last_at"])
        if first < entry["last_at"]:  # out of order: replay everything
            entry["tracker"] = _tracker(cur)
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
            with _LOCKS_LOCK:
                _TRACKERS.setdefault(db, {})[key] = entry
        return entry["tracker"].state


def _tracker(cur: Curriculum):
    """A fresh learner model over ``cur``, with this learner's own rates (refitted as they go)."""
    from teachback.tutor.mastery import MasteryTracker, PersonalModel
    from teachback.tutor.pacing.basics import questions_of

    return MasteryTracker(
        concept_graph(cur),
        threshold=cur.threshold,
        difficulty={e.id: e.difficulty for e in pacing_exercises(cur)},
        personal=PersonalModel(),
        questions=questions_of(pacing_exercises(cur)),
    )


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
        answered = _answered_by_lesson(cur)
        cur._pool = [
            Exercise(
                e["id"],
                e["concept_id"],
                4.0 * ((e["difficulty"] or 0.5) - 0.5),
                e.get("passage"),
                bool(e.get("from_passage")),
                e["id"] in answered,
            )
            for e in cur.exercises
        ]
    return cur._pool


def _answered_by_lesson(cur: Curriculum) -> set[str]:
    """Ids of the exercises their concept's lesson (whole, or its one-line reminder) answers:
    asked only once that lesson is no longer above them (``session_lesson.gives_away``)."""
    from teachback.tutor.session_lesson import brief_lesson, gives_away, lesson_for

    out = set()
    for cid, rows in cur.exercise_rows.items():
        lesson = lesson_for(cur, cid)
        brief = brief_lesson(cur, cid, lesson)
        out |= {r["id"] for r in rows if gives_away(r, lesson) or gives_away(r, brief)}
    return out


def taught_with(cur: Curriculum) -> dict[str, frozenset[str]]:
    """Concepts with nothing to practise whose lesson is part of the lesson of concepts that
    have questions (every passage it cites, that lesson cites too; or the same text) -> those
    concepts. Such a concept is taught with them rather than read as a lesson of its own, which
    would print the same passage twice (``pacing.next_step``)."""
    if cur._carriers is None:
        spans = {c: _cited(cur, c) for c in cur.by_id}
        bodies = {c: _body(cur, c) for c in cur.by_id}
        cur._carriers = {}
        for c in cur.by_id:
            if c in cur.assessable or not (spans[c] or bodies[c]):
                continue
            # (not a concept built on it: that one waits for it, so it is read first)
            after = concept_graph(cur).descendants(c)
            carriers = frozenset(
                k
                for k in cur.assessable - after
                if (spans[c] and spans[c] <= spans[k]) or (bodies[c] and bodies[c] == bodies[k])
            )
            if carriers:
                cur._carriers[c] = carriers
    return cur._carriers


def lessons_taught(cur: Curriculum, state) -> set[str]:
    """Concepts with nothing to practise whose lesson the learner has had: marked read, or
    taught with a concept they have mastered (``taught_with``)."""
    carriers = taught_with(cur)

    def mastered(k: str) -> bool:
        return k in state.concepts and state.concepts[k].mastered

    out = set()
    for c in cur.by_id:
        if c in cur.assessable or c not in state.concepts:
            continue
        if state.concepts[c].read or any(map(mastered, carriers.get(c, ()))):
            out.add(c)
    return out


def taught_already(cur: Curriculum, concept_id: str, met: set[str]) -> bool:
    """Whether every passage the lesson of ``concept_id`` cites is in the lessons of concepts
    the learner has met (``met``): shown again whole, it would teach the same passage twice."""
    spans = _cited(cur, concept_id)
    shown = frozenset().union(*(_cited(cur, c) for c in met if c != concept_id))
    return bool(spans) and spans <= shown


def _cited(cur: Curriculum, concept_id: str) -> frozenset:
    cites = (cur.lessons.get(concept_id) or {}).get("citations") or []
    return frozenset((c.get("source"), c.get("start"), c.get("end")) for c in cites)


def _body(cur: Curriculum, concept_id: str) -> str:
    """A lesson's text without its title line (``**name** (also: ...)``), spaces collapsed."""
    text = (cur.lessons.get(concept_id) or {}).get("text") or ""
    first, _, rest = text.strip().partition("\n")
    body = rest if first.startswith("**") or first.startswith("#") else text
    return " ".join(body.split())


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
        taught_with=taught_with(cur),
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
