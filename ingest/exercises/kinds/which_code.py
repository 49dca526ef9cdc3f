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

import io
import re
import textwrap
import tokenize

from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import CodeUnit, Corpus
from teachback.ingest.exercises.kinds.function_purpose import identifier_words
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
_DOCSTRING = re.compile(
    r"^([ \t]*(?:async\s+)?(?:def|class)\b[^\n]*:\s*\n)[ \t]*(\"\"\"|''')(.*?)\2[ \t]*\n", re.S
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


def spelled(code: str, name: str) -> str:
    """A part of ``name`` that the shown code still says ("" when none): "batch" for
    ``get_batch`` reading ``batch_size``."""
    have = _parts(code)
    for word in identifier_words(name).split():
        w = word.lower()
        if len(w) >= 3 and w not in _GENERIC and stem(w) in have:
            return w
    return ""


def label(unit: CodeUnit) -> str:
    return unit.short if unit.kind == "class" else f"{unit.short}()"


def _what(unit: CodeUnit) -> str:
    return {"class": "class", "method": "method"}.get(unit.kind, "function")


def _siblings(corpus: Corpus, unit: CodeUnit) -> list[CodeUnit]:
    """Options beside ``unit``: methods of its class for a method; else functions and classes
    of its file, then of the other files; no two with one name, no dunder methods."""
    owner = unit.symbol.rsplit(".", 1)[0]
    if unit.kind == "method":
        pool = [
            u
            for u in corpus.code_units
            if u.kind == "method" and u.symbol.rsplit(".", 1)[0] == owner
        ]
    else:
        pool = [
            u for u in corpus.code_units if u.kind in ("function", "class") and u.kind == unit.kind
        ]
        pool.sort(key=lambda u: (u.doc != unit.doc, u.symbol))
    out, seen = [], {label(unit)}
    for u in pool:
        if u.short.startswith("__") or label(u) in seen or u.definition_span is None:
            continue
        seen.add(label(u))
        out.append(u)
    return out


def generate(view: ConceptView):
    out = []
    for unit in view.code_units:
        if unit.kind not in KINDS or unit.definition_span is None or unit.short.startswith("__"):
            continue
        doc = view.documents[unit.doc]
        code = shown_code(unit.code(doc.text), unit.short)
        lines = code.splitlines()
        if not 2 <= len(lines) <= MAX_LINES or MASK not in code or spelled(code, unit.short):
            continue
        body = lines[1:]
        if all(re.fullmatch(r"\s*(pass|\.\.\.|return)?\s*", ln) for ln in body):
            continue  # nothing to recognise it by
        others = _siblings(view.corpus, unit)[:3]
        if len(others) < 2:
            continue
        key = label(unit)
        choices = [key] + [label(u) for u in others]
        rng_for(unit.symbol, "which-code").shuffle(choices)
        out.append(
            view.new(
                "which_function",
                PROMPT.format(what=_what(unit), code=code.replace("```", "`\u200b``")),
                key,
                choices=choices,
                explanation=f"This is the code of `{unit.short}` in {doc.title}.",
                citations=[view.corpus.span(unit.doc, *unit.definition_span)],
                difficulty=difficulty(
                    "which_function",
                    rarity=0.5,
                    words_count=len(code.split()),
                    distractor_similarity=0.6 if unit.kind == "method" else 0.4,
                    extra=0.1,
                ),
                data={"symbol": unit.symbol, "variant": "code", "code": code},
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    shown = exercise.data.get("code", "")
    found = []
    for u in corpus.code_units:
        if u.kind not in KINDS or u.definition_span is None or label(u) not in exercise.choices:
            continue
        text = corpus.documents[u.doc].text
        if shown_code(u.code(text), u.short) == shown:
            found.append(u)
    names = sorted({label(u) for u in found})
    if not names:
        return Solution(answer=None, note="no option's code in the sources is the code shown")
    u = found[0]
    return Solution(
        answer=names[0],
        support=1.0,
        ambiguous=f"the code of {names} is the same" if len(names) > 1 else "",
        supporting=[corpus.span(u.doc, *u.definition_span)],
        note="read the name of the code shown from the sources",
    )


def reveals(exercise) -> str:
    name = str(exercise.answer).rstrip("()")
    word = spelled(exercise.data.get("code", ""), name)
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
