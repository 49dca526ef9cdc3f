"""Matching: terms to their descriptions (the concept and 2–3 related concepts taught at or
before it in the sources' order, of one sort: all code names or all plain terms, never the
library or product the course is about).

Each description is the term's definition with the term itself removed ("the movement of
water across a membrane"); only concepts defined as "X is ..." in the sources take part.
``answer`` and ``data["pairs"]`` list ``"term => description"`` in the order of
``data["terms"]``; ``choices`` are the descriptions, shuffled.

Reader (self-check): for every description, how well each term is supported (a source sentence
that names the term and covers the description); the best one-to-one assignment (all
permutations) is the answer; a description that fits a second term nearly as well is ambiguous.
"""

from __future__ import annotations

import itertools
import re

from rapidfuzz import fuzz

from teachback.core.text import fold
from teachback.ingest.exercises.context import ConceptView, difficulty, display_name, rng_for
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import a_proper_name, norm
from teachback.ingest.exercises.kinds.multiple_choice import _option_support_term
from teachback.ingest.exercises.kinds.short_answer import first_claim, other_names
from teachback.ingest.exercises.kinds.true_false.siblings import genus_of, same_head
from teachback.ingest.exercises.quality.restate import tidy
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import clean_for_prompt

SEP = " => "
_LEANS = re.compile(r"\b(?:they|them|their|it|its|this|these|those|here|above|below)\b", re.I)
_CLAUSE_BREAK = re.compile(r",\s*(?:and|while|whereas)\s|;")
_SUBJECT = re.compile(r"[\W_]*(?:(?:a|an|the)\s+)?[`*_]*", re.I)


def _description(view: ConceptView) -> tuple[str, object] | None:
    """The concept's definition without its name ("is the movement of ..."), 4–35 words:
    from a sentence that says what it is (``teaching``), not a judgement of it ("Linear
    probing is fast in practice because ..."); else what the sentence says it does, the
    concept its subject ("Double hashing uses a second hash function ..." -> "uses a second
    hash function ...")."""
    for d in view.teaching[:2]:
        if d.predicate and 4 <= len(d.predicate.split()) <= 35:
            return d.predicate.rstrip("."), d.sentence
    for d in view.teaching[:2]:
        does = _what_it_does(view, d) or _named_after(d)
        if does:
            return does, d.sentence
    return None


# "...; this is what is known as an inner join." at the end of a sentence
_KNOWN_AS = re.compile(
    r"[;:]\s*(?:this|that|which)\s+is\s+(?:what\s+is\s+)?(?:known as|called)\s+"
    r"(?:(?:a|an|the)\s+)?[`*_]*$",
    re.I,
)


def _named_after(d) -> str:
    """For "By default, the result contains the intersection of the two sets of inputs;
    this is what is known as an inner join." the clause the name is given to; "" for any
    other sentence."""
    text = fold(tidy(d.sentence.clean))
    surface = d.match.group(0)
    at = text.rfind(surface)
    lead = _KNOWN_AS.search(text[:at]) if surface and at >= 0 else None
    if lead is None or not re.fullmatch(r"[`*_]*s?[`*_]*\W*", text[at + len(surface) :]):
        return ""
    described = text[: lead.start()].strip()
    described = described[:1].lower() + described[1:]  # (one of a list of descriptions)
    if _LEANS.search(described):
        return ""  # ("this is what is known as ...", twice over)
    return described if 4 <= len(described.split()) <= 35 else ""


# "X tries ...", "X uses ...", "X returns ...": a verb in the present tense right after the
# name (not "is"/"does"/"has", which say little on their own)
_DOES = re.compile(r"(?!(?:is|was|does|has|says|seems|looks)\b)[a-z]{3,}s\b")


def _what_it_does(view: ConceptView, d) -> str:
    """What the defining sentence says the concept does, its name cut off, when the
    concept opens the sentence, or its own clause of a two-claim sentence ("Quadratic
    probing tries ..., and double hashing uses ..."), and a verb follows; "" otherwise.
    Remembered on the view: neighbours are described again for each concept they meet."""
    memo = view.__dict__.setdefault("_matching_does", {})
    key = d.sentence.id
    if key not in memo:
        memo[key] = _does(view, d)
    return memo[key]


