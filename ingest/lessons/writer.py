"""``write_lesson``: a concept's lesson from its sources (see the package docstring)."""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, LessonDraft
from teachback.ingest.lessons.blocks import MIN_WORDS, PROSE_KINDS, _Block, _index_of, _Plan
from teachback.ingest.lessons.code_prose import describe, uses_of
from teachback.ingest.lessons.code_uses import (
    _explaining_comments,
    _own_span,
    _uses_in_code,
    named_definition,
)
from teachback.ingest.lessons.compose import _compose
from teachback.ingest.lessons.demonstrations import _demonstrations
from teachback.ingest.lessons.explains import docstring_prose, explaining_paragraph, own_code
from teachback.ingest.lessons.material import (
    _code_definition,
    _definition_text,
    _more_mentions,
    _take_region,
    own_source_when_none,
    take_paragraph_and_example,
)
from teachback.ingest.lessons.names import (
    _about,
    _evidence_anchors,
    _mentions,
    _names,
    _topic_section,
    written_as_code,
)
from teachback.ingest.lessons.setup_cells import add_setup
from teachback.ingest.lessons.source_blocks import _block_for, _start_of_thought

# Prose words under which the material says too little about a code concept to teach it: its
# code's structure is then said in plain sentences (``code_prose``).
SAYS_LITTLE = MIN_WORDS // 2


def write_lesson(
    concept: ConceptDraft,
    documents: list[Document],
    prerequisites: list[str] | None = None,
) -> LessonDraft:
    """The lesson for ``concept`` from ``documents`` (see the package docstring).

    ``prerequisites`` (names) are mentioned at the end when given.
    """
    by_path = {d.path: d for d in documents}
    names = _names(concept)
    plan = _Plan(as_code=written_as_code(names, documents))
    if concept.kind == "code":
        _code_definition(plan, concept, documents)
        plan.head = len(plan.blocks)  # a code concept's own source leads its lesson
    anchors = _evidence_anchors(concept, documents, names) if names else []
    _take_anchors(plan, concept, by_path, names, anchors)
    if not plan.words and concept.definition and concept.definition.strip().lower() not in names:
        _definition_text(plan, concept, documents)  # (a "definition" that is the name is none)
    if names:
        _fill_up(plan, concept, documents, names)
    if concept.kind == "code" and plan.words < MIN_WORDS:
        _uses_in_code(plan, concept, documents)
    if concept.kind == "code":
        _explaining_prose(plan, documents, names)
    if not any(b.kind in ("prose", "code") for b in plan.blocks):
        # nothing is about the concept (a table row at most): the passages that name it are
        # all the sources offer
        _take_anchors(plan, concept, by_path, names, anchors, in_passing=True)
        if not plan.blocks and names:
            _explaining_comments(plan, concept, documents, names, in_passing=True)
    if concept.kind == "code" and plan.code == 0:
        own_source_when_none(plan, concept, documents)
    if concept.kind == "code" and plan.words < SAYS_LITTLE:
        _said_from_code(plan, concept, documents)
    add_setup(plan, documents)
    return _compose(concept, plan, documents, by_path, prerequisites)


def _said_from_code(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> None:
    """For a code concept the material says little about in prose: what its code is and where
    it is used, in plain sentences read from the code (``code_prose``), right after its own
    definition. Not a quotation, so not cited."""
    own = _own_span(concept, documents)
    if own is None:
        return
    path, start, end = own
    by_path = {d.path: d for d in documents}
    python = [d for d in documents if d.format == "code" and d.language == "python"]
    short = concept.name.rsplit(".", 1)[-1]
    uses = uses_of(
        short, [(_file_name(d.path), d.text) for d in python], (_file_name(path), start, end)
    )
    text = describe(short, by_path[path].text[start:end], _file_name(path), uses)
    if not text:
        return
    block = _Block(path, end, end, "prose", text, words=len(text.split()), cite=False)
    if plan.add(block, force=True):
        plan.blocks.insert(plan.head, plan.blocks.pop())
        plan.head += 1


def _own_file(concept: ConceptDraft, documents: list[Document]) -> str:
    """The code file a code concept's evidence is in ("" when none)."""
    code = {d.path for d in documents if d.format == "code"}
    return next((ev.source for ev in concept.evidence if ev.source in code), "")


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]


