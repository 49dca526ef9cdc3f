"""Where a mention of a concept is not the concept: part of a longer concept's name ("join"
in "an outer join") or the head of a code name ("the `GroupBy` object").

A blank or a false statement made there would cut a term in two or ask about another thing.
"""

from __future__ import annotations

import re

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises.context.reading import ViewLike

# a word as ``longer_patterns``' pattern bounds it: a run of word characters and hyphens
_NAME_TOKEN = re.compile(r"[\w-]+")


def longer_patterns(view: ViewLike) -> list[re.Pattern]:
    """Patterns of the concepts whose names hold this one's ("outer join" for "join")."""
    mine = view._lower_names
    out = []
    for c in _holding_a_token_of(view, mine):
        low = c.name.lower()
        if c is view.concept or low in mine:
            continue
        if any(n in low and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low) for n in mine):
            p = view.view_of(c).pattern
            if p is not None:
                out.append(p)
    return out


def _holding_a_token_of(view: ViewLike, names: list[str]) -> list[ConceptDraft]:
    """The concepts (in list order) whose names could hold one of ``names`` as a whole
    word sequence: a name holding "outer join" has the word "outer", so only the names
    with a name's first word are read, not every concept's for every concept."""
    by_token = _name_tokens(view)
    found: set[int] = set()
    for n in names:
        first = _NAME_TOKEN.match(n)
        if first is None:  # (a name opening with punctuation: no word to look up)
            return view.concepts
        found.update(by_token.get(first.group(0), ()))
    return [view.concepts[i] for i in sorted(found)]


def _name_tokens(view: ViewLike) -> dict[str, list[int]]:
    """Each word of a lower-cased concept name -> the positions of the concepts whose
    names have it, for this very list of concepts (built once per list)."""
    concepts = view.concepts
    cache = view.corpus.__dict__.setdefault("_name_tokens", {})
    hit = cache.get(id(concepts))
    if hit is not None and hit[0] is concepts and hit[1] == len(concepts):
        return hit[2]
    by_token: dict[str, list[int]] = {}
    for i, c in enumerate(concepts):
        for token in dict.fromkeys(_NAME_TOKEN.findall(c.name.lower())):
            by_token.setdefault(token, []).append(i)
    cache[id(concepts)] = (concepts, len(concepts), by_token)
    return by_token


def after_code_name(view: ViewLike, text: str) -> bool:
    """Whether the concept's name follows a code span ("the `GroupBy` object", "the
    `Series` method"): there it is the head of that name, not the concept."""
    if view.pattern is None:
        return False
    return any(re.search(r"`\s$", text[: m.start()]) for m in view.pattern.finditer(text))


def part_of_longer(view: ViewLike, text: str) -> bool:
    """Whether a mention of the concept in ``text`` is part of a longer concept's name
    ("join" in "an outer join"): blanking it would cut a term in two."""
    if view.pattern is None or not view._longer:
        return False
    spans = [(m.start(), m.end()) for p in view._longer for m in p.finditer(text)]
    return any(
        any(a <= m.start() and m.end() <= b for a, b in spans) for m in view.pattern.finditer(text)
    )
