"""What does this function do? — from the function's own docstring.

The prompt shows the function's signature (never its docstring). With two or more other
documented units of its kind in the sources it is multiple choice: the key is the docstring's
summary, the distractors what other functions do (methods of the same class first, then the
same file's functions; a class is offered other classes' descriptions). Otherwise it is free text
with the summary as reference and its key phrases as ``data["rubric"]``.

Reader (self-check): look the function up by name in the sources, read its docstring and pick
the option it covers best (free text: check the docstring covers the reference).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import CodeUnit, Corpus, summary_of
from teachback.ingest.exercises.kinds.common import norm
from teachback.ingest.exercises.kinds.short_answer import key_points
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import overlap, stem_set

FUNCTION_KINDS = {"function", "method", "class", "module"}


def family(unit: CodeUnit) -> str:
    """What a unit's purpose is compared with: a module's with modules', a class's (what it
    is: "A hash table that ...") with classes', a function's or method's (what it does:
    "Return ...") with functions' and methods'. A class's description among functions'
    purposes is ruled out by its form alone."""
    return "callable" if unit.kind in ("function", "method") else unit.kind


def _siblings_first(unit: CodeUnit):
    """Sort key: the methods of the same class, then the same file's units, then the rest."""
    owner = unit.symbol.rsplit(".", 1)[0] + "." if unit.kind == "method" else None

    def key(u: CodeUnit) -> tuple:
        sibling = owner is not None and u.kind == "method" and u.symbol.startswith(owner)
        return (not sibling, u.doc != unit.doc)

    return key


def identifier_words(name: str) -> str:
    """``"parseHTTPHeader_v2"`` -> ``"parse HTTP Header v2"`` (for answer-revealing checks)."""
    name = name.rsplit(".", 1)[-1].replace("_", " ")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


def documented(corpus: Corpus) -> list[CodeUnit]:
    return [
        u
        for u in corpus.code_units
        if u.kind in FUNCTION_KINDS and len(summary_of(u.docstring).split()) >= 3
    ]


def _signature(unit: CodeUnit) -> str:
    sig = (unit.signature or "").strip()
    if not sig:
        return unit.short
    return sig if unit.short in sig else f"{unit.short}{sig}"


def purpose_of(unit: CodeUnit) -> str:
    """What a unit is for, from its docstring summary: a module's first sentence only (its
    docstring runs on into usage, links and the author's asides), code marked as Markdown
    marks it (```key``` -> `` `key` ``)."""
    summary = summary_of(unit.docstring)
    if unit.kind == "module":
        summary = re.split(r"(?<=[.!?])\s+(?=[A-Z])", summary, maxsplit=1)[0]
    # reStructuredText's code marks as Markdown's (the terminal shows them as typed)
    return re.sub(r"``([^`\n]+)``", r"`\1`", summary)


def public(symbol: str) -> bool:
    """No part of the qualified name below its module is private or a dunder
    (``heapq._siftdown``, ``graphlib._NodeInfo.__init__``): a learner never calls it.

    >>> public("heapq.heappush"), public("heapq._siftdown"), public("pkg.Table.__len__")
    (True, False, False)
    """
    return not any(part.startswith("_") for part in symbol.split(".")[1:])


def taught_symbols(view: ConceptView) -> frozenset[str]:
    """The names the curriculum teaches: its code concepts' names and aliases (which hold
    their qualified names). With their public methods (``is_taught``), the only options a
    learner has met; anything else is a name they never saw."""
    cache = view.corpus.__dict__.setdefault("_taught_symbols", {})
    hit = cache.get(id(view.concepts))
    if hit is not None and hit[0] is view.concepts and hit[1] == len(view.concepts):
        return hit[2]
    # (any kind: a term that names a code symbol, "separate chaining", holds it as an alias)
    names = frozenset(n for c in view.concepts for n in [c.name, *c.aliases])
    cache[id(view.concepts)] = (view.concepts, len(view.concepts), names)
    return names


def is_taught(unit: CodeUnit, taught: frozenset[str]) -> bool:
    """A public unit the curriculum teaches: a concept itself, or a method or function of
    one."""
    if not public(unit.symbol):
        return False
    owner = unit.symbol.rsplit(".", 1)[0]
    if unit.kind == "method":
        return owner in taught or owner.rsplit(".", 1)[-1] in taught
    # (a function of a module concept, a script, is taught with it)
    return unit.symbol in taught or unit.short in taught or owner in taught


