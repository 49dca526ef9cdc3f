"""Calls a learner can predict from what a function is documented to do: the source's own
public, documented functions called on small values, the key computed in the sandbox.

A top-level function documented in words (no examples of its own) of a library module (its
top level only imports, defines and assigns; a ``__main__`` block is left out and never run)
is called with a value for each parameter that has no default, chosen by the parameter's name:
a count (``n``, ``k``) 2, a width 10, text a short sentence, a sequence (``a``, ``iterable``,
``data``, ``heap``...) five small integers with one repeated, an item (``x``, ``item``,
``value``) the repeated one, so that "before" and "after" it differ. The sequence is sorted
when the function assumes an order (its docstring says "sorted", or its parameter is a heap:
a sorted list is one); otherwise it is not, so a result that sorts tells something. A
function with a parameter whose name says nothing (``func``, ``key`` without a default),
``*args`` or keyword-only parameters without a default is not called.

The prompt shows only the call: the learner answers from what the lesson and docstring say the
function does (``bisect_left([1, 2, 4, 4, 7], 4)``), not by tracing code. Kept
(``reproduction``) when the call runs without error and gives a short, predictable result that
is not one of its arguments unchanged, nor ``None`` (a function that only changes its
argument is not asked: several answers could be right, e.g. any valid heap), nor a fraction
(how it is computed is rarely what the docstring says: ``quantiles``).

Not handled: methods and classes (an instance would need building), generators, functions of
modules that import the sources' other modules (the run has only this one file).
"""

from __future__ import annotations

import ast
import re

from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.function_purpose import public
from teachback.ingest.exercises.kinds.predict_output.candidates import Item, fence, python_modules

MAX_CALLS = 2  # per function
_COUNT = frozenset("n k count num number times repeat".split())
_WIDTH = frozenset("width size length maxlen max_len limit".split())
_TEXT = frozenset("text s string line sentence message".split())
_SEQUENCE = frozenset(
    """a arr array seq sequence lst items iterable data values xs numbers nums elements
    population sample heap""".split()
)
_ITEM = frozenset("x item value val v target elem element needle".split())
# a function that assumes its input in order: give it a sorted list (also a valid heap)
_ORDERED = re.compile(r"(?<![\w.])(?:sorted|ascending|ordered|heap)(?![\w(])", re.I)
SORTED, UNSORTED, ITEM = "[1, 2, 4, 4, 7]", "[5, 1, 4, 4, 2]", "4"
TEXT = "'the quick brown fox jumps'"

PROMPT = (
    "What does this call of the source's `{name}` (from `{file}`) return? Answer from what "
    "the function is documented to do; the result was checked by running it.\n\n"
)
_ALLOWED_TOP = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Assign,
    ast.AnnAssign,
    ast.Try,
)


def call_items(corpus: Corpus) -> list[tuple[int, str, Item]]:
    """``(document, function name, item)`` for the calls of every library module's public,
    documented top-level functions."""
    out = []
    for d, doc, tree in python_modules(corpus):
        module = library_code(doc.text, tree)
        if module is None:
            continue
        file = re.split(r"[/\\!]", doc.path)[-1]
        for node in tree.body:
            if _asked(node):
                for call in calls_of(node)[:MAX_CALLS]:
                    out.append((d, node.name, _item(corpus, d, node, file, module, call)))
    return out


def _asked(node: ast.stmt) -> bool:
    """A public function documented in words, without examples of its own (those are asked
    as they are: ``candidates.doctest_items``)."""
    if not isinstance(node, ast.FunctionDef) or not public("m." + node.name):
        return False
    doc = ast.get_docstring(node) or ""
    return bool(doc.strip()) and ">>>" not in doc


def library_code(text: str, tree: ast.Module) -> str | None:
    """The module's code to run before a call: all of it but its ``__main__`` block; None
    when its top level does anything but import, define and assign (a script: running it
    would train, print or write)."""
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for node in tree.body:
        if _is_main_block(node):
            drop |= set(range(node.lineno - 1, node.end_lineno))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring, or a string the author left
        elif not isinstance(node, _ALLOWED_TOP):
            return None
    return "".join(x for i, x in enumerate(lines) if i not in drop)


def _is_main_block(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def calls_of(node: ast.FunctionDef) -> list[str]:
    """The calls to ask of one function: ``bisect_left([1, 2, 4, 4, 7], 4)``; none when a
    parameter without a default has a name that suggests no value.

    >>> f = ast.parse("def nsmallest(n, iterable, key=None):\\n    'Find the n smallest.'").body[0]
    >>> calls_of(f)
    ['nsmallest(2, [5, 1, 4, 4, 2])']
    """
    args = node.args
    if node.decorator_list or args.vararg or args.posonlyargs:
        return []
    if any(d is None for d in args.kw_defaults):
        return []  # a keyword-only parameter without a default
    required = args.args[: len(args.args) - len(args.defaults)]
    if not required:
        return []
    ordered = bool(_ORDERED.search(ast.get_docstring(node) or ""))
    values = []
    for a in required:
        value = _value(a.arg.lower(), ordered, len(required))
        if value is None:
            return []
        values.append(value)
    return [f"{node.name}({', '.join(values)})"]


def _value(name: str, ordered: bool, n_params: int) -> str | None:
    if name in _COUNT:
        return "2"
    if name in _WIDTH:
        return "10"
    if name in _TEXT:
        return TEXT
    # ``x`` alone is what the function works on (``heapify(x)``), beside a sequence an item
    if name in _SEQUENCE or (name == "x" and n_params == 1):
        return SORTED if ordered or name == "heap" else UNSORTED
    if name in _ITEM:
        return ITEM
    return None


def _item(corpus: Corpus, d: int, node: ast.FunctionDef, file: str, module: str, call: str):
    # cited: the docstring, which says what the call does (the code is write_code's passage)
    lines = corpus.documents[d].text.splitlines(keepends=True)
    first = node.body[0]
    start = sum(len(x) for x in lines[: first.lineno - 1])
    end = sum(len(x) for x in lines[: first.end_lineno])
    prompt = PROMPT.format(name=node.name, file=file) + fence(call)
    # the module runs as one statement: a line of it that opens with "%" or "!" (in a
    # string) would be taken for an IPython magic and the cell skipped
    setup = f"exec(compile({module!r}, {file!r}, 'exec'))"
    return Item(prompt, call, call, "", "call", [corpus.span(d, start, end)], [setup, call])


def worth_asking(call: str, want: str) -> bool:
    """A result a learner works out from the documented behaviour: not ``None`` (the
    function changed its argument), not an argument given back or held whole (``wrap(text)``
    -> ``['the quick brown fox jumps']``: nothing to work out), and no fraction (``quantiles``
    -> ``[1.5, 4.0, 4.5]``: an interpolation the docstring does not spell out).

    >>> worth_asking("bisect_left([1, 2, 4, 4, 7], 4)", "2")
    True
    >>> worth_asking("quantiles([5, 1, 4, 4, 2])", "[1.5, 4.0, 4.5]")
    False
    """
    flat = " ".join(want.split())
    if flat == "None" or any(v in flat for v in (SORTED, UNSORTED, TEXT) if v in call):
        return False
    return not _FRACTION.search(flat)


_FRACTION = re.compile(r"(?<![\w.])\d+\.\d*[1-9]")
