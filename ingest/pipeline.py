"""The ingest agent: a checkpointed LangGraph pipeline from source files to a stored curriculum.

    read → chunk → extract concepts → merge across sources → link prerequisites
         → write lessons → generate exercises → verify exercises → store

``run_ingest(db, paths, curriculum)`` runs it and returns an ``IngestSummary``.

How it is built:

* **Small state, staged data.** The graph state (checkpointed after every node by LangGraph's
  ``SqliteSaver``) holds only bookkeeping: which sources are new, changed or unchanged, which
  concepts need new lessons and exercises, the errors. The heavy data (documents, concept drafts,
  lessons, exercises) is written by each node to a staging table in the same checkpoint file
  (``<db>.ingest.sqlite``), keyed by the run's thread, so a checkpoint stays a few kilobytes
  whatever the corpus size.
* **Resumable.** An interrupted run (Ctrl-C, a crash, a killed process) leaves its checkpoint;
  the same command resumes from the first unfinished node, and the lesson and exercise stages
  also resume inside a node, batch by batch (each batch is staged when done). A successful run
  deletes its checkpoint and staging rows.
* **Nothing half-stored.** Only the last node writes to the curriculum store, in one
  transaction: a run that fails anywhere changes nothing a learner or instructor sees.
* **Incremental.** Each source is stored with the sha256 of its bytes. Unchanged sources reuse
  their stored passages (rebuilt into ``Document``s, never re-chunked); when no source of the
  batch is new or changed the run stores nothing. Otherwise concepts and prerequisites are
  recomputed over the whole curriculum (they are global by nature: merging across sources,
  relative importance), but lessons and exercises — the expensive part — are redone only for
  concepts whose fingerprint (name, definition, aliases, evidence, prerequisites) changed.
  Rows an instructor made or edited (``origin='instructor'`` or ``edited=1``) are never
  overwritten; their evidence into a changed source is re-anchored by its quote, or dropped
  when the quote is gone.
* **Bad input.** Readers report unreadable files as one-line ``SourceError``s; they are recorded
  on the source row (status ``"error"``) while everything already stored for that path is kept
  as it was, and the rest of the batch lands.

What it does not do: delete sources (the instructor's library does), or remember concepts an
instructor deleted (a re-ingest of the same sources proposes them again).
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import inspect
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

from pydantic import BaseModel, Field
from sqlite_utils import Database

from teachback.config import IngestBudget
from teachback.core.document import Document, Section
from teachback.curricula import repository as repo
from teachback.curricula.db import now
from teachback.curricula.edits import instructor_overrides
from teachback.curricula.images import store_images
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    ExerciseDraft,
    SelfCheckResult,
    Span,
    UnitDraft,
)
from teachback.errors import SourceError
from teachback.ingest.guard import Budget, StageStopped, guarded

ProgressFn = Callable[[dict], None]

CHUNK_CHARS = 2000  # longest passage stored; longer sections split at paragraph/sentence ends
BATCH = 64  # concepts per staged batch in the lesson and exercise stages
EXERCISE_STAGES = ("exercises", "verify")  # guarded stages whose stop leaves out exercises only


class IngestSummary(BaseModel):
    """What an ingest did, for the CLI, the web UI and tests."""

    curriculum: str
    sources_read: int = 0  # files of this batch read without error
    sources_new: int = 0
    sources_changed: int = 0
    sources_unchanged: int = 0
    errors: list[str] = Field(default_factory=list)  # one line each, naming the file
    # Files of a folder left out as not course material: "path (reason)", one each.
    skipped: list[str] = Field(default_factory=list)
    concepts: int = 0  # in the curriculum after the ingest
    edges: int = 0  # active edges in the curriculum
    units: int = 0
    lessons: int = 0  # lessons in the curriculum
    lessons_written: int = 0  # by this run
    exercises_kept: int = 0  # by this run
    exercises_rejected: int = 0
    exercises_skipped: str = ""  # why the exercise stage was skipped, if it was
    notes: list[str] = Field(default_factory=list)  # other stages skipped or degraded
    resumed: bool = False
    seconds: float = 0.0
    run_id: int | None = None
    # Model use by an LLM engine (engine/openai_engine.py): tokens spent by this run, and the
    # engine's usage report (calls, cache hits, fallbacks to the embedded engine, budget).
    tokens: int = 0
    llm: dict = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False only when every input failed and nothing was read."""
        return self.sources_read > 0 or not self.errors


# --------------------------------------------------------------------------------------------
# graph state


class IngestInput(TypedDict):
    """What a run starts from."""

    curriculum: str
    paths: list[str]
    max_file_bytes: int | None
    with_exercises: bool  # False: lessons only (exercises are made by a later run)
    include: list[str]  # gitignore patterns: files triage would leave out, read anyway
    exclude: list[str]  # gitignore patterns: files left out
    # Sources a stage ran over its budget on in an earlier attempt of this run: path -> why.
    # They are not read again; each becomes an error line (see ``run_ingest``).
    left_out: NotRequired[dict[str, str]]


class IngestState(IngestInput, total=False):
    """Bookkeeping only: heavy data lives in the staging table (see ``Staging``)."""

    # one per document read: {id, path, sha256, status: new|changed|unchanged, title, chars}
    sources: list[dict]
    errors: list[dict]  # {path, message}
    skipped: list[str]  # files left out by triage: "path (reason)"
    changed: bool  # whether anything has to be recomputed and stored
    n_concepts: int
    todo: list[int]  # indices of concepts needing a new lesson and exercises
    exercises: str  # "generate_checked" | "make_exercises" | "skip: <why>"
    stored: dict  # counts from the store node
    notes: list[str]  # stages that were skipped or degraded, and why
    # Sources whose exercises an exercise stage ran over its budget on: path -> why. The
    # source stays; only exercises from it are left out (see ``run_ingest``).
    no_exercises: dict[str, str]


# --------------------------------------------------------------------------------------------
# staging: heavy node outputs, keyed by thread, in the checkpoint file


class Staging:
    """A key-value table of JSON blobs per thread, in the checkpoint file (or in memory)."""

    def __init__(self, path: str | None):
        self.lock = threading.Lock()
        self.conn = sqlite3.connect(path or ":memory:", check_same_thread=False, timeout=30)
        with self.conn:
            self.conn.execute("PRAGMA journal_mode=WAL") if path else None
            self.conn.execute(
                "create table if not exists ingest_stage "
                "(thread_id text, key text, value text, primary key (thread_id, key))"
            )
        self.cache: dict[tuple[str, str], Any] = {}

    def put(self, thread: str, key: str, value: Any) -> None:
        with self.lock, self.conn:
            self.conn.execute(
                "insert or replace into ingest_stage values (?, ?, ?)",
                (thread, key, json.dumps(value, ensure_ascii=False)),
            )
        if ":" not in key:  # per-batch outputs are read once, at the end: not kept in memory
            self.cache[(thread, key)] = value
        else:
            self.cache.pop((thread, key), None)

    def get(self, thread: str, key: str, default: Any = None) -> Any:
        if (thread, key) in self.cache:
            return self.cache[(thread, key)]
        with self.lock:
            row = self.conn.execute(
                "select value from ingest_stage where thread_id = ? and key = ?", (thread, key)
            ).fetchone()
        if row is None:
            return default
        value = json.loads(row[0])
        if ":" not in key:
            self.cache[(thread, key)] = value
        return value

    def has(self, thread: str, key: str) -> bool:
        if (thread, key) in self.cache:
            return True
        with self.lock:
            return (
                self.conn.execute(
                    "select 1 from ingest_stage where thread_id = ? and key = ?", (thread, key)
                ).fetchone()
                is not None
            )

    def clear(self, thread: str) -> None:
        with self.lock, self.conn:
            self.conn.execute("delete from ingest_stage where thread_id = ?", (thread,))
        self.cache = {k: v for k, v in self.cache.items() if k[0] != thread}

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------------------------
# documents <-> JSON, chunking


