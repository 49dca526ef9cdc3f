"""True or false: what a class is made of — the modules its ``__init__`` creates.

Model code teaches its architecture by composition: nanoGPT's ``Block`` creates a
``LayerNorm``, a ``CausalSelfAttention`` and an ``MLP``; its ``MLP`` an ``nn.Linear``, an
``nn.GELU`` and an ``nn.Dropout``. For a class concept whose ``__init__`` assigns
``self.<name> = <Class>(...)``, two statements are asked, one true and one false, so the keys
are balanced by construction:

* true: a part it creates (a class of the sources first, else the part fewest of its sibling
  classes create: what tells it apart);
* false: a part a sibling class of the same file creates that this class neither creates nor
  reaches through its parts (``Block`` holds no ``nn.GELU`` itself but reaches one through its
  ``MLP``: such a statement would be ambiguous, so it is never asked).

Containers (``nn.ModuleDict``, ``nn.ModuleList``, ``nn.Sequential``) and parameters are not
parts: the modules inside a container are. The true statement cites the line that creates the
part, the false one the whole ``__init__``. ``data``: ``cls``, ``part`` (as written),
``method: "parts"``. Nothing is run: the sources' code is parsed with ``ast``.

Reader (self-check): parse the class named in the statement and read its parts; a part it
reaches only through another class is ambiguous.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass

from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.true_false.asking import false_first
from teachback.ingest.exercises.kinds.which_code import definitions
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

PROMPT = "True or false: `{cls}.__init__` creates an instance of `{part}`."
_CONTAINERS = frozenset({"ModuleDict", "ModuleList", "Sequential", "Parameter", "ParameterList"})


@dataclass(frozen=True)
class Part:
    label: str  # as the code writes it: "nn.Linear", "CausalSelfAttention"
    start: int  # the span of the assignment's lines in the document
    end: int

    @property
    def short(self) -> str:
        return self.label.rsplit(".", 1)[-1]


def _line_starts(code: str) -> list[int]:
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def class_parts(corpus: Corpus) -> dict[str, list[tuple]]:
    """Class name -> ``[(class definition, init definition or None, parts)]`` for every class
    of the corpus (found once per corpus)."""
    found = corpus.__dict__.get("_class_parts")
    if found is not None:
        return found
    defs = definitions(corpus)
    inits = {(d.doc, d.owner.rsplit(".", 1)[-1]): d for d in defs if d.name == "__init__"}
    found = {}
    for d in defs:
        if d.kind == "class":
            parts = _parts_of(d)
            found.setdefault(d.name, []).append((d, inits.get((d.doc, d.name)), parts))
    corpus.__dict__["_class_parts"] = found
    return found


def _parts_of(d) -> list[Part]:
    """The modules the class's ``__init__`` creates as ``self.<name> = ...``, in order."""
    code = textwrap.dedent(d.code)
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
    init = next(
        (n for n in (cls.body if cls else []) if getattr(n, "name", "") == "__init__"), None
    )
    if init is None:
        return []
    starts, out = _line_starts(d.code), []
    for node in ast.walk(init):
        if not isinstance(node, ast.Assign) or not any(_on_self(t) for t in node.targets):
            continue
        a = d.start + starts[node.lineno - 1]
        b = d.start + starts[node.end_lineno] - 1
        for call in ast.walk(node.value):
            if isinstance(call, ast.Call):
                label = ast.unparse(call.func)
                short = label.rsplit(".", 1)[-1]
                if short[:1].isupper() and short not in _CONTAINERS:
                    out.append(Part(label, a, b))
    return out


def _on_self(target) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    )


def reached(name: str, every: dict[str, list[tuple]], seen: frozenset = frozenset()) -> set[str]:
    """The short names of every part ``name`` creates, or reaches through a class of the
    sources it creates."""
    out: set[str] = set()
    for _d, _init, parts in every.get(name, []):
        for p in parts:
            out.add(p.short)
            if p.short in every and p.short not in seen | {name}:
                out |= reached(p.short, every, seen | {name})
    return out