def _explaining_prose(plan: _Plan, documents: list[Document], names: list[str]) -> None:
    """The paragraph of the material that explains what a code concept's docstring says
    (from where its thought starts), led with right after the concept's own source; the
    related passages then keep only paragraphs that name the concept or introduce code (the
    lesson of bucket_index no longer drifts from collisions on to the birthday paradox)."""
    found = explaining_paragraph(docstring_prose(own_code(plan.blocks[: plan.head])), documents)
    if found is None:
        return
    doc, i = found
    index = _index_of(doc)
    blocks = [
        b
        for j in range(_start_of_thought(index.sections, i), i + 1)
        if index.sections[j].kind != "output"
        for b in _block_for(index, j)
        if not plan.has(b.path, b.start, b.end)
    ]
    if blocks and plan.head:
        plan.lead_with(blocks)
        _drop_unrelated_prose(plan, names)


def _drop_unrelated_prose(plan: _Plan, names: list[str]) -> None:
    """Drop the paragraphs after the lesson's head that neither name the concept nor lead
    into the code, output, list or figure after them."""
    rest = plan.blocks[plan.head :]
    keep = []
    for k, b in enumerate(rest):
        after = rest[k + 1] if k + 1 < len(rest) else None
        if b.kind == "prose" and not _mentions(b.text, names):
            if after is None or after.kind == "prose":
                plan.words -= b.words
                plan.spans.discard((b.path, b.start, b.end))
                continue
        keep.append(b)
    plan.blocks = plan.blocks[: plan.head] + keep


def _take_anchors(
    plan: _Plan,
    concept: ConceptDraft,
    by_path: dict,
    names: list[str],
    anchors,
    *,
    in_passing: bool = False,
):
    """The passages around the concept's evidence, best teaching place first, until the
    lesson has enough prose. A prose paragraph that only names a term in passing is left out
    (it teaches something else) unless ``in_passing``."""
    for rank, _, path, offset, i in anchors:
        if plan.words >= MIN_WORDS:
            break
        index = _index_of(by_path[path])
        sec = index.sections[i]
        if rank >= 3 and sec.kind not in PROSE_KINDS:
            continue
        if rank == 2 and not in_passing:
            if not _mentions(sec.text, names, compounds=concept.kind != "code"):
                continue
            if _in_passing(concept, sec, names, plan):
                continue
        if rank >= 2 and sec.signals.get("symbol_kind") == "module":
            continue  # a module's docstring that lists the concept among others
        start = _topic_section(index, i, names) if rank <= 1 else i
        about, topic_of = (names, None) if rank >= 2 else (None, names)
        if rank == 0 and not _under_own_heading(sec, names):
            # defined in passing in a section on something else ("the context length
            # (`--block_size`)" in the quick start): the passage ends where its subject changes
            about = names
        _take_region(
            plan,
            index,
            start,
            offset,
            force=not plan.words,
            about=about,
            topic_of=topic_of,
            explained=rank == 0,
        )
        if rank <= 1 and start != i and not plan.has(path, sec.start, sec.end):
            # the section's opening spent the budget before the paragraph that teaches it (the
            # examples that motivate ``iloc`` before the sentence that says what it is)
            take_paragraph_and_example(plan, index, i)


def _under_own_heading(sec, names: list[str]) -> bool:
    """Whether a section sits under a heading that names the concept."""
    return any(_mentions(h, names) for h in sec.heading_path)


def _in_passing(concept: ConceptDraft, sec, names: list[str], plan: _Plan) -> bool:
    """Whether a prose paragraph names a term only in passing ("... the buffers inside the
    AdamW optimizer" is about checkpoint sizes). A code concept's name is rarer: any prose that
    names it tells how it is used."""
    if concept.kind == "code" or sec.kind != "prose":
        return False
    return not _about(sec.text, names, as_code=plan.as_code)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _code_uses(plan: _Plan, names: list[str]) -> bool:
    """Whether a code block the lesson shows names the concept."""
    return any(b.kind == "code" and _mentions(b.text, names) for b in plan.blocks)


def _fill_up(
    plan: _Plan, concept: ConceptDraft, documents: list[Document], names: list[str]
) -> None:
    """What a short lesson adds: code that demonstrates the concept when none is shown (or,
    for an API's name, when the code shown does not use it: the lesson of ``fillna`` took the
    ``dropna`` examples of the passage that lists both), other paragraphs that name it, what
    the code's comments say about it; for a term, the function the code names after it
    (``configure_optimizers`` for the optimizer)."""
    if plan.code == 0 or (_IDENTIFIER.fullmatch(concept.name) and not _code_uses(plan, names)):
        _demonstrations(plan, concept, documents, names, 2 if concept.kind == "code" else 1)
    if plan.words < MIN_WORDS:
        _more_mentions(
            plan,
            documents,
            names,
            compounds=concept.kind != "code",
            own_path=_own_file(concept, documents) if concept.kind == "code" else "",
        )
    if plan.words < MIN_WORDS and concept.kind == "term":
        named_definition(plan, documents, names)
    if plan.words < MIN_WORDS:
        _explaining_comments(plan, concept, documents, names)
