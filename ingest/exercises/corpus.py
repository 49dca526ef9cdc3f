"""The sources as an exercise generator and checker see them: sentences, code units, an index.

``Corpus.of(documents)`` splits every prose section into sentences (each with an exact span into
``Document.text``), collects code units (functions/classes with their docstrings, doctest
examples and notebook cells with their *saved* outputs — nothing is executed), and builds a BM25
index over the sentences so the self-checker can retrieve passages. A corpus is cached per batch
of documents, so generating exercises for many concepts indexes the sources once.

Not handled: sentence splitting for languages other than English; sentences that span sections.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import threading
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from teachback.core.document import Document, Section
from teachback.core.text import fold
from teachback.engine.protocol import Span
from teachback.ingest.exercises.text import (
    clean_for_prompt,
    inflections,
    looks_like_instruction,
    stems,
)

CACHE_SIZE = 32  # corpora kept (the pipeline passes each concept its own sources)
PROSE_KINDS = {"prose", "docstring", "comment", "heading"}
# Sentence ends: punctuation then a capital; a blank line; a line break before a list item,
# heading or quote, or after a line that ends a sentence. Other line breaks are soft
# (hard-wrapped Markdown paragraphs).
_SPLIT = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*[ \t]+(?=[\"'\u201c\u2018(\[*_`]{0,3}[A-Z0-9])"
    r"|\n\s*\n|\n(?=\s*(?:[-*+>]|\d{1,2}[.)]|#{1,6})\s)|(?<=[.!?])[\"'\u201d\u2019)]*\s*\n"
)
_ALNUM = re.compile(r"[a-z0-9]+")
_SPLIT_LINES = re.compile(_SPLIT.pattern + r"|\n")
_LIST_NUMBER = re.compile(r"\s*\d{1,2}[.)]")
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|Fig|cf|approx|No)\.$", re.IGNORECASE)


@dataclass(slots=True)
class Sentence:
    # (slots: a corpus holds one per sentence of every source, ~200,000 at 16 MB)
    id: int
    doc: int  # index into the batch
    start: int
    end: int
    text: str  # exactly document.text[start:end]
    clean: str  # safe Markdown version for prompts
    section_kind: str
    heading_path: tuple[str, ...]
    stems: list[str]
    instruction_like: bool = False
    folded: str = ""  # text with typographic quotes/dashes folded (same length)
    clean_folded: str = ""  # fold(clean), computed once

    def __post_init__(self):
        if not self.clean_folded and self.clean:
            folded = fold(self.clean)
            self.clean_folded = self.clean if folded == self.clean else folded  # (share it)

    @property
    def sset(self) -> frozenset:
        """``frozenset(stems)``, made when asked for and not kept: a set per sentence is
        ~0.6 KB (~100 MB at 16 MB). To count shared words, ``len(q.intersection(stems))``
        gives the same number without it."""
        return frozenset(self.stems)

    def placed(self, id: int, doc: int) -> Sentence:
        """This sentence with its id and document index in a corpus: itself the first time
        (a document's sentences usually belong to one corpus), else a copy sharing its
        strings."""
        if self.id < 0:
            self.id, self.doc = id, doc
            return self
        return Sentence(
            id,
            doc,
            self.start,
            self.end,
            self.text,
            self.clean,
            self.section_kind,
            self.heading_path,
            self.stems,
            self.instruction_like,
            self.folded,
            self.clean_folded,
        )

    def span(self, documents: list[Document]) -> Span:
        return Span(
            source=documents[self.doc].path, start=self.start, end=self.end, quote=self.text
        )


@dataclass
class CodeUnit:
    """A function/class (code files) or a notebook code cell, with what the source says of it."""

    doc: int
    symbol: str  # qualified name, or "" for a notebook cell
    kind: str  # module | class | function | method | cell
    signature: str
    docstring: str
    section: Section
    doctests: list[dict] = field(default_factory=list)  # {"source","want"}
    outputs: list[str] = field(default_factory=list)  # saved notebook outputs
    docstring_span: tuple[int, int] | None = None
    definition_span: tuple[int, int] | None = None  # the whole def/class, when known

    def code(self, text: str) -> str:
        """The definition's source (whole def when the reader gave its span)."""
        if self.definition_span:
            return text[self.definition_span[0] : self.definition_span[1]]
        return self.section.text

    @property
    def short(self) -> str:
        return self.symbol.rsplit(".", 1)[-1] if self.symbol else ""


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans in ``text`` (shifted by ``offset``), whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    pending = 0
    # Paragraph-per-line text (any line longer than 120 characters): every line break ends a
    # sentence. Hard-wrapped text: only the breaks _SPLIT recognises do.
    splitter = _SPLIT_LINES if max(map(len, text.split("\n"))) > 120 else _SPLIT
    for m in splitter.finditer(text):
        piece = text[pending : m.start()]
        if "\n" not in m.group(0) and (_ABBREV.search(piece) or _LIST_NUMBER.fullmatch(piece)):
            continue  # "e.g. Foo" or a list number "1. Foo": not a sentence end
        spans.append((pending, m.start()))
        pending = m.end()
        pos = m.end()
    spans.append((pending, len(text)))
    del pos
    out = []
    for a, b in spans:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail - lead >= 2:
            out.append((offset + a + lead, offset + a + trail))
    return out


class BM25:
    """Okapi BM25; a term's posting weights become a numpy array the first time a query uses
    the term (most terms are never queried).

    ``top`` ranks only what can change: a query that repeats a ``base`` (a description asked
    about with each of its terms) takes the base's scores, already ranked, from a cache and
    re-scores just the sentences holding one of the other terms. Scores are summed over the
    terms in sorted order (base terms first), so a query's result does not depend on the
    order of its words or on the process's string hashing. (Whole answers are not cached
    here: ``kinds.common.retrieve`` remembers them per corpus, and few queries reach this
    twice.)
    """

    BASE_BYTES = 48 * 2**20  # memory for cached base rankings

    def __init__(self, docs: list, k1: float = 1.4, b: float = 0.75):
        self.n = len(docs)
        self.k1, self.b = k1, b
        lengths = [sum(d.values()) if isinstance(d, dict) else len(d) for d in docs]
        self.avg = (sum(lengths) / len(docs)) if docs else 1.0
        self.lengths = np.array(lengths, dtype=np.float64)
        # a term's postings as one flat int32 array (sentence, tf, sentence, tf, ...): a list
        # of (int, int) tuples costs ~25x the memory (~1.6 million postings at 16 MB)
        raw: dict[str, array] = defaultdict(lambda: array("i"))
        for i, d in enumerate(docs):
            counts = d if isinstance(d, dict) else Counter(d)
            for term, tf in counts.items():
                raw[term].extend((i, tf))
        self.raw: dict[str, array] = dict(raw)
        self.postings: dict[str, _Posting] = {}
        self._bases: dict[frozenset, _Ranking] = {}
        self._base_slots = max(8, self.BASE_BYTES // (16 * max(self.n, 1)))

    def _posting(self, term: str):
        hit = self.postings.get(term)
        if hit is None:
            flat = self.raw.get(term)
            if not flat:
                return None
            pairs = np.frombuffer(flat, dtype=np.intc).reshape(-1, 2)
            n, df = max(self.n, 1), len(pairs)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            idx = pairs[:, 0].astype(np.int64)
            tf = pairs[:, 1].astype(np.float64)
            lens = self.lengths[idx]
            norm = tf + self.k1 * (1 - self.b + self.b * lens / self.avg)
            weights = idf * tf * (self.k1 + 1) / norm
            hit = self.postings[term] = _Posting(idx, weights, float(weights.max()))
        return hit

    def _scores(self, terms) -> np.ndarray:
        """Summed scores of ``terms`` (in the order given) for every sentence."""
        dense = np.zeros(self.n)
        for p in filter(None, map(self._posting, terms)):
            dense[p.idx] += p.weights  # (a term's posting lists each sentence once)
        return dense

    def _ranked(self, base: frozenset) -> _Ranking:
        """``base``'s scores for every sentence and its ranking — the last few bases are
        kept."""
        hit = self._bases.pop(base, None)
        if hit is None:
            hit = _Ranking(self._scores(sorted(base)))
            while len(self._bases) >= self._base_slots:
                self._bases.pop(next(iter(self._bases)))
        self._bases[base] = hit  # most recently used last
        return hit

    def _top(self, terms: frozenset, k: int, base: frozenset) -> list[tuple[int, float]]:
        postings = [p for p in map(self._posting, sorted(terms)) if p is not None]
        if not postings:
            return []
        if len(postings) == 1:
            return _best(postings[0].idx, postings[0].weights, k)
        if base and any(self._posting(t) is not None for t in base):
            extra = [p for p in map(self._posting, sorted(terms - base)) if p is not None]
            return self._top_on_base(self._ranked(base), extra, k)
        return self._top_dense(postings, k)

    def _top_dense(self, postings: list, k: int) -> list[tuple[int, float]]:
        """Every sentence scored; only those scoring at least a bound on the k-th best
        score (``_floor``) are ranked, so a query whose common words touch most sentences
        sorts a few of them, not all."""
        dense = np.zeros(self.n)
        for p in postings:
            dense[p.idx] += p.weights  # (a term's posting lists each sentence once)
        floor = _floor(dense, postings, k)
        cand = np.flatnonzero(dense >= floor if floor > 0 else dense > 0)
        return _best(cand, dense[cand], k)

    @staticmethod
    def _top_on_base(ranking: _Ranking, extra: list[_Posting], k: int):
        """The query ``base + extra`` from the base's cached ranking: only the sentences
        holding an ``extra`` term change score (base + extra terms, summed in the order a
        full scoring uses); the rest keep their place in the base's ranking."""
        dense = ranking.dense
        best_base = ranking.head(k)
        if not extra:
            return [(int(i), float(dense[i])) for i in best_base]
        # every sentence scores at least its base score, so the k-th best base score is a
        # floor for the k-th best: a changed sentence that cannot reach it is not scored
        floor = float(dense[best_base[-1]]) if len(best_base) == k else 0.0
        if len(extra) == 1:
            changed, scores = extra[0].idx, dense[extra[0].idx] + extra[0].weights
        else:
            changed = _reaching(dense, extra, floor)
            if changed is None:  # most sentences may reach it: score them all
                return _top_of_all(dense, extra, floor, k)
            scores = _add_terms(dense, extra, changed)
        # the k best sentences that keep their base score: none after them can enter the
        # top k, and a changed sentence must score at least the k-th of them to
        head = ranking.first_not([p.idx for p in extra], k)
        if len(head) == k:
            keep = scores >= dense[head[-1]]
            changed, scores = changed[keep], scores[keep]
        return _best(np.concatenate([head, changed]), np.concatenate([dense[head], scores]), k)

    def top(
        self, query: list[str], k: int, base: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best (index, score) pairs, best first (ties: earlier first). ``base``:
        a part of ``query`` asked about repeatedly, whose ranking is cached."""
        if not self.n:
            return []
        terms = frozenset(query)
        return self._top(terms, k, frozenset(base or ()) & terms)


def _best(cand: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (index, score) pairs by score, ties to the smaller index."""
    if len(cand) > 4 * k:  # cut to the k best first (ties at the cut: keep them all)
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[:k]
    return [(int(cand[j]), float(scores[j])) for j in order]


def _floor(dense: np.ndarray, postings: list, k: int) -> float:
    """A score the k-th best sentence reaches: the k-th best among the sentences of one
    term's posting list (the shortest with k of them; real sentences, so at least k score
    that much). 0 when no list has k sentences."""
    lists = [p.idx for p in postings if len(p.idx) >= k]
    if not lists:
        return 0.0
    scores = dense[min(lists, key=len)]
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _add_terms(dense: np.ndarray, extra: list[_Posting], changed: np.ndarray) -> np.ndarray:
    """The scores of the ``changed`` sentences (sorted): ``dense`` plus each ``extra``
    term's weight, added in the order given (a full scoring's sums: adding 0.0 for a term
    a sentence lacks leaves its sum as it was)."""
    scores = dense[changed]
    for idx, weights, _ in extra:
        at = np.minimum(np.searchsorted(idx, changed), len(idx) - 1)
        scores = scores + np.where(idx[at] == changed, weights[at], 0.0)
    return scores


def _top_of_all(dense: np.ndarray, extra: list[_Posting], floor: float, k: int):
    """The k best of ``dense`` plus the ``extra`` terms over every sentence, ranking only
    those at or above ``floor``."""
    full = dense.copy()
    for idx, weights, _ in extra:
        full[idx] += weights
    cand = np.flatnonzero(full >= floor if floor > 0 else full > 0)
    return _best(cand, full[cand], k)


def _reaching(dense: np.ndarray, extra: list[_Posting], floor: float) -> np.ndarray | None:
    """The sentences holding an ``extra`` term that may score ``floor`` or more, sorted
    (None when they are more than a sixteenth of all sentences: adding over every sentence
    is then cheaper).

    With the terms in increasing order of their largest weight, a sentence whose last term
    in that order is the j-th gains at most the sum of the first j largest weights; so from
    the j-th term's sentences only those whose base score plus that sum reaches the floor
    are kept (a hair more, for rounding). Common words have the smallest weights: of their
    long lists, few sentences are kept."""
    kept, reach, size = [], 0.0, 0
    for idx, _, bound in sorted(extra, key=lambda p: p.bound):
        reach += bound
        kept.append(idx[dense[idx] + reach * (1 + 1e-9) >= floor])
        size += len(kept[-1])
        if size * 16 > len(dense):
            return None
    ids = np.concatenate(kept)
    ids.sort()
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))]


