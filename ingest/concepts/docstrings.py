"""Where the docstring that holds a definition ends, read from the source text around it.

A docstring may be quoted by one quote character as well as three (``shlex``'s class:
``"A lexical analyzer class for simple shell-like syntaxes."``); reading on to the next
triple quote would read the code after it as the docstring's next sentences.
"""

from __future__ import annotations

_QUOTES = ('"""', "'''", '"', "'")
_PREFIXES = "rRbBuUfF"


def docstring_end(text: str, start: int) -> int | None:
    """Where the string literal whose text ``start`` is in (its first line) closes: the
    offset of its closing quote; None when no quote opens it (a comment).

    >>> src = 'class A:\\n    "Say hi."\\n    def f(self): return "x."\\n'
    >>> src[docstring_end(src, src.index("Say")) - 7:][:8]
    'Say hi."'
    >>> q = '"' * 3
    >>> src = q + "Tools.\\n\\nMore here.\\n" + q + "\\nx = 1\\n"
    >>> docstring_end(src, src.index("Tools")) == src.index(q, 3)
    True
    >>> docstring_end("# a comment\\n", 2) is None
    True
    """
    opening = _opening_quote(text, start)
    if opening is None:
        return None
    close = text.find(opening, start)
    if len(opening) == 1:
        # one quote character closes on its own line (a backslash at the line's end runs it on)
        line_end = text.find("\n", start)
        while line_end > 0 and text[line_end - 1] == "\\":
            line_end = text.find("\n", line_end + 1)
        line_end = len(text) if line_end < 0 else line_end
        close = line_end if close < 0 or close > line_end else close
    return len(text) if close < 0 else close


def _opening_quote(text: str, start: int) -> str | None:
    """The quotes right before ``start`` (white space between for a triple-quoted string
    whose text opens on the next line), with the line's text before them only indentation or
    a string prefix."""
    at = start
    while at > 0 and text[at - 1] in " \t\n\r":
        at -= 1
    for quote in _QUOTES:
        if not text.startswith(quote, at - len(quote)):
            continue
        if len(quote) == 1 and at != start:
            return None  # one quote character opens its text on the same line
        before = text[text.rfind("\n", 0, at - len(quote)) + 1 : at - len(quote)]
        if before.strip(" \t").strip(_PREFIXES) == "":
            return quote
        return None
    return None
