"""Fixtures for the pipeline tests: small real Markdown folders on disk, and a clearly marked
test-double engine.

* ``engine``: the real embedded engine (real readers, concepts, prerequisites, lessons,
  exercises) whenever those modules are in the tree — they all are now; the double below was the
  stand-in while they were being written.
* ``double_engine``: TEST DOUBLE, kept on purpose for tests of the pipeline's own behaviour
  (incremental re-ingest, resume after a crash, protection of instructor edits): it is tiny and
  predictable (headings become concepts, the first sentence under a heading is the definition),
  counts its calls and can be made to crash — things the real algorithms cannot do on demand.
  Readers are always the real ones when present.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import pytest

from teachback.core.document import Document, Section
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    Engine,
    Evidence,
    ExerciseDraft,
    SelfCheckResult,
    Span,
    UnitDraft,
)
from teachback.errors import SourceError
from teachback.ingest.lessons import write_lesson

OSMOSIS = """# Osmosis

Osmosis is the movement of water across a semipermeable membrane. It needs no energy from the
cell, because water moves down its own concentration gradient.

## Diffusion

Diffusion is the spread of particles from high to low concentration. Osmosis is a special case
of diffusion in which only water crosses the membrane.
"""

CELLS = """# Cell membrane

A cell membrane is the thin layer that surrounds every cell. The membrane lets water pass but
holds back larger molecules, which is why osmosis and diffusion matter to cells.

## Turgor

Turgor is the pressure of water inside a plant cell. Osmosis keeps turgor up when the soil is
wet, and plants wilt when turgor falls.
"""


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def real_readers() -> bool:
    if not has_module("teachback.ingest.readers"):
        return False
    import teachback.ingest.readers as readers

    return hasattr(readers, "load_sources")


def real_concepts() -> bool:
    return has_module("teachback.ingest.concepts") and has_module("teachback.ingest.prerequisites")


# --- test doubles (only used while the real modules are absent) ----------------------------


class _Result:
    def __init__(self):
        self.documents, self.errors = [], []


def double_load_sources(paths, limits=None, on_progress=None):
    """TEST DOUBLE for teachback.ingest.readers.load_sources: Markdown files and folders only;
    an empty file or undecodable bytes or a .ipynb become a SourceError."""
    result = _Result()
    files = []
    for p in map(Path, paths):
        files.extend(sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])
    for f in files:
        data = f.read_bytes()
        try:
            if f.suffix == ".ipynb":
                raise SourceError(str(f), "not a valid notebook (JSON ends early)")
            if not data.strip():
                raise SourceError(str(f), "empty file")
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            result.errors.append(SourceError(str(f), "not UTF-8 text"))
            continue
        except SourceError as err:
            result.errors.append(err)
            continue
        sections, path = [], []
        for m in re.finditer(r"^(#+) (.*)$|(?:^(?!#)[^\n]+\n?)+", text, re.M):
            if m.group(1):
                path = [*path[: len(m.group(1)) - 1], m.group(2)]
                kind = "heading"
            else:
                kind = "prose"
            sections.append(Section(kind, m.start(), m.end(), m.group(0), tuple(path)))
        result.documents.append(
            Document(str(f), "markdown", f.stem, text, sections, hashlib.sha256(data).hexdigest())
        )
    return result


class DoubleEngine(Engine):
    """TEST DOUBLE engine: headings are concepts; lessons are the real ``write_lesson``."""

    name = "test-double"
    checks_own_exercises = True

    def __init__(self):
        self.calls = {"extract": 0, "lesson": 0, "exercises": 0}
        self.fail_lesson_once = False

    def extract_concepts(self, documents):
        self.calls["extract"] += 1
        out, seen = [], {}
        for d_i, doc in enumerate(documents):
            for s_i, sec in enumerate(doc.sections):
                if sec.kind != "heading":
                    continue
                name = sec.heading_path[-1]
                nxt = doc.sections[s_i + 1] if s_i + 1 < len(doc.sections) else None
                if nxt is None:
                    continue
                end = doc.text.find(".", nxt.start) + 1
                definition = doc.text[nxt.start : end]
                ev = Evidence(
                    source=doc.path, start=nxt.start, end=end, quote=definition, role="definition"
                )
                if name.lower() in seen:
                    seen[name.lower()].evidence.append(ev)
                    continue
                c = ConceptDraft(
                    name=name,
                    definition=" ".join(definition.split()),
                    evidence=[ev],
                    first_seen=(d_i, sec.start),
                )
                seen[name.lower()] = c
                out.append(c)
        return out

    def link_prerequisites(self, concepts, documents):
        edges = []
        for a in concepts:
            for b in concepts:
                if a is not b and a.name.lower() in b.definition.lower():
                    edges.append(
                        EdgeDraft(
                            prerequisite=a.name,
                            concept=b.name,
                            reason=f"{b.name}'s definition uses {a.name}",
                        )
                    )
        return edges

    def order_units(self, concepts, edges, documents=None):
        return [UnitDraft(title="All", concepts=[c.name for c in concepts])]

    def write_lesson(self, concept, documents, prerequisites=None):
        self.calls["lesson"] += 1
        if self.fail_lesson_once:
            self.fail_lesson_once = False
            raise RuntimeError("simulated crash in the lesson stage")
        return write_lesson(concept, documents, prerequisites=prerequisites)

    def generate_checked(self, concept, concepts, documents):
        self.calls["exercises"] += 1
        ev = concept.evidence[0]
        cite = Span(source=ev.source, start=ev.start, end=ev.end, quote=ev.quote)
        blank = re.sub(re.escape(concept.name), "_____", concept.definition, flags=re.I)
        kept = [
            ExerciseDraft(
                concept=concept.name,
                kind="cloze",
                prompt=blank,
                answer=concept.name,
                citations=[cite],
                self_check=SelfCheckResult(passed=True, reasons=["answerable"]),
            )
        ]
        rejected = [
            ExerciseDraft(
                concept=concept.name,
                kind="true_false",
                prompt=f"{concept.name} is {concept.name}.",
                answer=True,
                citations=[cite],
                self_check=SelfCheckResult(passed=False, reasons=["answer_revealed"]),
            )
        ]
        return kept, rejected


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "osmosis.md").write_text(OSMOSIS, encoding="utf-8")
    (folder / "cells.md").write_text(CELLS, encoding="utf-8")
    return folder


@pytest.fixture
def engine(monkeypatch):
    """The real embedded engine when its modules are in the tree, else the marked double."""
    if real_readers() and real_concepts():
        from teachback.engine.embedded import EmbeddedEngine
        from teachback.ingest.algorithms import IngestSteps
        from teachback.tutor.algorithms import TutorSteps

        return EmbeddedEngine(IngestSteps(), TutorSteps())
    if not real_readers():
        import teachback.ingest.readers as readers

        monkeypatch.setattr(readers, "load_sources", double_load_sources, raising=False)
    return DoubleEngine()


@pytest.fixture
def double_engine(monkeypatch):
    """Always the double (for tests that count calls or inject a crash)."""
    if not real_readers():
        import teachback.ingest.readers as readers

        monkeypatch.setattr(readers, "load_sources", double_load_sources, raising=False)
    return DoubleEngine()
