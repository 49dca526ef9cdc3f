"""``extract_concepts``: one linear pass over a batch's documents, then the batch-wide steps."""

from __future__ import annotations

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.concepts.attribution import attribute
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.book_terms import book_terms, named_terms
from teachback.ingest.concepts.code_symbols import callers, code_symbol, notebook_symbols
from teachback.ingest.concepts.drafts import results
from teachback.ingest.concepts.groups import groups_of
from teachback.ingest.concepts.merging import merge_all
from teachback.ingest.concepts.prose import prose_group
from teachback.ingest.concepts.sibling_definitions import distinguish_siblings


def extract_concepts(documents: list[Document]) -> list[ConceptDraft]:
    """Concepts of a batch of documents, merged across them, in order of first appearance."""
    batch = Batch(documents)
    calls = callers(documents)
    for di, doc in enumerate(documents):
        for group in groups_of(doc):
            prose_group(batch, di, group)
        if doc.format == "code":
            for s in doc.sections:
                if s.signals.get("definition"):
                    code_symbol(batch, di, s, calls)
        elif doc.format == "notebook":
            notebook_symbols(batch, di)
    distinguish_siblings(batch)
    book_terms(batch)
    named_terms(batch)
    attribute(batch)
    merge_all(batch)
    return results(batch)
