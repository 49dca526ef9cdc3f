"""A lesson per concept: the material that teaches it, taken whole from its sources.

A lesson is what a teacher would hand out from the sources: the passage that defines the
concept and the explanation around it, in the source's order, as whole blocks — paragraphs,
lists, tables and code blocks intact — then the code that shows it (a code concept's own
definition; a notebook cell that uses it, with its saved output) and the source's figures.
Nothing is invented or paraphrased. Each block is cited: ``citations[n-1]`` is the exact span of
``Document.text`` the block comes from, and prose paragraphs end with their marker ``[n]``.

The lesson::

    **Osmosis** (also: osmotic flow)

    Osmosis is the movement of water across a semipermeable membrane. It needs no energy. [1]

    - in plants it keeps cells firm
    - in animals ...

    ```python
    flow = osmosis(cell, solution)
    ```

    Output:

    ```text
    0.42
    ```

    ![Figure from cell 4](teachback-image:3f2a...)

    *Builds on:* diffusion, membrane.

How blocks are chosen: the section that defines the concept (or whose heading names it) is the
lesson's core, from the defining block on, until the heading ends or the word budget is spent; a
paragraph that opens by referring back ("This ...") brings the paragraph before it. When that
is short, whole paragraphs elsewhere that name the concept are added, in source order. A
paragraph too long for the budget is cut at sentence boundaries (never inside brackets or
quotes). Source HTML blocks are never copied; inline HTML stays text for a renderer that
escapes it. Image links are kept only for images the readers stored (``teachback-image:``
links); others are removed, never left broken. Math (``$...$``, ``$$...$$``) is kept as written.

A concept whose sources offer no block at all gets an empty lesson (``text == ""``): there is
nothing to teach, so it should not be a concept.
"""

from __future__ import annotations

import bisect
import re
import textwrap
from dataclasses import dataclass, field

from teachback.core.document import Document, Section
from teachback.core.text import sentences
from teachback.engine.protocol import ConceptDraft, LessonDraft, Span
from teachback.ingest.readers.images import MD_IMAGE

MIN_WORDS = 60  # prose words below which more material is looked for
MAX_WORDS = 320  # prose words a lesson stops at
MAX_BLOCK_WORDS = 200  # a longer paragraph is excerpted at sentence boundaries
MAX_CODE_LINES = 40  # longer code is shown from its start, with a note of what is left out
MAX_CODE_BLOCKS = 3
MAX_OUTPUT_LINES = 20
MAX_IMAGES = 3
MAX_REGIONS = 3  # sections a lesson draws from
PROSE_KINDS = ("prose", "docstring")
IMAGE_SCHEME = "teachback-image:"

_REFERS_BACK = re.compile(
    r"^(this|these|that|those|it|they|here|such|its|their|thus|hence|so|also|both)\b", re.I
)
_HTML_BLOCK = re.compile(r"^\s*<")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_TABLE = re.compile(r"^\s*\|.*\|\s*$", re.M)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


@dataclass
class _Block:
    """One piece of a lesson: a span of one source shown as ``text``."""

    path: str
    start: int
    end: int
    kind: str  # "prose" | "list" | "table" | "code" | "output" | "image" | "note"
    text: str
    words: int = 0
    language: str = ""
    cite: bool = True


@dataclass
class _Plan:
    blocks: list[_Block] = field(default_factory=list)
    spans: set[tuple[str, int, int]] = field(default_factory=set)
    words: int = 0
    code: int = 0
    images: int = 0
    regions: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    head: int = 0  # the first blocks, kept first whatever the source order

    def has(self, path: str, start: int, end: int) -> bool:
        return any(p == path and s < end and start < e for p, s, e in self.spans)

    def add(self, block: _Block, *, force: bool = False) -> bool:
        if self.has(block.path, block.start, block.end) and block.kind != "image":
            return False
        if block.kind in ("code", "output"):
            if block.kind == "code" and self.code >= MAX_CODE_BLOCKS and not force:
                return False
            self.code += block.kind == "code"
        elif block.kind == "image":
            if self.images >= MAX_IMAGES:
                return False
            self.images += 1
        elif block.kind != "note":
            if self.words + block.words > MAX_WORDS and not force:
                return False
            self.words += block.words
        self.blocks.append(block)
        self.spans.add((block.path, block.start, block.end))
        return True

    def drop_dangling_intro(self) -> None:
        """Drop a last paragraph that introduces what was not taken ("... accesses a column:")."""
        if self.blocks and self.blocks[-1].kind == "prose" and self.blocks[-1].text.endswith(":"):
            last = self.blocks.pop()
            self.words -= last.words
            self.spans.discard((last.path, last.start, last.end))