def doc_to_json(doc: Document) -> dict:
    """A JSON-ready dict of a document; a section's text is left out (``None``) when it is
    ``doc.text[start:end]``, as readers guarantee, which halves what is staged."""
    text = doc.text
    return {
        "path": doc.path,
        "format": doc.format,
        "title": doc.title,
        "text": text,
        "sha256": doc.sha256,
        "language": doc.language,
        "meta": doc.meta,
        "sections": [
            {
                "kind": sec.kind,
                "start": sec.start,
                "end": sec.end,
                "text": None if text[sec.start : sec.end] == sec.text else sec.text,
                "heading_path": list(sec.heading_path),
                "locator": sec.locator,
                "signals": sec.signals,
            }
            for sec in doc.sections
        ],
    }


def doc_from_json(data: dict) -> Document:
    text = data["text"]
    sections = [
        Section(
            kind=s["kind"],
            start=s["start"],
            end=s["end"],
            text=s["text"] if s.get("text") is not None else text[s["start"] : s["end"]],
            heading_path=tuple(s.get("heading_path") or ()),
            locator=s.get("locator") or "",
            signals=s.get("signals") or {},
        )
        for s in data["sections"]
    ]
    return Document(
        path=data["path"],
        format=data["format"],
        title=data["title"],
        text=text,
        sections=sections,
        sha256=data.get("sha256") or "",
        language=data.get("language") or "",
        meta=data.get("meta") or {},
    )


