"""Choosing the material that teaches a concept: the passage around its best evidence, a code
concept's own definition, and other paragraphs about it (notebook cells that demonstrate it:
``demonstrations``)."""

from __future__ import annotations

import ast
import re
import textwrap

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons.announcements import overview
from teachback.ingest.lessons.blocks import (
    MAX_CODE_LINES,
    MAX_OWN_DEFINITION_LINES,
    MAX_OWN_FUNCTION_LINES,
    MAX_REGIONS,
    MAX_WORDS,
    MIN_WORDS,
    _Block,
    _Index,
    _index_of,
    _Plan,
    squeeze,
)
from teachback.ingest.lessons.names import _about, _mentions, _names_topic
from teachback.ingest.lessons.source_blocks import (
    _LIST_ITEM,
    _block_for,
    _code_block,
    _code_passage,
    _code_with_outputs,
    _lead,
    _long_code,
    _start_of_thought,
    antecedent,
    list_lead_in,
    refers_back,
)

_LINKS = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
MIN_MOVING_ON_WORDS = 8
MIN_LIST_ITEMS = 3  # a list this long that names the concept once is about other things
# A numbered point that opens with its own label: "3. Automated Research: AI can ...".
_NUMBERED_LABEL = re.compile(r"^\s*\d{1,2}[.)]\s+(?P<label>[^:\n]{2,60}):\s")
# A paragraph that opens a new point rather than going on with the one before.
_NEW_POINT = re.compile(
    r"\s*(?:\d{1,2}[.)]\s|[-*+]\s|\W*(?:finally|also|next|besides|in addition|another|note|"
    r"first|second|third|lastly)\b)",
    re.I,
)


def _take_region(
    plan: _Plan,
    index: _Index,
    i: int,
    anchor: int,
    *,
    force: bool,
    about: list[str] | None = None,
    topic_of: list[str] | None = None,
    explained: bool = False,
) -> None:
    """The teaching passage around section ``i``: the paragraph before it when it refers back,
    then it and what follows under the same heading, while the budget lasts. ``about`` (the
    concept's names) when section ``i`` only mentions the concept: the passage then ends at
    the first paragraph that neither names it nor refers back to what came before (a section
    that mentions "the training loop" goes on about ``torch.compile``, which is another
    lesson). ``topic_of`` (the concept's names) when section ``i`` is the concept's own
    section: one that only introduces it goes on into its subsections. ``explained`` when
    section ``i`` defines the concept: the paragraph right after it explains the definition
    (the hedgehog picture of the "jagged frontier"), unless it opens on a new point
    ("Finally, on Apple Silicon ...")."""
    if index.doc.format == "code":
        _take_code_region(plan, index, i, force=force)
        return
    secs = index.sections
    heading = secs[i].heading_path
    topic = heading if _own_topic(heading, topic_of) else ()
    if not _claim_region(plan, (index.doc.path, heading), force=force):
        return
    first = _start_of_thought(secs, i)
    _add_antecedent(plan, index, first)
    for j in range(first, len(secs)):
        sec = secs[j]
        if j > first and not _same_passage(plan, sec, heading, topic):
            break
        if sec.kind == "heading":
            heading = sec.heading_path  # a subsection the passage goes on into
            continue
        blocks = _passage_blocks(index, j, i, anchor, about or topic_of)
        if not blocks:
            continue
        explains = explained and blocks[0].kind == "prose" and not _NEW_POINT.match(sec.text)
        explained = explained and j <= i  # only the first paragraph after it
        if (
            j > i
            and not explains
            and _passage_ends(plan, blocks[0], secs, j, about, about or topic_of)
        ):
            break
        if not _add_all(plan, blocks, force=force and j <= i):
            return  # the budget is spent: what follows would lack what it explains
        if plan.words >= MAX_WORDS:
            return


def _passage_blocks(
    index: _Index, j: int, i: int, anchor: int, names: list[str] | None
) -> list[_Block]:
    """The blocks section ``j`` gives a passage read from section ``i`` (none for a notebook's
    tooling cell)."""
    if j != i and tooling_cell(index.doc, index.sections[j], names):
        return []
    return _block_for(index, j, anchor if j == i else None)


def tooling_cell(doc: Document, sec: Section, names: list[str] | None) -> bool:
    """A notebook cell that only imports and defines helpers the concept is not named in (the
    ``display`` class a chapter defines "for convenience"): a tool of the notebook, not part of
    the passage that teaches the concept. (The paragraph announcing it is then left out as an
    announcement of what the lesson does not show.)"""
    if doc.format != "notebook" or sec.kind != "code" or not names:
        return False
    try:
        tree = ast.parse(_MAGIC_LINE.sub("", sec.text))
    except (SyntaxError, ValueError, RecursionError):
        return False
    helpers = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    if not tree.body or not all(isinstance(n, helpers) for n in tree.body):
        return False
    if not any(isinstance(n, helpers[2:]) for n in tree.body):
        return False  # imports only: ``_setup_only`` already leaves those out
    return not _mentions(sec.text, names)


