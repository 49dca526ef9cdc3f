"""Options of one family: a choice question whose key is the odd one out of its options is
answered by form ("hash table" among two collision resolution strategies). ``family(view)``
reads what sort of thing a concept is; ``odd_one_out`` says whether a candidate distractor
would pair up with one already chosen in a family the key is not of."""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.kinds.true_false.siblings import _GENUS_END, genus_of
from teachback.ingest.exercises.text import clean_for_prompt, stem_set


def family(view: ConceptView) -> tuple[str, str, str, str]:
    """``(name, genus, sort, predicate)``: what the concept is called, the head of the sort
    its definition names ("a collision resolution strategy in ..." -> "strategi"), that sort
    ("a collision resolution strategy") and the definition (lower case); "" where the
    sources give none. Kept on the view: a neighbour's is asked for every concept that
    weighs it as an option."""
    hit = view.__dict__.get("_family")
    if hit is None:
        predicate = next((d.predicate for d in view.teaching if d.predicate), "").lower()
        sort = _GENUS_END.split(fold(predicate), 1)[0]
        name = clean_for_prompt(view.concept.name).lower()
        hit = view.__dict__["_family"] = (name, genus_of(predicate), sort, predicate)
    return hit


def odd_one_out(key: tuple, candidate: tuple, chosen: list[tuple]) -> bool:
    """Would ``candidate`` make a pair of options of one family the key is not of, so the
    key is the odd one out ("hash table" among two collision resolution strategies)? Two
    options of the same sort, one defined as a kind of the other ("separate chaining is a
    collision resolution strategy" beside "collision resolution") unless the key's own
    definition names it too, or two names sharing a word the key does not have
    ("collision", "collision resolution")."""
    name, genus, sort, _ = candidate
    for other_name, other_genus, other_sort, _ in chosen:
        same_sort = genus and genus == other_genus and genus != key[1]
        kind_of = _names(other_name, sort) or _names(name, other_sort)
        key_too = _names(other_name, key[3]) or _names(name, key[3])
        shared = (stem_set(name) & stem_set(other_name)) - stem_set(key[0])
        if same_sort or (kind_of and not key_too) or shared:
            return True
    return False


def _names(name: str, text: str) -> bool:
    # (the substring test first: a pattern per name is compiled only where it can match)
    return bool(name) and name in text and bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text))