def _split_points(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` into pieces of at most ``limit`` chars, at a blank line, else a
    line end, else a sentence end, else a space (hard cut as a last resort)."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep, limit // 3)
            if at > 0:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def chunk_document(doc: Document, limit: int = CHUNK_CHARS) -> Document:
    """The document with sections longer than ``limit`` split into passages (signals kept on
    each piece that contains them; other fields copied). Short sections are unchanged."""
    out: list[Section] = []
    for sec in doc.sections:
        if sec.end - sec.start <= limit or doc.text[sec.start : sec.end] != sec.text:
            out.append(sec)
            continue
        for s, e in _split_points(doc.text, sec.start, sec.end, limit):
            piece = doc.text[s:e]
            signals = {}
            for key, value in sec.signals.items():
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    kept = [v for v in value if v in piece]
                    if kept:
                        signals[key] = kept
                else:
                    signals[key] = value
            out.append(Section(sec.kind, s, e, piece, sec.heading_path, sec.locator, signals))
    return Document(
        doc.path, doc.format, doc.title, doc.text, out, doc.sha256, doc.language, doc.meta
    )


def stored_path(path: str) -> str:
    """The path a source is stored under: absolute for files on disk (``a.zip!inner`` keeps the
    member part and makes the archive absolute)."""
    if "!" in path and not os.path.exists(path):
        outer, inner = path.split("!", 1)
        return os.path.abspath(outer) + "!" + inner
    return os.path.abspath(path) if os.path.exists(path) else path


# --------------------------------------------------------------------------------------------
# the graph


class _Ctx:
    """What nodes share besides the state: the store, the engine, progress and staging."""

    def __init__(self, db: Database, engine, on_progress: ProgressFn | None, staging: Staging):
        self.db = db
        self.engine = engine
        self.on_progress = on_progress
        self.staging = staging
        self.thread = ""

    def progress(self, stage: str, done: int, total: int, message: str = "") -> None:
        if self.on_progress is not None:
            self.on_progress({"stage": stage, "done": done, "total": total, "message": message})

    def put(self, key: str, value: Any) -> None:
        self.staging.put(self.thread, key, value)

    def get(self, key: str, default: Any = None) -> Any:
        return self.staging.get(self.thread, key, default)

    def docs(self) -> list[Document]:
        key = (self.thread, "#docs")
        if key not in self.staging.cache:
            self.staging.cache[key] = [doc_from_json(d) for d in self.get("docs", [])]
            self.staging.cache.pop((self.thread, "docs"), None)  # the objects are enough
        return self.staging.cache[key]

    def concepts(self) -> list[ConceptDraft]:
        key = (self.thread, "#concepts")
        if key not in self.staging.cache:
            self.staging.cache[key] = [
                ConceptDraft.model_validate(c["draft"]) for c in self.get("concepts", [])
            ]
        return self.staging.cache[key]

    def docs_for(self, concept: ConceptDraft) -> list[Document]:
        """The documents a concept's evidence points into (all of them if it has none)."""
        key = (self.thread, "#by_path")
        if key not in self.staging.cache:
            self.staging.cache[key] = {d.path: d for d in self.docs()}
        by_path = self.staging.cache[key]
        paths = []
        for ev in concept.evidence:
            if ev.source in by_path and ev.source not in paths:
                paths.append(ev.source)
        return [by_path[p] for p in paths] if paths else self.docs()


def build_ingest_graph(
    db: Database,
    engine=None,
    on_progress: ProgressFn | None = None,
    checkpointer=None,
    staging: Staging | None = None,
):
    """Compile the ingest graph. Nodes read and write through closures over ``db``, ``engine``
    and the staging table; ``checkpointer`` (a LangGraph saver) makes runs resumable.
    Returns ``(graph, ctx)``; set ``ctx.thread`` to the run's thread id before invoking."""
    from langgraph.graph import END, START, StateGraph

    if engine is None:
        from teachback.engine.embedded import get_engine

        engine = get_engine()
    ctx = _Ctx(db, engine, on_progress, staging or Staging(None))

    # ---- read: files -> Documents (readers), classified against the store -----------------
    def read(state: IngestState) -> dict:
        from teachback.config import IngestLimits
        from teachback.ingest.readers import load_sources

        curriculum = state["curriculum"]
        limits = IngestLimits()
        if state.get("max_file_bytes"):
            limits = IngestLimits(max_file_bytes=int(state["max_file_bytes"]))
        ctx.progress("read", 0, len(state["paths"]), "reading sources")

        def reader_progress(done: int, total: int, name: str = "") -> None:
            ctx.progress("read", done, total, Path(name).name if name else "")

        result = load_sources(
            state["paths"],
            limits=limits,
            on_progress=reader_progress,
            include=state.get("include") or None,
            exclude=state.get("exclude") or None,
        )
        stored = {
            row[0]: (row[1], row[2] is not None)
            for row in db.execute(
                "select id, sha256, length(text) from sources where curriculum_id = ?",
                [curriculum],
            ).fetchall()
        }
        sources, docs, seen = [], [], set()
        left_out = state.get("left_out") or {}
        for doc in result.documents:
            doc.path = stored_path(doc.path)
            if doc.path in seen or doc.path in left_out:
                continue
            seen.add(doc.path)
            if not doc.sha256:
                doc.sha256 = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            sid = repo.source_id(curriculum, doc.path)
            if sid not in stored or not stored[sid][1]:
                status = "new"
            elif stored[sid][0] != doc.sha256:
                status = "changed"
            else:
                status = "unchanged"
            sources.append(
                {
                    "id": sid,
                    "path": doc.path,
                    "sha256": doc.sha256,
                    "status": status,
                    "title": doc.title,
                    "format": doc.format,
                    "chars": len(doc.text),
                }
            )
            if status != "unchanged":
                docs.append(doc_to_json(doc))
        errors = []
        for err in result.errors:
            where = getattr(err, "where", "") or ""
            path = stored_path(where) if where else ""
            errors.append({"path": path, "message": str(err)})
        errors += [{"path": p, "message": f"{p}: {why}"} for p, why in left_out.items()]
        ctx.put("read_docs", docs)
        ctx.progress(
            "read",
            len(state["paths"]),
            len(state["paths"]),
            f"{len(sources)} read, {len(errors)} failed",
        )
        # Concepts left without exercises by an earlier run are finished by this one.
        unfinished = (
            state.get("with_exercises", True)
            and db.execute(
                "select count(*) from concepts where curriculum_id = ? "
                "and fingerprint like '%:partial'",
                [curriculum],
            ).fetchone()[0]
        )
        return {
            "sources": sources,
            "errors": errors,
            "skipped": [f"{stored_path(p)} ({why})" for p, why in result.triaged],
            "changed": any(s["status"] != "unchanged" for s in sources) or bool(unfinished),
        }

    def after_read(state: IngestState) -> Literal["chunk", "store"]:
        return "chunk" if state.get("changed") else "store"

    # ---- chunk: passages; the curriculum's full document set ------------------------------
    def chunk(state: IngestState) -> dict:
        fresh = [doc_from_json(d) for d in ctx.get("read_docs", [])]
        ctx.staging.cache.pop((ctx.thread, "read_docs"), None)
        fresh_ids = {repo.source_id(state["curriculum"], d.path) for d in fresh}
        docs = []
        for i, doc in enumerate(fresh):
            docs.append(chunk_document(doc))
            ctx.progress("chunk", i + 1, len(fresh), Path(doc.path).name)
        # Every other stored source of the curriculum, as stored (never re-chunked).
        keep = [
            s["id"] for s in repo.get_sources(db, state["curriculum"]) if s["id"] not in fresh_ids
        ]
        stored_docs = repo.load_documents(db, state["curriculum"], keep) if keep else []
        all_docs = sorted(stored_docs + docs, key=lambda d: d.path)
        ctx.put("docs", [doc_to_json(d) for d in all_docs])
        ctx.put("fresh", sorted(fresh_ids))
        ctx.staging.cache.pop((ctx.thread, "#docs"), None)
        return {}

    # ---- extract concepts -----------------------------------------------------------------
    def extract(state: IngestState) -> dict:
        docs = ctx.docs()
        ctx.progress("concepts", 0, 1, f"finding concepts in {len(docs)} sources")
        drafts = ctx.engine.extract_concepts(docs)
        ctx.put("drafts", [c.model_dump(mode="json") for c in drafts])
        ctx.progress("concepts", 1, 1, f"{len(drafts)} concepts")
        return {"n_concepts": len(drafts)}

    # ---- merge: drafts onto stored concepts (stable ids; instructor rows protected) --------
    def merge(state: IngestState) -> dict:
        curriculum = state["curriculum"]
        drafts = [ConceptDraft.model_validate(c) for c in ctx.get("drafts", [])]
        stored = repo.get_concepts(db, curriculum)
        by_slug = {c["slug"]: c for c in stored}
        by_name: dict[str, dict] = {}
        for c in stored:
            for n in [c["name"], *c["aliases"]]:
                by_name.setdefault(n.lower(), c)
        merged: list[dict] = []
        index_of_id: dict[str, int] = {}
        used_slugs = set(by_slug)
        # What an instructor removed stays removed: a deleted concept is not re-created, and
        # a name merged away maps onto the concept it was merged into.
        overrides = instructor_overrides(db, curriculum)
        deleted = {n.lower() for n in overrides["deleted"]}
        by_id = {c["id"]: c for c in stored}
        for absorbed, keep in overrides["merged"].items():
            if keep in by_id:
                by_name[absorbed.lower()] = by_id[keep]
        skipped = 0
        for draft in drafts:
            names = [draft.name, *draft.aliases]
            if draft.name.lower() in deleted:
                skipped += 1
                continue
            slug = repo.slugify(draft.name)
            match = by_slug.get(slug)
            if match is None:
                for n in names:
                    if n.lower() in by_name:
                        match = by_name[n.lower()]
                        break
            if match is not None:
                cid, slug = match["id"], match["slug"]
                protected = bool(match.get("edited")) or match.get("origin") == "instructor"
            else:
                base, k = slug, 2
                while slug in used_slugs and repo.concept_id(curriculum, slug) not in (index_of_id):
                    slug = f"{base}-{k}"
                    k += 1
                cid, protected = repo.concept_id(curriculum, slug), False
            if cid in index_of_id:  # two drafts landed on one concept: fold into the first
                first = merged[index_of_id[cid]]["draft"]
                first["aliases"] = sorted(
                    {*first["aliases"], draft.name, *draft.aliases} - {first["name"]}
                )
                first["evidence"].extend(e.model_dump(mode="json") for e in draft.evidence)
                continue
            used_slugs.add(slug)
            index_of_id[cid] = len(merged)
            merged.append(
                {
                    "id": cid,
                    "slug": slug,
                    "protected": protected,
                    "draft": draft.model_dump(mode="json"),
                }
            )
        ctx.put("concepts", merged)
        ctx.staging.cache.pop((ctx.thread, "#concepts"), None)
        kept_out = f" ({skipped} deleted by an instructor left out)" if skipped else ""
        ctx.progress(
            "merge", len(merged), len(merged), f"{len(merged)} concepts after merging{kept_out}"
        )
        return {"n_concepts": len(merged)}

    # ---- link prerequisites, order units, plan what needs new lessons/exercises -----------
    def link(state: IngestState) -> dict:
        concepts, docs = ctx.concepts(), ctx.docs()
        ctx.progress("prerequisites", 0, 1, "linking prerequisites")
        notes = list(state.get("notes", []))
        try:
            edges = ctx.engine.link_prerequisites(concepts, docs) if concepts else []
        except ImportError as err:  # the linking module is not in this build
            edges = []
            notes.append(f"prerequisite linking unavailable ({err}): no edges")
        order = getattr(ctx.engine, "order_units", None)
        units: list[UnitDraft] = []
        if order is not None and concepts:
            try:
                units = order(concepts, edges)
            except ImportError:
                units = []
        if not units and concepts:
            units = _units_by_source(concepts)
        ctx.put("edges", [e.model_dump(mode="json") for e in edges])
        ctx.put("units", [u.model_dump(mode="json") for u in units])
        # Fingerprints: what a concept's lesson and exercises are made from.
        prereqs = _prerequisite_names(concepts, edges)
        rows = ctx.get("concepts", [])
        stored_fp = dict(
            db.execute(
                "select id, fingerprint from concepts where curriculum_id = ?",
                [state["curriculum"]],
            ).fetchall()
        )
        has_lesson = {
            r[0]
            for r in db.execute(
                "select l.concept_id from lessons l join concepts c on c.id = l.concept_id "
                "where c.curriculum_id = ?",
                [state["curriculum"]],
            ).fetchall()
        }
        fresh = set(ctx.get("fresh", []))
        sha = {s["path"]: s["sha256"] for s in state.get("sources", [])}
        todo = []
        for i, (row, concept) in enumerate(zip(rows, concepts, strict=True)):
            fp = _fingerprint(concept, prereqs.get(concept.name, []), sha)
            row["fingerprint"] = fp
            if row["protected"]:
                continue
            if stored_fp.get(row["id"]) != fp or row["id"] not in has_lesson:
                todo.append(i)
        # Concepts sharing sources are processed together: engine steps that cache per set of
        # documents (the exercise corpus) then build each cache once.
        todo.sort(key=lambda i: (_source_key(concepts[i]), i))
        ctx.put("concepts", rows)
        ctx.progress(
            "prerequisites",
            1,
            1,
            f"{sum(e.status == 'active' for e in edges)} edges; "
            f"{len(todo)} concepts need lessons and exercises ({len(fresh)} sources changed)",
        )
        return {"todo": todo, "notes": notes}

    # ---- lessons ---------------------------------------------------------------------------
    def write_lessons(state: IngestState) -> dict:
        concepts = ctx.concepts()
        edges = [EdgeDraft.model_validate(e) for e in ctx.get("edges", [])]
        prereqs = _prerequisite_names(concepts, edges)
        takes_prereqs = "prerequisites" in inspect.signature(ctx.engine.write_lesson).parameters
        todo = state.get("todo", [])
        ctx.progress("lessons", 0, len(todo), "writing lessons")
        for b, batch in enumerate(_batches(todo)):
            key = f"lessons:{b}"
            if ctx.staging.has(ctx.thread, key):
                continue  # done before an interruption
            out = {}
            for i in batch:
                concept = concepts[i]
                docs = ctx.docs_for(concept)
                if takes_prereqs:
                    lesson = ctx.engine.write_lesson(
                        concept, docs, prerequisites=prereqs.get(concept.name, [])
                    )
                else:
                    lesson = ctx.engine.write_lesson(concept, docs)
                out[str(i)] = lesson.model_dump(mode="json")
            ctx.put(key, out)
            ctx.progress("lessons", min((b + 1) * BATCH, len(todo)), len(todo))
        return {}

    # ---- exercises: generate (and self-check when the engine does both) -------------------
    def generate_exercises(state: IngestState) -> dict:
        with _frozen_heap():
            return _generate_exercises(state)

    def _generate_exercises(state: IngestState) -> dict:
        concepts = ctx.concepts()
        todo = state.get("todo", [])
        notes = list(state.get("notes", []))
        generate = getattr(ctx.engine, "generate_checked", None)
        make = getattr(ctx.engine, "make_exercises", None)
        mode = "generate_checked" if generate is not None else "make_exercises"
        if not state.get("with_exercises", True):
            return {"exercises": "skip: turned off for this run"}
        if generate is None and make is None:
            return {"exercises": "skip: the engine makes no exercises"}
        failed: list[str] = []
        no_exercises = state.get("no_exercises") or {}
        ctx.progress("exercises", 0, len(todo), "writing and self-checking exercises")
        for b, batch in enumerate(_batches(todo)):
            key = f"exercises:{b}"
            if ctx.staging.has(ctx.thread, key):
                continue
            out = {}
            # Every concept gets the batch's documents (the same list each time): the exercise
            # corpus and its indexes are built once per document set, distractors come from
            # the whole batch and the self-check answers against all the sources (per-concept
            # subsets made one corpus per subset: 2.7x the CPU at 1 MB).
            docs = _exercise_docs(ctx.docs(), no_exercises)
            for i in batch:
                concept = concepts[i]
                if not _makes_exercises(concept, no_exercises):
                    continue
                try:  # the same ``concepts`` list every time: engines may cache per list
                    if generate is not None:
                        kept, rejected = generate(concept, concepts, docs)
                    else:
                        kept, rejected = make(concept, concepts, docs), []
                except ImportError as err:  # exercises are optional: skip the stage cleanly
                    ctx.progress("exercises", 0, 0, "exercise generation unavailable: skipped")
                    return {"exercises": f"skip: exercise generation unavailable ({err})"}
                except Exception as err:  # one concept's failure does not sink the ingest
                    failed.append(f"{concept.name}: {type(err).__name__}: {err}")
                    continue
                out[str(i)] = {
                    "kept": [x.model_dump(mode="json") for x in kept],
                    "rejected": [x.model_dump(mode="json") for x in rejected],
                }
            ctx.put(key, out)
            ctx.progress("exercises", min((b + 1) * BATCH, len(todo)), len(todo))
        if failed:
            notes.append(
                f"exercise generation failed for {len(failed)} concept(s), e.g. {failed[0]}"
            )
        return {"exercises": mode, "notes": notes}

    def after_generate(state: IngestState) -> Literal["verify_exercises", "store"]:
        return "store" if state.get("exercises", "").startswith("skip") else "verify_exercises"

    # ---- verify: grounding (citations are the sources' own text) and duplicates -----------
    def verify_exercises(state: IngestState) -> dict:
        with _frozen_heap():
            try:
                return _verify_exercises(state)
            finally:
                _release_exercise_caches()

    def _verify_exercises(state: IngestState) -> dict:
        todo = state.get("todo", [])
        self_check = state.get("exercises") == "make_exercises"
        seen_prompts: set[str] = set()
        by_path = {d.path: d for d in ctx.docs()}
        no_exercises = state.get("no_exercises") or {}
        concepts = ctx.concepts()
        ctx.progress("verify", 0, len(todo), "checking citations and duplicates")
        for b, _batch in enumerate(_batches(todo)):
            key = f"verified:{b}"
            if ctx.staging.has(ctx.thread, key):
                staged = ctx.get(key, {})
                # (verified before an exercise stage was stopped: drop what is now left out)
                kept_items = {
                    i: item
                    for i, item in staged.items()
                    if _makes_exercises(concepts[int(i)], no_exercises)
                }
                if len(kept_items) != len(staged):
                    ctx.put(key, kept_items)
                for item in kept_items.values():
                    seen_prompts.update(x["prompt"].strip().lower() for x in item["kept"])
                continue
            out = {}
            # as in generate_exercises: all of the batch's documents (less those left out)
            docs = _exercise_docs(ctx.docs(), no_exercises)
            for i, item in ctx.get(f"exercises:{b}", {}).items():
                if not _makes_exercises(concepts[int(i)], no_exercises):
                    continue  # generated before its source's exercises were left out
                kept, rejected = [], list(item["rejected"])
                kept_drafts: list[ExerciseDraft] = []
                for x in item["kept"]:
                    draft = ExerciseDraft.model_validate(x)
                    reasons = []
                    draft.citations = _grounded(draft.citations, by_path)
                    if not draft.citations:
                        reasons.append("ungrounded: no citation matches its source text")
                    norm = draft.prompt.strip().lower()
                    if norm in seen_prompts:
                        reasons.append("duplicate: the same prompt is kept for another concept")
                    if self_check and not reasons:
                        result = ctx.engine.self_check(draft, docs, kept_drafts)
                        draft.self_check = result
                        if not result.passed:
                            reasons.extend(result.reasons or ["self-check failed"])
                    if reasons:
                        check = draft.self_check.model_dump() if draft.self_check else {}
                        check.update(passed=False, reasons=[*check.get("reasons", []), *reasons])
                        draft.self_check = SelfCheckResult.model_validate(check)
                        rejected.append(draft.model_dump(mode="json"))
                    else:
                        seen_prompts.add(norm)
                        kept_drafts.append(draft)
                        kept.append(draft.model_dump(mode="json"))
                out[i] = {"kept": kept, "rejected": rejected}
            ctx.put(key, out)
            ctx.progress("verify", min((b + 1) * BATCH, len(todo)), len(todo))
        return {}

    # ---- store: one transaction -----------------------------------------------------------
    def store(state: IngestState) -> dict:
        ctx.progress("store", 0, 1, "saving")
        counts = _store(db, ctx, state)
        ctx.progress("store", 1, 1, "saved")
        return {"stored": counts}

    graph = StateGraph(IngestState, input_schema=IngestInput)
    graph.add_node("read", read)
    graph.add_node("chunk", _guard("chunk", chunk))
    graph.add_node("extract_concepts", _guard("concepts", extract))
    graph.add_node("merge_concepts", _guard("merge", merge))
    graph.add_node("link_prerequisites", _guard("prerequisites", link))
    graph.add_node("write_lessons", _guard("lessons", write_lessons))
    graph.add_node("generate_exercises", _guard("exercises", generate_exercises))
    graph.add_node("verify_exercises", _guard("verify", verify_exercises))
    graph.add_node("store", store)
    graph.add_edge(START, "read")
    graph.add_conditional_edges("read", after_read)
    graph.add_edge("chunk", "extract_concepts")
    graph.add_edge("extract_concepts", "merge_concepts")
    graph.add_edge("merge_concepts", "link_prerequisites")
    graph.add_edge("link_prerequisites", "write_lessons")
    graph.add_edge("write_lessons", "generate_exercises")
    graph.add_conditional_edges("generate_exercises", after_generate)
    graph.add_edge("verify_exercises", "store")
    graph.add_edge("store", END)
    return graph.compile(checkpointer=checkpointer, name="ingest"), ctx


# --------------------------------------------------------------------------------------------
# helpers used by nodes


def _guard(stage: str, node: Callable[[IngestState], dict]) -> Callable[[IngestState], dict]:
    """``node`` under the time and memory budget of this run's new sources (``ingest/guard``):
    a stage that runs over raises ``StageStopped`` and ``run_ingest`` leaves the largest new
    source out."""

    def guarded_node(state: IngestState) -> dict:
        with guarded(stage, _budget(state)):
            return node(state)

    guarded_node.__name__ = node.__name__
    return guarded_node


def _budget(state: IngestState) -> Budget:
    limits = IngestBudget()
    fresh = sum(s.get("chars", 0) for s in state.get("sources", []) if s["status"] != "unchanged")
    mb = fresh / (1024 * 1024)
    return Budget(limits.stage_seconds + limits.seconds_per_mb * mb, limits.memory_mb)


def _largest_new_source(values: dict, besides: Iterable[str] = ()) -> str | None:
    """The path of the biggest new or changed source of a run's state (other than
    ``besides``), or None."""
    besides = set(besides)
    fresh = [
        s
        for s in values.get("sources", [])
        if s["status"] != "unchanged" and s["path"] not in besides
    ]
    return max(fresh, key=lambda s: s.get("chars", 0))["path"] if fresh else None


def _exercise_docs(docs: list[Document], no_exercises: dict[str, str]) -> list[Document]:
    """The documents exercises are made and checked from: all but those left out."""
    if not no_exercises:
        return docs
    return [d for d in docs if d.path not in no_exercises]


def _makes_exercises(concept: ConceptDraft, no_exercises: dict[str, str]) -> bool:
    """Whether a concept gets exercises: not when every source it comes from had its
    exercises left out (a concept also taught elsewhere keeps them, from the other sources)."""
    if not no_exercises:
        return True
    sources = {ev.source for ev in concept.evidence}
    return not sources or not sources <= no_exercises.keys()


def _batches(items: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _source_key(concept: ConceptDraft) -> tuple[str, ...]:
    return tuple(sorted({ev.source for ev in concept.evidence}))


def _name_index(concepts: list[ConceptDraft]) -> dict[str, int]:
    """Lower-cased names and aliases -> concept index (names win over aliases)."""
    index: dict[str, int] = {}
    for i, c in enumerate(concepts):
        for alias in c.aliases:
            index.setdefault(alias.lower(), i)
    for i, c in enumerate(concepts):
        index[c.name.lower()] = i
    return index


def _prerequisite_names(concepts: list[ConceptDraft], edges: list[EdgeDraft]) -> dict:
    index = _name_index(concepts)
    out: dict[str, list[str]] = {}
    for e in edges:
        if e.kind != "prerequisite" or e.status != "active":
            continue
        a, b = index.get(e.prerequisite.lower()), index.get(e.concept.lower())
        if a is None or b is None or a == b:
            continue
        names = out.setdefault(concepts[b].name, [])
        if concepts[a].name not in names:
            names.append(concepts[a].name)
    return out


def _fingerprint(concept: ConceptDraft, prereqs: list[str], sha: dict[str, str]) -> str:
    payload = {
        "name": concept.name,
        "aliases": sorted(concept.aliases),
        "definition": concept.definition,
        "evidence": sorted((e.source, e.start, e.end, e.quote) for e in concept.evidence),
        "prereqs": sorted(prereqs),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def _units_by_source(concepts: list[ConceptDraft]) -> list[UnitDraft]:
    """Fallback when no unit ordering is available: one unit per first source, in order."""
    groups: dict[int, list[ConceptDraft]] = {}
    for c in concepts:
        groups.setdefault(c.first_seen[0], []).append(c)
    return [
        UnitDraft(
            title=f"Unit {n}",
            concepts=[c.name for c in sorted(group, key=lambda c: c.first_seen)],
        )
        for n, (_, group) in enumerate(sorted(groups.items()), 1)
    ]


def _locate(span: Span, text: str) -> tuple[int, int] | None:
    """``(start, end)`` where ``span.quote`` really is in ``text``: its own span when it
    matches, else the occurrence nearest to it; ``None`` when the quote is not there."""
    if 0 <= span.start <= span.end <= len(text) and text[span.start : span.end] == span.quote:
        return span.start, span.end
    if not span.quote:
        return None
    best, at = None, text.find(span.quote)
    while at >= 0:
        if best is None or abs(at - span.start) < abs(best - span.start):
            best = at
        at = text.find(span.quote, at + 1)
    return (best, best + len(span.quote)) if best is not None else None


@contextlib.contextmanager
def _frozen_heap():
    """Run a stage with the objects that exist when it starts left out of the garbage
    collector's scans (``gc.freeze``), then put them back (``gc.unfreeze``).

    The exercise stages allocate many small objects, and each full collection they trigger
    used to rescan everything earlier stages left in memory (documents, concepts, caches):
    about 2.4 s of collector time in a 1 MB ingest, mostly in these stages. Objects made
    during the stage are still collected as usual; cycles among the older ones are found at
    the next full collection after the stage."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# Young-generation size for an ingest (CPython's default is 700). Every stage allocates millions of
# short-lived objects (tokens, n-grams, candidate dicts) that are not garbage cycles; with the
# default each 700 allocations start a collection. Measured on the 1 MB corpus, 5 runs
# alternated: 9.7-9.8 s CPU with the default, 8.4-9.1 s with 20,000 (50,000: 8.6-9.1 s).
INGEST_GC_THRESHOLD0 = 20_000


@contextlib.contextmanager
def _fewer_collections():
    """Run an ingest with a larger young generation, then restore the collector's thresholds.

    The thresholds are process-wide: other threads see them during the ingest too, which only
    means fewer, larger collections for them (cycles are still collected)."""
    before = gc.get_threshold()
    gc.set_threshold(max(INGEST_GC_THRESHOLD0, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _release_exercise_caches() -> None:
    """At the end of the exercise stages: drop the exercise corpus and its caches (cycles
    broken, so they are freed at once rather than by a full collection scanning them)."""
    try:
        from teachback.ingest.exercises.corpus import Corpus
    except ImportError:  # exercises are optional
        return
    Corpus.release()


def _grounded(spans: list[Span], by_path: dict[str, Document]) -> list[Span]:
    out = []
    for span in spans:
        doc = by_path.get(span.source)
        where = _locate(span, doc.text) if doc is not None else None
        if where is not None:
            out.append(Span(source=span.source, start=where[0], end=where[1], quote=span.quote))
    return out


# --------------------------------------------------------------------------------------------
# the store step


class _Passages:
    """Find the passage containing an offset of a source: bisect over passage starts."""

    def __init__(self, db: Database, source_ids: Iterable[str]):
        self.starts: dict[str, list[int]] = {}
        self.ids: dict[str, list[int]] = {}
        ids = list(source_ids)
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            for sid, pid, start in db.execute(
                "select source_id, id, start from passages where source_id in "
                f"({', '.join('?' for _ in chunk)}) order by source_id, start",
                chunk,
            ).fetchall():
                self.starts.setdefault(sid, []).append(start)
                self.ids.setdefault(sid, []).append(pid)

    def at(self, source_id: str, offset: int) -> int | None:
        starts = self.starts.get(source_id)
        if not starts:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        return self.ids[source_id][max(i, 0)]


def _insert_many(db: Database, table: str, rows: list[dict], verb: str = "insert") -> None:
    """``executemany`` of dict rows (all with the same keys): far faster than a sqlite-utils
    call per row. ``verb`` may be ``"insert or ignore"`` / ``"insert or replace"``."""
    if not rows:
        return
    cols = list(rows[0])
    sql = (
        f"{verb} into [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
        f"values ({', '.join('?' for _ in cols)})"
    )
    db.conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


def _store(db: Database, ctx: _Ctx, state: IngestState) -> dict:
    curriculum = state["curriculum"]
    stamp = now()
    counts = {"lessons_written": 0, "exercises_kept": 0, "exercises_rejected": 0}
    with db.atomic():
        repo.ensure_curriculum(db, curriculum)
        # 1. errors: recorded on the source row; its text, passages and concepts stay as they were
        for err in state.get("errors", []):
            sid = repo.source_id(curriculum, err["path"] or err["message"])
            if db["sources"].count_where("id = ?", [sid]):
                db["sources"].update(sid, {"status": "error", "error": err["message"]})
            else:
                db["sources"].insert(
                    {
                        "id": sid,
                        "curriculum_id": curriculum,
                        "path": err["path"],
                        "format": Path(err["path"]).suffix.lstrip(".").lower() or None,
                        "title": Path(err["path"]).name,
                        "status": "error",
                        "error": err["message"],
                        "ingested_at": stamp,
                    }
                )
        # Unchanged sources of the batch: a previous error on them is cleared.
        for src in state.get("sources", []):
            if src["status"] == "unchanged":
                db.execute(
                    "update sources set status = 'ok', error = null "
                    "where id = ? and status = 'error'",
                    [src["id"]],
                )
        if not state.get("changed"):
            return counts

        docs = ctx.docs()
        by_path = {d.path: d for d in docs}
        fresh = set(ctx.get("fresh", []))
        sid_of = {d.path: repo.source_id(curriculum, d.path) for d in docs}

        # 2. fresh sources: row, then passages (old ones replaced)
        protected_ids = {
            r[0]
            for r in db.execute(
                "select id from concepts where curriculum_id = ? "
                "and (coalesce(edited, 0) = 1 or origin = 'instructor')",
                [curriculum],
            ).fetchall()
        }
        keep_evidence = []
        if fresh:
            marks = ", ".join("?" for _ in fresh)
            rows = db.execute(
                "select concept_id, source_id, start, end, quote, role from evidence "
                f"where source_id in ({marks})",
                sorted(fresh),
            ).fetchall()
            keep_evidence = [r for r in rows if r[0] in protected_ids]
            db.execute(f"delete from evidence where source_id in ({marks})", sorted(fresh))
            db.execute(f"delete from passages where source_id in ({marks})", sorted(fresh))
        for doc in docs:
            sid = sid_of[doc.path]
            if sid not in fresh:
                continue
            db["sources"].upsert(
                {
                    "id": sid,
                    "curriculum_id": curriculum,
                    "path": doc.path,
                    "format": doc.format,
                    "title": doc.title,
                    "sha256": doc.sha256,
                    "size": len(doc.text.encode("utf-8")),
                    "text": doc.text,
                    "language": doc.language,
                    "status": "ok",
                    "error": None,
                    "ingested_at": stamp,
                    "meta": json.dumps(store_images(db, doc.meta), default=str),
                },
                pk="id",
            )
            _insert_many(
                db,
                "passages",
                [
                    {
                        "source_id": sid,
                        "seq": seq,
                        "kind": sec.kind,
                        "heading_path": json.dumps(list(sec.heading_path), ensure_ascii=False),
                        "locator": sec.locator,
                        "start": sec.start,
                        "end": sec.end,
                        "text": sec.text,
                        "signals": json.dumps(sec.signals, ensure_ascii=False, default=str),
                    }
                    for seq, sec in enumerate(doc.sections)
                ],
            )
        passages = _Passages(db, sid_of.values())
        # Protected concepts' evidence into a changed source: re-anchored by quote, or dropped.
        path_of = {sid: path for path, sid in sid_of.items()}
        anchored = []
        for cid, sid, start, end, quote, role in keep_evidence:
            doc = by_path.get(path_of.get(sid, ""))
            span = Span(source=sid, start=start, end=end, quote=quote or "")
            where = _locate(span, doc.text) if doc is not None else None
            if where is not None:
                anchored.append(
                    {
                        "concept_id": cid,
                        "source_id": sid,
                        "passage_id": passages.at(sid, where[0]),
                        "start": where[0],
                        "end": where[1],
                        "quote": quote,
                        "role": role,
                    }
                )
        _insert_many(db, "evidence", anchored)

        # 3. concepts
        rows = ctx.get("concepts", [])
        concepts = ctx.concepts()
        units = [UnitDraft.model_validate(u) for u in ctx.get("units", [])]
        index = _name_index(concepts)
        id_of = [r["id"] for r in rows]
        stored = {r["id"]: r for r in db["concepts"].rows_where("curriculum_id = ?", [curriculum])}
        # units: matched by title (ids kept), new ones appended
        unit_rows = {
            u["title"]: u for u in db["units"].rows_where("curriculum_id = ?", [curriculum])
        }
        next_pos = max([u["position"] or 0 for u in unit_rows.values()] + [0]) + 1
        unit_of: dict[int, int] = {}
        position: dict[int, int] = {}
        order = 0
        for unit in units:
            if unit.title in unit_rows:
                uid = unit_rows[unit.title]["id"]
            else:
                uid = (
                    db["units"]
                    .insert(
                        {"curriculum_id": curriculum, "position": next_pos, "title": unit.title}
                    )
                    .last_pk
                )
                unit_rows[unit.title] = {"id": uid, "position": next_pos}
                next_pos += 1
            for name in unit.concepts:
                i = index.get(name.lower())
                if i is not None and i not in unit_of:
                    unit_of[i] = uid
                    position[i] = order
                    order += 1
        for i in range(len(rows)):
            if i not in position:
                position[i] = order
                order += 1

        # A concept whose exercises were not made this run (stage skipped, or its generation
        # failed) gets a "partial" fingerprint, so the next run makes them.
        todo = state.get("todo", [])
        skipped = state.get("exercises", "").startswith("skip")
        made = set()
        for b, _ in enumerate(_batches(todo)):
            made.update(int(i) for i in ctx.get(f"verified:{b}", {}))
        partial = set(todo) if skipped else set(todo) - made
        inserts, updates, aliases, evidence, rewritten = [], [], [], [], []
        for i, (row, concept) in enumerate(zip(rows, concepts, strict=True)):
            cid = row["id"]
            if row["protected"]:
                continue
            old = stored.get(cid)
            record = {
                "id": cid,
                "curriculum_id": curriculum,
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
            if old is None:
                inserts.append({**record, "rev": 1, "updated_at": stamp})
            elif any(old.get(k) != v for k, v in record.items()):
                updates.append({**record, "rev": (old.get("rev") or 0) + 1, "updated_at": stamp})
            rewritten.append((cid,))
            for a in sorted({a for a in concept.aliases if a and a != concept.name}):
                aliases.append({"concept_id": cid, "alias": a})
            seen = set()
            for ev in concept.evidence:
                doc = by_path.get(ev.source)
                where = _locate(ev, doc.text) if doc is not None else None
                if where is None or (ev.source, where) in seen:
                    continue
                seen.add((ev.source, where))
                sid = sid_of[ev.source]
                evidence.append(
                    {
                        "concept_id": cid,
                        "source_id": sid,
                        "passage_id": passages.at(sid, where[0]),
                        "start": where[0],
                        "end": where[1],
                        "quote": ev.quote,
                        "role": ev.role,
                    }
                )
        _insert_many(db, "concepts", inserts)
        if updates:
            cols = [c for c in updates[0] if c != "id"]
            db.conn.executemany(
                f"update concepts set {', '.join(f'[{c}] = ?' for c in cols)} where id = ?",
                [tuple(u[c] for c in cols) + (u["id"],) for u in updates],
            )
        db.conn.executemany("delete from aliases where concept_id = ?", rewritten)
        db.conn.executemany("delete from evidence where concept_id = ?", rewritten)
        _insert_many(db, "aliases", aliases, "insert or ignore")
        _insert_many(db, "evidence", evidence)

        # stale concepts (no longer proposed, never touched by an instructor, nothing edited
        # hanging off them): removed with what depends on them
        current = set(id_of)
        for cid in stored:
            if cid in current or cid in protected_ids:
                continue
            edited_children = db.execute(
                "select (select count(*) from lessons where concept_id = ? and "
                "(coalesce(edited,0) = 1 or origin = 'instructor')) + "
                "(select count(*) from exercises where concept_id = ? and "
                "(coalesce(edited,0) = 1 or origin = 'instructor' or status = 'approved'))",
                [cid, cid],
            ).fetchone()[0]
            if edited_children:
                continue
            for table in ("aliases", "evidence", "lessons", "exercises"):
                db.execute(f"delete from {table} where concept_id = ?", [cid])
            db.execute("delete from edges where prerequisite = ? or concept = ?", [cid, cid])
            db.execute("delete from concepts where id = ?", [cid])
        # units left empty by the re-ingest
        db.execute(
            "delete from units where curriculum_id = ? and id not in "
            "(select unit_id from concepts where unit_id is not null)",
            [curriculum],
        )

        # 4. edges: the ingest's own are replaced; instructor edges are kept and win
        db.execute(
            "delete from edges where curriculum_id = ? and coalesce(origin, 'ingest') = 'ingest'",
            [curriculum],
        )
        _store_edges(db, curriculum, concepts, id_of, ctx.get("edges", []))

        # 5. lessons and 6. exercises, for the concepts that needed them
        old_lessons = {
            r[0]: (r[1], r[2])
            for r in db.execute(
                "select l.concept_id, coalesce(l.rev, 0), "
                "coalesce(l.edited, 0) = 1 or l.origin = 'instructor' "
                "from lessons l join concepts c on c.id = l.concept_id where c.curriculum_id = ?",
                [curriculum],
            ).fetchall()
        }
        lessons = []
        for b, _ in enumerate(_batches(todo)):
            for i, lesson in ctx.get(f"lessons:{b}", {}).items():
                cid = id_of[int(i)]
                rev, protected = old_lessons.get(cid, (0, False))
                if protected:
                    continue
                cites = _store_spans(lesson.get("citations", []), sid_of, by_path)
                lessons.append(
                    {
                        "concept_id": cid,
                        "text": lesson["text"],
                        "citations": json.dumps(cites, ensure_ascii=False),
                        "origin": "ingest",
                        "edited": 0,
                        "rev": rev + 1,
                        "updated_at": stamp,
                    }
                )
        _insert_many(db, "lessons", lessons, "insert or replace")
        counts["lessons_written"] = len(lessons)
        if not state.get("exercises", "").startswith("skip"):
            exercises, regenerated = [], []
            for b, _ in enumerate(_batches(todo)):
                for i, item in ctx.get(f"verified:{b}", {}).items():
                    cid = id_of[int(i)]
                    regenerated.append((cid,))
                    for status in ("kept", "rejected"):
                        for x in item[status]:
                            exercises.append(
                                _exercise_row(curriculum, cid, x, status, sid_of, by_path, stamp)
                            )
            db.conn.executemany(
                "delete from exercises where concept_id = ? and origin = 'ingest' "
                "and coalesce(edited, 0) = 0 and status != 'approved'",
                regenerated,
            )
            existing: set[str] = set()
            ids = sorted({x["id"] for x in exercises})
            for k in range(0, len(ids), 500):
                chunk = ids[k : k + 500]
                marks = ", ".join("?" for _ in chunk)
                existing.update(
                    r[0]
                    for r in db.execute(f"select id from exercises where id in ({marks})", chunk)
                )
            _insert_many(db, "exercises", exercises, "insert or ignore")
            for x in exercises:  # an identical stored exercise (perhaps approved) is kept
                if x["id"] not in existing:
                    existing.add(x["id"])
                    counts[f"exercises_{x['status']}"] += 1
    return counts


def _store_spans(spans: list[dict], sid_of: dict, by_path: dict) -> list[dict]:
    """Spans from the engine (``source`` = document path) as stored (``source`` = source id),
    kept only where the quote really is the source's text at the span."""
    out = []
    for s in spans:
        span = Span.model_validate(s)
        doc = by_path.get(span.source)
        where = _locate(span, doc.text) if doc is not None else None
        if where is not None:
            out.append(
                {
                    "source": sid_of[span.source],
                    "start": where[0],
                    "end": where[1],
                    "quote": span.quote,
                }
            )
    return out


def _exercise_row(curriculum, cid, x, status, sid_of, by_path, stamp) -> dict:
    return {
        "id": repo.exercise_id(cid, x["kind"], x["prompt"]),
        "curriculum_id": curriculum,
        "concept_id": cid,
        "kind": x["kind"],
        "prompt": x["prompt"],
        "choices": json.dumps(x.get("choices", []), ensure_ascii=False),
        "answer": json.dumps(x.get("answer"), ensure_ascii=False),
        "explanation": x.get("explanation", ""),
        "difficulty": x.get("difficulty", 0.5),
        "citations": json.dumps(
            _store_spans(x.get("citations", []), sid_of, by_path), ensure_ascii=False
        ),
        "data": json.dumps(x.get("data", {}), ensure_ascii=False, default=str),
        "self_check": json.dumps(x.get("self_check"), ensure_ascii=False, default=str),
        "status": status,
        "origin": "ingest",
        "edited": 0,
        "rev": 1,
        "created_at": stamp,
    }


def _store_edges(db, curriculum, concepts, id_of, edge_dicts) -> None:
    """Ingest edges, mapped to concept ids. An active prerequisite edge that would close a cycle
    with the instructor's edges is stored as removed, with the reason."""
    import networkx as nx

    index = _name_index(concepts)
    existing = {
        (r[0], r[1], r[2]): r[3]
        for r in db.execute(
            "select prerequisite, concept, kind, coalesce(status, 'active') from edges "
            "where curriculum_id = ?",
            [curriculum],
        ).fetchall()
    }
    graph = nx.DiGraph()
    graph.add_edges_from(
        (a, b)
        for (a, b, kind), status in existing.items()
        if kind == "prerequisite" and status == "active"
    )
    known = {
        r[0]
        for r in db.execute(
            "select id from concepts where curriculum_id = ?", [curriculum]
        ).fetchall()
    }
    drafts = sorted(
        (EdgeDraft.model_validate(e) for e in edge_dicts),
        key=lambda e: (e.status != "active", e.kind != "prerequisite", -e.weight),
    )
    mapped = []
    for e in drafts:
        a, b = index.get(e.prerequisite.lower()), index.get(e.concept.lower())
        if a is None or b is None or a == b:
            continue
        mapped.append((e, id_of[a], id_of[b]))
    # The engine's edges form a DAG; only the instructor's edges can close a cycle. Check
    # edge by edge (a path search each) only when the union is not already acyclic.
    union = graph.copy()
    union.add_edges_from(
        (pa, pb) for e, pa, pb in mapped if e.kind == "prerequisite" and e.status == "active"
    )
    check_each = not nx.is_directed_acyclic_graph(union)
    rows = []
    for e, pa, pb in mapped:
        if pa not in known or pb not in known or (pa, pb, e.kind) in existing:
            continue
        status, reason = e.status, e.reason
        if e.kind == "prerequisite" and status == "active" and check_each:
            if graph.has_node(pb) and graph.has_node(pa) and nx.has_path(graph, pb, pa):
                cycle = nx.shortest_path(graph, pb, pa)
                status = "removed"
                reason = (reason + "; " if reason else "") + (
                    "removed: would close the cycle " + " -> ".join([*cycle, pb])
                )
            else:
                graph.add_edge(pa, pb)
        existing[(pa, pb, e.kind)] = status
        rows.append(
            {
                "curriculum_id": curriculum,
                "prerequisite": pa,
                "concept": pb,
                "kind": e.kind,
                "weight": float(e.weight),
                "reason": reason,
                "origin": "ingest",
                "status": status,
            }
        )
    _insert_many(db, "edges", rows)


# --------------------------------------------------------------------------------------------
# running it


def _db_file(db: Database) -> str | None:
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return file
    return None


def checkpoint_path(db: Database) -> str | None:
    """The checkpoint file beside an on-disk database (``None`` for an in-memory one)."""
    file = _db_file(db)
    return f"{file}.ingest.sqlite" if file else None


def _thread_id(curriculum: str, paths: list[str]) -> str:
    key = json.dumps([curriculum, sorted(stored_path(str(p)) for p in paths)])
    return f"ingest:{curriculum}:{hashlib.sha1(key.encode()).hexdigest()[:16]}"


@contextlib.contextmanager
def _checkpointer(path: str | None):
    if path is None:
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()


def _compact(path: str) -> None:
    """Give back the pages a finished run freed in the checkpoint file (the staged documents,
    concepts and exercises: tens of MB for a large corpus). Another run using the same file at
    the same moment keeps it busy; then that run's own end compacts it."""
    try:
        conn = sqlite3.connect(path, timeout=1)
        try:
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def run_ingest(
    db: Database,
    paths: Iterable[str | os.PathLike],
    curriculum: str = "default",
    engine=None,
    on_progress: ProgressFn | None = None,
    resume: bool = True,
    max_file_bytes: int | None = None,
    exercises: bool = True,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> IngestSummary:
    """Ingest ``paths`` (files, folders, zip archives) into ``curriculum`` and return a summary.

    Unreadable files are reported in ``summary.errors`` (one line each) and do not stop the
    batch. With ``resume=True`` an interrupted run of the same paths into the same curriculum
    continues where it stopped; ``resume=False`` starts over. ``on_progress`` receives
    ``{"stage", "done", "total", "message"}`` dicts. Exceptions other than bad input (a bug,
    Ctrl-C) propagate; the store is then unchanged and the run can be resumed.
    """
    started = time.monotonic()
    paths = [str(p) for p in paths]
    if engine is None:
        from teachback.engine.embedded import get_engine

        engine = get_engine()
    if hasattr(engine, "for_ingest"):  # an LLM engine: per-run token count, budget and cache
        engine = engine.for_ingest(db)
    thread = _thread_id(curriculum, paths)
    cp_path = checkpoint_path(db)
    with db.atomic():
        run_id = (
            db["ingest_runs"]
            .insert(
                {
                    "curriculum_id": curriculum,
                    "started_at": now(),
                    "status": "running",
                    "stats": json.dumps({"paths": paths}),
                }
            )
            .last_pk
        )
    staging = Staging(cp_path)
    status = "failed"
    try:
        with _fewer_collections(), _checkpointer(cp_path) as saver:
            graph, ctx = build_ingest_graph(db, engine, on_progress, saver, staging)
            ctx.thread = thread
            config = {"configurable": {"thread_id": thread}, "recursion_limit": 50}
            snapshot = graph.get_state(config)
            resumed = bool(resume and snapshot.next)
            if resumed and on_progress:
                on_progress(
                    {
                        "stage": "resume",
                        "done": 0,
                        "total": 0,
                        "message": f"resuming at {', '.join(snapshot.next)}",
                    }
                )
            left_out: dict[str, str] = {}
            go_on = resumed  # continue the thread's run (else start it afresh)
            while True:
                try:
                    if go_on:
                        final = graph.invoke(None, config, durability="sync")
                    else:
                        saver.delete_thread(thread)
                        staging.clear(thread)
                        final = graph.invoke(
                            {
                                "curriculum": curriculum,
                                "paths": paths,
                                "max_file_bytes": max_file_bytes,
                                "with_exercises": exercises,
                                "include": list(include),
                                "exclude": list(exclude),
                                "left_out": left_out,
                            },
                            config,
                            durability="sync",
                        )
                    break
                except StageStopped as stop:
                    values = graph.get_state(config).values
                    advice = (
                        "split the file, or raise TEACHBACK_INGEST_SECONDS_PER_MB / "
                        "TEACHBACK_INGEST_MEMORY_MB"
                    )
                    if stop.stage in EXERCISE_STAGES:
                        # Concepts and lessons are done: keep them, leave only the biggest
                        # new source's exercises out, and go on from the stopped stage.
                        no_exercises = dict(values.get("no_exercises") or {})
                        path = _largest_new_source(values, besides=no_exercises)
                        if path is None:
                            raise
                        no_exercises[path] = (
                            f"exercises left out: the {stop.stage} stage {stop.problem}; " + advice
                        )
                        graph.update_state(config, {"no_exercises": no_exercises})
                        go_on = True
                    else:
                        # A runaway stage: leave the biggest new source out (its error line
                        # says why) and start again without it, so the rest of the batch lands.
                        path = _largest_new_source(values)
                        if path is None or path in left_out:
                            raise
                        left_out[path] = (
                            f"left out: the {stop.stage} stage {stop.problem}; {advice}"
                        )
                        go_on = False
                    _release_exercise_caches()
                    gc.collect()
            summary = _summary(db, curriculum, final, resumed)
            if hasattr(engine, "usage_report"):
                summary.llm = engine.usage_report()
                summary.tokens = int(summary.llm.get("tokens", 0))
            saver.delete_thread(thread)
            staging.clear(thread)
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        staging.close()
        if status == "done" and cp_path:
            _compact(cp_path)
        stats = {"paths": paths}
        if status == "done":
            summary.seconds = round(time.monotonic() - started, 3)
            summary.run_id = run_id
            stats = summary.model_dump(mode="json")
        with db.atomic():
            db["ingest_runs"].update(
                run_id, {"finished_at": now(), "status": status, "stats": json.dumps(stats)}
            )
    return summary


def _summary(db: Database, curriculum: str, final: dict, resumed: bool) -> IngestSummary:
    sources = final.get("sources", [])
    stored = final.get("stored", {})

    def count(sql: str) -> int:
        return db.execute(sql, [curriculum]).fetchone()[0]

    mode = final.get("exercises", "")
    return IngestSummary(
        curriculum=curriculum,
        sources_read=len(sources),
        sources_new=sum(s["status"] == "new" for s in sources),
        sources_changed=sum(s["status"] == "changed" for s in sources),
        sources_unchanged=sum(s["status"] == "unchanged" for s in sources),
        errors=[e["message"] for e in final.get("errors", [])],
        skipped=list(final.get("skipped", [])),
        concepts=count("select count(*) from concepts where curriculum_id = ?"),
        edges=count(
            "select count(*) from edges where curriculum_id = ? "
            "and coalesce(status, 'active') = 'active'"
        ),
        units=count("select count(*) from units where curriculum_id = ?"),
        lessons=count(
            "select count(*) from lessons l join concepts c on c.id = l.concept_id "
            "where c.curriculum_id = ?"
        ),
        lessons_written=stored.get("lessons_written", 0),
        exercises_kept=stored.get("exercises_kept", 0),
        exercises_rejected=stored.get("exercises_rejected", 0),
        exercises_skipped=mode[len("skip: ") :] if mode.startswith("skip") else "",
        notes=list(final.get("notes", []))
        + [f"{path}: {why}" for path, why in (final.get("no_exercises") or {}).items()],
        resumed=resumed,
    )


__all__ = ["IngestSummary", "SourceError", "build_ingest_graph", "run_ingest"]
