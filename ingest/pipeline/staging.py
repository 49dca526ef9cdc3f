"""Heavy node outputs (documents, concept drafts, lessons, exercises), staged per run.

``Staging`` is a key-value table of JSON blobs per thread in the checkpoint file (or in memory),
so a checkpoint stays small whatever the corpus size and an interrupted run resumes with what
its finished nodes made. ``StagedRun`` is one run's view of it, with the decoded documents and
concepts kept in memory once read (nodes ask for them many times).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from typing import Any

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.pipeline.codec import doc_from_json


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


class StagedRun:
    """One run's (one thread's) staged data.

    Keys without a ``:`` (``docs``, ``concepts``, ``edges``...) hold a stage's whole output;
    ``lessons:3`` and the like hold one batch of a batched stage, so a resumed stage skips
    the batches it already finished."""

    def __init__(self, staging: Staging, thread: str):
        self.staging = staging
        self.thread = thread

    def put(self, key: str, value: Any) -> None:
        self.staging.put(self.thread, key, value)

    def get(self, key: str, default: Any = None) -> Any:
        return self.staging.get(self.thread, key, default)

    def has(self, key: str) -> bool:
        return self.staging.has(self.thread, key)

    def forget(self, key: str) -> None:
        """Drop ``key``'s in-memory copy (it stays staged): its decoded form is enough, or it
        was replaced."""
        self.staging.cache.pop((self.thread, key), None)

    def docs(self) -> list[Document]:
        """Every document of the curriculum, as the chunk stage staged them."""
        key = (self.thread, "#docs")
        if key not in self.staging.cache:
            self.staging.cache[key] = [doc_from_json(d) for d in self.get("docs", [])]
            self.forget("docs")  # the objects are enough
        return self.staging.cache[key]

    def concepts(self) -> list[ConceptDraft]:
        """The merged concepts, in the order of the staged ``concepts`` rows."""
        key = (self.thread, "#concepts")
        if key not in self.staging.cache:
            self.staging.cache[key] = [
                ConceptDraft.model_validate(c["draft"]) for c in self.get("concepts", [])
            ]
        return self.staging.cache[key]

    def docs_for(self, concept: ConceptDraft) -> list[Document]:
        """The documents a concept's evidence points into (all of them if it has none); for a
        code concept also the prose documents that name it ("FNV-1a" for ``fnv1a``): its
        evidence is in the code, and the explanation is often in the notes beside it; and the
        code files that call it (``GPTConfig(...)`` in ``train.py``, ``sample.py``): its
        lesson says where it is used."""
        key = (self.thread, "#by_path")
        if key not in self.staging.cache:
            self.staging.cache[key] = {d.path: d for d in self.docs()}
        by_path = self.staging.cache[key]
        paths = []
        for ev in concept.evidence:
            if ev.source in by_path and ev.source not in paths:
                paths.append(ev.source)
        if not paths:
            return self.docs()
        if concept.kind == "code":
            names = {_folded(n.rsplit(".", 1)[-1]) for n in [concept.name, *concept.aliases]}
            paths += [
                p for p, words in self._prose_words().items() if p not in paths and names & words
            ]
            short = {n.rsplit(".", 1)[-1] for n in [concept.name, *concept.aliases]}
            paths += [
                p for p, called in self._code_calls().items() if p not in paths and short & called
            ]
        return [by_path[p] for p in paths]

    def _code_calls(self) -> dict[str, set[str]]:
        """Each code document's called names (``name(``), found once a run."""
        key = (self.thread, "#code_calls")
        if key not in self.staging.cache:
            self.staging.cache[key] = {
                d.path: set(_CALLED.findall(d.text)) for d in self.docs() if d.format == "code"
            }
        return self.staging.cache[key]

    def _prose_words(self) -> dict[str, set[str]]:
        """Each prose document's words, folded like ``_folded``, built once a run."""
        key = (self.thread, "#prose_words")
        if key not in self.staging.cache:
            self.staging.cache[key] = {
                d.path: {_folded(w) for w in _NAME_WORD.findall(d.text)}
                for d in self.docs()
                if d.format != "code"
            }
        return self.staging.cache[key]


_NAME_WORD = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")
_CALLED = re.compile(r"([A-Za-z_]\w*)\s*\(")


def _folded(name: str) -> str:
    """``"FNV-1a"``, ``"fnv1a"`` -> ``"fnv1a"``: a name as prose and code both spell it."""
    return re.sub(r"[-_]", "", name).lower()