def _others(view: ConceptView, unit: CodeUnit, n: int = 3) -> list[CodeUnit]:
    mine = summary_of(unit.docstring)
    taught = taught_symbols(view)
    pool = [
        u
        for u in documented(view.corpus)
        if u.symbol != unit.symbol
        and is_taught(u, taught)
        and u.short != unit.short  # (another ``load_factor`` does the same thing)
        and family(u) == family(unit)  # (a module among functions is ruled out by its form)
        and fuzz.ratio(norm(summary_of(u.docstring)), norm(mine)) < 70
    ]
    near = _siblings_first(unit)
    pool.sort(
        key=lambda u: (
            *near(u),
            -len(stem_set(summary_of(u.docstring)) & stem_set(mine)),
            u.symbol,
        )
    )
    out, seen = [], {norm(mine)}
    for u in pool:
        s = norm(summary_of(u.docstring))
        if s not in seen:
            seen.add(s)
            out.append(u)
        if len(out) == n:
            break
    return out


# a method named for what it does to one entry: its docstring repeats its name ("put":
# "Insert key or replace its value"), nothing to learn about the class
_CRUD = frozenset("get set put add insert delete remove pop update clear".split())
METHODS_PER_CLASS = 2


def units_of(view: ConceptView) -> list[CodeUnit]:
    """The concept's code units and, for a class, up to ``METHODS_PER_CLASS`` of its
    documented methods (the longest summaries first): a class is learnt by what its methods
    do (``GPT.generate``), and many classes' own docstrings are short or missing."""
    units = list(view.code_units)
    classes = [u for u in units if u.kind == "class"]
    if not classes:
        # (no methods to add: the other concepts' names are not gathered, which read every
        # concept for every concept)
        return units
    # a method that is a concept of its own is asked there, not twice: one a code concept's
    # names spell exactly, or a term's name its own (a method ``load_factor`` is not the
    # function ``hashing.load_factor``, which another code concept is)
    others = {
        n
        for c in view.concepts
        if c is not view.concept
        for n in [c.name, *c.aliases]
        if c.kind != "code" or "." in n
    }
    for cls in classes:
        prefix = cls.symbol + "."
        methods = [
            u
            for u in documented(view.corpus)
            if u.kind == "method" and u.doc == cls.doc and u.symbol.startswith(prefix)
            and u.short.lstrip("_") not in _CRUD and public(u.symbol)
            and u.short not in others and u.symbol not in others and u not in units
        ]  # fmt: skip
        methods.sort(key=lambda u: -len(purpose_of(u).split()))
        units += methods[:METHODS_PER_CLASS]
    return units


def _asked(unit: CodeUnit) -> str:
    if unit.kind == "module":
        return f"What is the module `{unit.symbol}` for?"
    if unit.kind == "method":
        owner = unit.symbol.rsplit(".", 2)[-2]
        return f"What does the method `{_signature(unit)}` of `{owner}` do?"
    what = "class" if unit.kind == "class" else "function"
    return f"What does the {what} `{_signature(unit)}` do?"


