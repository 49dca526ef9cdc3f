"""Lessons that do not give away a write-the-code answer.

A write-the-code exercise hides a function's body and asks the learner to write it; the lesson of
its concept usually shows that very function in full (a code concept's lesson leads with its
source), and another lesson may quote a line of it ("where the code uses ``fnv1a``"). While the
tutor teaches, every body a write-the-code exercise asks for is left out of what a lesson shows:
the signature and docstring stay (they say what the function does), the body becomes ``...``, a
code block that is nothing but lines of such a body goes, and a cited passage stops before the
body (citations stay exact spans of the source). The source's own body is shown with the
exercise's feedback once the learner has answered.

Pure functions over the lesson's Markdown and the exercise rows; ``session_lesson`` applies them.

>>> body = hidden_bodies([{"kind": "write_code", "answer": 'def f(x):\\n    "Twice x."\\n'
...                        '    y = x + x\\n    return y'}])
>>> print(hide_in_lesson("```python\\ndef f(x):\\n    \\"Twice x.\\"\\n    y = x + x\\n"
...                      "    return y\\n```\\n", [], body)[0])
```python
def f(x):
    "Twice x."
    ...  # the body is left out: you write it in an exercise
```
<BLANKLINE>
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterable
from functools import lru_cache

PLACEHOLDER = "...  # the body is left out: you write it in an exercise"
# A run of one line of a body counts only when it says something ("return total", not "pass").
MIN_LONE_LINE = 13

_FENCE_OPEN = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*$")
_MARKER = re.compile(r" \[(\d+)\]$")
_NOTE = re.compile(r"^\*\((?:In|Used in|The first) .*\)\*$")  # where a shown snippet is from


def hidden_bodies(exercises: Iterable[dict]) -> tuple[tuple[str, ...], ...]:
    """The bodies the learner is asked to write, each as its code lines (stripped, no blank
    lines), from the write-the-code exercises among ``exercises`` (rows with ``kind`` and
    ``answer``: the function's source)."""
    return tuple(
        body
        for ex in exercises
        if ex.get("kind") == "write_code"
        for body in [_body_lines(str(ex.get("answer") or ""))]
        if body
    )


def curriculum_bodies(cur) -> tuple[tuple[str, ...], ...]:
    """``hidden_bodies`` of every exercise of the published curriculum ``cur``."""
    return hidden_bodies(r for rows in cur.exercise_rows.values() for r in rows)


@lru_cache(maxsize=512)
def _body_lines(source: str) -> tuple[str, ...]:
    """The lines of a function's body after its signature and docstring."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return ()
    node = next(iter(tree.body), None)
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return ()
    first = node.body[0]
    documented = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if documented and len(node.body) == 1:
        return ()
    start = first.end_lineno if documented else first.lineno - 1
    lines = textwrap.dedent(source).splitlines()[start : node.end_lineno]
    return tuple(x.strip() for x in lines if x.strip())


def _hidden_rows(lines: list[str], bodies: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """``(first, last)`` row ranges of ``lines`` that reproduce a stretch of a hidden body
    (consecutive code lines, blank lines between them allowed)."""
    rows = [i for i, x in enumerate(lines) if x.strip()]
    code = [lines[i].strip() for i in rows]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(code):
        best = 0
        for body in bodies:
            for k, line in enumerate(body):
                if line != code[i]:
                    continue
                n = 0
                while i + n < len(code) and k + n < len(body) and code[i + n] == body[k + n]:
                    n += 1
                if n >= 2 or n == len(body) or len(code[i]) >= MIN_LONE_LINE:
                    best = max(best, n)
        if best:
            runs.append((rows[i], rows[i + best - 1]))
            i += best
        else:
            i += 1
    return runs


def shows_body(text: str, bodies: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` (code or a cited passage) reproduces a stretch of a hidden body."""
    return bool(bodies) and bool(_hidden_rows(str(text or "").split("\n"), bodies))


def without_hidden_bodies(cur, spans: list) -> list:
    """``spans`` (passages with a ``quote``) of the published curriculum ``cur`` without those
    that reproduce a body one of its write-the-code exercises asks for: "Explain it another
    way" draws on a concept's other passages, and one quoting the body is the answer."""
    bodies = curriculum_bodies(cur)
    return [s for s in spans if not shows_body(s.quote, bodies)]


def hide_in_code(code: str, bodies: tuple[tuple[str, ...], ...]) -> str | None:
    """``code`` with each stretch of a hidden body replaced by ``...`` at its indentation;
    None when nothing but such stretches is left (the block should go)."""
    lines = code.split("\n")
    runs = _hidden_rows(lines, bodies)
    if not runs:
        return code
    out, at = [], 0
    for first, last in runs:
        out += lines[at:first]
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        out.append(indent + PLACEHOLDER)
        at = last + 1
    out += lines[at:]
    if all(not x.strip() or x.strip() == PLACEHOLDER for x in out):
        return None
    return "\n".join(out)


def _cut_quote(citation: dict, bodies: tuple[tuple[str, ...], ...]) -> dict | None:
    """The citation ending before the first hidden line it quotes (still an exact span of the
    source); None when it quotes nothing else."""
    quote = str(citation.get("quote") or "")
    lines = quote.split("\n")
    runs = _hidden_rows(lines, bodies)
    if not runs:
        return citation
    kept = "\n".join(lines[: runs[0][0]]).rstrip()
    if not kept.strip():
        return None
    return {**citation, "quote": kept, "end": int(citation.get("start") or 0) + len(kept)}


def hide_in_lesson(
    text: str, citations: list[dict], bodies: tuple[tuple[str, ...], ...]
) -> tuple[str, list[dict]]:
    """A lesson (Markdown and its citations) without the hidden bodies: code blocks are
    rewritten or dropped (with the note saying where a dropped snippet is from), citations cut
    or dropped, and the ``[n]`` markers of prose renumbered to match."""
    if not bodies:
        return text, citations
    kept: list[dict] = []
    number: dict[int, int] = {}
    for n, c in enumerate(citations, 1):
        cut = _cut_quote(c, bodies)
        if cut is not None:
            kept.append(cut)
            number[n] = len(kept)
    paragraphs = _rewrite_blocks(text, bodies)
    if paragraphs is None and len(kept) == len(citations) and kept == citations:
        return text, citations  # nothing of a hidden body in it: the lesson as written
    paragraphs = [
        _MARKER.sub(lambda m: _renumber(m, number), p) for p in paragraphs or _chunks(text)
    ]
    return "\n\n".join(paragraphs) + ("\n" if text.endswith("\n") else ""), kept


def _renumber(m: re.Match, number: dict[int, int]) -> str:
    n = number.get(int(m.group(1)))
    return f" [{n}]" if n else ""


def _rewrite_blocks(text: str, bodies: tuple[tuple[str, ...], ...]) -> list[str] | None:
    """The lesson's blank-line-separated paragraphs, fenced code blocks kept whole, with the
    hidden bodies taken out; None when no code block shows any of them."""
    out: list[str] = []
    dropped = changed = False
    for chunk in _chunks(text):
        if dropped and _NOTE.match(chunk.strip()):
            dropped = False
            continue  # the note saying where a dropped snippet is from
        dropped = False
        lines = chunk.split("\n")
        if len(lines) >= 2 and _FENCE_OPEN.match(lines[0]):
            shown = "\n".join(lines[1:-1])
            code = hide_in_code(shown, bodies)
            changed = changed or code != shown
            if code is None:
                dropped = True
                continue
            chunk = "\n".join([lines[0], code, lines[-1]])
        out.append(chunk)
    return out if changed else None


def _chunks(text: str) -> list[str]:
    """Paragraphs separated by blank lines, a fenced block (blank lines inside it) as one."""
    chunks: list[str] = []
    buf: list[str] = []
    fence = ""
    for line in text.rstrip("\n").split("\n"):
        m = _FENCE_OPEN.match(line)
        if fence:
            buf.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = ""
            continue
        if m:
            fence = m.group(1)
        if not line.strip() and not fence:
            if buf:
                chunks.append("\n".join(buf))
                buf = []
            continue
        buf.append(line)
    if buf:
        chunks.append("\n".join(buf))
    return chunks