_MAGIC_LINE = re.compile(r"^\s*[%!].*$", re.M)


def _add_antecedent(plan: _Plan, index: _Index, first: int) -> None:
    """The paragraph a passage's opening contrast is set against, when it is in the section
    before (``source_blocks.antecedent``); the lead-in of the list a passage opens inside
    (``source_blocks.list_lead_in``)."""
    for before in (antecedent(index.sections, first), list_lead_in(index.sections, first)):
        if before is not None:
            for b in _block_for(index, before):
                plan.add(b, force=True)


def take_paragraph_and_example(plan: _Plan, index: _Index, i: int) -> None:
    """Section ``i``'s paragraph whatever the budget, with the code it introduces when it
    ends by announcing it ("... the implicit Python-style index:")."""
    blocks = _block_for(index, i)
    for b in blocks:
        plan.add(b, force=True)
    secs = index.sections
    if not blocks or not blocks[-1].text.rstrip().endswith(":"):
        return
    j = i + 1
    while j < len(secs) and secs[j].kind == "output":
        j += 1
    if j < len(secs) and secs[j].kind == "code" and secs[j].heading_path == secs[i].heading_path:
        for b in _code_with_outputs(index, j):
            plan.add(b, force=True)


def _own_topic(heading: tuple[str, ...], names: list[str] | None) -> bool:
    """A heading about the concept alone ("A Multiply Indexed Series"), not one naming it
    among others ("Aggregate, Filter, Transform, Apply": its subsections are other
    lessons)."""
    if not heading or not names:
        return False
    return _names_topic(heading[-1], names) and not re.search(r",|&|\band\b", heading[-1])


def _claim_region(plan: _Plan, key: tuple, *, force: bool) -> bool:
    """Count a section as one the lesson draws from; False when it may draw from no more."""
    if key not in plan.regions and len(plan.regions) >= MAX_REGIONS and not force:
        return False
    plan.regions.add(key)
    return True


def _same_passage(
    plan: _Plan, sec: Section, heading: tuple[str, ...], topic: tuple[str, ...]
) -> bool:
    """Whether a later section goes on with the passage under ``heading``: it is under the
    same heading, or it opens a subsection of the passage's ``topic`` while the lesson is
    still short (a section that only introduces its topic, "Let's start by considering
    ...", teaches it in its subsections)."""
    if sec.heading_path == heading:
        return sec.kind != "heading"
    path = sec.heading_path
    inside = len(path) > len(topic) and path[: len(topic)] == topic
    return bool(topic) and inside and sec.kind == "heading" and _teaching_words(plan) < MIN_WORDS


def _teaching_words(plan: _Plan) -> int:
    """The lesson's prose words, without those of paragraphs that say what a chapter will
    cover ("In this chapter, we will discuss ..."): a promise teaches nothing."""
    return plan.words - sum(b.words for b in plan.blocks if b.kind == "prose" and overview(b.text))


def _passage_ends(
    plan: _Plan,
    first: _Block,
    secs: list[Section],
    j: int,
    about: list[str] | None,
    names: list[str] | None = None,
) -> bool:
    """Whether the passage ends before section ``j``: prose when the lesson has plenty; a
    numbered point labelled with something else ("4. Model Capabilities: ..." after "3.
    Automated Research: ..."); or (``about``) a paragraph about something else: it does not
    open by referring back, and neither it nor the next paragraph under its heading names
    the concept."""
    if first.kind in ("prose", "list", "table") and _teaching_words(plan) >= MIN_WORDS * 2:
        return True
    label = _NUMBERED_LABEL.match(secs[j].text)
    if label and names and not _mentions(label.group("label"), names):
        return True
    text = _LINKS.sub("", secs[j].text)
    if not about or first.kind != "prose" or len(text.split()) < MIN_MOVING_ON_WORDS:
        return False  # a figure, its credit line or a label does not change the subject
    if refers_back(text):
        return False
    later = (
        s
        for s in secs[j + 1 :]
        if s.kind == "prose" or s.heading_path != secs[j].heading_path or s.kind == "heading"
    )
    following = next(later, None)
    return not any(
        s is not None
        and s.kind == "prose"
        and s.heading_path == secs[j].heading_path
        and _mentions(s.text, about)
        for s in (secs[j], following)
    )


