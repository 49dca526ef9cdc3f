"""Where commented code does its work, so a lesson shows more than the line that names a term.

A comment that explains a term sits on the line that *makes* something ("pos_emb =
self.transformer.wpe(pos) # position embeddings of shape (t, n_embd)", "self.flash =
hasattr(...)" under "# flash attention make GPU go brrrrr ..."). A learner needs the rest of
what that code does, in the authors' words and lines:

* ``code_paragraph``: the run of lines a line belongs to (between blank lines, with the
  comment that heads it): ``tok_emb + pos_emb`` is where the position embedding is added;
* ``where_built``: the statement that builds an attribute the line calls (``wpe =
  nn.Embedding(config.block_size, config.n_embd)``, inside the ``nn.ModuleDict`` it is part
  of);
* ``where_read``: the branch that reads an attribute the line sets (``if self.flash:`` and its
  ``else``), preferring one in another function than the one that sets it;
* ``call_site``: the lines of a script that call a function, with the comment above them
  ("# determine and set the learning rate for this iteration" over ``lr = get_lr(iter_num)``).

Python only (an unparsable file gives nothing). Pure functions over a document's text: spans
are ``(start, end)`` offsets into it, whole lines.
"""

from __future__ import annotations

import ast
import functools
import re

MAX_PARAGRAPH_LINES = 10  # a longer run is a listing (a settings block), not one step
MAX_STATEMENT_LINES = 20  # a built attribute's or a branch's statement shown whole, at most
_COMMENT = re.compile(r"^\s*#")
_CALLED_ATTR = re.compile(r"\bself(?:\.\w+)*\.(\w+)\s*\(")
_BINDS = re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=[^=]")
_BUFFER = re.compile(r"""\bself\.register_buffer\(\s*["'](\w+)["']""")
_SET_ATTR = re.compile(r"^\s*self\.(\w+)\s*=[^=]", re.M)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[ast.Module | None, tuple[int, ...]]:
    """The module's tree (None when it does not parse) and each line's start offset."""
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        tree = None
    return tree, tuple(starts)


def _span(text: str, first: int, last: int) -> tuple[int, int]:
    """Offsets of lines ``first``..``last`` (1-based, inclusive), without the final newline."""
    _, starts = _parsed(text)
    start = starts[first - 1]
    end = starts[last] - 1 if last < len(starts) else len(text)
    return start, end


def _line_no(text: str, offset: int) -> int:
    """The 1-based line holding ``offset``."""
    return text.count("\n", 0, offset) + 1


def code_paragraph(lines: list[tuple[int, str]], k: int, *, used: bool = True) -> tuple[int, int]:
    """Indexes ``(lo, hi)`` (inclusive) of the run of lines line ``k`` belongs to: the lines
    around it at its indentation (and what they nest) up to a blank line, with the comment
    lines that head the run; ``(k, k)`` when the run is longer than ``MAX_PARAGRAPH_LINES``
    (a block of settings, one line of which is the point) or, with ``used``, when no later
    line of the run reads what line ``k`` binds (without it, a run of settings a comment
    labels is shown whole)."""
    own = _indent(lines[k][1])
    lo = k
    while lo > 0 and lines[lo - 1][1].strip() and _indent(lines[lo - 1][1]) == own:
        lo -= 1
        if _COMMENT.match(lines[lo][1]):
            while lo > 0 and _COMMENT.match(lines[lo - 1][1]):
                lo -= 1
            break  # the comment heads the run
    hi = k
    while hi + 1 < len(lines) and lines[hi + 1][1].strip():
        nxt = lines[hi + 1][1]
        if _indent(nxt) < own or (_indent(nxt) == own and _COMMENT.match(nxt)):
            break
        hi += 1
    if hi - lo + 1 > MAX_PARAGRAPH_LINES or (used and not _read_after(lines, k, hi)):
        return k, k
    return lo, hi


def _read_after(lines: list[tuple[int, str]], k: int, hi: int) -> bool:
    """Whether a name line ``k`` binds is read by a later line up to ``hi`` (``pos_emb`` in
    ``tok_emb + pos_emb``); a settings field no other line uses stands alone."""
    m = _BINDS.match(lines[k][1])
    if m is None:
        return False
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    later = "\n".join(line for _, line in lines[k + 1 : hi + 1])
    return any(re.search(rf"(?<![\w.]){re.escape(n)}\b", later) for n in names)


def _statements(tree: ast.Module):
    return (n for n in ast.walk(tree) if isinstance(n, ast.stmt))


def _innermost_simple(tree: ast.Module, line: int) -> ast.stmt | None:
    """The innermost statement that holds ``line`` and opens no block of its own."""
    best = None
    for n in _statements(tree):
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.If | ast.For):
            continue
        end = n.end_lineno or n.lineno
        if n.lineno <= line <= end and (best is None or n.lineno >= best.lineno):
            best = n
    return best


