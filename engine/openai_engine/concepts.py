"""Concepts and prerequisites through the model, kept only where the sources back them up.

A concept name must occur in the source text; a definition is kept only when it is a verbatim
sentence of the source (and does not read as an instruction to a model); prerequisite edges
must join two known concepts and are made acyclic.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from teachback.core.document import Document
from teachback.engine import prompts as P
from teachback.engine.graph import break_cycles
from teachback.engine.llm_budget import InvalidOutput
from teachback.engine.llm_grounding import find_quote, looks_like_injection
from teachback.engine.openai_engine.transport import Complete
from teachback.engine.protocol import ConceptDraft, EdgeDraft, Evidence


def chunks(documents: list[Document], limit: int) -> list[tuple[int, int, int]]:
    """(doc index, start, end) pieces of the documents' text, split at paragraph ends."""
    out = []
    for di, doc in enumerate(documents):
        text, start = doc.text, 0
        while start < len(text):
            end = min(len(text), start + limit)
            if end < len(text):
                cut = text.rfind("\n\n", start + limit // 2, end)
                if cut < 0:
                    cut = text.rfind(". ", start + limit // 2, end)
                end = cut + 1 if cut > 0 else end
            if text[start:end].strip():
                out.append((di, start, end))
            start = end
    return out


def llm_concepts(
    complete: Complete,
    documents: list[Document],
    *,
    chunk_chars: int,
    max_chunks: int,
    workers: int,
) -> list[ConceptDraft]:
    """Concepts named by the model, one call per piece of text (in parallel), merged by name
    and ranked by how often they are mentioned blended with the model's rank."""
    pieces = chunks(documents, chunk_chars)
    if not pieces:
        return []
    if len(pieces) > max_chunks:
        raise InvalidOutput(f"{len(pieces)} chunks exceed the per-ingest limit {max_chunks}")

    def call(piece):
        di, s, e = piece
        doc = documents[di]
        data = P.block("source", doc.text[s:e], id=doc.title or doc.path)
        return piece, complete("extract_concepts", P.messages(P.EXTRACT, data), P.LLMConcepts, 500)

    with ThreadPoolExecutor(max(1, workers)) as pool:
        results = list(pool.map(call, pieces))
    found = _Found(documents)
    for (di, s, e), out in results:
        for rank, c in enumerate(out.concepts):
            found.add(di, s, e, rank, c)
    if not found.order:
        raise InvalidOutput("no concept named by the model occurs in the sources")
    return found.ranked()


class _Found:
    """Concepts the model named that occur in the sources, by lower-cased name."""

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.lowers = [d.text.lower() for d in documents]
        self.by_key: dict[str, ConceptDraft] = {}
        self.order: list[str] = []

    def add(self, di: int, s: int, e: int, rank: int, c) -> None:
        """The model's concept ``c`` (its ``rank``-th in the piece ``[s, e)`` of document
        ``di``): evidence where its name occurs, a verbatim definition, aliases."""
        doc, low = self.documents[di], self.lowers[di]
        name = re.sub(r"\s+", " ", c.name).strip().strip("`*_\"'")
        if not (1 < len(name) <= 60) or len(name.split()) > 6:
            return
        at = low.find(name.lower(), s, e + 200)
        if at < 0:
            at = low.find(name.lower())
        if at < 0:
            return  # not in the source: invented, dropped
        key = name.lower()
        draft = self.by_key.get(key)
        if draft is None:
            draft = ConceptDraft(
                name=name,
                importance=max(0.1, 1.0 - 0.08 * rank),
                first_seen=(di, at),
                kind="code" if re.search(r"[_()]|[a-z][A-Z]", name) else "term",
            )
            self.by_key[key] = draft
            self.order.append(key)
        quote = doc.text[at : at + len(name)]
        draft.evidence.append(Evidence(source=doc.path, start=at, end=at + len(name), quote=quote))
        _add_definition(draft, doc, c.definition.strip())
        for alias in c.aliases[:3]:
            alias = alias.strip()
            if alias and alias.lower() != key and alias.lower() in low:
                if alias not in draft.aliases:
                    draft.aliases.append(alias)

    def ranked(self) -> list[ConceptDraft]:
        """Importance: how often the concept is mentioned, blended with the model's rank."""
        concepts = [self.by_key[k] for k in self.order]
        counts = [sum(low.count(c.name.lower()) for low in self.lowers) for c in concepts]
        top = max(counts) or 1
        for c, n in zip(concepts, counts, strict=True):
            c.importance = round(min(1.0, 0.5 * c.importance + 0.5 * (n / top) ** 0.5), 3)
        concepts.sort(key=lambda c: c.first_seen)
        return concepts


def _add_definition(draft: ConceptDraft, doc: Document, definition: str) -> None:
    """The model's definition, when the concept has none yet and it is the source's own
    sentence (not one that reads as an instruction): kept as the first evidence."""
    found = find_quote(doc.text, definition) if len(definition) > 15 else None
    if not found or draft.definition or looks_like_injection(definition):
        return
    d_start, d_end = found
    quote = doc.text[d_start:d_end]
    draft.definition = re.sub(r"\s+", " ", quote.replace("**", "")).strip()
    draft.evidence.insert(
        0, Evidence(source=doc.path, start=d_start, end=d_end, quote=quote, role="definition")
    )


def link_windows(n: int, size: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` windows of at most ``size`` over ``n`` items, each overlapping the one before
    by a quarter, covering every item; one window when ``n <= size``."""
    if n <= size:
        return [(0, n)]
    step = max(1, size - size // 4)
    out = []
    for lo in range(0, n, step):
        hi = min(n, lo + size)
        out.append((lo, hi))
        if hi == n:
            break
    return out


def llm_edges(complete: Complete, concepts: list[ConceptDraft], window: int) -> list[EdgeDraft]:
    """Edges proposed by the model over windows of at most ``window`` concepts in teaching
    order (overlapping, so neighbours across a window boundary are seen together); their
    union, with cycles broken. Any window failing fails the step."""
    if len(concepts) < 2:
        return []
    names = {c.name.lower(): c.name for c in concepts}
    for c in concepts:
        for a in c.aliases:
            names.setdefault(a.lower(), c.name)
    edges, seen = [], set()
    for lo, hi in link_windows(len(concepts), window):
        for e in _edges_in_window(complete, concepts[lo:hi]):
            a, b = names.get(e.prerequisite.strip().lower()), names.get(e.concept.strip().lower())
            if a and b and a != b and (a, b) not in seen:
                seen.add((a, b))
                edges.append(
                    EdgeDraft(prerequisite=a, concept=b, weight=0.7, reason=e.reason.strip()[:200])
                )
    return break_cycles(edges)


def _edges_in_window(complete: Complete, concepts: list[ConceptDraft]):
    listing = "\n".join(
        f"- {c.name}: {c.definition[:160]}" if c.definition else f"- {c.name}" for c in concepts
    )
    out = complete(
        "link_prerequisites", P.messages(P.LINK, P.block("concepts", listing)), P.LLMEdges, 600
    )
    return out.edges