def _take_code_region(plan: _Plan, index: _Index, i: int, *, force: bool) -> None:
    """In a code file, a region is a symbol: its docstring or comment with its code."""
    key = (index.doc.path, (str(index.sections[i].signals.get("symbol", "")),))
    if key in plan.regions or len(plan.regions) < MAX_REGIONS or force:
        plan.regions.add(key)
        for b in _code_passage(index, i):
            plan.add(b, force=force)


def _add_all(plan: _Plan, blocks: list[_Block], *, force: bool) -> bool:
    """Add ``blocks`` in order; False when one that carries the passage does not fit (a code
    block that does not fit also takes back the paragraph that introduced it)."""
    for b in blocks:
        if not plan.add(b, force=force):
            if b.kind == "code":
                plan.drop_dangling_intro()
            if b.kind in ("prose", "list", "table", "code"):
                return False
    return True


def _code_definition(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> bool:
    """A code concept's own definition (its source, cut to a readable length)."""
    for ev in concept.evidence:
        found = _section_at(ev.source, ev.start, documents) if ev.role == "code" else None
        if found is None:
            continue
        index, i = found
        sec = index.sections[i]
        span = sec.signals.get("def_span")
        if index.doc.format == "code" and span:
            if sec.signals.get("symbol_kind") == "module":
                return _module_summary(plan, index)
            blocks = _definition_blocks(index.doc, *span, sec.signals.get("symbol_kind"))
        elif sec.kind == "code":
            # a notebook's cell defining the concept is its own definition
            blocks = _code_with_outputs(index, i, MAX_OWN_DEFINITION_LINES)
        else:
            continue
        for b in blocks:
            plan.add(b, force=True)
        return True
    return False


def own_source_when_none(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> None:
    """A code concept whose lesson shows no code: its own source, found where a piece of its
    evidence is the docstring opening its definition (a module known by its docstring alone,
    ``configurator.py``), cut to a readable length."""
    own = {n.rsplit(".", 1)[-1] for n in (concept.name, *concept.aliases)}
    for ev in concept.evidence:
        found = _section_at(ev.source, ev.start, documents)
        if found is None:
            continue
        index, i = found
        sig = index.sections[i].signals
        symbol = str(sig.get("symbol", "")).rsplit(".", 1)[-1]
        span = sig.get("def_span")
        if index.doc.format == "code" and span and sig.get("definition") and symbol in own:
            for b in _definition_blocks(index.doc, *span, sig.get("symbol_kind")):
                plan.add(b, force=True)
            return


def _section_at(path: str, offset: int, documents: list[Document]) -> tuple[_Index, int] | None:
    """The section index of the document at ``path`` and the section holding ``offset``."""
    doc = next((d for d in documents if d.path == path), None)
    if doc is None:
        return None
    index = _index_of(doc)
    i = index.at(offset)
    return (index, i) if i >= 0 else None


def _definition_blocks(
    doc: Document, start: int, end: int, symbol_kind: str | None = None
) -> list[_Block]:
    """A definition's source as written (with the comment lines right above it, which say
    what it is as a docstring would), or its first lines and a note when it is long (a
    function or method longer than ``MAX_OWN_FUNCTION_LINES``, anything else longer than
    ``MAX_OWN_DEFINITION_LINES``)."""
    language = doc.language or "python"
    limit = (
        MAX_OWN_FUNCTION_LINES
        if symbol_kind in ("function", "method")
        else MAX_OWN_DEFINITION_LINES
    )
    above = _leading_comment(doc.text, start)
    if above < start:
        code = textwrap.dedent(doc.text[above:end].rstrip("\n"))
        if code.count("\n") + 1 <= limit:
            return [
                _Block(
                    doc.path,
                    above,
                    above + len(doc.text[above:end].rstrip("\n")),
                    "code",
                    code,
                    language=language,
                )
            ]
    if doc.text[start:end].count("\n") + 1 > limit:
        return _long_code(doc, start, end, language)
    code = doc.text[start:end].rstrip("\n")
    return [_Block(doc.path, start, start + len(code), "code", code, language=language)]


def _leading_comment(text: str, start: int) -> int:
    """Where the run of comment lines right above the line at ``start`` begins (``start``
    when there is none): "# learning rate decay scheduler (cosine with warmup)" over ``def
    get_lr(it):``."""
    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip():
        return start
    first = line
    while first > 0:
        prev = text.rfind("\n", 0, first - 1) + 1
        if not text[prev : first - 1].lstrip().startswith("#"):
            break
        first = prev
    return first if first < line else start


def _module_summary(plan: _Plan, index: _Index) -> bool:
    """A module: its docstring, then its first definitions' source."""
    for sec in index.sections:
        if sec.kind == "docstring":
            plan.add(_code_block(index.doc.path, sec, index.doc.language or "python"), force=True)
            break
    for sec in index.sections:
        if (
            sec.kind == "code"
            and sec.signals.get("definition")
            and sec.signals.get("symbol_kind") in ("class", "function")
        ):
            start, end = sec.signals.get("def_span") or (sec.start, sec.end)
            code = index.doc.text[start:end]
            if code.count("\n") < MAX_CODE_LINES:
                plan.add(
                    _Block(
                        index.doc.path,
                        start,
                        start + len(code.rstrip("\n")),
                        "code",
                        code.rstrip("\n"),
                        language=index.doc.language or "python",
                    )
                )
                break
    return bool(plan.blocks)


def _definition_text(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> None:
    """The paragraph holding the definition text, found verbatim in a document."""
    probe = concept.definition.strip()
    for doc in documents:
        at = doc.text.find(probe)
        if at < 0:
            continue
        index = _index_of(doc)
        i = index.at(at)
        if i >= 0:
            for j in range(_start_of_thought(index.sections, i), i + 1):
                if index.sections[j].kind != "output":
                    for b in _block_for(index, j, at if j == i else None):
                        plan.add(b, force=True)
            return


def _more_mentions(
    plan: _Plan,
    documents: list[Document],
    names: list[str],
    *,
    compounds: bool = True,
    own_path: str = "",
) -> None:
    """Whole paragraphs elsewhere that are about the concept (``names._about``), in source
    order, until enough (``compounds``: as for ``_mentions``). ``own_path``: a code
    concept's own file, whose name a paragraph about a file of the same name in a sibling
    folder also names (``places_elsewhere``)."""
    squeezed = [squeeze(n) for n in names]
    for doc in documents:
        index = _index_of(doc)
        for i, sec in enumerate(index.sections):
            if plan.words >= MIN_WORDS:
                return
            key = (doc.path, sec.heading_path)
            if not any(n in index.squeezed[i] for n in squeezed):
                continue  # cannot name the concept: spares reading each paragraph of a long text
            if not _worth_adding(plan, doc.path, sec, names, compounds, own_path):
                continue
            if key not in plan.regions and len(plan.regions) >= MAX_REGIONS:
                continue
            for b in _block_for(index, i, None):
                if _one_item_of_many(b.text, names):
                    continue
                if b.kind in ("prose", "list", "table") and b.words >= 8:
                    plan.regions.add(key)
                    plan.add(b)


_PATH = re.compile(r"`((?:[\w.-]+/)+[\w.-]*)`")  # a path in code marks: `data/shakespeare`


def places_elsewhere(text: str, own_path: str) -> bool:
    """Whether ``text`` names a folder beside the one holding ``own_path`` (both under a folder
    they share): "go to `data/shakespeare` and run `prepare.py`" is about another
    ``prepare.py`` than ``data/shakespeare_char/prepare.py``.

    >>> places_elsewhere("go to `data/shakespeare` and run `prepare.py`", "data/x_char/prep.py")
    True
    >>> places_elsewhere("see `config/train.py` for the settings", "data/x_char/prep.py")
    False
    """
    folders = own_path.replace("\\", "/").split("/")[:-1]
    for m in _PATH.finditer(text):
        parts = [p for p in m.group(1).split("/") if p]
        if parts and "." in parts[-1]:
            parts = parts[:-1]  # a file's path: the folder it is in
        if not parts or parts[0] not in folders:
            continue  # not under a folder the concept's file is in
        at = folders.index(parts[0])
        if folders[at : at + len(parts)] != parts:
            return True
    return False


def _one_item_of_many(text: str, names: list[str]) -> bool:
    """Whether ``text`` is a list (a glossary, a summary) that names the concept in one of its
    items: its other lines are about other things."""
    items = [line for line in text.splitlines() if _LIST_ITEM.match(line)]
    return len(items) >= MIN_LIST_ITEMS and sum(_mentions(i, names) for i in items) <= 1


def _worth_adding(
    plan: _Plan, path: str, sec: Section, names: list[str], compounds: bool, own_path: str = ""
):
    """Whether a paragraph not yet in the lesson is about the concept (one that names it in
    passing teaches something else), starts a thought (not the end of a sentence begun
    before a code block, nor a remark on what came before it) and is not about a file of the
    same name elsewhere (``places_elsewhere``)."""
    return (
        sec.kind == "prose"
        and not (own_path and places_elsewhere(sec.text, own_path))
        and not plan.has(path, sec.start, sec.end)
        and not _lead(sec.text)[:1].islower()
        and not refers_back(sec.text)  # "Of these, ...": its referent is not shown
        and (
            _mentions(sec.text, names, compounds=compounds)
            if not compounds  # a code concept (see ``writer._in_passing``)
            else _about(sec.text, names, as_code=plan.as_code)
        )
    )
