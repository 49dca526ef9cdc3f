"""Enumerations in a sentence: comma lists ("triangles, squares and hexagons") and runs of
capitalised words that were a list or a table row before text extraction lost the commas.

Pure text functions; ``siblings`` decides which members become concepts.
"""

from __future__ import annotations

import re

from teachback.ingest.concepts.lexicon import (
    GENERIC_HEADINGS,
    GENERIC_WORDS,
    acceptable_words,
    verbish,
)
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import STOPWORDS, stem, tokens

LIST_ZIPF = 4.5  # a list member must be at least this rare in general English to be a sibling
LIST_MIN_ITEMS = 3
# A run of this many capitalised words with no punctuation is a flattened list or table row
# (shorter runs are mostly names: "Alternate Interior Angles Theorem Converse").
RUN_MIN_WORDS = 6
_ARTICLES = frozenset({"a", "an", "the"})
_LIST_SEPARATORS = frozenset({",", "and", "or"})
# The category that introduces a list: "polygons such as ...", "quadrilaterals: ...".
LIST_INTRO = re.compile(
    r"(?P<cat>[A-Za-z][\w\-]*(?: [A-Za-z][\w\-]*)?)\s*,?\s*(?:such as|including|like|e\.g\.,?|"
    r"namely|for example,?|:)\s*(?:the\s+|an?\s+)?$",
    re.I,
)


CAP_RUN = re.compile(rf"(?:\b[A-Z][a-z][\w\-]*[ \t]+){{{RUN_MIN_WORDS - 1}}}[A-Z][a-z]")


def _is_list_word(tok: str) -> bool:
    return (
        len(tok) > 2
        and tok[0].isalpha()
        and tok.replace("-", "").isalpha()
        and tok.lower() not in STOPWORDS
    )


Token = tuple[str, int, int]  # (surface, start, end)


def enumerations(
    text: str, start: int, end: int, kinds: list[str] | None = None
) -> list[list[Token]]:
    """Lists of short noun phrases in one sentence ``text[start:end]``: (surface, start, end).

    * Comma lists: "triangles, squares, pentagons and hexagons" (at least 3 items, at least one
      comma; the first item keeps its last 3 words, the last its first 3, so "polygons such as
      triangles, ..." gives "triangles").
    * Runs: 6+ capitalised bare words in a row (not acronyms), at least 2/3 of them rare in
      general English, with no punctuation between them — a table row or list whose commas
      were lost ("Quadrilateral Pentagon Hexagon ..."); each word is an item.

    ``kinds``, when given, receives "comma" or "run" for each list returned.

    >>> s = "Shapes such as squares, kites and rhombi."
    >>> [[i[0] for i in e] for e in enumerations(s, 0, len(s))]
    [['squares', 'kites', 'rhombi']]
    """
    toks = tokens(text, start, end)
    lists = _CommaLists(text)
    for words, sep in _segments(toks):
        lists.read(words, sep)
    lists.flush()
    runs = _capital_runs(text, toks)
    if kinds is not None:
        kinds.extend(["comma"] * len(lists.out) + ["run"] * len(runs))
    return lists.out + runs


def _segments(toks: list[Token]) -> list[tuple[list[Token], str]]:
    """The words between separators, each with the separator that ends it ("," "and" "or",
    or "." for any other punctuation)."""
    segs: list[tuple[list[Token], str]] = []
    cur: list[Token] = []
    for tok, a, b in toks:
        low = tok.lower()
        if low in _LIST_SEPARATORS:
            segs.append((cur, low))
            cur = []
        elif not tok[0].isalnum() and tok not in "-'":
            segs.append((cur, "."))
            cur = []
        else:
            cur.append((tok, a, b))
    segs.append((cur, "."))
    return segs


def _leading(ws: list[Token]) -> list[Token]:
    """Up to 3 list words that open ``ws``."""
    out: list[Token] = []
    for w in ws:
        if not _is_list_word(w[0]) or len(out) == 3:
            break
        out.append(w)
    return out