def generate(view: ConceptView):
    if view.concept.kind != "code":
        return []
    every = class_parts(view.corpus)
    names = {n.rsplit(".", 1)[-1] for n in view.names}
    mine = [(n, entry) for n in sorted(names) for entry in every.get(n, [])]
    if len(mine) != 1:
        return []  # (no class of that name, or two: which one a statement is about is unclear)
    name, (d, init, parts) = mine[0]
    if not parts or init is None:
        return []
    true_part = _distinctive(name, parts, every, d.doc)
    false_part = _foil(name, every, d.doc)
    if true_part is None or false_part is None:
        return []  # one side alone would lean the keys
    asked = [
        _exercise(view, name, true_part.label, True, view.corpus.span(d.doc, *_span(true_part))),
        _exercise(view, name, false_part, False, view.corpus.span(init.doc, init.start, init.end)),
    ]
    return asked if not false_first(view.concept.name) else asked[::-1]


def _span(p: Part) -> tuple[int, int]:
    return p.start, p.end


def _distinctive(name: str, parts: list[Part], every: dict, doc: int) -> Part | None:
    """The part to ask true: a class of the sources first, else the one fewest sibling
    classes of the file create."""
    siblings = [
        other
        for n, entries in every.items()
        if n != name
        for other in entries
        if other[0].doc == doc
    ]

    def shared(p: Part) -> int:
        return sum(any(q.short == p.short for q in sib[2]) for sib in siblings)

    ranked = sorted(parts, key=lambda p: (p.short not in every, shared(p)))
    return ranked[0] if ranked else None


def _foil(name: str, every: dict, doc: int) -> str | None:
    """A part that a sibling class of the same file creates and this class does not reach,
    a class of the sources first (``MLP`` said of ``CausalSelfAttention``); never a class
    that holds this one (``GPT`` said of ``Block``: a whole cannot be its own part)."""
    mine = reached(name, every) | {name}
    holders = {n for n in every if n != name and name in reached(n, every)}
    pool = set()
    for n, entries in every.items():
        for d, _init, parts in entries:
            if n == name or d.doc != doc:
                continue
            pool |= {
                (p.short not in every, p.label)
                for p in parts
                if p.short not in mine and p.short not in holders
            }
    if not pool:
        return None
    options = sorted(pool)
    best = [label for first, label in options if first == options[0][0]]
    return rng_for(name, "class-parts", *best).choice(best)


def _exercise(view: ConceptView, cls: str, part: str, is_true: bool, span):
    statement = PROMPT.format(cls=cls, part=part)
    explanation = (
        f"True: `{cls}.__init__` creates it: `{span.quote.strip()}`"
        if is_true
        else f"False: `{cls}.__init__` creates no `{part}`, nor do the parts it creates."
    )
    return view.new(
        "true_false",
        statement,
        is_true,
        choices=["True", "False"],
        explanation=explanation,
        citations=[span],
        difficulty=difficulty("true_false", rarity=0.5, words_count=8, extra=0.1),
        data={
            "statement": statement.removeprefix("True or false: "),
            "corrected": "",
            "method": "parts",
            "cls": cls,
            "part": part,
        },
    )


def solve(exercise, corpus: Corpus) -> Solution:
    cls, part = exercise.data.get("cls", ""), exercise.data.get("part", "")
    every = class_parts(corpus)
    entries = every.get(cls, [])
    if len(entries) != 1:
        return Solution(answer=None, note=f"no single class {cls!r} in the sources")
    d, init, parts = entries[0]
    short = part.rsplit(".", 1)[-1]
    direct = [p for p in parts if p.short == short]
    if direct:
        return Solution(
            answer=True, support=1.0, supporting=[corpus.span(d.doc, *_span(direct[0]))]
        )
    where = [corpus.span(init.doc, init.start, init.end)] if init else []
    if short in reached(cls, every):
        return Solution(answer=False, support=1.0, ambiguous="it reaches one through its parts")
    return Solution(answer=False, support=1.0, supporting=where)


register(
    ExerciseKindPlugin(
        name="class_parts",
        kind="true_false",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: bool(answered) == bool(key),
        min_support=0.6,
        min_margin=0.15,
        order=32,
    )
)
