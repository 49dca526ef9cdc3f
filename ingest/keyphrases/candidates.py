"""Keyphrase candidates: stop-word-bounded chunks of a text and every 1..4-word n-gram inside
them, merged by stemmed key, with where each occurs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from teachback.core.text import fold, sentences
from teachback.ingest.textutil import STOPWORDS, stem, tokens

MAX_WORDS = 4
MAX_WORD_CHARS = 40  # longer "words" are identifiers, hashes or noise, never keyphrases
_DETERMINERS = frozenset(
    "a an the this these those its their his her our your my every each".split()
)


@dataclass(slots=True)  # (hundreds of thousands are made per megabyte: no __dict__ each)
class Candidate:
    key: str  # stemmed, lower-cased words joined by spaces
    words: tuple[str, ...]  # surface words of the first occurrence
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) spans
    surfaces: dict[str, int] = field(default_factory=dict)
    sentences: set[int] = field(default_factory=set)
    whole_chunk: bool = False
    chunk_start: bool = False
    chunk_end: bool = False
    alone: int = 0  # occurrences that are a whole chunk
    score: float = 0.0
    features: list[float] = field(default_factory=list)

    @property
    def tf(self) -> int:
        return len(self.occurrences)

    @property
    def surface(self) -> str:
        """The most frequent surface form (ties: the first seen)."""
        forms = self.surfaces
        if len(forms) == 1:  # most candidates: read for every one in every group
            return next(iter(forms))
        return max(forms, key=forms.__getitem__)


@lru_cache(maxsize=200_000)  # a text repeats few distinct words, and this runs per token
def _is_candidate_word(w: str) -> bool:
    return (
        1 < len(w) <= MAX_WORD_CHARS
        and (w[0].isalpha() or any(ch.isalpha() for ch in w))
        and w.lower() not in STOPWORDS
    )


SOFT_WRAP_MIN = 50  # a line at least this long that breaks mid-phrase was wrapped, not ended


def _soft_wrap(text: str, end: int, nxt: int) -> bool:
    """The line break between ``text[end]`` and ``text[nxt]`` only wraps a paragraph
    ("the **birthday\nparadox** shows"): one newline, a long line before it, and no list,
    table or heading marker after it. Short lines (titles, table cells, PDF captions) and
    blank lines still end a phrase."""
    gap = text[end:nxt]
    if gap.count("\n") != 1:
        return False
    line_start = text.rfind("\n", 0, end) + 1
    if end - line_start < SOFT_WRAP_MIN:
        return False
    after = gap.split("\n", 1)[1].lstrip(" \t")
    return not after or after[0] not in "-*+|#>"


def _in_identifier(text: str, a: int, b: int) -> bool:
    """The word is part of a snake_case name ("iters" in "max_iters"): code, not prose."""
    return text[a - 1 : a] == "_" or text[b : b + 1] == "_"


def chunks(text: str, start: int = 0, end: int | None = None) -> list[list[tuple[str, int, int]]]:
    """Runs of candidate words bounded by punctuation, stop words and line breaks."""
    out: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    prev_end = start
    for tok, a, b in tokens(text, start, end):
        if cur and "\n" in text[prev_end:a] and not _soft_wrap(text, prev_end, a):
            out.append(cur)
            cur = []
        prev_end = b
        if tok.endswith(("'s", "'S")) and len(tok) > 3:  # a possessive ends a phrase
            if _is_candidate_word(tok[:-2]):
                cur.append((tok[:-2], a, b - 2))
            if cur:
                out.append(cur)
                cur = []
            continue
        if _is_candidate_word(tok) and not _in_identifier(text, a, b):
            cur.append((tok, a, b))
        elif cur:
            if len(cur) > 1 and tok.lower() in _DETERMINERS:
                # A noun phrase's head is rarely followed by "a"/"the": the last word is most
                # likely a verb ("every bucket keeps a list" -> "bucket").
                cur.pop()
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def candidates(
    text: str,
    start: int = 0,
    end: int | None = None,
    max_words: int = MAX_WORDS,
    spans: list[tuple[int, int]] | None = None,
    normalized: bool = False,
    sentence_spans: list[list[tuple[int, int]]] | None = None,
) -> dict[str, Candidate]:
    """All n-gram candidates of ``text[start:end]`` keyed by stemmed key, in first-seen order.

    With ``spans``, the candidates of several pieces of ``text`` (e.g. the paragraphs under one
    heading) are collected into one dict, sentences numbered across the pieces. Pass
    ``normalized=True`` when ``text`` already went through ``textutil.normalize`` (saves copying
    a large text on every call). ``sentence_spans``: each span's ``sentences``, when the
    caller has them already.
    """
    if not normalized:
        text = fold(text)
    end = len(text) if end is None else end
    found: dict[str, Candidate] = {}
    base = 0
    pieces = spans if spans is not None else [(start, end)]
    for i, (a, b) in enumerate(pieces):
        sent_spans = sentence_spans[i] if sentence_spans is not None else sentences(text, a, b)
        base = _collect(text, a, b, max_words, found, base, sent_spans)
    return found


def _collect(
    text: str,
    start: int,
    end: int,
    max_words: int,
    found: dict[str, Candidate],
    base: int,
    sent_spans: list[tuple[int, int]],
) -> int:
    """Add the candidates of ``text[start:end]`` (its sentences ``sent_spans``) to ``found``;
    return the next sentence number."""
    sent_starts = [s for s, _ in sent_spans]
    n_sents = len(sent_starts)
    si = 0
    get = found.get
    for chunk in chunks(text, start, end):
        words = [w for w, _, _ in chunk]
        stems = [stem(w) for w in words]
        while si + 1 < n_sents and sent_starts[si + 1] <= chunk[0][1]:
            si += 1
        sent = base + si
        n_chunk = len(chunk)
        for i in range(n_chunk):
            a = chunk[i][1]
            key = stems[i]
            for j in range(i + 1, min(i + max_words, n_chunk) + 1):
                if j > i + 1:
                    key = f"{key} {stems[j - 1]}"  # the key grows one stem at a time
                b = chunk[j - 1][2]
                surface = text[a:b]
                c = get(key)
                if c is None:
                    c = found[key] = Candidate(key=key, words=tuple(words[i:j]))
                c.occurrences.append((a, b))
                surfaces = c.surfaces
                surfaces[surface] = surfaces.get(surface, 0) + 1
                c.sentences.add(sent)
                if i == 0:
                    c.chunk_start = True
                if j == n_chunk:
                    c.chunk_end = True
                    if i == 0:
                        c.whole_chunk = True
                        c.alone += 1
    return base + max(1, len(sent_spans))
