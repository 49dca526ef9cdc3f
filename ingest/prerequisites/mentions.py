"""Where each concept's names occur in the sources, gathered in one linear pass.

``gather(names, documents)`` indexes, for every term given as a list of surface forms, the prose
sentences that mention it, where it is first met in reading order, and (for names that are
identifiers) where a notebook's code first uses it. A form matches a run of words whose stems
equal the form's key (singular head, Porter stems). The pair features (``scoring``) and the
text edges (``linking``) are computed from this index.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from teachback.core.document import Document
from teachback.core.text import fold, sentences
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import WORD_RE, phrase_key, singular, stem

MAX_NGRAM = 5
PROSE_KINDS = {"prose", "docstring", "comment", "heading"}
# A one-word name at least this common in English ("column", "object", "combine") is a bare
# common noun or verb: the material uses it everywhere without building on it.
GENERIC_ZIPF = 4.0
IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_LIST_BREAK = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")
CODE_WORD_RE = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


@dataclass
class TermStats:
    """Where each term (by index) occurs in the documents, gathered in one linear pass."""

    first: dict[int, tuple[int, int]] = field(default_factory=dict)  # term -> (doc, offset)
    sentences: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    mentions: list[set[int]] = field(default_factory=list)  # sentence -> terms in it
    sentence_span: list[tuple[int, int, int]] = field(default_factory=list)  # (doc, start, end)
    words: list[frozenset[str]] = field(default_factory=list)  # term -> stemmed words
    names: list[str] = field(default_factory=list)
    generality: list[float] = field(default_factory=list)  # term -> log1p(min word spread)
    # term -> (doc, offset) of its first use in a notebook's code, for names that are identifiers
    code_first: dict[int, tuple[int, int]] = field(default_factory=dict)
    code_words: set[str] = field(default_factory=set)  # identifiers used in notebook code
    total_sentences: int = 0
    # each form's key -> its term, the most words a key has, the first words of keys
    lookup: dict[str, int] = field(default_factory=dict)
    max_len: int = 1
    firsts: set[str] = field(default_factory=set)
    _sentence_sets: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)
    _positions: dict[int, dict[int, int]] = field(default_factory=dict, repr=False)

    def tf(self, t: int) -> int:
        return len(self.sentences.get(t, ()))

    def sentence_set(self, t: int) -> frozenset[int]:
        """The sentences mentioning ``t``, as a set (built once: a term is in many pairs)."""
        found = self._sentence_sets.get(t)
        if found is None:
            found = self._sentence_sets[t] = frozenset(self.sentences.get(t, ()))
        return found


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[str, str]:
    """A word's stem and its singular's stem (memoised: a corpus repeats its words)."""
    return stem(word), stem(singular(word))


def gather(names: list[list[str]], documents: list[Document]) -> TermStats:
    """Index mentions of terms (each given as a list of surface forms) in the documents' prose.

    A form matches a run of words whose stems equal the form's key (singular head, Porter stems).
    Time is linear in the text: each sentence's n-grams (up to ``MAX_NGRAM`` words) are looked up
    in a dict.
    """
    stats = TermStats()
    lookup, max_len = _lookup(names, stats)
    stats.generality = _generality(stats.words)
    max_len = min(max_len, MAX_NGRAM)
    firsts = {k.split(" ", 1)[0] for k in lookup}
    stats.lookup, stats.max_len, stats.firsts = lookup, max_len, firsts
    for di, doc in enumerate(documents):
        text = fold(doc.text)
        for sec in doc.sections:
            if sec.kind not in PROSE_KINDS:
                continue
            for a, b in _statements(text, sec.start, sec.end):
                found = _terms_in(text, a, b, di, lookup, firsts, max_len, stats.first)
                sid = len(stats.mentions)
                stats.mentions.append(found)
                stats.sentence_span.append((di, a, b))
                for t in found:
                    stats.sentences[t].append(sid)
    stats.total_sentences = len(stats.mentions)
    _gather_code(stats, documents)
    return stats


def _statements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]``, each item of a list on its own: the items of
    "- ``isnull``: Generates a Boolean mask ...\n- ``dropna``: Returns a filtered version ..."
    say different things about different terms, though no full stop parts them."""
    out = []
    for a, b in sentences(text, start, end):
        cut = a
        for m in _LIST_BREAK.finditer(text, a, b):
            if m.start() > cut:
                out.append((cut, m.start()))
            cut = m.start() + 1
        out.append((cut, b))
    return out


