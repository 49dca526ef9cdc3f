"""Which one is this code? — a function, method or class shown with its name hidden.

For code sources: the definition's own code (docstring and comments left out, the name
replaced by ``___`` wherever it appears) and as options this name and 2–3 of its siblings
(methods of the same class; functions and classes of the same file first, then of other
files). It checks that a learner knows what each piece does by reading how it does it —
``MLP`` against ``Block`` and ``CausalSelfAttention`` in a model file — and needs no
docstring, so undocumented code gets exercises too. Skipped when the code is long (more
than ``MAX_LINES``) or when what is left still spells the name (``get_batch`` using
``batch_size``): the code would give the answer away.

The key is the name as the options show it (``encode()``, ``LayerNorm``); ``data`` holds
``symbol``, ``variant: "code"`` and ``code`` (what the prompt shows).

Reader (self-check): hide each option's name in its own code the same way; the option whose
code is the code shown is the answer (support 1). Two options with that code: ambiguous.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass

from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.context.code_units import own_symbols
from teachback.ingest.exercises.corpus import CodeUnit, Corpus
from teachback.ingest.exercises.kinds.function_purpose import identifier_words, taught_symbols
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import stem

MASK = "___"
MAX_LINES = 30
KINDS = {"function", "method", "class"}
PROMPT = (
    "Which {what} is this? Its name is hidden as `___` (its docstring and comments are left "
    "out).\n\n```python\n{code}\n```"
)
# name parts that say nothing about what the code does
_GENERIC = frozenset("self cls get set init new call forward the from to of by run do make".split())
# (after the decorators: "@torch.no_grad()" above a def; a one-line docstring may use single
# quotes: "Generate *n* samples ...")
_DOCSTRING = re.compile(
    r"^((?:[ \t]*@[^\n]*\n)*[ \t]*(?:async\s+)?(?:def|class)\b[^\n]*:\s*\n)"
    r"[ \t]*[rRuU]?(?:(\"\"\"|''')(.*?)\2|([\"'])[^\n]*?\4)[ \t]*\n",
    re.S,
)


def _without_comments(code: str) -> str:
    """``code`` without its comments (tokenize knows a ``#`` inside a string from a comment);
    unchanged when it does not tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code
    lines = code.splitlines()
    for tok in reversed(tokens):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col].rstrip()
    return "\n".join(line for line in lines if line.strip() or not line)


def shown_code(code: str, name: str) -> str:
    """The definition as the prompt shows it: dedented, no docstring, no comments, no blank
    lines in a row, ``name`` replaced by ``___``."""
    code = textwrap.dedent(code).strip("\n")
    code = _DOCSTRING.sub(r"\1", code, count=1)
    code = _without_comments(code)
    code = re.sub(r"\n\s*\n+", "\n", code).strip("\n")
    return re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", MASK, code)


def _parts(text: str) -> set[str]:
    """Stems of every identifier part and word in ``text`` ("n_params" -> {"n", "param"})."""
    out = set()
    for token in re.findall(r"[A-Za-z][A-Za-z0-9]*", text):
        for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", token):
            out.add(stem(part.lower()))
    return out


def spelled(code: str, name: str, others: list[str] = ()) -> str:
    """A part of ``name`` that the shown code still says ("" when none): "batch" for
    ``get_batch`` reading ``batch_size``. A part the other options' names share ("params"
    of ``gpt_params`` beside ``chinchilla_params``) tells nothing apart."""
    have = _parts(code)
    shared = {stem(w.lower()) for o in others for w in identifier_words(o).split()}
    for word in identifier_words(name).split():
        w = word.lower()
        if len(w) >= 3 and w not in _GENERIC and stem(w) in have and stem(w) not in shared:
            return w
    return ""


def label(unit: CodeUnit) -> str:
    return unit.short if unit.kind == "class" else f"{unit.short}()"


@dataclass(frozen=True)
class _Def:
    """One definition the sources show: a function, method or class of a code file, or a
    function or class defined in a notebook cell."""

    name: str  # its own name
    symbol: str  # its qualified name (a notebook's: its name)
    kind: str  # function | method | class
    owner: str  # the class a method belongs to ("" otherwise)
    code: str  # its source
    doc: int
    start: int
    end: int

    @property
    def label(self) -> str:
        return self.name if self.kind == "class" else f"{self.name}()"


def definitions(corpus: Corpus) -> list[_Def]:
    """Every definition in the corpus (made once per corpus)."""
    cached = corpus.__dict__.get("_which_code_defs")
    if cached is not None:
        return cached
    out = []
    for u in corpus.code_units:
        text = corpus.documents[u.doc].text
        if u.kind in KINDS and u.definition_span is not None:
            owner = u.symbol.rsplit(".", 1)[0] if u.kind == "method" else ""
            code = u.code(text)
            out.append(_Def(u.short, u.symbol, u.kind, owner, code, u.doc, *u.definition_span))
        elif u.kind == "cell":
            out += _cell_definitions(u, text)
    corpus.__dict__["_which_code_defs"] = out
    return out


def _cell_definitions(unit: CodeUnit, text: str) -> list[_Def]:
    """Functions and classes defined at the top level of a notebook cell."""
    code = unit.section.text
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            continue
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        a = starts[first - 1]
        b = starts[node.end_lineno - 1] + node.end_col_offset
        kind = "class" if isinstance(node, ast.ClassDef) else "function"
        start = unit.section.start + a
        end = unit.section.start + b
        out.append(_Def(node.name, node.name, kind, "", code[a:b], unit.doc, start, end))
    return out


