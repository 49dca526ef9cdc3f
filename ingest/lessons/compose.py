"""The lesson's Markdown from its planned blocks: grouped by source in source order, code
fenced, outputs labelled, prose paragraphs cited."""

from __future__ import annotations

import re

from teachback.engine.protocol import LessonDraft, Span
from teachback.ingest.lessons.announcements import delivers, without_announcement
from teachback.ingest.lessons.blocks import _fence, _index_of, _Plan

_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")


def _without_dangling_intros(blocks: list, by_path: dict) -> list:
    """The lesson's ``(n, block)`` pairs without the sentences that announce what the lesson
    does not show next ("We will start with the standard imports:" with the imports left out,
    "Let's see some examples using the Planets data." before other prose): the paragraph is
    kept without them, or left out when it is nothing else; nor a paragraph that is nothing
    but links ("([figure source](...))" under a figure not shown)."""
    out = []
    for k, (n, b) in enumerate(blocks):
        if b.kind == "prose" and not re.search(r"\w", _LINK.sub("", b.text)):
            continue
        if b.kind == "prose":
            after = blocks[k + 1][1] if k + 1 < len(blocks) else None
            doc = by_path.get(b.path)
            if not delivers(b, after, doc):
                b = without_announcement(b, doc.text) if doc is not None else b
                if b is None:
                    continue
        out.append((n, b))
    return out


def _compose(concept, plan: _Plan, documents, by_path, prerequisites) -> LessonDraft:
    """The lesson Markdown: blocks grouped by source in source order (the source the lesson
    starts from first), code fenced, outputs labelled, prose paragraphs cited."""
    if not plan.blocks:
        return LessonDraft(text="", citations=[])
    order_of = {d.path: k for k, d in enumerate(documents)}
    lead = plan.blocks[0].path
    blocks = sorted(
        enumerate(plan.blocks),
        key=lambda kb: (
            kb[0] >= plan.head,
            kb[1].path != lead,
            order_of.get(kb[1].path, 0),
            kb[1].start,
            kb[0],
        ),
    )
    blocks = _without_dangling_intros(blocks, by_path)
    lines = [_title(concept)]
    citations: list[Span] = []
    parts = _parts_from(blocks, by_path)
    for _, b in blocks:
        if id(b) in parts:
            lines.append(parts[id(b)])
        if b.kind in ("note", "image"):
            lines.append(b.text)
            continue
        if b.end > b.start:
            citations.append(
                Span(
                    source=b.path,
                    start=b.start,
                    end=b.end,
                    quote=by_path[b.path].text[b.start : b.end],
                )
            )
        n = len(citations)
        if b.kind == "code":
            lines.append(_fence(b.text, b.language))
        elif b.kind == "output":
            lines.append("Output:\n\n" + _fence(b.text, "text"))
        elif b.cite:
            lines.append(f"{b.text} [{n}]")
        else:
            lines.append(b.text)
    if prerequisites:
        lines.append("*Builds on:* " + ", ".join(prerequisites) + ".")
    return LessonDraft(text="\n\n".join(lines) + "\n", citations=citations)


def _title(concept) -> str:
    """``**Osmosis** (also: osmotic flow)``."""
    aliases = [a for a in concept.aliases if a.lower() != concept.name.lower()]
    also = " (also: " + ", ".join(aliases[:4]) + ")" if aliases else ""
    return f"**{concept.name}**{also}"


def _parts_from(blocks: list, by_path: dict) -> dict[int, str]:
    """When a lesson joins passages of several documents (the merge chapter's inner join,
    then the Index's set operations from an earlier notebook), a note before each document's
    part says where it comes from: ``*(From `03.07-Merge-and-Join.ipynb`, “Specifying Set
    Arithmetic for Joins”.)*``. Passages of code files name their place after each block
    already, and the notes beside a code file are its explanation, not another place."""
    written = [
        b
        for _, b in blocks
        if b.kind in ("prose", "list", "table", "code", "output")
        and b.path in by_path
        and by_path[b.path].format != "code"
    ]
    if len({b.path for b in written}) < 2:
        return {}
    notes: dict[int, str] = {}
    previous = None
    for b in written:
        if b.path != previous:
            notes[id(b)] = _from_note(by_path[b.path], b.start)
        previous = b.path
    return notes


def _from_note(doc, offset: int) -> str:
    name = doc.path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    index = _index_of(doc)
    i = index.at(offset)
    heading = index.sections[i].heading_path if i >= 0 else ()
    under = f", \u201c{_plain(heading[-1])}\u201d" if heading else ""
    return f"*(From `{name}`{under}.)*"


def _plain(heading: str) -> str:
    """A heading as words: without its Markdown marks."""
    return re.sub(r"[*_`#]+", "", heading).strip()
