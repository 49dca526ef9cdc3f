"""Helpers shared by the built-in kinds: aligning a prompt to source sentences, support."""

from __future__ import annotations

import re
from array import array
from functools import lru_cache

from rapidfuzz import fuzz

from teachback.core.text import fold
from teachback.ingest.exercises.corpus import Corpus, Sentence
from teachback.ingest.exercises.text import clean_for_prompt, inflections, stem_set, words

BLANK = "_____"
_PUNCT = re.compile(r"[^\w\s]")
_ENDS = re.compile(r"[\W_]*[.!?]")
_STARTS = re.compile(r"[.!?:]\W*$")


def norm(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(text).lower()).split())


def accepts(answer: str, accepted: list[str], threshold: float = 85.0) -> bool:
    """Whether a typed ``answer`` is one of the ``accepted`` forms or a near miss of one.

    Near misses: rapidfuzz ratio >= ``threshold`` on normalised text, for answers of 5+
    characters (short terms must match a form exactly)."""
    a = norm(answer)
    if not a:
        return False
    forms = {norm(f) for f in accepted}
    if a in forms or {norm(x) for x in inflections(a)} & forms:
        return True
    return len(a) >= 5 and any(len(f) >= 5 and fuzz.ratio(a, f) >= threshold for f in forms)


def support(query: str, sentence: Sentence) -> float:
    """Share of the query's content words that the sentence contains (0..1)."""
    q = stem_set(query)
    return len(q.intersection(sentence.stems)) / len(q) if q else 0.0


RETRIEVED = 8192  # retrieval results remembered per corpus


def _by_support(hit: tuple[Sentence, float]) -> tuple[float, int]:
    return -hit[1], hit[0].id


def retrieve(
    corpus: Corpus, query: str, k: int = 10, base: str | None = None
) -> tuple[tuple[Sentence, float], ...]:
    """Top sentences by BM25, re-scored by word coverage of the query (``support``), best
    first (``base``: a part of the query that recurs across calls, see ``Corpus.search``).
    Remembered per corpus: a matching exercise's descriptions are also multiple-choice clues,
    asked with the same terms."""
    memo = corpus.__dict__.get("_retrieved")
    if memo is None:
        memo = corpus.__dict__["_retrieved"] = {}
    key = (query, k, base)
    hit = memo.get(key)
    if hit is None:
        q = stem_set(query)
        n = len(q)
        scored = [
            (s, len(q.intersection(s.stems)) / n if n else 0.0)
            for s, _ in corpus.search(query, k, base)
        ]
        hit = tuple(sorted(scored, key=_by_support))
        if len(memo) >= RETRIEVED:
            memo.pop(next(iter(memo)))
        memo[key] = hit
    return hit


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_'-]*")


TOKENS_CACHED = 8192  # sentences (~2 KB each; the 1 MB corpus reads ~4,900)


@lru_cache(maxsize=TOKENS_CACHED)
def _tokens(sentence_text: str) -> tuple[str, array, array, list[str], dict[str, list[int]]]:
    """A source sentence as ``fill_blank`` reads it (computed once per sentence): the text,
    where each token starts and ends in it, the token words, and where each word occurs.
    (Offsets as int arrays: a tuple per token made this cache the largest at 4 MB.)"""
    text = fold(clean_for_prompt(sentence_text))
    starts, ends, tw = array("i"), array("i"), []
    for m in _TOKEN.finditer(text):
        tw.append(m.group(0).strip("'-").lower())
        starts.append(m.start())
        ends.append(m.end())
    where: dict[str, list[int]] = {}
    for i, w in enumerate(tw):
        where.setdefault(w, []).append(i)
    return text, starts, ends, tw, where


@lru_cache(maxsize=4096)
def _template(template: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """A blank's context as ``fill_blank`` reads it (once per template, not per sentence):
    the words left and right of the first blank and the (left, right) context widths to try."""
    left, _, right = template.partition(BLANK)
    right = right.split(BLANK)[0]
    lw, rw = words(left), words(right)
    # both sides first (4..1 words each), then one side anchored at the sentence's edge (the
    # other side of the blank may lie in a neighbouring sentence)
    tries = [(k, k) for k in (4, 3, 2, 1)]
    if not rw or _ENDS.match(right):  # the blank ends its sentence
        tries += [(k, 0) for k in (4, 3, 2)]
    if not lw or _STARTS.search(left):  # the blank starts its sentence
        tries += [(0, k) for k in (4, 3, 2)]
    return lw, rw, tries


def fill_blank(template: str, sentence_text: str) -> str | None:
    """The text that fills the first blank of ``template`` in ``sentence_text``, by aligning
    up to four words of context on each side. None when the sentence does not align.

    >>> # fill_blank("A _____ is a barrier.", "A membrane is a barrier.") -> "membrane"
    """
    lw, rw, tries = _template(template)
    text, starts_at, ends_at, tw, where = _tokens(sentence_text)
    n = len(tw)
    for nl, nr in tries:
        left_ctx = lw[-nl:] if nl else []
        right_ctx = rw[:nr] if nr else []
        if not left_ctx and not right_ctx:
            continue
        if left_ctx:  # positions right after an occurrence of the left context
            k = len(left_ctx)
            starts = [
                p + 1
                for p in where.get(left_ctx[-1], ())
                if p + 1 >= k and p + 1 < n and tw[p + 1 - k : p + 1] == left_ctx
            ]
        else:
            starts = [0]
        for i in starts:
            for j in range(i + 1, min(i + 9, n + 1)):
                if right_ctx and tw[j : j + len(right_ctx)] != right_ctx:
                    continue
                if not right_ctx and j != n:
                    continue
                fill = text[starts_at[i] : ends_at[j - 1]].strip(" \"'*_`")
                if fill:
                    return fill
    return None


def first_sentence_with(corpus: Corpus, text: str) -> Sentence | None:
    t = norm(text)
    for s in corpus.sentences:
        if t and t in norm(s.text):
            return s
    return None


def a_proper_name(view) -> bool:
    """Whether ``view``'s concept (a ``ConceptView``) is a one-word name the sources write as
    a proper name in prose, not as code ("Codex", "Pandas", "NumPy"; not ``DataFrame``,
    written as code, nor a code concept). Its name blanked asks which product, person or
    library is meant (trivia), and in a course about it the obvious guess."""
    if view.concept.kind == "code" or not view.proper or len(view.names[0].split()) > 1:
        return False
    coded = sum(s.folded[max(0, m.start() - 1) : m.start()] == "`" for s, m in view.mentions)
    return coded * 2 < len(view.mentions)