def generate(view: ConceptView):
    out = []
    for unit in units_of(view):
        if unit.kind not in FUNCTION_KINDS:
            continue
        summary = purpose_of(unit)
        if len(summary.split()) < 3 or unit.docstring_span is None:
            continue
        prompt = _asked(unit)
        cite = [view.corpus.span(unit.doc, *unit.docstring_span)]
        others = _others(view, unit)
        data = {"symbol": unit.symbol, "reference": summary}
        if len(others) >= 2:
            choices = [summary] + [purpose_of(u) for u in others]
            rng_for(unit.symbol, "purpose").shuffle(choices)
            sim = sum(
                len(stem_set(summary_of(u.docstring)) & stem_set(summary))
                / max(len(stem_set(summary)), 1)
                for u in others
            ) / len(others)
        else:
            choices = []
            data["rubric"] = key_points(summary, [], view.corpus) or [summary]
            sim = None
        out.append(
            view.new(
                "function_purpose",
                prompt,
                summary,
                choices=choices,
                explanation=f"Its docstring says: \u201c{summary}\u201d",
                citations=cite,
                difficulty=difficulty(
                    "function_purpose",
                    rarity=view.corpus.rarity(summary),
                    words_count=len(summary.split()),
                    distractor_similarity=sim,
                    extra=0.1 * (not choices),
                ),
                data=data,
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    symbol = exercise.data.get("symbol", "")
    units = [u for u in documented(corpus) if u.symbol == symbol]
    if not units:
        return Solution(answer=None, note=f"no docstring for {symbol!r} in the sources")
    unit = units[0]
    doc_stems = stem_set(unit.docstring)
    span = [corpus.span(unit.doc, *unit.docstring_span)] if unit.docstring_span else []
    if not exercise.choices:
        summary = summary_of(unit.docstring)
        return Solution(
            answer=summary, support=overlap(stem_set(exercise.answer), doc_stems), supporting=span
        )
    scored = sorted(
        ((overlap(stem_set(c), doc_stems), c) for c in exercise.choices), key=lambda x: -x[0]
    )
    (sup, best), rest = scored[0], scored[1:]
    return Solution(
        answer=best,
        support=sup,
        runner_up=rest[0][0] if rest else None,
        runner_up_answer=rest[0][1] if rest else None,
        supporting=span,
    )


def _folded_stems(text: str) -> set[str]:
    """Stems with their hyphens dropped too, so ``fnv1a`` meets "FNV-1a"."""
    stems = stem_set(text)
    return set(stems) | {s.replace("-", "") for s in stems}


def name_gives_away(symbol: str, key: str, distractors: list[str]) -> str:
    """A word of the name (4+ letters) that the right option says and no other option does:
    the learner picks by matching words ("What does `LinearProbingTable` do?" -> the only
    option saying "linear probing"), not by knowing what the code does."""
    name = _folded_stems(identifier_words(symbol)) | {symbol.rsplit(".", 1)[-1].lower()}
    others = set().union(*(_folded_stems(d) for d in distractors)) if distractors else set()
    mine = _folded_stems(key)
    # a word of the name that a word of the key starts with ("bench": "benchmarking") and
    # no word of another option does
    telling = sorted(
        n
        for n in name
        if len(n) >= 4
        and any(w.startswith(n) for w in mine)
        and not any(w.startswith(n) for w in others)
    )
    if telling:
        return telling[0]
    # a word of the key inside a squashed name ("push" in ``heappush``) no other option says
    squashed = re.sub(r"[^a-z0-9]", "", symbol.rsplit(".", 1)[-1].lower())
    held = sorted(w for w in mine if len(w) >= 4 and w in squashed and w not in name)
    return next((w for w in held if not any(o.startswith(w) for o in others)), "")


def reveals(exercise) -> str:
    key = stem_set(exercise.answer)
    shown = stem_set(exercise.prompt.replace("`", " ") + " " + identifier_words(exercise.prompt))
    if key and len(key & shown) / len(key) >= 0.8:
        return "the signature already spells out what the docstring says"
    if exercise.choices:
        distractors = [c for c in exercise.choices if c != exercise.answer]
        word = name_gives_away(exercise.data.get("symbol", ""), exercise.answer, distractors)
        if word:
            return f"only the right option shares the name's word {word!r}"
        param = _parameter_named(exercise.prompt, exercise.answer, distractors)
        if param:
            return f"only the right option names the parameter {param!r} the signature shows"
    return ""


def _parameter_named(prompt: str, key: str, distractors: list[str]) -> str:
    """A parameter of the signature shown (3+ letters, not ``self``) that the right option
    names and no other does: "max_new_tokens" in the signature and in one option only."""
    m = re.search(r"`def \w+\((.*?)\)", prompt)
    params = re.findall(r"(?:^|,)\s*\**(\w{3,})", m.group(1)) if m else []
    said = [set(re.findall(r"\w+", d)) for d in distractors]
    for p in params:
        if p not in ("self", "cls") and p in re.findall(r"\w+", key):
            if not any(p in s for s in said):
                return p
    return ""


register(
    ExerciseKindPlugin(
        name="function_purpose",
        kind="function_purpose",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: overlap(stem_set(str(key)), stem_set(str(answered))) >= 0.8,
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=6,
    )
)