def _does(view: ConceptView, d) -> str:
    if view.pattern is None or d.context is not None:
        return ""
    text = tidy(d.sentence.clean)
    if _CLAUSE_BREAK.search(text):
        text = first_claim(text, view.names, other_names(view))
    m = view.pattern.search(fold(text))
    if m is None or not _SUBJECT.fullmatch(text[: m.start()]):
        return ""
    rest = text[m.end() :].lstrip("`*_ ")
    if not _DOES.match(rest):
        return ""
    rest = rest.rstrip(" .")
    if _LEANS.search(rest):
        return ""  # ("shows how soon they arrive"): its meaning is in the text around it
    return rest if 4 <= len(rest.split()) <= 35 else ""


def _items(view: ConceptView) -> list[tuple[str, str, object, ConceptView]]:
    """The concept and up to three related ones that can be told apart by their
    descriptions: ``(term, description, sentence, view)``; fewer than 3: no matching.
    Remembered on the view: ``_asked_by_another`` asks it of each neighbour, for every
    concept it meets, and without the memo ranks the neighbour's related concepts again.
    (The memo holds concepts, not views: a view holding views is a reference cycle, which
    only a full collection would free once the corpus is released.)"""
    hit = view.__dict__.get("_matching_items")
    if hit is None:
        hit = view.__dict__["_matching_items"] = [
            (t, d, s, v.concept) for t, d, s, v in _find_items(view)
        ]
    return [(t, d, s, view if c is view.concept else view.view_of(c)) for t, d, s, c in hit]


def _find_items(view: ConceptView) -> list[tuple[str, str, object, ConceptView]]:
    mine = _description(view)
    if mine is None or _odd_one(view):
        return []
    items = [(display_name(view.concept), mine[0], mine[1], view)]
    # only terms the course has taught by now: a pair the learner has not met is matched by
    # elimination, not knowledge
    taught = [
        v
        for v, _ in view.related_views(limit=15)
        if view.taught_before(v.concept) and _same_sort(view, v)
    ]
    for other in _siblings_first(view, taught):
        if len(items) == 4:
            break
        desc = _description(other)
        name = clean_for_prompt(other.concept.name)
        if desc is None or not name:
            continue
        if any(fuzz.ratio(norm(desc[0]), norm(x[1])) >= 70 for x in items):
            continue
        # a description must not name any of the terms being matched, its own included
        if any(contains_stems(desc[0], t) for t, *_ in items) or any(
            contains_stems(x[1], name) for x in [*items, (name, desc[0])]
        ):
            continue
        items.append((name, desc[0], desc[1], other))
    return items if len(items) >= 3 else []


def _odd_one(view: ConceptView) -> bool:
    """A term that is of no sort a course's other terms are: the library or product the
    course is about ("pandas" among join types), told apart from any term by its sort alone."""
    return view.course_subject or a_proper_name(view)


def _same_sort(view: ConceptView, other: ConceptView) -> bool:
    """Whether ``other`` may sit beside the concept in one matching: not an odd one, and
    written the same way (both code names, as ``fillna``, or both plain terms, as "outer
    join"): "fillna" among join types is matched by its form, not its meaning."""
    return not _odd_one(other) and _coded(view) == _coded(other)


def _coded(view: ConceptView) -> bool:
    """Whether the sources write the concept as code (in code marks in most of its mentions,
    or a code concept)."""
    if view.concept.kind == "code":
        return True
    mentions = view.mentions
    marked = sum(s.folded[max(0, m.start() - 1) : m.start()] == "`" for s, m in mentions)
    return marked * 2 > len(mentions)


def _siblings_first(view: ConceptView, others: list[ConceptView]) -> list[ConceptView]:
    """``others`` (best related first) with the things of the same sort as the concept
    moved ahead: names with the same head word ("outer join" beside "inner join") or
    definitions naming the same sort ("a collision resolution strategy"). Telling siblings
    apart is what a matching should ask, not telling a join from a data frame."""
    genus = _genus(view)

    def sibling(other: ConceptView) -> bool:
        return same_head(view, other) or bool(genus and genus == _genus(other))

    return sorted(others, key=lambda other: not sibling(other))


