"""Shortcuts the lesson writer takes on long documents answer as the full reading would:
``written_as_code`` from the document's code spans, and a paragraph whose squeezed text lacks
every squeezed name is one ``_about`` and ``_mentions`` reject."""

import re
from pathlib import Path

from teachback.core.document import Document
from teachback.ingest.lessons.blocks import squeeze
from teachback.ingest.lessons.names import _about, _mentions, written_as_code

TEXTS = [
    "Call `transform` or `Transform()` on a `df.groupby('k')`; ``apply`` too.",
    "A `pd.merge()` call; the `K` (Kelvin sign) and `ſeries` of long s; `naïve` code.",
    "Unclosed `loc and `iloc` here; ` spaced ` and `a`b`c`.",
    "",
]
NAMES = [
    ["transform"],
    ["apply"],
    ["pd.merge"],
    ["merge"],
    ["k"],
    ["series"],
    ["naïve"],
    ["loc"],
    ["iloc"],
    ["spaced"],
    ["b"],
    ["a", "c"],
    ["groupby"],
    ["df.groupby('k')"],
    ["x", "y"],
]


def _search(names: list[str], docs: list[Document]) -> bool:
    words = [n for n in names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    if not words:
        return False
    pattern = re.compile(r"`(?:" + "|".join(re.escape(w) for w in words) + r")(?:\(\))?`", re.I)
    return any(d.format != "code" and pattern.search(d.text) for d in docs)


def _doc(text: str, fmt: str = "markdown") -> Document:
    return Document(path=f"d{hash(text)}.md", format=fmt, title="", text=text, sections=[])


def test_same_answer_as_a_search_of_the_text():
    docs = [_doc(t) for t in TEXTS]
    got = {tuple(n): written_as_code(n, docs) for n in NAMES}
    assert got == {tuple(n): _search(n, docs) for n in NAMES}
    assert sum(got.values()) >= 8  # most of these are written as code


def test_code_documents_do_not_count():
    assert written_as_code(["transform"], [_doc(TEXTS[0], "code")]) is False


def test_same_answer_on_the_samples():
    root = Path(__file__).resolve().parents[3] / "data" / "samples"
    docs = [_doc(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.md"))]
    words = sorted({w.lower() for d in docs for w in re.findall(r"`([^`\s]+)`", d.text)})
    words += ["hash", "table", "probing", "nothing_here"]
    got = {w: written_as_code([w], docs) for w in words}
    assert got == {w: _search([w], docs) for w in words}
    assert 0 < sum(got.values()) < len(got)


PARAGRAPHS = [
    "The **hash\ntable** is an *associative array*.",
    "A `block_size` sets the context; block__size is not it. Block sizes vary.",
    "ΟΔΟΣ and οδος: a final sigma. Tables, tables everywhere.",
    "Short line on Hash Tables",
    "Nothing here names it at all, in a long sentence that goes on and on and on. Again.",
]
PROSE_NAMES = [
    ["hash table"],
    ["associative array"],
    ["block_size"],
    ["block size"],
    ["blocksize"],
    ["οδος"],
    ["table"],
    ["hash tables"],
    ["array"],
    ["nothing"],
    ["absent"],
]


def test_a_paragraph_that_names_a_concept_keeps_its_squeezed_name():
    for text in PARAGRAPHS:
        for names in PROSE_NAMES:
            named = _mentions(text, names) or _about(text, names)
            could = any(squeeze(n) in squeeze(text) for n in names)
            assert could or not named, (text, names)
    found = [
        (t, n[0])
        for t in PARAGRAPHS
        for n in PROSE_NAMES
        if any(squeeze(x) in squeeze(t) for x in n)
    ]
    assert (
        "Nothing here names it at all, in a long sentence that goes on and on and on. Again.",
        "absent",
    ) not in found
    assert len(found) >= 10
