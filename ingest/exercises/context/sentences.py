"""Which sentences of the sources teach, state or use a concept: what true/false, cloze, blank
and short-answer questions are built on.

* defining — "X is a ...", "... is called X", the concept's own definition, best first;
* teaching — the defining sentences that say what it is or does;
* statements — other whole sentences with it as their subject;
* uses — neighbours' definitions that use it as a key term;
* contexts — other whole statements that use it, in the sections that teach it.

Sentences that read like instructions to a model are never used as exercise material.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from teachback.core.text import fold
from teachback.ingest.exercises.context.defining import (
    Defining,
    definition_context,
    is_called,
    predicate_of,
)
from teachback.ingest.exercises.context.reading import ViewLike
from teachback.ingest.exercises.corpus import Sentence
from teachback.ingest.exercises.quality.definitions import defines, rated, states
from teachback.ingest.exercises.quality.form import (
    dangling,
    keyword_sense,
    narrative,
    not_a_statement,
)
from teachback.ingest.exercises.quality.restate import tidy
from teachback.ingest.exercises.text import clean_for_prompt, stem_set

# mentions read for a concept's statements and contexts (in reading order): its facts are
# among the first ones, and a term named on every page would cost a regex pass per mention
MENTIONS_READ = 120
_POINTS_BACK = re.compile(
    r"\b(?:this|these|those|such|the preceding|the previous|earlier|before|above|the opposite|"
    r"the same way|for each|each case|respectively)\b",
    re.I,
)
_BECAUSE = re.compile(r"\b(?:because|since)\b", re.I)


def defining(view: ViewLike) -> list[Defining]:
    """Defining sentences, best first (explicit definition evidence, then patterns)."""
    concept = view.concept
    def_spans = [(e.source, e.start, e.end) for e in concept.evidence if e.role == "definition"]
    definition = fold(concept.definition or "").strip()
    def_stems = stem_set(definition)
    scored: list[tuple[float, Defining]] = []
    for s, m in view.mentions:
        path = view.documents[s.doc].path
        text = s.folded
        score = 0.0
        if any(src == path and a < s.end and s.start < b for src, a, b in def_spans):
            score += 2.0
        if definition and (
            definition in text
            or (
                # cheap screen first: the sentence must share most of the definition's words
                len(def_stems.intersection(s.stems)) >= 0.7 * len(def_stems)
                and fuzz.partial_ratio(definition, text) >= 90
            )
        ):
            score += 2.0
        predicate = predicate_of(text, m)
        if predicate:
            score += 1.5
        elif is_called(text, m):
            score += 1.0
        if score > 0:
            # prefer the concept named early and sentences of a teachable length
            n = len(s.stems)
            score -= 0.1 * (m.start() > 60) + 0.2 * (n < 4 or n > 45)
            context = definition_context(view.corpus, s, m)
            scored.append((score, Defining(s, m, clean_for_prompt(predicate), context)))
    scored.sort(key=lambda x: (-x[0], x[1].sentence.id))
    return [d for _, d in scored]


def teaching(view: ViewLike) -> list[Defining]:
    """The defining sentences that say what the concept is or does ("X is a ...", "X maps
    ...", "... is called X"), best first: what a true/false statement, a cloze or a short
    answer is built on. A sentence that only mentions it makes trivia."""
    return [
        d
        for d in view.defining
        if defines(tidy(d.passage), view.names)
        and not keyword_sense(d.sentence.clean, view.names)  # ("`join='outer'`")
    ]


def statements(view: ViewLike) -> list[Defining]:
    """Other sentences that state a property, a use or a contrast of the concept, with
    the concept as the subject of the sentence or of a clause ("The `iloc` attribute
    allows indexing ...", "while indexing refers to columns, slicing refers to rows"):
    each a whole statement on its own (``quality.tidy`` applied), in reading order. What
    true/false, cloze and blank questions are built on besides the definition."""
    # (not a defining sentence: those are the teaching ones, or lean on a neighbour)
    taken = {d.sentence.id for d in view.teaching}
    taken |= {d.sentence.id for d in view.defining if d.context is not None}
    out, seen = [], set()
    for s, m in view.mentions[:MENTIONS_READ]:
        if s.id in taken or s.id in seen or not _may_state(view, s, m):
            continue
        seen.add(s.id)
        if _states_alone(view, tidy(s.clean)):
            out.append(Defining(s, m))
    return out


def _other_sense(view: ViewLike, s: Sentence, m: re.Match) -> bool:
    """A code concept named by a plain word ("model" for ``model.py``) met in prose
    without code marks: "a pretrained model" is another sense of the word."""
    if view.concept.kind != "code" or re.search(r"[_.\d]|[a-z][A-Z]", m.group(0)):
        return False
    text = s.folded
    return not (
        text[max(0, m.start() - 1) : m.start()] == "`" or text[m.end() : m.end() + 1] == "`"
    )


def _may_state(view: ViewLike, s: Sentence, m: re.Match) -> bool:
    """A sentence of prose or a docstring that uses the name in the concept's own sense."""
    if s.instruction_like or s.section_kind not in ("prose", "docstring"):
        return False
    if _other_sense(view, s, m):
        return False
    # (a text without sections: no telling teaching from narrative)
    return not (s.section_kind == "prose" and not s.heading_path)


def _states_alone(view: ViewLike, text: str) -> bool:
    """A whole statement about the concept that needs no neighbour to be understood."""
    if not 6 <= len(text.split()) <= 40 or not states(text, view.names):
        return False
    folded = fold(text)
    if view.part_of_longer(folded) or view.after_code_name(folded):
        return False
    if not_a_statement(text) or dangling(text) or narrative(text):
        return False
    if _POINTS_BACK.search(text):  # "this array", "as before": meaning is elsewhere
        return False
    if any(rated(text, n) for n in view.names) and not _BECAUSE.search(text):
        # "X is the subtle part": an opinion; "X is fast in practice because ...": a
        # property with the reason the source gives for it, a fact worth checking
        return False
    return not keyword_sense(text, view.names)  # about the `X=` argument, not X


def uses(view: ViewLike) -> list[Defining]:
    """Related concepts' defining sentences that use this concept as a key term ("The
    sodium-potassium pump is a protein that uses active transport to move ..."): what a
    blank on this concept's name asks is how it relates to its neighbour. Each a whole
    statement, not already one of this concept's own facts."""
    if view.pattern is None or view.concept.kind == "code":
        return []  # (a code name in a neighbour's definition is mostly another sense)
    own = {d.sentence.id for d in view.teaching} | {d.sentence.id for d in view.statements}
    out, seen = [], set()
    for other, _score in view.related_views(limit=15):
        for d in other.teaching[:2]:
            s = d.sentence
            if s.id in own or s.id in seen or d.context is not None:
                continue
            if s.section_kind == "prose" and not s.heading_path:
                continue
            text = tidy(s.clean)
            m = view.pattern.search(fold(text))
            if m is None or not 6 <= len(text.split()) <= 40:
                continue
            if view.part_of_longer(fold(text)) or view.after_code_name(fold(text)):
                continue
            if not_a_statement(text) or dangling(text) or narrative(text):
                continue
            seen.add(s.id)
            out.append(Defining(s, m))
    return out


def contexts(view: ViewLike) -> list[Defining]:
    """Other whole statements that use the concept where it is not the subject ("Lookups
    treat a tombstone as occupied and keep probing past it"): for a blank on its name, in
    reading order. Not a step of a procedure ("To insert, compute the bucket, ...")."""
    if view.pattern is None or view.concept.kind == "code":
        return []
    # (in the sections that teach it — say what it is or does: "at a very basic level"
    # elsewhere is not the MultiIndex's level, and an anecdote in an article that never
    # defines the term checks nothing about it)
    where = {(d.sentence.doc, d.sentence.heading_path[:2]) for d in view.facts_taught}
    taken = {d.sentence.id for d in view.defining + view.statements + view.uses}
    out, seen = [], set()
    for s, _m in view.mentions[:MENTIONS_READ]:
        if s.id in taken or s.id in seen or s.instruction_like:
            continue
        if s.section_kind not in ("prose", "docstring"):
            continue
        seen.add(s.id)
        if not _sectioned(view, s.doc) or (s.doc, s.heading_path[:2]) not in where:
            continue  # (a text without sections: no telling which part teaches it)
        text = tidy(s.clean)
        if not 8 <= len(text.split()) <= 40 or re.match(r"\W*(?:to \w+\b[^,]*,|we\b)", text, re.I):
            continue  # (a step of a procedure, or what the author does next)
        if not_a_statement(text) or dangling(text) or narrative(text):
            continue
        if _POINTS_BACK.search(text) or view.part_of_longer(fold(text)):
            continue
        if view.after_code_name(fold(text)):
            continue
        out.append(Defining(s, view.pattern.search(fold(text)) or _m))
    return out


def _sectioned(view: ViewLike, doc: int) -> bool:
    """Whether a document has sections of its own (two or more headings), so a heading
    says which part of it a sentence belongs to (an article under one title does not)."""
    known = view.corpus.__dict__.setdefault("_sectioned", {})
    if doc not in known:
        sections = view.documents[doc].sections
        known[doc] = sum(1 for x in sections if x.kind == "heading") >= 2
    return known[doc]
