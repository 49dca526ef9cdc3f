"""The last node (``store``): everything the run made, into the curriculum, in one transaction.

In order: errors on their source rows; the fresh sources and their passages; the concepts
(ids kept, units matched by title); stale concepts removed; the ingest's edges replaced; the
lessons and exercises of the planned concepts. Spans from the engine name a document path and
are stored with a source id, only where their quote really is the text. What an instructor made
or edited is never overwritten; their concepts' evidence into a changed source is re-anchored
by its quote, or dropped when the quote is gone. The statements are in
``curricula/ingest_store.py``.
"""

from __future__ import annotations

import json

from langgraph.runtime import Runtime

from teachback.curricula import ingest_store as store_db
from teachback.curricula import repository as repo
from teachback.curricula.db import now
from teachback.curricula.ingest_edges import replace_ingest_edges
from teachback.engine.protocol import ConceptDraft, EdgeDraft, Span, UnitDraft
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.planning import name_index
from teachback.ingest.pipeline.spans import locate, locate_in
from teachback.ingest.pipeline.state import StoreIn, StoreOut

# ``json.dumps(..., ensure_ascii=False)`` builds an encoder per call; a run stores tens of
# thousands of rows with several JSON columns each. The same encoders, built once:
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_JSON_STR = json.JSONEncoder(ensure_ascii=False, default=str).encode  # anything else as text


def store(state: StoreIn, runtime: Runtime[IngestContext]) -> StoreOut:
    ctx = runtime.context
    ctx.progress("store", 0, 1, "saving")
    with ctx.db.atomic():
        counts = _store(ctx, state)
    ctx.progress("store", 1, 1, "saved")
    return {"stored": counts}


def _store(ctx: IngestContext, state: StoreIn) -> dict[str, int]:
    db, curriculum = ctx.db, state["curriculum"]
    stamp = now()
    counts = {"lessons_written": 0, "exercises_kept": 0, "exercises_rejected": 0}
    repo.ensure_curriculum(db, curriculum)
    errors = [
        {**err, "id": repo.source_id(curriculum, err["path"] or err["message"])}
        for err in state.get("errors", [])
    ]
    store_db.record_source_errors(db, curriculum, errors, stamp)
    unchanged = [s["id"] for s in state.get("sources", []) if s["status"] == "unchanged"]
    store_db.clear_source_errors(db, unchanged)
    if not state.get("changed"):
        return counts
    run = _Run(ctx, curriculum, stamp)
    run.store_sources()
    todo = state.get("todo", [])
    skipped = state.get("exercises", "").startswith("skip")
    run.store_concepts(_partial(ctx, todo, skipped))
    replace_ingest_edges(db, curriculum, run.edge_rows())
    counts["lessons_written"] = run.store_lessons(todo)
    if not skipped:
        for x in run.store_exercises(todo):
            counts[f"exercises_{x['status']}"] += 1
    return counts


def _partial(ctx: IngestContext, todo: list[int], skipped: bool) -> set[int]:
    """Planned concepts whose exercises were not made this run (the stage skipped, or their
    generation failed): stored with a "partial" fingerprint, so the next run makes them."""
    if skipped:
        return set(todo)
    made = set()
    for b, _ in enumerate(ctx.batches(todo)):
        made.update(int(i) for i in ctx.run.get(f"verified:{b}", {}))
    return set(todo) - made


