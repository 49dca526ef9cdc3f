"""Siblings: the related concepts of the same sort as a concept ("a strategy" and "a strategy",
"linear probing" and "quadratic probing"), whose statements said of it are plausible
confusions; and the sentences true/false statements are made from (``candidates``)."""

from __future__ import annotations

import re

from teachback.core.text import fold, stem
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.context.defining import DEICTIC
from teachback.ingest.exercises.kinds.true_false.wording import nested

_LABEL = re.compile(r"[*_`]*\s*[:\u2014]")


def candidates(view: ConceptView):
    """(sentence, role, other view) in the order statements are tried: this concept's own
    defining sentences (true, or false with a changed quantity or direction), then related
    concepts' definitions said of this concept (false: a likely confusion). Sentences that
    only mention the concept are not used: they make trivia ("the video is popular")."""
    seen = set()
    for d in view.teaching[:4]:
        if d.context is None and not DEICTIC.match(d.sentence.folded):
            seen.add(d.sentence.id)
            yield d.sentence, "defining", None
    genus = next((genus_of(d.predicate) for d in view.teaching if d.predicate), "")
    confusable = [v for v, _ in view.related_views(limit=15) if view.substitutable(v)]
    confusable = [v for v in confusable if not nested(view.concept.name, v.concept.name)]
    for other_view in confusable[:6]:
        # a sibling by the sort its definition names ("a strategy"), or, for a definition
        # not of the form "X is a ..." ("... this is what is known as an inner join"), by the
        # head word of both names ("inner join", "outer join")
        by_name = same_head(view, other_view)
        if not (genus or by_name):
            continue
        for d in other_view.teaching[:1]:
            if not sibling(view, other_view, genus, d.predicate):
                continue
            # "Karpathy: My intuition is ..." names a speaker or a heading, not a definition:
            # said of another concept it would be nonsense, not a plausible confusion
            label = _LABEL.match(d.sentence.folded[d.match.end() :])
            if (
                d.sentence.id not in seen
                and d.context is None
                and (d.predicate or by_name)
                and not label
                and 5 <= len(d.sentence.stems) <= 35
            ):
                seen.add(d.sentence.id)
                yield d.sentence, "confusion", other_view


_GENUS_END = re.compile(
    r"\b(?:that|which|who|whose|where|when|built|used|made|of|for|with|in|into|to|on|by|from|"
    r"as|at|than|and|or)\b|[,;:.()]",
    re.I,
)


def genus_of(predicate: str) -> str:
    """The head noun of a definition's predicate: "a newer package built on NumPy that ..."
    -> "packag" (stemmed); "" when there is none."""
    head = _GENUS_END.split(fold(predicate), 1)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", head) if w.lower() not in ("a", "an", "the")]
    return stem(words[-1].lower()) if words else ""


def sibling(view: ConceptView, other_view, genus: str, predicate: str) -> bool:
    """Is the other concept a thing of the same sort, so its definition said of this one is a
    plausible confusion? Same head noun ("a strategy" and "a strategy"), or names sharing a
    word ("cryptographic hash", "hash function"). "X is called Y" defines no sort."""
    if re.match(r"\W*(called|known|named|termed)\b", predicate, re.I):
        return False
    other = genus_of(predicate)
    if other and other == genus:
        return True
    return same_head(view, other_view)


def same_head(view: ConceptView, other_view) -> bool:
    """Do the two names end in the same head word ("linear probing", "quadratic probing")? A
    word shared elsewhere ("hash table", "cryptographic hash") names things of different
    sorts, or one a kind of the other ("a cryptographic hash is a function that takes a key
    ..." is not false)."""
    mine = re.findall(r"[A-Za-z]{3,}", view.concept.name)
    theirs = re.findall(r"[A-Za-z]{3,}", other_view.concept.name)
    return bool(
        len(mine) > 1 and len(theirs) > 1 and stem(mine[-1].lower()) == stem(theirs[-1].lower())
    )