def _lookup(names: list[list[str]], stats: TermStats) -> tuple[dict[str, int], int]:
    """Each form's key -> its term, and the most words a key has; fills the terms' names and
    stemmed words into ``stats``."""
    lookup: dict[str, int] = {}
    max_len = 1
    for t, forms in enumerate(names):
        keys = [phrase_key(f) for f in forms if f.strip()]
        for k in keys:
            if k and k not in lookup:
                lookup[k] = t
                max_len = max(max_len, k.count(" ") + 1)
        stats.words.append(frozenset(keys[0].split()) if keys else frozenset())
        stats.names.append(forms[0] if forms else "")
    return lookup, max_len


def _generality(words: list[frozenset[str]]) -> list[float]:
    """Generality from the names alone: a term all of whose words recur in many other terms'
    names ("probability" in "joint probability", "conditional probability") is more basic
    than one with a word of its own ("DBSCAN"). Spread of a word = names containing it."""
    spread: dict[str, int] = defaultdict(int)
    for ws in words:
        for w in ws:
            spread[w] += 1
    return [math.log1p(min((spread[w] for w in ws), default=0)) for ws in words]


def positions_in(stats: TermStats, text: str, a: int, b: int) -> dict[int, int]:
    """The terms ``text[a:b]`` (folded text) mentions, each with the offset of its first
    mention there: what a sentence says before and after a term."""
    where: dict[int, tuple[int, int]] = {}
    _terms_in(text, a, b, 0, stats.lookup, stats.firsts, stats.max_len, where)
    return {t: pos for t, (_, pos) in where.items()}


def sentence_positions(stats: TermStats, sid: int, text: str) -> dict[int, int]:
    """``positions_in`` of the indexed sentence ``sid`` (``text``: its document's folded
    text), read once: a sentence is read again for every pair of terms it mentions. The
    dict is shared; do not change it."""
    found = stats._positions.get(sid)
    if found is None:
        _, a, b = stats.sentence_span[sid]
        found = stats._positions[sid] = positions_in(stats, text, a, b)
    return found


def _terms_in(
    text: str,
    a: int,
    b: int,
    di: int,
    lookup: dict[str, int],
    firsts: set[str],
    max_len: int,
    first: dict[int, tuple[int, int]],
) -> set[int]:
    """The terms a sentence ``text[a:b]`` mentions (recording where each is first met)."""
    matches = list(WORD_RE.finditer(text, a, b))
    keys = [_word_keys(m.group()) for m in matches]
    n_words = len(keys)
    found: set[int] = set()
    for i in range(n_words):
        if keys[i][0] not in firsts and keys[i][1] not in firsts:
            continue
        pos = (di, matches[i].start())
        head = ""  # the stems of the words before the last one, each followed by a space
        for j in range(i, min(i + max_len, n_words)):
            stemmed, single = keys[j]
            for last_key in (stemmed, single) if single != stemmed else (stemmed,):
                t = lookup.get(head + last_key)
                if t is not None:
                    found.add(t)
                    if t not in first or pos < first[t]:
                        first[t] = pos
            head = f"{head}{stemmed} "
    return found


def _gather_code(stats: TermStats, documents: list[Document]) -> None:
    """Where notebook code first uses a term named by an identifier ("dtype", "fillna").

    A notebook teaches in cell order, and an API used in an early cell has been met before a
    later paragraph explains something in its terms. A repository's files have no such order.
    """
    identifiers: dict[str, int] = {}
    for t, name in enumerate(stats.names):
        if IDENTIFIER_RE.fullmatch(name) and word_zipf(name.lower()) < GENERIC_ZIPF:
            identifiers.setdefault(name, t)
    for di, doc in enumerate(documents):
        if doc.format != "notebook":
            continue
        for sec in doc.sections:
            if sec.kind != "code":
                continue
            for m in CODE_WORD_RE.finditer(doc.text, sec.start, sec.end):
                word = m.group()
                for part in {word, word.rsplit(".", 1)[-1]}:
                    stats.code_words.add(part)
                    t = identifiers.get(part)
                    if t is not None and t not in stats.code_first:
                        stats.code_first[t] = (di, m.start())


@lru_cache(maxsize=50_000)
def word_zipf(name: str) -> float:
    return zipf(name)
