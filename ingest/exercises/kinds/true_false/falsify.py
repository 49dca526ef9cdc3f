"""A true statement's false twin, plausible and grammatical: its direction turned round or a
number changed tenfold (``_change``), its two contrasted names exchanged (``_contrast_swap``),
said of a sibling (``_swap``, ``_parallel_swap``), a sibling's definition said of the concept
(``confusion``), or its single negation said positively (``_unnegate``)."""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.exercises.context import ConceptView, display_name
from teachback.ingest.exercises.kinds.true_false.siblings import genus_of, sibling
from teachback.ingest.exercises.kinds.true_false.wording import (
    OPPOSITES,
    article,
    article_before,
    code_ranges,
    inside_longer_name,
    negations,
    nested,
    own_clause,
    phrase,
)
from teachback.ingest.exercises.quality.restate import standalone
from teachback.ingest.exercises.text import _plural, clean_for_prompt, stem_set, term_regex

_OPPOSITE = re.compile(r"\b(" + "|".join(OPPOSITES) + r")\b", re.I)
# read as a flip, never made one: "the full data" is the whole of it, not a full bucket
_NOT_CHANGED = frozenset({"full"})
# "row and column labels": exchanging the two words of a pair joined like this says the same
_COORDINATED = re.compile(r"\W*(?:and|or|nor|&|/|,)\W*(?:both\s+)?$|\W*$", re.I)
# "deterministic (the same key always gives the same number)": the word is explained right
# after it, and "random (the same key always gives ...)" would contradict itself
_GLOSSED = re.compile(r"\s*[(\u2014:]")
_NUMBER = re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.-]*\d)(?!-\w)")


def false_for(view: ConceptView, s, confusions: list) -> tuple | None:
    """A plausible false counterpart of defining sentence ``s``: its direction or a number
    changed, it said of a sibling, or (spent from ``confusions``) a sibling's definition said
    of this concept. ``(statement, corrected, method, cited sentence, other view)``."""
    sentence = standalone(s.clean, view.names)
    changed = _change(view, sentence)
    if changed:
        return changed[0], sentence, changed[1], s, None
    swapped = _swap(view, sentence)
    if swapped:
        return swapped[0], sentence, "swap", s, None
    return confusion(view, confusions)


def false_statement(view: ConceptView, s, sentence: str) -> tuple | None:
    """A statement's false twin: its two contrasted names exchanged, or its direction or a
    number changed (never another concept's name put in: a property of one thing may well
    hold for its sibling too)."""
    swapped = _contrast_swap(view, sentence)
    if swapped:
        return swapped[0], sentence, "contrast", s, None
    parallel = _parallel_swap(view, sentence)
    if parallel:
        return parallel[0], sentence, "swap", s, parallel[1]
    changed = _change(view, sentence)
    if changed:
        return changed[0], sentence, changed[1], s, None
    positive = _unnegate(view, sentence)
    if positive:
        return positive, sentence, "negation", s, None
    return None


def confusion(view: ConceptView, confusions: list) -> tuple | None:
    """A sibling's definition said of this concept, citing the sibling's sentence (spent from
    ``confusions``): ``(statement, corrected, method, cited sentence, other view)``."""
    while confusions:
        other_sentence, other_view = confusions.pop(0)
        said = standalone(other_sentence.clean, other_view.names)
        if re.search(r"\brespectively\b", said, re.I):
            continue  # ("The left join and right join return ..., respectively": a pairing)
        confused = _confuse(view, other_view, said)
        if confused:
            return confused, said, "swap", other_sentence, other_view
    return None


