"""The source's own other words for a concept: what a teacher accepts in a blank that asks for
it, because the source itself uses that word for the thing.

* "..., called the key's hash value (or just its hash)" -> "hash" for hash value;
* "Bucket: one slot of the table's array." / "A bucket is one slot of ..." -> "slot";
* "X, also called Y" / "X, also known as Y"; and "It is also called a map or a dictionary."
  right after a sentence that defines X -> "map", "dictionary".

Only these explicit forms: a genus ("a hash table is an associative array") is a wider thing,
not another name for it, and is never accepted.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context.reading import ViewLike

# one or two words, the last a noun-like word (no function words)
_WORDS = r"([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)"
_ARTICLE = r"(?:(?:a|an|the|its|their|just|simply|just\s+its)\s+)*"
_SCREEN = re.compile(r"\(or\b|\bone\s+\w+\s+of\b|\balso\s+(?:called|known\s+as|named)\b", re.I)
_ALSO = re.compile(
    r"^\W*(?:it|they|this|these)\s+(?:is|are)\s+also\s+(?:called|known\s+as|named)\s+(.+?)\W*$",
    re.I,
)
_STOP = frozenset("a an the of in on for to and or its it this that is are be".split())


def _after_name(name: str) -> list[re.Pattern]:
    n = re.escape(name)
    return [
        re.compile(rf"\b{n}\w*\s*\(\s*or\s+{_ARTICLE}{_WORDS}\s*\)", re.I),
        re.compile(rf"\b{n}\w*\s*(?::|\s(?:is|are))\s+one\s+{_WORDS}\s+of\b", re.I),
        re.compile(rf"\b{n}\w*,?\s+also\s+(?:called|known\s+as|named)\s+{_ARTICLE}{_WORDS}", re.I),
    ]


def _clean(word: str) -> str:
    words = word.strip().split()
    while words and words[-1].lower() in _STOP:
        words.pop()
    return " ".join(words)


def _listed(text: str) -> list[str]:
    """ "a map or a dictionary" -> ["map", "dictionary"]."""
    parts = re.split(r",\s*|\s+or\s+", text)
    out = []
    for part in parts:
        m = re.fullmatch(rf"\s*{_ARTICLE}{_WORDS}\s*", part, re.I)
        if m:
            out.append(_clean(m.group(1)))
    return [x for x in out if x]


def synonyms(view: ViewLike) -> list[str]:
    """The other words the sources use for the concept (lower case, in reading order)."""
    names = [n for n in view.names if n.strip()]
    found = _beside_name(view, names) + _said_next(view)
    own = {n.lower() for n in names}
    out: list[str] = []
    for word in found:
        low = word.lower()
        if low and low not in own and low not in out and low not in _STOP:
            out.append(low)
    return out


def _beside_name(view: ViewLike, names: list[str]) -> list[str]:
    """ "X (or Y)", "X: one Y of", "X, also called Y" in the sentences that name X."""
    found = []
    for s, _m in view.mentions[:120]:
        if not _SCREEN.search(s.clean) or view.part_of_longer(s.folded):
            continue  # ("hash value (or just its hash)" names no other word for value)
        for pat in (p for name in names for p in _after_name(name)):
            found += [_clean(m.group(1)) for m in pat.finditer(s.clean)]
    return found


def _said_next(view: ViewLike) -> list[str]:
    """ "It is also called a map or a dictionary." right after a sentence defining X."""
    sentences = view.corpus.sentences
    found = []
    for sid in sorted({d.sentence.id for d in view.teaching}):
        nxt = sentences[sid + 1] if sid + 1 < len(sentences) else None
        m = _ALSO.match(nxt.clean) if nxt is not None and nxt.doc == sentences[sid].doc else None
        if m:
            found += _listed(m.group(1))
    return found
