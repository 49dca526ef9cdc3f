"""The corpus of one batch of documents: its sentences, code units and a BM25 index, cached per
batch so generating exercises for many concepts indexes the sources once (``Corpus.of``)."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter

from teachback.core.document import Document
from teachback.core.text import fold
from teachback.engine.protocol import Span
from teachback.ingest.exercises.corpus.bm25 import BM25
from teachback.ingest.exercises.corpus.code_units import CodeUnit, code_units_of
from teachback.ingest.exercises.corpus.sentences import (
    ALNUM,
    DocSentences,
    Sentence,
    document_sentences,
    forget_documents,
)
from teachback.ingest.exercises.text import inflections, stems

CACHE_SIZE = 32  # corpora kept (the pipeline passes each concept its own sources)


# what Corpus.__init__ sets; anything else on a corpus was cached on it later
_BUILT = frozenset(
    "documents sentences code_units _per_doc _offsets index stem_df mention_cache view_cache "
    "_rarity".split()
)


class Corpus:
    _cache: dict[tuple, Corpus] = {}
    _lock = threading.Lock()

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.sentences: list[Sentence] = []
        self.code_units: list[CodeUnit] = []
        self._per_doc: list[DocSentences] = []
        self._offsets: list[int] = []
        for d, doc in enumerate(documents):
            cached = document_sentences(doc)
            self._per_doc.append(cached)
            self._offsets.append(len(self.sentences))
            for proto in cached.sentences:
                self.sentences.append(proto.placed(len(self.sentences), d))
            self.code_units.extend(code_units_of(d, doc))
        self.index = BM25([s.stems for s in self.sentences])  # (counted there, not kept)
        self.stem_df = Counter(t for s in self.sentences for t in set(s.stems))
        self.mention_cache: dict[tuple, list] = {}  # concept names -> mentions (context.py)
        self.view_cache: dict[tuple, object] = {}  # concept -> ConceptView (context.py)
        self._rarity: dict[str, float] = {}

    @classmethod
    def release(cls) -> None:
        """Forget every cached corpus and document (the next ``of`` builds them again) and
        drop what kinds and views cached on them. Views point back at their corpus, so a
        corpus with its views is a reference cycle: dropping the views first lets reference
        counting free it all at once, where otherwise only a full garbage collection (which
        scans every object it holds, ~0.3 s at 1 MB) would. The pipeline calls this when
        its exercise stages end."""
        with cls._lock:
            corpora = list(cls._cache.values())
            cls._cache.clear()
        for corpus in corpora:
            corpus.view_cache = {}
            corpus.mention_cache = {}
            for key in [k for k in corpus.__dict__ if k not in _BUILT]:
                corpus.__dict__.pop(key, None)  # e.g. the related-concept index (views)
        forget_documents()

    @classmethod
    def of(cls, documents: list[Document]) -> Corpus:
        """The (cached) corpus of a batch of documents, in path order: the same documents
        given in another order share one corpus. Use ``corpus.documents`` to resolve
        ``Sentence.doc`` indexes."""
        documents = sorted(documents, key=lambda d: d.path)
        key = tuple((d.path, len(d.text), hash(d.text), len(d.sections)) for d in documents)
        with cls._lock:
            corpus = cls._cache.pop(key, None)
            if corpus is None:
                corpus = cls(documents)
                while len(cls._cache) >= CACHE_SIZE:  # least recently used first
                    cls._cache.pop(next(iter(cls._cache)))
            cls._cache[key] = corpus
        return corpus

    def search(
        self, query: str | list[str], k: int = 8, base: str | None = None
    ) -> list[tuple[Sentence, float]]:
        """Top ``k`` sentences by BM25. ``base``: a part of the query asked about again and
        again (a description matched with each term): its scores are cached."""
        q = stems(query) if isinstance(query, str) else query
        b = stems(base) if base else None
        return [(self.sentences[i], sc) for i, sc in self.index.top(q, k, b)]

    def mentions_of(self, names: list[str], pattern) -> list[tuple[Sentence, object]]:
        """(sentence, match) for every non-heading, non-instruction sentence naming one of
        ``names`` (``pattern`` is ``term_regex(names)``). Only sentences holding a name's
        last word (or its singular/plural) are searched; results are cached per corpus."""
        key = ("pattern", pattern.pattern)
        hit = self.mention_cache.get(key)
        if hit is None:
            heads: set[str] = set()
            parts = []
            for name in names:
                toks = ALNUM.findall(fold(name).lower())
                if toks:
                    heads |= inflections(toks[-1])
                words_ = [w for w in re.split(r"[\s-]+", fold(name).strip().lower()) if w]
                if words_ and len("".join(words_)) >= 2:  # the names term_regex looks for
                    parts.append(tuple(words_[:-1]))
            hit = self.mention_cache[key] = [
                (self.sentences[self._offsets[d] + i], m)
                for d, cached in enumerate(self._per_doc)
                for i, m in cached.mentions_of(heads, pattern, tuple(parts))
            ]
        return hit

    def mention_ids(self, names: list[str], pattern) -> frozenset[int]:
        """The ids of the sentences ``mentions_of(names, pattern)`` returns (cached)."""
        key = ("ids", pattern.pattern)
        hit = self.mention_cache.get(key)
        if hit is None:
            hit = self.mention_cache[key] = frozenset(
                s.id for s, _ in self.mentions_of(names, pattern)
            )
        return hit

    def window(self, s: Sentence) -> list[Sentence]:
        """The sentence with its neighbours in the same document (a small passage)."""
        ids = [i for i in (s.id - 1, s.id, s.id + 1) if 0 <= i < len(self.sentences)]
        return [self.sentences[i] for i in ids if self.sentences[i].doc == s.doc]

    def rarity(self, text: str) -> float:
        """0 (every content word is common in the sources) .. 1 (all rare)."""
        hit = self._rarity.get(text)
        if hit is None:
            hit = self._rarity[text] = self._rarity_of(text)
        return hit

    def _rarity_of(self, text: str) -> float:
        toks = stems(text)
        if not toks or not self.sentences:
            return 0.5
        n = len(self.sentences)
        vals = [1 - math.log(1 + self.stem_df.get(t, 0)) / math.log(1 + n) for t in toks]
        return max(0.0, min(1.0, sum(vals) / len(vals)))

    def span(self, doc: int, start: int, end: int) -> Span:
        d = self.documents[doc]
        return Span(source=d.path, start=start, end=end, quote=d.text[start:end])