def where_built(text: str, code: str, skip: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans of the statements that build the attributes ``code`` calls (``self.x.wpe(pos)``
    -> the statement holding ``wpe = nn.Embedding(...)``), outside ``skip``."""
    tree, _ = _parsed(text)
    if tree is None:
        return []
    out: list[tuple[int, int]] = []
    for attr in dict.fromkeys(_CALLED_ATTR.findall(code)):
        builder = re.compile(rf"^\s*(?:self\.)?{re.escape(attr)}\s*=[^=]", re.M)
        for m in builder.finditer(text):
            if skip[0] <= m.start() < skip[1]:
                continue
            stmt = _innermost_simple(tree, _line_no(text, m.start() + len(m.group()) - 1))
            if stmt is None:
                continue
            end = stmt.end_lineno or stmt.lineno
            if end - stmt.lineno < MAX_STATEMENT_LINES:
                span = _span(text, stmt.lineno, end)
                if span not in out:
                    out.append(span)
            break
    return out


def where_read(text: str, code: str, skip: tuple[int, int]) -> list[tuple[int, int]]:
    """The span of the code that reads an attribute ``code`` sets (``self.flash = ...``,
    ``self.register_buffer("bias", ...)``): the branch it is tested or used in (``if
    self.flash: ... else: att.masked_fill(self.bias ...)``), else its statement; in another
    function than ``skip`` when there is one, shown whole when short."""
    tree, _ = _parsed(text)
    if tree is None:
        return []
    attrs = set(_SET_ATTR.findall(code)) | set(_BUFFER.findall(code))
    if not attrs:
        return []
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    owner = _enclosing_function(tree, _line_no(text, skip[0]))
    home = _enclosing(tree, _line_no(text, skip[0]), ast.ClassDef)
    found: list[tuple[bool, int, tuple[int, int]]] = []
    for a in ast.walk(tree):
        if not (
            isinstance(a, ast.Attribute)
            and isinstance(a.ctx, ast.Load)
            and a.attr in attrs
            and isinstance(a.value, ast.Name)
            and a.value.id == "self"
        ):
            continue
        stmt = _shown_statement(a, parents)
        if _enclosing(tree, stmt.lineno, ast.ClassDef) is not home:
            continue  # another class's attribute of the same name (LayerNorm's bias)
        end = stmt.end_lineno or stmt.lineno
        span = _span(text, stmt.lineno, end)
        if skip[0] <= span[0] < skip[1] or end - stmt.lineno >= MAX_STATEMENT_LINES:
            continue
        same = _enclosing_function(tree, stmt.lineno) is owner
        found.append((same, stmt.lineno, span))
    return [min(found)[2]] if found else []


def _shown_statement(node: ast.AST, parents: dict) -> ast.stmt:
    """The innermost ``if`` or ``while`` (within its function) around ``node``, else the
    innermost statement holding it."""
    first = None
    while node in parents and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        if isinstance(node, ast.If | ast.While):
            return node
        if first is None and isinstance(node, ast.stmt):
            first = node
        node = parents[node]
    return first if first is not None else node


def _enclosing_function(tree: ast.Module, line: int):
    return _enclosing(tree, line, ast.FunctionDef | ast.AsyncFunctionDef)


def _enclosing(tree: ast.Module, line: int, kind):
    """The innermost node of ``kind`` whose lines hold ``line``, or None."""
    best = None
    for n in ast.walk(tree):
        if isinstance(n, kind) and n.lineno <= line <= (n.end_lineno or n.lineno):
            if best is None or n.lineno > best.lineno:
                best = n
    return best


def call_site(text: str, name: str, skip: tuple[int, int]) -> tuple[int, int] | None:
    """The span of the first lines of a script (outside any definition) that call ``name``:
    the call's line, the block opener it sits in, the comment over them, and the lines after
    it at its indentation up to a blank line or a block (a long ``if`` body is not shown)."""
    tree, starts = _parsed(text)
    if tree is None:
        return None
    call = re.compile(rf"(?<![\w.]){re.escape(name)}\s*\(")
    lines = text.split("\n")
    for m in call.finditer(text):
        if skip[0] <= m.start() < skip[1]:
            continue
        k = _line_no(text, m.start()) - 1
        if _enclosing_function(tree, k + 1) is not None or _COMMENT.match(lines[k]):
            continue
        if lines[k].count("(") != lines[k].count(")"):
            continue  # a call spread over lines: one line of it would not read
        lo, hi = _call_extent(lines, k)
        if hi - lo + 1 > MAX_PARAGRAPH_LINES:
            continue
        return _span(text, lo + 1, hi + 1)
    return None


def _call_extent(lines: list[str], k: int) -> tuple[int, int]:
    """Indexes ``(lo, hi)`` of the lines shown for a call on line ``k`` (see ``call_site``)."""
    own = _indent(lines[k])
    lo = k
    while (
        lo > 0
        and lines[lo - 1].strip()
        and _indent(lines[lo - 1]) >= own
        and not _COMMENT.match(lines[lo - 1])
    ):
        lo -= 1
    above = lines[lo - 1] if lo > 0 else ""
    if above.rstrip().endswith(":") and not _COMMENT.match(above) and _indent(above) < own:
        lo -= 1  # the block the call is in ("if iter_num % eval_interval == 0 ...:")
    while lo > 0 and _COMMENT.match(lines[lo - 1]):
        lo -= 1
    hi = k
    while hi + 1 < len(lines) and lines[hi + 1].strip() and _indent(lines[hi + 1]) >= own:
        nxt = lines[hi + 1]
        if _indent(nxt) == own and nxt.rstrip().endswith(":") and _body_lines(lines, hi + 1) > 2:
            break  # a block with a long body: not what the call does
        hi += 1
    return lo, hi


def _body_lines(lines: list[str], k: int) -> int:
    """How many non-blank lines the block opened at line ``k`` holds."""
    own, n = _indent(lines[k]), 0
    for line in lines[k + 1 :]:
        if line.strip() and _indent(line) <= own:
            break
        n += bool(line.strip())
    return n