class _Posting(NamedTuple):
    """A term's sentences (ascending), its BM25 weight in each, and the largest weight."""

    idx: np.ndarray
    weights: np.ndarray
    bound: float


class _Ranking:
    """A base query's scores for every sentence, and its ranking (best first, ties: earlier
    first), sorted only as far as it is read: a query needs its first few sentences, and
    sorting every sentence a common word scores cost most of a query."""

    __slots__ = ("dense", "cand", "order")
    FIRST = 64  # sentences ranked at first; more when asked for (doubling)

    def __init__(self, dense: np.ndarray):
        self.dense = dense
        self.cand = np.flatnonzero(dense > 0)  # (every posting weight is > 0)
        self.order = self.cand[:0]

    def head(self, m: int) -> np.ndarray:
        """The first ``m`` sentences of the ranking (fewer when fewer score)."""
        if len(self.order) < min(m, len(self.cand)):
            want = max(m, 2 * len(self.order), self.FIRST)
            cand = self.cand
            scores = self.dense[cand]
            if want < len(cand):  # the `want` best; ties at the cut all kept (a prefix still)
                kth = np.partition(scores, len(scores) - want)[len(scores) - want]
                keep = scores >= kth
                cand, scores = cand[keep], scores[keep]
            self.order = cand[np.lexsort((cand, -scores))]
        return self.order[:m]

    def first_not(self, skip: list[np.ndarray], k: int) -> np.ndarray:
        """The first ``k`` sentences of the ranking in none of ``skip`` (sorted ids)."""
        m = k
        while True:
            head = self.head(m)
            out = head[~np.any([_members(head, ids) for ids in skip], axis=0)]
            if len(out) >= k or len(head) < m:
                return out[:k]
            m = 2 * m + (len(head) - len(out))


