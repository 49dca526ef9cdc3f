"""The first two nodes: read the files (``read``), then cut them into passages (``chunk``).

``read`` classifies each document against the store by the sha256 of its text (new, changed,
unchanged) and stages the ones to process; ``chunk`` splits them into passages and stages the
curriculum's whole document set (the other stored sources as stored, never re-chunked).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Literal

from langgraph.runtime import Runtime

from teachback.config import IngestLimits
from teachback.curricula import ingest_store
from teachback.curricula import repository as repo
from teachback.ingest.pipeline.chunking import chunk_document
from teachback.ingest.pipeline.codec import doc_from_json, doc_to_json
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.state import (
    ChunkIn,
    ErrorRow,
    IngestState,
    NoUpdate,
    ReadIn,
    ReadOut,
    SourceRow,
)


def stored_path(path: str) -> str:
    """The path a source is stored under: absolute for files on disk (``a.zip!inner`` keeps the
    member part and makes the archive absolute)."""
    if "!" in path and not os.path.exists(path):
        outer, inner = path.split("!", 1)
        return os.path.abspath(outer) + "!" + inner
    return os.path.abspath(path) if os.path.exists(path) else path


def read(state: ReadIn, runtime: Runtime[IngestContext]) -> ReadOut:
    """Files -> documents (the readers), each classified against the store."""
    from teachback.ingest.readers import load_sources

    ctx = runtime.context
    curriculum, paths = state["curriculum"], state["paths"]
    ctx.progress("read", 0, len(paths), "reading sources")

    def reader_progress(done: int, total: int, name: str = "") -> None:
        ctx.progress("read", done, total, Path(name).name if name else "")

    result = load_sources(
        paths,
        limits=_limits(state.get("max_file_bytes")),
        on_progress=reader_progress,
        include=state.get("include") or None,
        exclude=state.get("exclude") or None,
    )
    left_out = state.get("left_out") or {}
    sources, docs = _classify(ctx, curriculum, result.documents, left_out)
    errors = [_error_row(err) for err in result.errors]
    errors += [{"path": p, "message": f"{p}: {why}"} for p, why in left_out.items()]
    ctx.run.put("read_docs", [doc_to_json(d) for d in docs])
    ctx.progress("read", len(paths), len(paths), f"{len(sources)} read, {len(errors)} failed")
    # Concepts left without exercises by an earlier run are finished by this one.
    unfinished = state.get("with_exercises", True) and ingest_store.count_partial_concepts(
        ctx.db, curriculum
    )
    return {
        "sources": sources,
        "errors": errors,
        "skipped": [f"{stored_path(p)} ({why})" for p, why in result.triaged],
        "changed": any(s["status"] != "unchanged" for s in sources) or bool(unfinished),
    }


def after_read(state: IngestState) -> Literal["chunk", "store"]:
    return "chunk" if state.get("changed") else "store"


@guarded_stage("chunk")
def chunk(state: ChunkIn, runtime: Runtime[IngestContext]) -> NoUpdate:
    """Passages of the fresh documents; the curriculum's full document set staged."""
    ctx = runtime.context
    curriculum = state["curriculum"]
    fresh = [doc_from_json(d) for d in ctx.run.get("read_docs", [])]
    ctx.run.forget("read_docs")
    fresh_ids = {repo.source_id(curriculum, d.path) for d in fresh}
    docs = []
    for i, doc in enumerate(fresh):
        docs.append(chunk_document(doc))
        ctx.progress("chunk", i + 1, len(fresh), Path(doc.path).name)
    # Every other stored source of the curriculum, as stored (never re-chunked).
    keep = [s["id"] for s in repo.get_sources(ctx.db, curriculum) if s["id"] not in fresh_ids]
    stored_docs = repo.load_documents(ctx.db, curriculum, keep) if keep else []
    all_docs = sorted(stored_docs + docs, key=lambda d: d.path)
    ctx.run.put("docs", [doc_to_json(d) for d in all_docs])
    ctx.run.put("fresh", sorted(fresh_ids))
    ctx.run.forget("#docs")
    return {}


def _limits(max_file_bytes: int | None) -> IngestLimits:
    return IngestLimits(max_file_bytes=int(max_file_bytes)) if max_file_bytes else IngestLimits()


def _classify(ctx: IngestContext, curriculum: str, documents, left_out: dict[str, str]):
    """``(sources, fresh documents)``: a row per document read (the first of each path, none
    for a path left out), and the documents that are new or changed since they were stored."""
    stored = ingest_store.source_hashes(ctx.db, curriculum)
    sources: list[SourceRow] = []
    fresh, seen = [], set()
    for doc in documents:
        doc.path = stored_path(doc.path)
        if doc.path in seen or doc.path in left_out:
            continue
        seen.add(doc.path)
        if not doc.sha256:
            doc.sha256 = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        sid = repo.source_id(curriculum, doc.path)
        status = _status(stored.get(sid), doc.sha256)
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
            fresh.append(doc)
    return sources, fresh


def _status(stored: tuple[str, bool] | None, sha256: str) -> Literal["new", "changed", "unchanged"]:
    """``stored`` is ``(sha256, has text)`` of the stored source, ``None`` when there is none."""
    if stored is None or not stored[1]:
        return "new"
    return "changed" if stored[0] != sha256 else "unchanged"


def _error_row(err) -> ErrorRow:
    where = getattr(err, "where", "") or ""
    return {"path": stored_path(where) if where else "", "message": str(err)}