def _trailing(ws: list[Token]) -> list[Token]:
    """Up to 3 list words that close ``ws``."""
    out: list[Token] = []
    for w in reversed(ws):
        if not _is_list_word(w[0]) or len(out) == 3:
            break
        out.insert(0, w)
    return out


class _CommaLists:
    """Reads a sentence's segments in order and collects its comma lists (``out``)."""

    def __init__(self, text: str):
        self.text = text
        self.out: list[list[Token]] = []
        self.items: list[Token] = []  # the list being read
        self.commas = 0
        self.last_sep = "."

    def _span(self, ws: list[Token]) -> Token:
        return (self.text[ws[0][1] : ws[-1][2]], ws[0][1], ws[-1][2])

    def flush(self) -> None:
        if len(self.items) >= LIST_MIN_ITEMS and self.commas:
            self.out.append(self.items)
        self.items, self.commas = [], 0

    def read(self, words: list[Token], sep: str) -> None:
        ws = [w for w in words if w[0].lower() not in _ARTICLES]
        if not ws:
            if self.items and sep in {"and", "or"} and self.last_sep == ",":
                self.last_sep = sep  # ", and"
                return
            self.flush()
            self.last_sep = sep
            return
        if self.items:
            self._extend(ws, sep)
        if not self.items and sep == ",":
            tail = _trailing(ws)
            if tail:
                self.items = [self._span(tail)]  # the first item: the words before the comma
        if sep == "," and self.items:
            self.commas += 1
        self.last_sep = sep

    def _extend(self, ws: list[Token], sep: str) -> None:
        """A segment after a list item: a whole item, or the list's last (its first words)."""
        if len(ws) <= 3 and all(_is_list_word(w[0]) for w in ws):
            self.items.append(self._span(ws))
            if self.last_sep in {"and", "or"} or sep == ".":
                self.flush()
            return
        lead = _leading(ws)
        if lead and self.last_sep in {"and", "or"}:
            self.items.append(self._span(lead))
        self.flush()


def _capital_runs(text: str, toks: list[Token]) -> list[list[Token]]:
    """Runs of bare list words of one case with nothing but spaces between them, kept when
    ``_list_run`` says they were a list."""
    out: list[list[Token]] = []
    run: list[Token] = []
    for tok, a, b in toks:
        if not _is_list_word(tok):
            if _list_run(run):
                out.append(run)
            run = []
            continue
        same_case = run and tok[0].isupper() == run[-1][0][0].isupper()
        if same_case and text[run[-1][2] : a].strip() == "":
            run.append((tok, a, b))
            continue
        if _list_run(run):
            out.append(run)
        run = [(tok, a, b)]
    if _list_run(run):
        out.append(run)
    return out


def _list_run(run: list[Token]) -> bool:
    # Only capitalised runs: lower-case runs in text that lost its punctuation are mostly
    # noun phrases and verbs ("solid occupies"). Most items must be rare words, which a
    # heading-like run ("Investigation Tools Needed") is not; acronyms ("LM NP") are labels.
    if len(run) < RUN_MIN_WORDS or not run[0][0][0].isupper():
        return False
    if any(w.isupper() for w, _, _ in run):
        return False
    if len({stem(w) for w, _, _ in run}) < len(run):
        return False  # a word repeated: a title or a phrase, not a list
    rare = sum(zipf(w) < LIST_ZIPF for w, _, _ in run)
    return rare * 3 >= len(run) * 2


def sibling_ok(surface: str) -> bool:
    """A list member that can stand as a concept: noun-like words, rare enough in general
    English to be a term ("hexagon" yes; "name", "money", "ran" no)."""
    words = tuple(surface.split())
    if not words or not acceptable_words(words):
        return False
    head = words[-1].lower()
    if head in GENERIC_WORDS or head in GENERIC_HEADINGS or head.endswith(("ly", "ed")):
        return False
    if head.endswith("ing") and len(words) == 1:
        return False  # "running"; a named technique keeps its gerund ("fancy indexing")
    if verbish(head):
        return False
    return min(zipf(w) for w in words) < LIST_ZIPF
