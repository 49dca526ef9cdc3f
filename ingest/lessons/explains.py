"""The paragraph that explains what a code concept's docstring says, in the material's prose:
the lesson of ``bucket_index`` ("Reduce the hash of ``key`` to a bucket index ...") leads with
the passage that says how a hash value is reduced to a slot (``hash(key) % capacity``), not
with a paragraph about collisions that happens to name bucket indexes."""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.ingest.lessons.blocks import PROSE_KINDS, _Block, _index_of
from teachback.ingest.lessons.source_blocks import _LIST_ITEM

MIN_SHARED = 3  # content words a paragraph shares with the docstring, at least
MIN_SHARE = 0.5  # ... and this share of the docstring's content words
_DOCSTRING = re.compile(r'(?s)("""|\'\'\')(.*?)\1')
_URL = re.compile(r"\w+://\S+")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
# Words every docstring and paragraph uses: sharing them says nothing about the topic.
_COMMON = frozenset(
    "the and for with from that this these those into onto its their are was were has have "
    "had not but can may will each then than also only such when where which what who how "
    "return returns returned between given used using use uses value values number numbers "
    "one two all any some more most other new like just very".split()
)


def _stems(text: str) -> set[str]:
    """Content words of ``text``, cut to a common stem ("reduces", "reduce" -> "reduc")."""
    out = set()
    for w in _WORD.findall(_URL.sub(" ", text.lower())):
        if w in _COMMON:
            continue
        out.add(w.rstrip("s")[:5])
    return out


def docstring_prose(code: str) -> str:
    """The prose of the first docstring in ``code``: its lines without doctest examples."""
    m = _DOCSTRING.search(code)
    if m is None:
        return ""
    kept, in_example = [], False
    for line in m.group(2).splitlines():
        s = line.strip()
        if s.startswith(">>>"):
            in_example = True
        elif not s:
            in_example = False
        elif not in_example:
            kept.append(s)
    return " ".join(kept)


def explaining_paragraph(probe: str, documents: list[Document]) -> tuple[Document, int] | None:
    """(document, section index) of the prose paragraph outside code files that shares the
    most content words with ``probe`` (a docstring), when it shares enough of them."""
    want = _stems(probe)
    if len(want) < MIN_SHARED:
        return None
    best, best_shared = None, 0
    for doc in documents:
        if doc.format == "code":
            continue
        for i, sec in enumerate(_index_of(doc).sections):
            if sec.kind not in PROSE_KINDS or _LIST_ITEM.match(sec.text):
                continue  # a list item is a summary (a glossary entry), not the explanation
            shared = len(want & _stems(sec.text))
            if shared > best_shared:
                best, best_shared = (doc, i), shared
    if best_shared < max(MIN_SHARED, MIN_SHARE * len(want)):
        return None
    return best


def own_code(blocks: list[_Block]) -> str:
    """The text of the code blocks a lesson leads with (a code concept's own source)."""
    return "\n".join(b.text for b in blocks if b.kind == "code")