# --- reading a document's blocks ---------------------------------------------------------------


class _Index:
    """A document's sections by start, to find the section at an offset and its neighbours."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.sections = sorted(doc.sections, key=lambda s: s.start)
        self.starts = [s.start for s in self.sections]
        images = doc.meta.get("images") if isinstance(doc.meta, dict) else None
        self.images: dict = images if isinstance(images, dict) else {}

    def at(self, offset: int) -> int:
        """Index of the section containing ``offset`` (else the one before it), or -1."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return (
            i if i >= 0 and offset < max(self.sections[i].end, self.sections[i].start + 1) else -1
        )


_INDEXES: dict[int, _Index] = {}


def _index_of(doc: Document) -> _Index:
    """The section index of ``doc``, built once per document object (a few kept)."""
    entry = _INDEXES.get(id(doc))
    if entry is None or entry.doc is not doc:
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        entry = _INDEXES[id(doc)] = _Index(doc)
    return entry


def _words(text: str) -> int:
    return len(text.split())


def _markdown_like(doc: Document) -> bool:
    return doc.format in ("markdown", "notebook")


def _fence(code: str, language: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{code}\n{ticks}"


def _show_images(text: str, index: _Index, cell) -> tuple[str, int]:
    """``text`` with image links to stored images pointing at the store and all other image
    links removed (a link that would not load is worse than none). Returns (text, kept)."""
    kept = 0

    def swap(m: re.Match) -> str:
        nonlocal kept
        alt, target = m.group(1), m.group(2)
        item = index.images.get(target)
        if item is None and target.startswith("attachment:") and cell is not None:
            item = index.images.get(f"attachment:{cell}:{target[len('attachment:') :]}")
        if not item:
            return ""
        kept += 1
        alt = (alt or item.get("alt") or "Figure").replace("]", ")").replace("[", "(")
        return f"![{alt}]({IMAGE_SCHEME}{item['key']})"

    return MD_IMAGE.sub(swap, text), kept


def _balanced_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]``, merged where a split fell inside brackets or quotes."""
    out: list[tuple[int, int]] = []
    depth = 0
    for s, e in sentences(text, start, end):
        if out and depth > 0:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        piece = text[s:e]
        depth += sum(piece.count(o) - piece.count(c) for o, c in _OPENERS.items())
        depth += piece.count("\u201c") - piece.count("\u201d")
        depth = max(depth, 0)
    return out


def _excerpt(text: str, start: int, end: int, anchor: int, budget: int) -> tuple[int, int]:
    """Whole sentences of a long paragraph around ``anchor``: from the sentence before the
    anchor's, forward until ``budget`` words."""
    spans = _balanced_sentences(text, start, end)
    if not spans:
        return start, end
    k = next((i for i, (s, e) in enumerate(spans) if s <= anchor < e or anchor < s), 0)
    first = max(0, k - 1) if k and _words(text[spans[k - 1][0] : spans[k - 1][1]]) < 40 else k
    last, words = first, 0
    for i in range(first, len(spans)):
        n = _words(text[spans[i][0] : spans[i][1]])
        if words and words + n > budget:
            break
        last, words = i, words + n
    return spans[first][0], spans[last][1]


