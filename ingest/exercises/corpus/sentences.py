"""Sources as sentences: every prose sentence of a document with its exact span, cleaned and
stemmed text, and a token index over them, cached per document (``document_sentences``).

Sentence ends are found by punctuation and line breaks (``split_sentences``). Not handled:
languages other than English; sentences that span sections.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from array import array
from collections import defaultdict
from dataclasses import dataclass

from teachback.core.document import Document, Section
from teachback.core.text import fold
from teachback.engine.protocol import Span
from teachback.ingest.exercises.text import clean_for_prompt, looks_like_instruction, stems

PROSE_KINDS = {"prose", "docstring", "comment", "heading"}
# Sentence ends: punctuation then a capital; a blank line; a line break before a list item,
# heading or quote, or after a line that ends a sentence. Other line breaks are soft
# (hard-wrapped Markdown paragraphs).
_SPLIT = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*[ \t]+(?=[\"'\u201c\u2018(\[*_`]{0,3}[A-Z0-9])"
    r"|\n\s*\n|\n(?=\s*(?:[-*+>]|\d{1,2}[.)]|#{1,6})\s)|(?<=[.!?])[\"'\u201d\u2019)]*\s*\n"
)
ALNUM = re.compile(r"[a-z0-9]+")
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


class DocSentences:
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
            for tok in set(ALNUM.findall(sent.folded.lower())):
                tokens[tok].append(i)
        # token -> sentences holding it, as compact int arrays (read by iteration only)
        self.tokens: dict[str, array] = {t: array("i", ids) for t, ids in tokens.items()}
        self._part_ids: dict[str, array] = {}  # compact: a set of ints is ~10x the size
        self._vocab: list[str] | None = None

    def _holding(self, part: str) -> frozenset[int] | None:
        """Sentences with a token containing ``part`` (None for a part that is not a plain
        word, e.g. "c++": the caller then checks substrings)."""
        if not ALNUM.fullmatch(part):
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
            # (``str.find``, not a pattern per part: compiling one cost more than the search)
            at = self._vocab_text.find(part)
            while at >= 0:
                t = bisect.bisect_right(self._vocab_starts, at) - 1
                if t not in seen_tok:
                    seen_tok.add(t)
                    hit.update(self.tokens[self._vocab[t]])
                at = self._vocab_text.find(part, at + len(part))
            # (most parts are in no sentence of a given document: one shared empty array)
            self._part_ids[part] = hit = array("i", sorted(hit)) if hit else _NO_IDS
        return frozenset(hit) if hit else _NO_SET

    def mentions_of(
        self, heads: set[str], pattern, parts: tuple[tuple[str, ...], ...] = ()
    ) -> list[tuple[int, object]]:
        """``parts``: for each name, its words before the last; a sentence that holds none
        of the names' words (as substrings) cannot match, so the regex is not tried."""
        # (a set filled from the postings in C: a head word such as "model" is in thousands
        # of sentences, and only those that also hold the other words are sorted)
        held = set().union(*(self.tokens.get(h, ()) for h in heads))
        if not held:  # (nor are the other words looked up: a document per part adds up)
            return []
        sents = self.sentences
        if parts and all(parts):
            # a sentence must hold every word of some name (a word glued to its neighbour,
            # "adaptivekarito", still sits inside one token): postings, not a scan
            allowed: set[int] = set()
            for ps in parts:
                sets = [self._holding(p) for p in ps]
                if any(x is None for x in sets):
                    allowed |= {i for i in held if all(p in sents[i].folded.lower() for p in ps)}
                else:
                    allowed |= frozenset.intersection(*sets)
            held &= allowed
        ids = sorted(held)
        return [
            (i, m)
            for i in ids
            if not sents[i].instruction_like
            and sents[i].section_kind != "heading"
            and (m := pattern.search(sents[i].folded))
        ]


_NO_IDS = array("i")
_NO_SET: frozenset[int] = frozenset()
_DOC_CACHE: dict[tuple, DocSentences] = {}
_DOC_CACHE_SIZE = 256


_DOC_LOCK = threading.Lock()


def document_sentences(doc: Document) -> DocSentences:
    key = (doc.path, len(doc.text), hash(doc.text), len(doc.sections))
    with _DOC_LOCK:
        hit = _DOC_CACHE.pop(key, None)
        if hit is not None:
            _DOC_CACHE[key] = hit  # most recently used last
            return hit
    hit = DocSentences(doc)
    with _DOC_LOCK:
        while len(_DOC_CACHE) >= _DOC_CACHE_SIZE:
            _DOC_CACHE.pop(next(iter(_DOC_CACHE)))
        _DOC_CACHE[key] = hit
    return hit


def forget_documents() -> None:
    """Forget every cached document's sentences (``Corpus.release``)."""
    with _DOC_LOCK:
        _DOC_CACHE.clear()