class _Run:
    """One store step: the staged documents and concepts, and the ids they are stored under."""

    def __init__(self, ctx: IngestContext, curriculum: str, stamp: str):
        self.ctx, self.db, self.curriculum, self.stamp = ctx, ctx.db, curriculum, stamp
        self.docs = ctx.run.docs()
        self.by_path = {d.path: d for d in self.docs}
        self.fresh = set(ctx.run.get("fresh", []))
        self.sid_of = {d.path: repo.source_id(curriculum, d.path) for d in self.docs}
        self.rows = ctx.run.get("concepts", [])
        self.concepts: list[ConceptDraft] = ctx.run.concepts()
        self.id_of = [r["id"] for r in self.rows]
        self.protected = store_db.protected_concepts(self.db, curriculum)
        self.passages: store_db.PassageIndex | None = None

    # --- sources -------------------------------------------------------------------------

    def store_sources(self) -> None:
        """Fresh sources stored again (old passages and evidence replaced); the evidence of
        protected concepts into them re-anchored by its quote."""
        kept = store_db.clear_sources(self.db, self.fresh, self.protected)
        fresh = [(self.sid_of[d.path], d) for d in self.docs if self.sid_of[d.path] in self.fresh]
        store_db.save_sources(self.db, self.curriculum, fresh, self.stamp)
        self.passages = store_db.PassageIndex(self.db, self.sid_of.values())
        path_of = {sid: path for path, sid in self.sid_of.items()}
        anchored = []
        for cid, sid, start, end, quote, role in kept:
            doc = self.by_path.get(path_of.get(sid, ""))
            span = Span(source=sid, start=start, end=end, quote=quote or "")
            where = locate(span, doc.text) if doc is not None else None
            if where is not None:
                anchored.append(self._evidence(cid, sid, where, quote, role))
        store_db.insert_rows(self.db, "evidence", anchored)

    def _evidence(self, cid: str, sid: str, where: tuple[int, int], quote, role) -> dict:
        return {
            "concept_id": cid,
            "source_id": sid,
            "passage_id": self.passages.at(sid, where[0]),
            "start": where[0],
            "end": where[1],
            "quote": quote,
            "role": role,
        }

    # --- concepts ------------------------------------------------------------------------

    def store_concepts(self, partial: set[int]) -> None:
        stored = store_db.stored_concepts(self.db, self.curriculum)
        unit_of, position = self._place_in_units()
        inserts, updates, aliases, evidence, rewritten = [], [], [], [], []
        for i, (row, concept) in enumerate(zip(self.rows, self.concepts, strict=True)):
            if row["protected"]:
                continue
            cid = row["id"]
            record = {
                "id": cid,
                "curriculum_id": self.curriculum,
                "slug": row["slug"],
                "name": concept.name,
                "definition": concept.definition,
                "importance": float(concept.importance),
                "unit_id": unit_of.get(i),
                "position": position[i],
                "kind": concept.kind,
                "origin": "ingest",
                "edited": 0,
                "fingerprint": row.get("fingerprint") + (":partial" if i in partial else ""),
            }
            old = stored.get(cid)
            if old is None:
                inserts.append({**record, "rev": 1, "updated_at": self.stamp})
            elif any(old.get(k) != v for k, v in record.items()):
                rev = (old.get("rev") or 0) + 1
                updates.append({**record, "rev": rev, "updated_at": self.stamp})
            rewritten.append(cid)
            names = {a for a in concept.aliases if a and a != concept.name}
            aliases.extend({"concept_id": cid, "alias": a} for a in sorted(names))
            evidence.extend(self._concept_evidence(cid, concept))
        store_db.save_concepts(self.db, inserts, updates, rewritten, aliases, evidence)
        current = set(self.id_of)
        stale = [c for c in stored if c not in current and c not in self.protected]
        store_db.remove_stale_concepts(self.db, self.curriculum, stale)

    def _concept_evidence(self, cid: str, concept: ConceptDraft) -> list[dict]:
        """A concept's evidence rows: each quote where it really is, each place once."""
        rows, seen = [], set()
        for ev in concept.evidence:
            where = locate_in(ev, self.by_path)
            if where is None or (ev.source, where) in seen:
                continue
            seen.add((ev.source, where))
            rows.append(self._evidence(cid, self.sid_of[ev.source], where, ev.quote, ev.role))
        return rows

    def _place_in_units(self) -> tuple[dict[int, int], dict[int, int]]:
        """``(unit id, position)`` of each concept index: units matched by title (ids kept,
        new ones appended); concepts in no unit come last."""
        units = [UnitDraft.model_validate(u) for u in self.ctx.run.get("units", [])]
        index = name_index(self.concepts)
        unit_rows = store_db.stored_units(self.db, self.curriculum)
        next_pos = max([u["position"] or 0 for u in unit_rows.values()] + [0]) + 1
        unit_of: dict[int, int] = {}
        position: dict[int, int] = {}
        for unit in units:
            if unit.title in unit_rows:
                uid = unit_rows[unit.title]["id"]
            else:
                uid = store_db.add_unit(self.db, self.curriculum, unit.title, next_pos)
                unit_rows[unit.title] = {"id": uid, "position": next_pos}
                next_pos += 1
            for name in unit.concepts:
                i = index.get(name.lower())
                if i is not None and i not in unit_of:
                    unit_of[i] = uid
                    position[i] = len(position)
        for i in range(len(self.rows)):
            if i not in position:
                position[i] = len(position)
        return unit_of, position

    # --- edges, lessons, exercises -------------------------------------------------------

    def edge_rows(self) -> list[dict]:
        """The staged edges as rows between concept ids, strongest first."""
        index = name_index(self.concepts)
        drafts = sorted(
            (EdgeDraft.model_validate(e) for e in self.ctx.run.get("edges", [])),
            key=lambda e: (e.status != "active", e.kind != "prerequisite", -e.weight),
        )
        rows = []
        for e in drafts:
            a, b = index.get(e.prerequisite.lower()), index.get(e.concept.lower())
            if a is None or b is None or a == b:
                continue
            rows.append(
                {
                    "prerequisite": self.id_of[a],
                    "concept": self.id_of[b],
                    "kind": e.kind,
                    "weight": float(e.weight),
                    "reason": e.reason,
                    "status": e.status,
                }
            )
        return rows

    def store_lessons(self, todo: list[int]) -> int:
        """The planned concepts' lessons (not those an instructor owns); how many."""
        old = store_db.lesson_revisions(self.db, self.curriculum)
        lessons = []
        for b, _ in enumerate(self.ctx.batches(todo)):
            for i, lesson in self.ctx.run.get(f"lessons:{b}", {}).items():
                cid = self.id_of[int(i)]
                rev, protected = old.get(cid, (0, False))
                if protected:
                    continue
                lessons.append(
                    {
                        "concept_id": cid,
                        "text": lesson["text"],
                        "citations": self._spans_json(lesson.get("citations", [])),
                        "origin": "ingest",
                        "edited": 0,
                        "rev": rev + 1,
                        "updated_at": self.stamp,
                    }
                )
        store_db.save_lessons(self.db, lessons)
        return len(lessons)

    def store_exercises(self, todo: list[int]) -> list[dict]:
        """The verified exercises of the planned concepts; the rows newly stored."""
        exercises, regenerated = [], []
        for b, _ in enumerate(self.ctx.batches(todo)):
            for i, item in self.ctx.run.get(f"verified:{b}", {}).items():
                cid = self.id_of[int(i)]
                regenerated.append(cid)
                for status in ("kept", "rejected"):
                    exercises.extend(self._exercise_row(cid, x, status) for x in item[status])
        return store_db.replace_exercises(self.db, regenerated, exercises)

    def _exercise_row(self, cid: str, x: dict, status: str) -> dict:
        return {
            "id": repo.exercise_id(cid, x["kind"], x["prompt"]),
            "curriculum_id": self.curriculum,
            "concept_id": cid,
            "kind": x["kind"],
            "prompt": x["prompt"],
            "choices": _JSON(x.get("choices", [])),
            "answer": _JSON(x.get("answer")),
            "explanation": x.get("explanation", ""),
            "difficulty": x.get("difficulty", 0.5),
            "citations": self._spans_json(x.get("citations", [])),
            "data": _JSON_STR(x.get("data", {})),
            "self_check": _JSON_STR(x.get("self_check")),
            "status": status,
            "origin": "ingest",
            "edited": 0,
            "rev": 1,
            "created_at": self.stamp,
        }

    def _spans_json(self, spans: list[dict]) -> str:
        """Spans from the engine (``source`` = document path) as stored (``source`` = source
        id), kept only where the quote really is the source's text at the span."""
        out = []
        for s in spans:
            span = Span.model_validate(s)
            where = locate_in(span, self.by_path)
            if where is not None:
                out.append(
                    {
                        "source": self.sid_of[span.source],
                        "start": where[0],
                        "end": where[1],
                        "quote": span.quote,
                    }
                )
        return _JSON(out)