def _members(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``sorted_ids`` (a search per id: no mask over every
    sentence)."""
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[at] == ids


class _DocSentences:
    """One document's prose sentences (split, cleaned, stemmed) and a token index over them
    — cached per document, so the corpora of overlapping batches do this work once. (The
    mentions found are remembered by the corpus, not here as well: a second copy of every
    concept's mention list cost ~20 MB at 4 MB.)"""

    def __init__(self, doc: Document):
        self.sentences: list[Sentence] = []
        sections = doc.sections or [Section("prose", 0, len(doc.text), doc.text)]
        for sec in sections:
            if sec.kind not in PROSE_KINDS:
                continue
            for a, b in split_sentences(doc.text[sec.start : sec.end], sec.start):
                raw = doc.text[a:b]
                folded = fold(raw)  # (stems and the instruction check fold first: same text)
                if folded == raw:
                    folded = raw  # one string, not two equal ones
                clean = clean_for_prompt(raw)
                if clean == raw:
                    clean = raw  # (four sentences in five at 1 MB)
                self.sentences.append(
                    Sentence(
                        id=-1,
                        doc=-1,
                        start=a,
                        end=b,
                        text=raw,
                        clean=clean,
                        section_kind=sec.kind,
                        heading_path=tuple(sec.heading_path),
                        stems=stems(folded),
                        instruction_like=looks_like_instruction(folded),
                        folded=folded,
                    )
                )
        tokens: dict[str, list[int]] = defaultdict(list)
        for i, sent in enumerate(self.sentences):
            for tok in set(_ALNUM.findall(sent.folded.lower())):
                tokens[tok].append(i)
        # token -> sentences holding it, as compact int arrays (read by iteration only)
        self.tokens: dict[str, array] = {t: array("i", ids) for t, ids in tokens.items()}
        self._part_ids: dict[str, array] = {}  # compact: a set of ints is ~10x the size
        self._vocab: list[str] | None = None

    def _holding(self, part: str) -> frozenset[int] | None:
        """Sentences with a token containing ``part`` (None for a part that is not a plain
        word, e.g. "c++": the caller then checks substrings)."""
        if not _ALNUM.fullmatch(part):
            return None
        hit = self._part_ids.get(part)
        if hit is None:
            if self._vocab is None:  # every token once, one per line, to search in C
                self._vocab = list(self.tokens)
                self._vocab_text = "\n".join(self._vocab)
                self._vocab_starts = list(
                    itertools.accumulate((len(t) + 1 for t in self._vocab[:-1]), initial=0)
                )
            hit = set()
            seen_tok = set()
            for m in re.finditer(re.escape(part), self._vocab_text):
                t = bisect.bisect_right(self._vocab_starts, m.start()) - 1
                if t not in seen_tok:
                    seen_tok.add(t)
                    hit.update(self.tokens[self._vocab[t]])
            # (most parts are in no sentence of a given document: one shared empty array)
            self._part_ids[part] = hit = array("i", sorted(hit)) if hit else _NO_IDS
        return frozenset(hit) if hit else _NO_SET

    def mentions_of(
        self, heads: set[str], pattern, parts: tuple[tuple[str, ...], ...] = ()
    ) -> list[tuple[int, object]]:
        """``parts``: for each name, its words before the last; a sentence that holds none
        of the names' words (as substrings) cannot match, so the regex is not tried."""
        ids = sorted({i for h in heads for i in self.tokens.get(h, ())})
        if not ids:  # (nor are the other words looked up: a document per part adds up)
            return []
        sents = self.sentences
        if parts and all(parts):
            # a sentence must hold every word of some name (a word glued to its neighbour,
            # "adaptivekarito", still sits inside one token): postings, not a scan
            allowed: set[int] = set()
            for ps in parts:
                sets = [self._holding(p) for p in ps]
                if any(x is None for x in sets):
                    allowed |= {i for i in ids if all(p in sents[i].folded.lower() for p in ps)}
                else:
                    allowed |= frozenset.intersection(*sets)
            ids = [i for i in ids if i in allowed]
        return [
            (i, m)
            for i in ids
            if not sents[i].instruction_like
            and sents[i].section_kind != "heading"
            and (m := pattern.search(sents[i].folded))
        ]


_NO_IDS = array("i")
_NO_SET: frozenset[int] = frozenset()
_DOC_CACHE: dict[tuple, _DocSentences] = {}
_DOC_CACHE_SIZE = 256


_DOC_LOCK = threading.Lock()


def _document_sentences(doc: Document) -> _DocSentences:
    key = (doc.path, len(doc.text), hash(doc.text), len(doc.sections))
    with _DOC_LOCK:
        hit = _DOC_CACHE.pop(key, None)
        if hit is not None:
            _DOC_CACHE[key] = hit  # most recently used last
            return hit
    hit = _DocSentences(doc)
    with _DOC_LOCK:
        while len(_DOC_CACHE) >= _DOC_CACHE_SIZE:
            _DOC_CACHE.pop(next(iter(_DOC_CACHE)))
        _DOC_CACHE[key] = hit
    return hit


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
        self._per_doc: list[_DocSentences] = []
        self._offsets: list[int] = []
        for d, doc in enumerate(documents):
            cached = _document_sentences(doc)
            self._per_doc.append(cached)
            self._offsets.append(len(self.sentences))
            for proto in cached.sentences:
                self.sentences.append(proto.placed(len(self.sentences), d))
            self.code_units.extend(_code_units(d, doc))
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
        with _DOC_LOCK:
            _DOC_CACHE.clear()

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
                toks = _ALNUM.findall(fold(name).lower())
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


_DOCSTRING = re.compile(r"(?:\"\"\"|''')(.*?)(?:\"\"\"|''')", re.DOTALL)
_PROMPT = re.compile(r"^\s*>>> ?(.*)$")
_CONT = re.compile(r"^\s*\.\.\. ?(.*)$")


def parse_doctests(text: str) -> list[dict]:
    """Doctest examples in a docstring, as written: [{"source", "want"}]. Never run."""
    out: list[dict] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _PROMPT.match(lines[i])
        if not m:
            i += 1
            continue
        src = [m.group(1)]
        i += 1
        while i < len(lines) and _CONT.match(lines[i]):
            src.append(_CONT.match(lines[i]).group(1))
            i += 1
        indent = len(lines[i - len(src)]) - len(lines[i - len(src)].lstrip())
        want = []
        while i < len(lines) and lines[i].strip() and not _PROMPT.match(lines[i]):
            line = lines[i]
            if line.strip() in ('"""', "'''") or len(line) - len(line.lstrip()) < indent:
                break
            want.append(line.strip())
            i += 1
        out.append({"source": "\n".join(src), "want": "\n".join(want)})
    return out


def _code_units(d: int, doc: Document) -> list[CodeUnit]:
    """The functions/classes of document ``d`` (one unit per symbol, whatever sections
    describe it) in order of first appearance, then its notebook cells."""
    units: dict[str, CodeUnit] = {}  # (in order of first appearance)
    cells: list[CodeUnit] = []
    for idx, sec in enumerate(doc.sections):
        sig = sec.signals or {}
        symbol = sig.get("symbol") or ""
        if doc.format == "notebook" and sec.kind == "code":
            cells.append(_cell(d, doc, idx, symbol))
            continue
        if not symbol:
            continue
        unit = units.get(symbol)
        if unit is None:
            unit = units[symbol] = CodeUnit(
                d, symbol, sig.get("symbol_kind", ""), sig.get("signature", ""), "", sec
            )
        _add_section(unit, sec, sig)
    for unit in units.values():
        if not unit.doctests and unit.docstring:
            unit.doctests = parse_doctests(unit.docstring)
    return list(units.values()) + cells


def _cell(d: int, doc: Document, idx: int, symbol: str) -> CodeUnit:
    """The notebook code cell ``doc.sections[idx]`` with its saved outputs."""
    sec = doc.sections[idx]
    outputs = list((sec.signals or {}).get("outputs") or [])
    # The saved outputs may also be separate "output" sections right after the cell.
    j = idx + 1
    while not outputs and j < len(doc.sections) and doc.sections[j].kind == "output":
        outputs.append(doc.sections[j].text)
        j += 1
    return CodeUnit(d, symbol, "cell", "", "", sec, outputs=[o for o in outputs if o.strip()])


def _add_section(unit: CodeUnit, sec: Section, sig: dict) -> None:
    """What one more section of a symbol tells about it: docstring, spans, code, doctests
    (the first section to tell each wins)."""
    if sig.get("docstring") and not unit.docstring:
        unit.docstring = sig["docstring"]  # cleaned by the code reader
    if sec.kind == "docstring" and unit.docstring_span is None:
        unit.docstring = unit.docstring or sec.text
        unit.docstring_span = (sec.start, sec.end)
    span = sig.get("def_span")
    if span and len(span) == 2 and unit.definition_span is None:
        unit.definition_span = (int(span[0]), int(span[1]))
    if sec.kind == "code":
        _add_code(unit, sec, sig)
    for ex in sig.get("doctests") or []:
        if ex not in unit.doctests:
            unit.doctests.append(ex)


def _add_code(unit: CodeUnit, sec: Section, sig: dict) -> None:
    if unit.section.kind != "code":
        unit.section = sec
    unit.signature = unit.signature or sig.get("signature", "")
    if unit.docstring_span is None:
        # a reader that keeps the docstring inside the code section
        m = _DOCSTRING.search(sec.text)
        if m:
            unit.docstring = unit.docstring or m.group(1)
            unit.docstring_span = (sec.start + m.start(1), sec.start + m.end(1))


def summary_of(docstring: str) -> str:
    """The first paragraph of a docstring, on one line, without doctest lines."""
    para = []
    for line in docstring.strip().splitlines():
        if not line.strip() or line.strip().startswith(">>>"):
            if para:
                break
            continue
        if re.match(
            r"^\s*(Args|Arguments|Parameters|Returns|Raises|Example|Examples)\s*:?\s*$", line
        ):
            break
        para.append(line.strip())
    return " ".join(para).strip()