def _block_for(index: _Index, i: int, anchor: int | None = None) -> list[_Block]:
    """The lesson blocks a section gives: prose as a whole block (a list as the whole list run
    it belongs to), code with its outputs and figures, nothing for headings and HTML."""
    doc = index.doc
    sec = index.sections[i]
    text = doc.text
    if sec.kind == "heading" or text[sec.start : sec.end] != sec.text:
        return []
    if doc.format == "code" and sec.kind in ("docstring", "comment"):
        return _code_passage(index, i)  # what a comment says is read beside its code
    if sec.kind in ("prose", "docstring", "comment"):
        raw = sec.text
        if _markdown_like(doc) and _HTML_BLOCK.match(raw):
            return []
        if sec.kind == "docstring":
            return [_code_block(doc.path, sec, doc.language or "python")]
        start, end = sec.start, sec.end
        kind = "prose"
        if _markdown_like(doc) and _LIST_ITEM.match(raw):
            start, end = _list_run(index, i)
            kind = "list"
        elif _markdown_like(doc) and _TABLE.match(raw):
            kind = "table"
        elif _words(raw) > MAX_BLOCK_WORDS:
            start, end = _excerpt(
                text, start, end, anchor if anchor is not None else start, MAX_BLOCK_WORDS
            )
        shown = text[start:end]
        if _markdown_like(doc):
            shown, _ = _show_images(shown, index, sec.signals.get("cell"))
        else:
            shown = " ".join(shown.split())
            # plain text, not Markdown syntax: "2. Title" is not a list, "# x" not a heading
            shown = re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^([#>|+*-])", r"\\\1", shown))
            if len(shown.split()) <= 4 and shown.endswith(":"):
                return []  # a label line ("Clawd OS:") is not a lesson paragraph
        if not shown.strip():
            return []
        images = len(re.findall(re.escape(IMAGE_SCHEME), shown))
        if images and not MD_IMAGE.sub("", shown).strip():
            return [_Block(doc.path, start, end, "image", shown.strip())]
        return [
            _Block(
                doc.path,
                start,
                end,
                kind,
                shown.strip(),
                _words(MD_IMAGE.sub("", shown)),
                cite=kind == "prose",
            )
        ]
    if sec.kind == "code":
        return _code_with_outputs(index, i)
    if sec.kind == "output":
        return []
    return []


def _list_run(index: _Index, i: int) -> tuple[int, int]:
    """The span of the whole list a list-item section belongs to (consecutive item sections
    separated only by blank space, under the same heading)."""
    text, secs = index.doc.text, index.sections
    lo = hi = i
    while lo > 0 and _same_list(text, secs[lo - 1], secs[lo]):
        lo -= 1
    while hi + 1 < len(secs) and _same_list(text, secs[hi], secs[hi + 1]):
        hi += 1
    return secs[lo].start, secs[hi].end


def _same_list(text: str, a: Section, b: Section) -> bool:
    return (
        a.kind == b.kind == "prose"
        and a.heading_path == b.heading_path
        and bool(_LIST_ITEM.match(a.text))
        and bool(_LIST_ITEM.match(b.text))
        and not text[a.end : b.start].strip()
    )


def _line_start(text: str, at: int) -> int:
    """``at`` moved back over the indentation before it (readers trim a section's leading
    spaces, which align a table's first line)."""
    ls = text.rfind("\n", 0, at) + 1
    return ls if not text[ls:at].strip() else at


def _code_block(path: str, sec: Section, language: str) -> _Block:
    return _Block(path, sec.start, sec.end, "code", sec.text.strip("\n"), language=language)


_REPR_ONLY = re.compile(r"\s*<[^<>\n]* at 0x[0-9a-f]+>\s*|\s*<Figure size [^<>\n]*>\s*")
_SETUP_LINE = re.compile(r"^\s*(?:$|#|%|!|import\s|from\s+\S+\s+import\s)")


def _code_with_outputs(index: _Index, i: int) -> list[_Block]:
    """A code section, with the saved outputs that follow it and its figures (notebooks). A
    cell of imports and magics only teaches nothing: none."""
    doc, sec = index.doc, index.sections[i]
    if doc.format == "notebook" and _setup_only(sec.text):
        return []
    language = sec.signals.get("language") or doc.language or ""
    if doc.format == "markdown" or (doc.format == "notebook" and "outputs" not in sec.signals):
        body = _fenced_body(sec.text)
        if body is None:
            return []
        start = sec.start + sec.text.find(body) if body and body in sec.text else sec.start
        out = [_Block(doc.path, start, start + len(body), "code", body, language=language)]
        return out if body.strip() else []
    code, start, end = sec.text.strip("\n"), sec.start, sec.end
    lines = code.splitlines()
    out = [_Block(doc.path, start, end, "code", code, language=language)]
    if len(lines) > MAX_CODE_LINES:
        return _long_code(doc, start, end, language)
    for j in range(i + 1, len(index.sections)):
        nxt = index.sections[j]
        if nxt.kind != "output" or nxt.signals.get("cell") != sec.signals.get("cell"):
            break
        first = _line_start(doc.text, nxt.start)
        shown = "\n".join(doc.text[first : nxt.end].splitlines()[:MAX_OUTPUT_LINES])
        if _REPR_ONLY.fullmatch(shown):
            continue  # "<matplotlib.colorbar.Colorbar at 0x7f...>" says nothing
        out.append(_Block(doc.path, first, nxt.end, "output", shown, language="text"))
    after = out[-1].end  # figures come after the cell's text outputs
    for ref in sec.signals.get("images") or []:
        item = index.images.get(ref)
        if item:
            alt = (item.get("alt") or "Figure").replace("]", ")").replace("[", "(")
            out.append(
                _Block(
                    doc.path,
                    after,
                    after,
                    "image",
                    f"![{alt}]({IMAGE_SCHEME}{item['key']})",
                    cite=False,
                )
            )
    return out


_FENCE_BODY = re.compile(
    r"\A[ ]{0,3}(`{3,}|~{3,})[^\n]*\n(.*?)(?:\n[ ]{0,3}\1[`~]*[ \t]*)?\Z", re.S
)


def _fenced_body(text: str) -> str | None:
    """The code inside a Markdown code block (fenced or indented)."""
    m = _FENCE_BODY.match(text)
    if m:
        return m.group(2).rstrip("\n")
    lines = text.splitlines()
    if all(not ln.strip() or ln.startswith(("    ", "\t")) for ln in lines):
        return "\n".join(ln[4:] if ln.startswith("    ") else ln.lstrip("\t") for ln in lines)
    return None


def _long_code(doc: Document, start: int, end: int, language: str) -> list[_Block]:
    """The first ``MAX_CODE_LINES`` lines of a long definition, ending on a whole line, and a
    note of how much is left out (the citation spans exactly what is shown)."""
    text = doc.text[start:end]
    lines = text.splitlines(keepends=True)
    shown = "".join(lines[:MAX_CODE_LINES]).rstrip("\n")
    name = doc.path.replace("\\", "/").rsplit("/", 1)[-1]
    note = f"*(The first {MAX_CODE_LINES} of {len(lines)} lines, from `{name}`.)*"
    return [
        _Block(
            doc.path, start, start + len(shown), "code", textwrap.dedent(shown), language=language
        ),
        _Block(doc.path, start, start, "note", note, cite=False),
    ]


# --- choosing the material ----------------------------------------------------------------


def _names(concept: ConceptDraft) -> list[str]:
    forms = [concept.name, *concept.aliases]
    return list(dict.fromkeys(n.lower() for n in forms if n and len(n) > 1))


def _mentions(text: str, names: list[str], *, compounds: bool = True) -> bool:
    """Whether ``text`` names the concept as a whole word or phrase (a plural "s" allowed).
    ``compounds=False``: a hyphenated compound is another name (the class ``GPT`` is not
    meant by "GPT-2"), and so is an identifier that goes on with ``_`` ("block_size")."""
    low = text.lower()
    for n in names:
        at = low.find(n)
        while at >= 0:
            end = at + len(n)
            if end < len(low) and low[end] == "s" and not low[end - 1 : end].isspace():
                end += 1
            if (at == 0 or not low[at - 1].isalnum()) and (
                end >= len(low) or not low[end].isalnum()
            ):
                after = low[end : end + 2]
                joined = after[:1] == "_" or (after[:1] == "-" and after[1:2].isalnum())
                before = low[at - 1 : at] if at else ""
                if compounds or not (joined or before in ("_", "-")):
                    return True
            at = low.find(n, end)
    return False


def _take_region(plan: _Plan, index: _Index, i: int, anchor: int, *, force: bool) -> None:
    """The teaching passage around section ``i``: the paragraph before it when it refers back,
    then it and what follows under the same heading, while the budget lasts."""
    secs = index.sections
    heading = secs[i].heading_path
    if index.doc.format == "code":
        heading = (str(secs[i].signals.get("symbol", "")),)
    key = (index.doc.path, heading)
    if index.doc.format == "code":
        if key in plan.regions or len(plan.regions) < MAX_REGIONS or force:
            plan.regions.add(key)
            for b in _code_passage(index, i):
                plan.add(b, force=force)
        return
    if key not in plan.regions and len(plan.regions) >= MAX_REGIONS and not force:
        return
    plan.regions.add(key)
    first = _start_of_thought(secs, i)
    for j in range(first, len(secs)):
        sec = secs[j]
        if sec.heading_path != heading or sec.kind == "heading" and j > first:
            break
        if sec.kind == "output":
            continue
        blocks = _block_for(index, j, anchor if j == i else None)
        if not blocks:
            continue
        if blocks[0].kind in ("prose", "list", "table") and plan.words >= MIN_WORDS * 2 and j > i:
            break
        for b in blocks:
            if not plan.add(b, force=force and j <= i):
                if b.kind == "code":
                    plan.drop_dangling_intro()
                if b.kind in ("prose", "list", "table", "code"):
                    return  # the budget is spent: what follows would lack what it explains
        if plan.words >= MAX_WORDS:
            return


def _code_passage(index: _Index, i: int) -> list[_Block]:
    """In a code file: a docstring or comment with the code it documents (the sections of the
    same symbol up to and including the next code section), as one verbatim block."""
    doc, secs = index.doc, index.sections
    symbol = secs[i].signals.get("symbol")
    j = i
    while (
        j > 0
        and secs[j - 1].signals.get("symbol") == symbol
        and not secs[j].signals.get("definition")
    ):
        j -= 1
    span = secs[j].signals.get("def_span")
    if span and secs[j].signals.get("symbol_kind") != "module":
        # a docstring or comment of a short definition: the whole definition
        start, end = _line_start(doc.text, span[0]), span[1]
        if doc.text[start:end].count("\n") < MAX_CODE_LINES:
            code = doc.text[start:end].rstrip("\n")
            language = doc.language or "python"
            return [
                _Block(
                    doc.path,
                    start,
                    start + len(code),
                    "code",
                    textwrap.dedent(code),
                    language=language,
                )
            ]
    k = i
    while (
        secs[k].kind != "code" and k + 1 < len(secs) and secs[k + 1].signals.get("symbol") == symbol
    ):
        k += 1
    if k > i and _setup_only(secs[k].text):
        # a module's docstring, then its first code that does something, not its imports
        nxt = next(
            (
                m
                for m in range(k + 1, len(secs))
                if secs[m].signals.get("symbol") == symbol
                and secs[m].kind == "code"
                and not _setup_only(secs[m].text)
            ),
            None,
        )
        head = _code_passage_span(doc, secs[i].start, secs[k - 1].end)
        if nxt is None:
            return head
        return head + _code_passage_span(doc, secs[nxt].start, secs[nxt].end)
    return _code_passage_span(doc, secs[i].start, secs[k].end)


def _setup_only(code: str) -> bool:
    return all(_SETUP_LINE.match(line) for line in code.splitlines())


def _code_passage_span(doc: Document, start: int, end: int) -> list[_Block]:
    """Verbatim code from the line ``start`` is on to ``end``, dedented; cut when long."""
    start = _line_start(doc.text, start)
    if doc.text[start:end].count("\n") >= MAX_CODE_LINES:
        return _long_code(doc, start, end, doc.language or "python")
    code = doc.text[start:end].rstrip("\n")
    return [
        _Block(
            doc.path,
            start,
            start + len(code),
            "code",
            textwrap.dedent(code),
            language=doc.language or "python",
        )
    ]


def _start_of_thought(secs: list[Section], i: int) -> int:
    """Where the passage around section ``i`` starts: a paragraph that continues a sentence
    interrupted by code ("where `index` is ...") or refers back ("This ...") brings in what it
    continues, under the same heading."""
    first = i
    while secs[first].kind == "prose":
        lead = _lead(secs[first].text)
        continues = lead[:1].islower()
        if not continues and not (first == i and _REFERS_BACK.match(lead)):
            break
        j = first - 1
        while j >= 0 and secs[j].kind in ("output", "code") and continues:
            j -= 1
        while j >= 0 and secs[j].kind == "output":
            j -= 1
        if j < 0 or secs[j].kind != "prose" or secs[j].heading_path != secs[i].heading_path:
            break
        first = j
    return first


def _lead(text: str) -> str:
    return re.sub(r"^[\s>*_#\-]+", "", text)[:40]


def _code_definition(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> bool:
    """A code concept's own definition (its source, cut to a readable length)."""
    for ev in concept.evidence:
        if ev.role != "code":
            continue
        doc = next((d for d in documents if d.path == ev.source), None)
        if doc is None:
            continue
        index = _index_of(doc)
        i = index.at(ev.start)
        if i < 0:
            continue
        sec = index.sections[i]
        span = sec.signals.get("def_span")
        if doc.format == "code" and span:
            start, end = span
            if sec.signals.get("symbol_kind") == "module":
                return _module_summary(plan, index)
            lines = doc.text[start:end].count("\n") + 1
            if lines > MAX_CODE_LINES:
                blocks = _long_code(doc, start, end, doc.language or "python")
            else:
                code = doc.text[start:end].rstrip("\n")
                blocks = [
                    _Block(
                        doc.path,
                        start,
                        start + len(code),
                        "code",
                        code,
                        language=doc.language or "python",
                    )
                ]
            for b in blocks:
                plan.add(b, force=True)
            return True
        if sec.kind == "code":
            for b in _code_with_outputs(index, i):
                plan.add(b, force=True)
            return True
    return False


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


def _demonstrations(
    plan: _Plan, concept: ConceptDraft, documents: list[Document], names: list[str], limit: int
) -> None:
    """Notebook or Markdown code blocks that use the concept (an API call, a class), with the
    paragraph that introduces them, their outputs and figures."""
    short = {n.rsplit(".", 1)[-1] for n in names}
    found = 0
    for doc in documents:
        if doc.format not in ("notebook", "markdown"):
            continue
        index = _index_of(doc)
        for i, sec in enumerate(index.sections):
            if found >= limit:
                return
            if sec.kind != "code":
                continue
            calls = {c.lower().rsplit(".", 1)[-1] for c in sec.signals.get("calls") or []}
            if not (calls & short or _mentions(sec.text, names)):
                continue
            if sec.text.count("\n") >= MAX_CODE_LINES:
                continue
            before = i - 1
            while before >= 0 and index.sections[before].kind == "output":
                before -= 1
            if (
                before >= 0
                and index.sections[before].kind == "prose"
                and (index.sections[before].heading_path == sec.heading_path)
            ):
                # the paragraph introducing the cell, from where its sentence starts
                for j in range(_start_of_thought(index.sections, before), before + 1):
                    if index.sections[j].kind != "output":
                        for b in _block_for(index, j):
                            plan.add(b)
            added = False
            for b in _code_with_outputs(index, i):
                if not plan.add(b) and b.kind == "code":
                    plan.drop_dangling_intro()
                    break
                added = True
            found += added


def _evidence_anchors(concept: ConceptDraft, documents: list[Document], names: list[str]):
    """(rank, path, offset) of the evidence, best teaching place first: the definition, a
    section whose heading names the concept, a prose passage naming it, then the rest. A
    code concept's name inside a compound is another name ("GPT-2" for the class ``GPT``)."""
    by_path = {d.path: d for d in documents}
    compounds = concept.kind != "code"
    out = []
    for order, ev in enumerate(concept.evidence):
        doc = by_path.get(ev.source)
        if doc is None or not (0 <= ev.start < ev.end <= len(doc.text)):
            continue
        index = _index_of(doc)
        i = index.at(ev.start)
        if i < 0:
            continue
        sec = index.sections[i]
        headed = bool(sec.heading_path) and _names_topic(
            sec.heading_path[-1], names, compounds=compounds
        )
        if ev.role == "definition":
            rank = 0
        elif headed:
            rank = 1
        elif sec.kind in PROSE_KINDS:
            rank = 2
        else:
            rank = 3
        out.append((rank, order, ev.source, ev.start, i))
    # Without a defining passage, a section whose heading names the concept teaches it.
    order = len(concept.evidence)
    for doc in documents if all(rank > 1 for rank, *_ in out) else ():
        index = _index_of(doc)
        for i, sec in enumerate(index.sections[:-1]):
            if sec.kind == "heading" and _names_topic(sec.text, names, compounds=compounds):
                out.append((1, order, doc.path, index.sections[i + 1].start, i + 1))
                order += 1
    out.sort()
    return out


def _names_topic(title: str, names: list[str], *, compounds: bool = True) -> bool:
    """Whether a heading is about the concept: it names it, in a few more words at most
    (``compounds``: as for ``_mentions``)."""
    title = title.strip().lstrip("#").strip()
    return (
        _mentions(title, names, compounds=compounds)
        and len(title.split()) <= len(names[0].split()) + 3
    )


def _topic_section(index: _Index, i: int, names: list[str]) -> int:
    """When section ``i`` sits under a heading that names the concept, that heading's first
    block (the lesson then reads the section from its start); else ``i``."""
    sec = index.sections[i]
    if not sec.heading_path or not _mentions(sec.heading_path[-1], names):
        return i
    j = i
    while (
        j > 0
        and index.sections[j - 1].heading_path == sec.heading_path
        and (index.sections[j - 1].kind != "heading")
    ):
        j -= 1
    return j


def write_lesson(
    concept: ConceptDraft,
    documents: list[Document],
    prerequisites: list[str] | None = None,
) -> LessonDraft:
    """The lesson for ``concept`` from ``documents`` (see the module docstring).

    ``prerequisites`` (names) are mentioned at the end when given.
    """
    by_path = {d.path: d for d in documents}
    names = _names(concept)
    plan = _Plan()
    anchors = _evidence_anchors(concept, documents, names) if names else []

    if concept.kind == "code":
        _code_definition(plan, concept, documents)
        plan.head = len(plan.blocks)  # a code concept's own source leads its lesson
    for rank, _, path, offset, i in anchors:
        if plan.words >= MIN_WORDS:
            break
        index = _index_of(by_path[path])
        sec = index.sections[i]
        if rank >= 3 and sec.kind not in PROSE_KINDS:
            continue
        if rank == 2 and not _mentions(sec.text, names, compounds=concept.kind != "code"):
            continue
        start = _topic_section(index, i, names) if rank <= 1 else i
        _take_region(plan, index, start, offset, force=not plan.words)
    if not plan.words and concept.definition and concept.definition.strip().lower() not in names:
        _definition_text(plan, concept, documents)  # (a "definition" that is the name is none)
    if plan.code == 0 and names:
        _demonstrations(plan, concept, documents, names, 2 if concept.kind == "code" else 1)
    if plan.words < MIN_WORDS and names:
        _more_mentions(plan, documents, names, compounds=concept.kind != "code")
    if plan.words < MIN_WORDS and names:
        _explaining_comments(plan, concept, documents, names)
    if concept.kind == "code" and plan.words < MIN_WORDS:
        _uses_in_code(plan, concept, documents)
    return _compose(concept, plan, documents, by_path, prerequisites)


MAX_USES = 2


def _uses_in_code(plan: _Plan, concept: ConceptDraft, documents: list[Document]) -> None:
    """Where the code uses a code concept (the line that calls or builds it, in the definition
    that does), so a class is seen in use: ``h = nn.ModuleList([Block(config) ...])``."""
    short = concept.name.rsplit(".", 1)[-1]
    call = re.compile(rf"(?<![\w.]){re.escape(short)}\(|\.{re.escape(short)}\(")
    forms = {concept.name, *concept.aliases}
    found = 0
    for doc in documents:
        if doc.format != "code":
            continue
        for sec in _index_of(doc).sections:
            sig = sec.signals
            if found >= MAX_USES:
                return
            if not sig.get("definition") or sig.get("symbol") in forms:
                continue
            if sig.get("symbol_kind") == "module":
                continue
            if short not in {c.rsplit(".", 1)[-1] for c in sig.get("calls") or []}:
                continue
            lo, hi = sig.get("def_span") or (sec.start, sec.end)
            m = call.search(doc.text, lo, hi)
            if m is None:
                continue
            start = doc.text.rfind("\n", lo, m.start()) + 1
            end = doc.text.find("\n", m.end(), hi)
            end = hi if end < 0 else end
            line = doc.text[start:end]
            if line.count("(") != line.count(")"):
                continue  # a call spread over lines: one line of it would not read
            where = sig.get("symbol", "").split(".", 1)[-1] or sig.get("symbol", "")
            name = doc.path.replace("\\", "/").rsplit("/", 1)[-1]
            language = doc.language or "python"
            if plan.add(_Block(doc.path, start, end, "code", line.strip(), language=language)):
                plan.add(
                    _Block(
                        doc.path, end, end, "note", f"*(Used in `{where}`, `{name}`.)*", cite=False
                    )
                )
                found += 1


MAX_COMMENTS = 2  # code comments about a code concept, shown with the lines they explain
COMMENT_WORDS = 5  # a comment this short ("# MLP blocks") is a label, not an explanation
COMMENTED_LINES = 4  # code lines shown after a comment, at most
_COMMENT = re.compile(r"^([ \t]*)#[ \t]?(.*)$")
_TRAILING = re.compile(r"^[^#'\"]*\S[ \t]+#[ \t]?(.*)$")  # code, then a comment


def _code_lines(doc: Document) -> list[list[tuple[int, str]]]:
    """The Python code of ``doc`` as runs of ``(offset, line)``: a code file whole, a
    notebook's or Markdown file's code cells one by one."""
    if doc.format == "code":
        regions = [(0, len(doc.text))] if doc.language == "python" else []
    elif doc.format in ("notebook", "markdown"):
        regions = [
            (s.start, s.end)
            for s in _index_of(doc).sections
            if s.kind == "code" and s.signals.get("language", "python") in ("python", "py", "")
        ]
    else:
        regions = []
    out = []
    for lo, hi in regions:
        lines, at = [], lo
        for line in doc.text[lo:hi].split("\n"):
            lines.append((at, line))
            at += len(line) + 1
        out.append(lines)
    return out


def _commented_snippets(lines: list[tuple[int, str]], names: list[str]):
    """``(start, end, code)`` of each comment that explains the concept: it names it (as a
    name, not inside another identifier) in ``COMMENT_WORDS`` words or more. A run of comment
    lines comes with the code lines right after it (up to a blank line, a dedent or the next
    comment); a comment at the end of a line comes with that line."""
    i = 0
    while i < len(lines):
        m = _COMMENT.match(lines[i][1])
        if m:
            indent, j, said = len(m.group(1)), i, []
            while j < len(lines) and (c := _COMMENT.match(lines[j][1])):
                said.append(c.group(2))
                j += 1
            end = j
            while (
                end < len(lines)
                and end - j < COMMENTED_LINES
                and lines[end][1].strip()
                and not _COMMENT.match(lines[end][1])
                and len(lines[end][1]) - len(lines[end][1].lstrip()) >= indent
            ):
                end += 1
            while end > j and lines[end - 1][1].rstrip().endswith(":"):
                end -= 1  # a block opener without its body ("for block in h:") reads cut off
            text = " ".join(said)
            if _words(text) >= COMMENT_WORDS and _mentions(text, names, compounds=False):
                yield lines[i][0], lines[end - 1][0] + len(lines[end - 1][1]), lines[i:end]
            i = j
            continue
        t = _TRAILING.match(lines[i][1])
        said = t.group(1) if t else ""
        if _words(said) >= COMMENT_WORDS and _mentions(said, names, compounds=False):
            yield lines[i][0], lines[i][0] + len(lines[i][1]), lines[i : i + 1]
        i += 1


def _explaining_comments(
    plan: _Plan, concept: ConceptDraft, documents: list[Document], names: list[str]
) -> None:
    """What the code's own comments say about a concept elsewhere ("# True: bias in Linears
    and LayerNorms, like GPT-2"), each with the lines it explains: a class with no docstring,
    or a term the code's comments teach ("block size"), is explained in its authors' words."""
    short = concept.name.rsplit(".", 1)[-1]
    if re.fullmatch(r"[A-Z][a-z]+", short):
        return  # one capitalised word ("Block"): in comments it is an everyday word
    found = 0
    for doc in documents:
        for lines in _code_lines(doc):
            for start, end, picked in _commented_snippets(lines, names):
                if found >= MAX_COMMENTS:
                    return
                if plan.has(doc.path, start, end):
                    continue  # inside what the lesson already shows (its own definition)
                code = textwrap.dedent("\n".join(line for _, line in picked)).strip("\n")
                block = _Block(doc.path, start, end, "code", code, language="python")
                if plan.add(block, force=True):
                    plan.add(_Block(doc.path, end, end, "note", _where(doc, start), cite=False))
                    found += 1


def _where(doc: Document, offset: int) -> str:
    """``*(In `GPT.configure_optimizers`, `model.py`.)*``: where a shown line of code is."""
    name = doc.path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    inside = ""
    for sec in _index_of(doc).sections:
        sig = sec.signals
        lo, hi = sig.get("def_span") or (sec.start, sec.end)
        if sig.get("definition") and sig.get("symbol_kind") != "module" and lo <= offset < hi:
            symbol = sig.get("symbol", "")
            inside = symbol.split(".", 1)[-1] if "." in symbol else symbol
    return f"*(In `{inside}`, `{name}`.)*" if inside else f"*(In `{name}`.)*"


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
    plan: _Plan, documents: list[Document], names: list[str], *, compounds: bool = True
) -> None:
    """Whole paragraphs elsewhere that name the concept, in source order, until enough
    (``compounds``: as for ``_mentions``)."""
    for doc in documents:
        index = _index_of(doc)
        for i, sec in enumerate(index.sections):
            if plan.words >= MIN_WORDS:
                return
            if sec.kind != "prose" or not _mentions(sec.text, names, compounds=compounds):
                continue
            if plan.has(doc.path, sec.start, sec.end):
                continue
            key = (doc.path, sec.heading_path)
            if key not in plan.regions and len(plan.regions) >= MAX_REGIONS:
                continue
            if _lead(sec.text)[:1].islower():
                continue  # the end of a sentence begun before a code block
            for b in _block_for(index, i, None):
                if b.kind in ("prose", "list", "table") and b.words >= 8:
                    plan.regions.add(key)
                    plan.add(b)


_SHOWS = ("code", "output", "list", "table", "image")  # what a paragraph ending in ":" leads to


_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")


def _without_dangling_intros(blocks: list) -> list:
    """The lesson's ``(n, block)`` pairs without a paragraph that introduces what the lesson
    does not show next ("We will start with the standard imports:" with the imports left
    out): such a paragraph reads as cut off; nor a paragraph that is nothing but links
    ("([figure source](...))" under a figure not shown)."""
    out = []
    for k, (n, b) in enumerate(blocks):
        if b.kind == "prose" and not re.search(r"\w", _LINK.sub("", b.text)):
            continue
        if b.kind == "prose" and b.text.rstrip().endswith(":"):
            after = blocks[k + 1][1] if k + 1 < len(blocks) else None
            if after is None or after.kind not in _SHOWS or after.path != b.path:
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
    blocks = _without_dangling_intros(blocks)
    lines = [f"**{concept.name}**"]
    aliases = [a for a in concept.aliases if a.lower() != concept.name.lower()]
    if aliases:
        lines[0] += " (also: " + ", ".join(aliases[:4]) + ")"
    citations: list[Span] = []
    for _, b in blocks:
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
