"""Text utilities every package shares: typographic folding, the English stemmer, a short list
of function words, sentence spans, and Markdown flattened to one line of plain text.

Package-specific rules stay beside their package: the keyphrase stop list and the singulariser
(``ingest/textutil.py``), exercise inflections and safety checks (``ingest/exercises/text.py``),
grading's tokeniser and non-answers (``tutor/grading/text.py``).

Example::

    >>> fold("\u201cit\u2019s\u201d \u2013 ok")
    '"it\\'s" - ok'
    >>> stem("Learning")
    'learn'
    >>> sentences("See e.g. Fig. 2 for details. Then stop.")
    [(0, 28), (29, 39)]

Not handled: languages other than English.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from markdown_it import MarkdownIt

# --- folding ---------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def fold(text: str) -> str:
    """Fold curly quotes, dashes and odd spaces to ASCII; same length as the input, so offsets
    computed on the folded text are valid in the original."""
    return text.translate(_FOLD)


# --- words -----------------------------------------------------------------------------------

_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) English stem of one word, lower-cased."""
    return _ENGLISH.stemWord(word.lower())


# Common short English function words: the words a hint's answer check and the LLM engine's
# grounding check ignore when they compare a text with its source.
FUNCTION_WORDS = frozenset(
    """the and for are but not you all any can had her was one our out has him his how its may
    new now old see two way who did get let say she too use that this with from they will what
    when which their there been have more some than them then these into also each only such
    very just like your about other would could should where while because does""".split()
)

# --- sentences -------------------------------------------------------------------------------

_ABBREV = frozenset(
    "e.g i.e etc vs cf al fig figs eq eqs no nos dr mr mrs ms prof st sec ch vol pp approx resp "
    "inc ltd co corp jr sr u.s u.k".split()
)
_SENT_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Za-z0-9])|\n\s*\n")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text[start:end]``, whitespace-trimmed.

    A period ends a sentence when followed by space and a letter or digit (lower case too: some
    extracted text has lost its capitals), unless the word before it is a known abbreviation or
    a single letter ("J. Smith"); before a lower-case letter it must also be a word of 3+
    letters. Blank lines always end one.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _SENT_END.finditer(text, start, end):
        if m.group().startswith("."):
            before = text[max(cur, m.start() - 12) : m.start()]
            w = re.search(r"([A-Za-z.]+)$", before)
            word = w.group(1) if w else ""
            if word and (word.lower().rstrip(".") in _ABBREV or re.fullmatch(r"[A-Za-z]", word)):
                continue
            nxt = re.match(r"\s+[\"'(\[]?([A-Za-z0-9])", text[m.end() : m.end() + 8])
            if nxt and nxt.group(1).islower() and (len(word) < 3 or "." in word.rstrip(".")):
                continue
        _add_span(text, cur, m.end(), spans)
        cur = m.end()
    _add_span(text, cur, end, spans)
    return spans


def _add_span(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


# --- Markdown as plain text ------------------------------------------------------------------

# markdown-it (the Markdown reader's parser) rather than regular expressions, so escaped
# characters, code spans and blanks (``_____``) come out as a reader sees them.
_MD = MarkdownIt("commonmark")


def plain_text(markdown: str, limit: int | None = None) -> str:
    """Markdown as one line of plain text, for table cells and chart labels (which show their
    text literally, so ``**hash**`` would show its stars).

    ``"Match **hash** to `h(k)`"`` -> ``"Match hash to h(k)"``; cut at a word boundary with
    "…" when longer than ``limit`` characters. Tables and images inside the text keep their
    words, not their layout.
    """
    words: list[str] = []
    for block in _MD.parse(str(markdown or "")):
        for token in block.children or []:
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if block.type in ("paragraph_close", "heading_close", "list_item_close", "code_block",
                          "fence"):  # fmt: skip
            words.append(" " + (block.content if block.type in ("code_block", "fence") else ""))
    text = " ".join("".join(words).split())
    if limit is not None and len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
        text = cut.rstrip(" ,;:.") + "\u2026"
    return text
