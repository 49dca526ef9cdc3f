"""A module docstring's title: the topic its first line names, as a heading names a section's
("Heap queue algorithm (a.k.a. priority queue).", "Separate chaining: every bucket keeps a
list ..." -> "Separate chaining"). Its terms are then marked as a heading's are: what the
module teaches, not only the module itself.

Not a title: a first line that is a sentence ("Full definition of a GPT Language Model, all of
it in this single file.", "Sample from a trained model": an article, or more than
``MAX_WORDS`` words), or the module's own name ("hashkit: two small tables").
"""

from __future__ import annotations

import re

MAX_WORDS = 6
MAX_CHARS = 600  # an explanation longer than this is an essay, not the title's definition
# the first paragraph after the title line: prose up to a blank line or the docstring's end
_PARAGRAPH = re.compile(r"\A[^\n]*\n[ \t]*\n[ \t]*(\S(?:.(?!\n[ \t]*\n|\"\"\"|\'\'\'))*.)", re.S)
# ... a sentence: a capital, words, a full stop (not "Usage:", not a list, not code)
_SENTENCE = re.compile(r"[A-Z][a-z]*\s[^\n]*\w.*[.!?]\Z", re.S)
_ARTICLE = re.compile(r"\b(?:a|an|the|this|these|that|its|our|your)\s", re.I)
_AKA = re.compile(r"\((?:a\.k\.a\.?|aka|also known as)\s+([^)]+)\)", re.I)
# what a module is, not what it teaches: "Basic statistics module" teaches statistics
_GENERIC_HEAD = re.compile(r"\s+(?:module|library|package|utilities|helpers|tools)$", re.I)
_OPENING_QUOTES = re.compile(r"^[ \t]*[rRbBuU]{0,2}(?:\"\"\"|'''|\"|')")


def explanation(docstring: str) -> tuple[int, int] | None:
    """Where the paragraph after the title line runs in ``docstring`` (``(start, end)``):
    what the module says its topic is ("Heaps are arrays for which ..."), the title's terms'
    definition; None when the docstring stops at its title or goes on into usage or a list.

    >>> d = "'''Heap queues.\\n\\nHeaps are arrays for which a[k] <= a[2*k+1].\\n\\nUsage:\\n"
    >>> a, b = explanation(d); d[a:b]
    'Heaps are arrays for which a[k] <= a[2*k+1].'
    >>> explanation("'''Fraction, rational numbers.'''") is None
    True
    """
    m = _PARAGRAPH.search(docstring)
    if m is None or not _SENTENCE.match(m.group(1)) or len(m.group(1)) > MAX_CHARS:
        return None
    return m.start(1), m.end(1)


def opens_docstring(text: str) -> bool:
    """The section starts the docstring (a long one is cut into sections at its examples)."""
    return _OPENING_QUOTES.match(text) is not None


def module_title(docstring: str, module: str) -> str:
    """The title a module's docstring opens with, or "" when its first line is no title.

    >>> module_title('\"\"\"Heap queue algorithm (a.k.a. priority queue).\\n\\nHeaps ...', "h")
    'priority queue'
    >>> module_title("Basic statistics module.", "stats")
    'Basic statistics'
    >>> module_title("Separate chaining: every bucket keeps a list of entries.", "pkg.chaining")
    'Separate chaining'
    >>> module_title("Sample from a trained model", "sample")
    ''
    >>> module_title("hashkit: two small hash tables.", "hashkit")
    ''
    """
    lines = _OPENING_QUOTES.sub("", docstring).strip().splitlines()
    first = lines[0].strip() if lines else ""
    title = first.split(": ", 1)[0].rstrip(".").strip()
    aka = _AKA.search(title)
    if aka:  # "Heap queue algorithm (a.k.a. priority queue)": the name it is known by
        title = aka.group(1).strip()
    title = _GENERIC_HEAD.sub("", title).strip()
    if not title or len(title.split()) > MAX_WORDS or _ARTICLE.search(title + " "):
        return ""
    if title.lower() == module.rsplit(".", 1)[-1].lower():
        return ""
    return title