def _taught(d: _Def, taught: frozenset[str]) -> bool:
    """A public definition the curriculum teaches (a concept, or a method of one); a
    notebook's definitions are known by their names."""
    if d.name.startswith("_") or d.owner.rsplit(".", 1)[-1].startswith("_"):
        return False
    if d.kind == "method":
        return d.owner in taught or d.owner.rsplit(".", 1)[-1] in taught
    return d.symbol in taught or d.name in taught or d.symbol.rsplit(".", 1)[0] in taught


def _siblings(defs: list[_Def], me: _Def, taught: frozenset[str]) -> list[_Def]:
    """Options beside ``me``: methods of its class for a method; else functions or classes
    (as it is) of its file, then of the other files; no two with one name, only public ones
    the curriculum teaches (never a private helper the learner has not met)."""
    if me.kind == "method":
        pool = [d for d in defs if d.kind == "method" and d.owner == me.owner]
    else:
        pool = sorted(
            (d for d in defs if d.kind == me.kind),
            key=lambda d: (d.doc != me.doc, d.start),
        )
    out, seen = [], {me.label}
    for d in pool:
        if not _taught(d, taught) or d.label in seen:
            continue
        seen.add(d.label)
        out.append(d)
    return out


def _where(me: _Def, path: str) -> str:
    """What the answer shows after the question: the definition by its qualified name and
    its file (``GPT.forward`` in ``model.py``), which tells ``GPT.forward`` from
    ``Block.forward``; the file's title is a docstring that may end mid-sentence."""
    name = f"{me.owner.rsplit('.', 1)[-1]}.{me.name}" if me.owner else me.name
    where = re.split(r"[/\\!]", path)[-1]
    return f"This is the code of `{name}` in `{where}`."


def _is(symbol: str, symbols: set[str], names: set[str]) -> bool:
    """Whether ``symbol`` is the concept: one of the ``symbols`` its names spell exactly
    (``shlex.join`` is not ``Queue.join``), or when it has none, by its last part."""
    return symbol in symbols if symbols else symbol.rsplit(".", 1)[-1] in names


def generate(view: ConceptView):
    out = []
    defs = definitions(view.corpus)
    taught = taught_symbols(view)
    names = {n.rsplit(".", 1)[-1] for n in view.names}
    if view.concept.kind != "code":
        return out
    # a class concept also by its methods, a module concept (a script: ``train``) by its
    # functions; not one that is a concept of its own (it is asked there)
    modules = {u.doc for u in view.code_units if u.kind == "module"}
    own = {
        n.rsplit(".", 1)[-1]
        for c in view.concepts
        if c is not view.concept
        for n in [c.name, *c.aliases]
    }
    symbols = own_symbols(view)
    mine = [
        d
        for d in defs
        if not d.name.startswith("_")
        and (
            _is(d.symbol, symbols, names)
            or (
                d.name not in own
                and (
                    (d.kind == "method" and _is(d.owner, symbols, names))
                    or (d.kind == "function" and d.doc in modules)
                )
            )
        )
    ]
    for me in mine:
        code = shown_code(me.code, me.name)
        lines = code.splitlines()
        others = _siblings(defs, me, taught)[:3]
        if len(others) < 2 or not 2 <= len(lines) <= MAX_LINES or MASK not in code:
            continue
        if spelled(code, me.name, [d.name for d in others]):
            continue
        body = lines[1:]
        if all(re.fullmatch(r"\s*(pass|\.\.\.|return)?\s*", ln) for ln in body):
            continue  # nothing to recognise it by
        choices = [me.label] + [d.label for d in others]
        rng_for(me.owner + "." + me.name, "which-code").shuffle(choices)
        doc = view.documents[me.doc]
        what = {"class": "class", "method": "method"}.get(me.kind, "function")
        out.append(
            view.new(
                "which_function",
                PROMPT.format(what=what, code=code.replace("```", "`\u200b``")),
                me.label,
                choices=choices,
                explanation=_where(me, doc.path),
                citations=[view.corpus.span(me.doc, me.start, me.end)],
                difficulty=difficulty(
                    "which_function",
                    rarity=0.5,
                    words_count=len(code.split()),
                    distractor_similarity=0.6 if me.kind == "method" else 0.4,
                    extra=0.1,
                ),
                data={"symbol": me.name, "variant": "code", "code": code},
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    shown = exercise.data.get("code", "")
    found = [
        d
        for d in definitions(corpus)
        if d.label in exercise.choices and shown_code(d.code, d.name) == shown
    ]
    names = sorted({d.label for d in found})
    if not names:
        return Solution(answer=None, note="no option's code in the sources is the code shown")
    d = found[0]
    return Solution(
        answer=names[0],
        support=1.0,
        ambiguous=f"the code of {names} is the same" if len(names) > 1 else "",
        supporting=[corpus.span(d.doc, d.start, d.end)],
        note="read the name of the code shown from the sources",
    )


def reveals(exercise) -> str:
    name = str(exercise.answer).rstrip("()")
    others = [str(c).rstrip("()") for c in exercise.choices if c != exercise.answer]
    word = spelled(exercise.data.get("code", ""), name, others)
    return f"the code still says {word!r}" if word else ""


register(
    ExerciseKindPlugin(
        name="which_code",
        kind="which_function",
        generate=generate,
        solve=solve,
        reveals=reveals,
        min_support=0.6,
        order=8,
    )
)