def _genus(view: ConceptView) -> str:
    return next((genus_of(d.predicate) for d in view.teaching[:2] if d.predicate), "")


def _asked_by_another(view: ConceptView, items: list) -> bool:
    """Another of the matched concepts makes this very matching (the same terms) for
    itself, and comes first by name: the one set of definitions is asked once, not under
    each of its concepts in turn ("array" and "associative array" both matching array,
    associative array, collision and hash function)."""
    from teachback.ingest.exercises import OWN_ONLY

    terms = {t for t, *_ in items}
    for _, _, _, other in items[1:]:
        if other.concept.name.lower() < view.concept.name.lower():
            had = set(other.__dict__)
            theirs = {t for t, *_ in _items(other)}
            for name in OWN_ONLY:  # a neighbour keeps only what it had (memory)
                if name not in had:
                    other.__dict__.pop(name, None)
            if theirs == terms:
                return True
    return False


def generate(view: ConceptView):
    items = _items(view)
    if not items or _asked_by_another(view, items):
        return []
    items = [(t, d, s) for t, d, s, _ in items]
    terms = [t for t, _, _ in items]
    descriptions = [d for _, d, _ in items]
    shuffled = list(descriptions)
    rng_for(view.concept.name, "matching", *terms).shuffle(shuffled)
    lines = "\n".join(f"{i + 1}. {d}" for i, d in enumerate(shuffled))
    prompt = (
        "Match each term to its description.\n\nTerms: "
        + ", ".join(f"**{t}**" for t in terms)
        + f"\n\nDescriptions:\n{lines}"
    )
    pairs = [f"{t}{SEP}{d}" for t, d, _ in items]
    return [
        view.new(
            "matching",
            prompt,
            pairs,
            choices=shuffled,
            explanation="; ".join(f"{t}: \u201c{s.clean}\u201d" for t, _, s in items),
            citations=[s.span(view.documents) for _, _, s in items],
            difficulty=difficulty(
                "matching",
                rarity=view.rarity(),
                words_count=sum(len(d.split()) for d in descriptions) // len(descriptions),
                extra=0.05 * (len(items) - 3),
            ),
            data={"terms": terms, "descriptions": descriptions, "pairs": pairs},
        )
    ]


def solve(exercise, corpus: Corpus) -> Solution:
    terms = exercise.data.get("terms") or []
    descs = list(exercise.choices)
    if len(terms) != len(descs) or not terms:
        return Solution(answer=None, note="terms and descriptions do not pair up")
    sup = [[0.0] * len(terms) for _ in descs]
    where = {}
    for i, d in enumerate(descs):
        for j, t in enumerate(terms):
            s, w = _option_support_term(corpus, d, t, terms)
            sup[i][j] = s
            if w is not None:
                where[(i, j)] = w
    # best one-to-one assignment; at most 4 items, so trying every permutation is cheap
    best_perm = max(
        itertools.permutations(range(len(terms))),
        key=lambda perm: sum(sup[i][j] for i, j in enumerate(perm)),
    )
    assigned = dict(enumerate(best_perm))
    pairs_by_term = {terms[j]: descs[i] for i, j in assigned.items()}
    answer = [f"{t}{SEP}{pairs_by_term[t]}" for t in terms]
    weakest = min(sup[i][j] for i, j in assigned.items())
    margin = min(
        sup[i][j] - max([sup[i][k] for k in range(len(terms)) if k != j] or [0.0])
        for i, j in assigned.items()
    )
    spans = [where[(i, j)].span(corpus.documents) for i, j in assigned.items() if (i, j) in where]
    return Solution(
        answer=answer,
        support=weakest,
        runner_up=weakest - margin,
        runner_up_answer="another pairing",
        supporting=spans,
    )


def matches(answered, key) -> bool:
    return sorted(norm(a) for a in answered) == sorted(norm(k) for k in key)


def reveals(exercise) -> str:
    for desc in exercise.choices:
        for t in exercise.data.get("terms", []):
            if contains_stems(desc, t):
                return f"a description names the term {t!r}"
    return ""


register(
    ExerciseKindPlugin(
        name="matching",
        kind="matching",
        generate=generate,
        solve=solve,
        matches=matches,
        reveals=reveals,
        min_support=0.45,
        min_margin=0.1,
        order=50,
    )
)
