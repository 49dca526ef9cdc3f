"""Matching for code: a function (or module) and 2–3 sibling ones, each to what it does.

Each description is the docstring summary of one function (a module's: its first sentence, the
rest runs on into usage and links). A function whose summary spells any listed name takes no
part: blanking the name's words would leave a hole that only one name fits ("Poor Man's ___"
for ``configurator``). The prompt names the concept's function first, so two functions of one
module get different exercises. ``answer``/``data["pairs"]`` are ``"name => description"``
like the prose ``matching`` kind (graded the same way); ``data["symbols"]`` holds the
qualified names.

Reader (self-check): read every listed function's docstring in the sources and score each
description against each (share of the description's content words the docstring covers);
the best one-to-one assignment is the answer; a description that fits a second function
nearly as well is ambiguous.
"""

from __future__ import annotations

import itertools

from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import Corpus, summary_of
from teachback.ingest.exercises.kinds.function_purpose import (
    FUNCTION_KINDS,
    _others,
    documented,
    family,
    identifier_words,
    purpose_of,
)
from teachback.ingest.exercises.kinds.matching import SEP
from teachback.ingest.exercises.kinds.matching import matches as _matches
from teachback.ingest.exercises.kinds.which_function import _name, spells_name
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import overlap, stem_set


def _description(unit) -> str | None:
    summary = purpose_of(unit).rstrip(".")
    if len(summary.split()) < 3 or len(summary.split()) > 30:
        return None
    return summary


def _with_siblings(view: ConceptView, unit, mine: str) -> list[tuple]:
    """``unit`` and up to 3 documented siblings of its family, with their descriptions;
    none whose description spells a listed name, its own or another's."""
    items = [(unit, mine)]
    for other in _others(view, unit, n=50):
        if len(items) == 4:
            break
        if family(other) != family(unit) or other.docstring_span is None:
            continue
        desc = _description(other)
        if desc is None or _name(other) in {_name(u) for u, _ in items}:
            continue
        names = [_name(u) for u, _ in items] + [_name(other)]
        if any(spells_name(d, n) for d in [desc, *(d for _, d in items)] for n in names):
            continue
        items.append((other, desc))
    return items


def generate(view: ConceptView):
    out = []
    for unit in view.code_units:
        if unit.kind not in FUNCTION_KINDS or unit.docstring_span is None:
            continue
        mine = _description(unit)
        if mine is None or spells_name(mine, _name(unit)):
            continue
        items = _with_siblings(view, unit, mine)
        if len(items) < 3:
            continue
        if min(u.symbol for u, _ in items) != unit.symbol:
            # one exercise per set of siblings: the neighbours of a module are mostly the same
            # modules, and five copies of one matching (one per module) teach nothing more
            continue
        terms = [_name(u) for u, _ in items]
        descriptions = [d for _, d in items]
        shuffled = list(descriptions)
        rng_for(unit.symbol, "code-matching", *terms).shuffle(shuffled)
        what = "module" if unit.kind == "module" else "function"
        lines = "\n".join(f"{i + 1}. {d}" for i, d in enumerate(shuffled))
        prompt = (
            f"Match `{terms[0]}` and the other {what}s listed to what each one does.\n\n"
            "Names: " + ", ".join(f"`{t}`" for t in terms) + f"\n\nDescriptions:\n{lines}"
        )
        out.append(
            view.new(
                "matching",
                prompt,
                [f"{t}{SEP}{d}" for t, d in zip(terms, descriptions, strict=True)],
                choices=shuffled,
                explanation="; ".join(
                    f"`{t}`: \u201c{summary_of(u.docstring)}\u201d"
                    for t, (u, _) in zip(terms, items, strict=True)
                ),
                citations=[view.corpus.span(u.doc, *u.docstring_span) for u, _ in items],
                difficulty=difficulty(
                    "matching",
                    rarity=view.corpus.rarity(" ".join(descriptions)),
                    words_count=sum(len(d.split()) for d in descriptions) // len(descriptions),
                    extra=0.05 * (len(items) - 3),
                ),
                data={
                    "terms": terms,
                    "descriptions": descriptions,
                    "pairs": [f"{t}{SEP}{d}" for t, d in zip(terms, descriptions, strict=True)],
                    "symbols": [u.symbol for u, _ in items],
                },
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    terms = exercise.data.get("terms") or []
    descs = list(exercise.choices)
    units = {_name(u): u for u in documented(corpus)}
    if len(terms) != len(descs) or not terms or any(t not in units for t in terms):
        return Solution(answer=None, note="not every listed name is documented in the sources")
    sup = [
        [overlap(stem_set(d), stem_set(summary_of(units[t].docstring))) for t in terms]
        for d in descs
    ]
    best_perm = max(
        itertools.permutations(range(len(terms))),
        key=lambda perm: sum(sup[i][j] for i, j in enumerate(perm)),
    )
    pairs_by_term = {terms[j]: descs[i] for i, j in enumerate(best_perm)}
    weakest = min(sup[i][j] for i, j in enumerate(best_perm))
    margin = min(
        sup[i][j] - max([sup[i][k] for k in range(len(terms)) if k != j] or [0.0])
        for i, j in enumerate(best_perm)
    )
    spans = [
        corpus.span(units[t].doc, *units[t].docstring_span)
        for t in terms
        if units[t].docstring_span
    ]
    return Solution(
        answer=[f"{t}{SEP}{pairs_by_term[t]}" for t in terms],
        support=weakest,
        runner_up=weakest - margin,
        runner_up_answer="another pairing",
        supporting=spans,
    )


def reveals(exercise) -> str:
    for desc in exercise.choices:
        for t in exercise.data.get("terms", []):
            if contains_stems(desc, identifier_words(t.rstrip("()"))):
                return f"a description names {t!r}"
    return ""


register(
    ExerciseKindPlugin(
        name="code_matching",
        kind="matching",
        generate=generate,
        solve=solve,
        matches=_matches,
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=55,
    )
)
