"""Which comments of a Python file explain: words a reader can learn from, not commented-out
code, a URL or a shape note.

A comment at the end of a line of code ("tok_emb = wte(idx)  # token embeddings of shape (b, t,
n_embd)") is often the only place a repository names the idea the line implements. The code
section keeps its lines whole (a lesson shows them as written) and lists the spans of the
words of its explaining comments in ``signals["comments"]``, for the concept stage to read as
prose. A full-line comment that is commented-out code (``# m = np.memmap(...)``) stays with
the code.

A notebook's code cell is kept whole too, with its explaining comments (on lines of their own
or after code) listed the same way.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from teachback.ingest.readers.spans import line_starts

MIN_WORDS = 3  # "per second", "124M params": a note, not an explanation
MIN_LETTER_SHARE = 0.6  # of the comment's visible characters: "(B, nh, T, hs)" is a shape note
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_URL = re.compile(r"^\S*://\S*$")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")  # values listed ("'nccl', 'gloo', etc."), not words
# What code has and prose rarely does: an assignment, a call or subscript, an attribute.
_CODE_MARK = re.compile(r"=|\w\(|\w\[|\w\.\w|^\s*(?:import|from|return|def|class)\b")


def comment_body(comment: str) -> str:
    """``"#  token embeddings"`` -> ``"token embeddings"``."""
    return comment.lstrip().lstrip("#").strip()


def comment_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a comment's words: ``text[start:end]`` without the ``#`` and the spaces."""
    while start < end and (text[start] == "#" or text[start].isspace()):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def commented_code(comment: str) -> bool:
    """Whether a comment is a line of code switched off (``# print(x)``, ``# x = f(y)``)."""
    body = comment_body(comment)
    if not body or not _CODE_MARK.search(body):
        return False
    try:
        ast.parse(body)
    except (SyntaxError, ValueError):
        return False
    return True


def explains(comment: str) -> bool:
    """Whether a comment reads as words about the code: a phrase or sentence, not code, a URL
    or a note made mostly of symbols."""
    body = comment_body(comment)
    if _URL.match(body) or commented_code(comment):
        return False
    if len(_WORD.findall(_QUOTED.sub(" ", body))) < MIN_WORDS:
        return False
    visible = [ch for ch in body if not ch.isspace()]
    return sum(ch.isalpha() for ch in visible) >= MIN_LETTER_SHARE * len(visible)


def explaining_comments(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, after_code)`` of each explaining comment of Python ``text`` (from its
    ``#`` to the end of its line; ``after_code`` when code precedes it on the line). Found by
    the tokenizer, so a ``#`` inside a string is not a comment; a cell magic or an unfinished
    statement ends the search (what was found so far is kept)."""
    starts = line_starts(text)
    found: list[tuple[int, int, bool]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type != tokenize.COMMENT or not explains(tok.string):
                continue
            row, col = tok.start
            at = starts[row - 1] + col
            found.append((at, at + len(tok.string), bool(tok.line[:col].strip())))
    except (tokenize.TokenError, SyntaxError, IndexError):
        pass
    return found