def _change(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """The sentence with its direction turned round — both words when it holds a pair ("from
    higher to lower" -> "from lower to higher"), else the first one ("larger" -> "smaller") —
    or one number changed tenfold, outside the concept's own name: (statement, method)."""
    text = fold(sentence)
    if re.search(r"\b(?:too|as well|also)\b", text, re.I):
        return None  # ("the load factor shrinks ..., a hash table must grow too": "too" tells)
    name = view.pattern.search(text) if view.pattern else None
    skip = range(name.start(), name.end()) if name else range(0)
    code = code_ranges(text)  # (a literal in code is not a claim)
    own = own_clause(text, name)

    def claim(i: int) -> bool:
        return i in own and i not in skip and not any(i in r for r in code)

    found = [
        m
        for m in _OPPOSITE.finditer(text)
        if claim(m.start())
        and m.group(1).lower() not in _NOT_CHANGED
        and not _GLOSSED.match(text, m.end())
    ]
    if any(
        OPPOSITES[a.group(1).lower()] == b.group(1).lower()
        and _COORDINATED.fullmatch(text[a.end() : b.start()])
        for a, b in zip(found, found[1:], strict=False)
    ):
        return None
    if found:
        words = {m.group(1).lower() for m in found}
        paired = [m for m in found if OPPOSITES[m.group(1).lower()] in words]
        # both words of a pair, else every use of the first word ("stops at an empty bucket:
        # an empty bucket proves ...": one changed and one not would contradict itself)
        first = found[0].group(1).lower()
        chosen = paired or [m for m in found if m.group(1).lower() == first]
        out, last = [], 0
        for m in chosen:
            word = m.group(1)
            new = OPPOSITES[word.lower()]
            new = new.capitalize() if word[0].isupper() else new
            out += [article_before(text[last : m.start()], new), new]
            last = m.end()
        return "".join(out) + text[last:], "direction"
    for m in _NUMBER.finditer(text):
        if not claim(m.start()) or re.match(r"(?:19|20)\d\d$", m.group(1)):
            continue  # a year is not a quantity
        if re.search(r"\b[A-Z]\($", text[: m.start()]):
            continue  # "O(1)" is a growth rate: "O(10)" is not a changed quantity but nonsense
        value = m.group(1)
        new = str(int(value) * 10) if value.isdigit() else f"{float(value) * 10:g}"
        return text[: m.start()] + new + text[m.end() :], "quantity"
    return None


def _swap(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """This concept's defining sentence said of a sibling (a related concept of the same sort,
    ``sibling``): "Chaining is a collision resolution strategy in which ..." -> "Open
    addressing is a collision resolution strategy in which ..."."""
    genus = next((genus_of(d.predicate) for d in view.teaching if d.predicate), "")
    if view.pattern is None or not genus:
        return None
    text = fold(sentence)
    m = view.pattern.search(text)
    if not m or inside_longer_name(text, m):
        return None
    for other_view, _score in view.related_views(limit=12):
        other = other_view.concept
        name = clean_for_prompt(other.name)
        pat = term_regex([name])
        if not name or (pat and pat.search(text)) or not view.substitutable(other_view):
            continue
        if nested(view.concept.name, other.name):
            continue  # "A collision resolution is the situation where ...": not a confusion
        preds = [d.predicate for d in other_view.teaching if d.predicate]
        if not preds or not sibling(view, other_view, genus, preds[0]):
            continue
        swapped = article(view.pattern.sub(name, text, count=1), name)
        if swapped[0].islower() and text[0].isupper():
            swapped = swapped[0].upper() + swapped[1:]
        return swapped, name
    return None


def _confuse(view: ConceptView, other_view, sentence: str) -> str | None:
    """Another concept's definition said of this concept: "Osmosis is the net movement ..."."""
    if other_view.pattern is None or (view.pattern and view.pattern.search(fold(sentence))):
        return None
    text = fold(sentence)
    m = other_view.pattern.search(text)
    if not m or inside_longer_name(text, m) or not view.substitutable(other_view):
        return None
    name = display_name(view.concept)
    if _plural_of(m.group(0), other_view.concept.name) and not _plural_of(name, name):
        name = _plural(name)  # "Many-to-one joins are joins ..." -> "Inner joins are joins ..."
    out = article(other_view.pattern.sub(name, text, count=1), name)
    return out[0].upper() + out[1:] if text[:1].isupper() else out


def _plural_of(surface: str, name: str) -> bool:
    """Is ``surface`` the plural of ``name`` as the sentence writes it ("Many-to-one joins"
    for "many-to-one join"; a name that is plural itself counts as plural)?"""
    low, base = surface.lower().strip("`*_ "), name.lower().strip("`*_ ")
    return low.endswith("s") and (low != base or _plural(low) == low) and not low.endswith("ss")


# ("but" is left out: "X keep ... intact, but they pile up, so tables with many Y ..." joins
# two claims about X, and exchanging X and Y garbles both)
_CONTRAST_WORDS = (
    r"(?:while|whereas|unlike|rather than|instead of|in contrast|as opposed to|versus|vs)"
)


_CONTRAST = re.compile(rf"\b{_CONTRAST_WORDS}\b", re.I)


def _contrast_swap(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """A sentence that contrasts this concept with another ("while indexing refers to
    columns, slicing refers to rows") with the two names exchanged: false, and as plausible
    as the true one. ``(statement, the other concept's name)``."""
    if view.pattern is None or not _CONTRAST.search(sentence):
        return None
    text = fold(sentence)
    mine = view.pattern.search(text)
    if not mine or inside_longer_name(text, mine):
        return None
    for other_view, _score in view.related_views(limit=30):
        if other_view.pattern is None or not view.substitutable(other_view):
            continue
        if nested(view.concept.name, other_view.concept.name):
            continue
        theirs = next(
            (
                m
                for m in other_view.pattern.finditer(text)
                if m.end() <= mine.start() or m.start() >= mine.end()
            ),
            None,
        )
        if theirs is None or inside_longer_name(text, theirs):
            continue
        (a0, a1), (b0, b1) = sorted([phrase(text, mine), phrase(text, theirs)])
        between = text[a1:b0]
        lead = " ".join(text[:a0].split()[-3:])
        # "while A ..., B ..." / "unlike A, B ..." / "A ..., whereas B ...": the two are
        # contrasted, clause against clause
        before = bool(_CONTRAST.search(lead)) and bool(re.search(r"[,;]", between))
        after = bool(re.search(rf"[,;]\s*(?:\w+\s+)?{_CONTRAST_WORDS}\b", between, re.I))
        if len(between.split()) < 3 or not (before or after):
            continue  # the contrast is not between these two
        swapped = text[:a0] + text[b0:b1] + between + text[a0:a1] + text[b1:]
        if swapped[:1].islower() and text[:1].isupper():
            swapped = swapped[0].upper() + swapped[1:]
        return swapped, clean_for_prompt(other_view.concept.name)
    return None


def _parallel_swap(view: ConceptView, sentence: str) -> tuple[str, object] | None:
    """The statement said of a sibling that the sources describe in a parallel sentence
    ("The `iloc` attribute allows indexing and slicing that always references the implicit
    Python-style index" said of `loc`, whose own sentence says "... the explicit index"):
    false, shown so by the sibling's own sentence. ``(statement, sibling view)``."""
    if view.pattern is None:
        return None
    text = fold(sentence)
    mine = view.pattern.search(text)
    if not mine or inside_longer_name(text, mine):
        return None
    frame = stem_set(text[: mine.start()] + " " + text[mine.end() :])
    for other_view, _score in view.related_views(limit=8):
        other = other_view.concept
        pat = other_view.pattern
        if pat is None or pat.search(text) or not view.substitutable(other_view):
            continue
        if nested(view.concept.name, other.name):
            continue
        for d in other_view.teaching[:2] + other_view.statements[:4]:
            if len(frame.intersection(d.sentence.stems)) < 0.6 * len(frame):
                continue  # (cheap screen: a parallel sentence shares most of the frame)
            theirs = fold(d.sentence.clean)
            m = pat.search(theirs)
            if m is None or (view.pattern.search(theirs)):
                continue
            their_frame = stem_set(theirs[: m.start()] + " " + theirs[m.end() :])
            shared = len(frame & their_frame) / max(len(frame | their_frame), 1)
            if 0.6 <= shared < 1.0 and frame - their_frame:
                surface = mine.group(0)
                name = (
                    m.group(0) if surface[:1].islower() == m.group(0)[:1].islower() else other.name
                )
                return text[: mine.start()] + name + text[mine.end() :], other_view
    return None


# a negated auxiliary and its positive ("does not" is left alone: "does support" reads odd)
_NEGATED = re.compile(
    r"\b(is|are|was|were|will|should|must|can)(?: not\b|not\b)|\b(isn't|aren't|wasn't|weren't|"
    r"won't|shouldn't|mustn't|can't)",
    re.I,
)


_POSITIVE = {"isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "won't": "will",
             "shouldn't": "should", "mustn't": "must", "can't": "can"}  # fmt: skip


def _unnegate(view: ConceptView, sentence: str) -> str | None:
    """A statement that says the concept is not / cannot something, said positively ("Python
    does not support ..." is left alone; "`Index` objects cannot be modified" -> "can be
    modified"): false, and no odder than the true one. Only for a single negation in the
    concept's own clause."""
    text = fold(sentence)
    if negations(text) != 1:
        return None
    name = view.pattern.search(text) if view.pattern else None
    own = own_clause(text, name)
    m = _NEGATED.search(text)
    if not m or m.start() not in own or (name is not None and m.start() < name.end()):
        return None  # (a "not" before the name is in a condition: "If X is not ..., Y can")
    word = m.group(1) or m.group(2)
    positive = _POSITIVE.get(word.lower(), word)
    if word[0].isupper():
        positive = positive.capitalize()
    return text[: m.start()] + positive + text[m.end() :]
