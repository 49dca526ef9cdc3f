"""Reading a document's blocks: the lesson blocks a section gives (a whole paragraph, list or
table; code with its saved outputs and figures; a docstring with the code it documents), cut
at sentence boundaries when long, and where a passage's thought starts."""

from __future__ import annotations

import ast
import re
import textwrap

from teachback.core.document import Document, Section
from teachback.core.text import sentences
from teachback.ingest.lessons.blocks import (
    IMAGE_SCHEME,
    MAX_BLOCK_WORDS,
    MAX_CODE_LINES,
    MAX_OUTPUT_LINES,
    _Block,
    _Index,
    _markdown_like,
    _words,
)
from teachback.ingest.readers.images import MD_IMAGE

_REFERS_BACK = re.compile(
    r"^(this|these|that|those|it|they|here|such|its|their|thus|hence|so|also|both"
    r"|of (?:these|those|them)|the result(?:s|ing)?|the output|the above)\b",
    re.I,
)
# A paragraph that sets itself against what came before ("Pandas includes a couple of useful
# twists, however: ...", "The other missing data sentinel, `NaN` is different"): it needs
# what it is set against.
_CONTRASTS = re.compile(
    r"^(?:the other|however|in contrast|unlike|similarly|likewise)\b|^[^.:;\n]{0,80}?,\s*however\b",
    re.I,
)
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|these|those)\s+(?!(?:chapter|section|notebook|article|post|book|podcast"
    r"|tutorial|lesson|part|page|course)s?\b)[a-z]",
    re.I,
)
# A paragraph opening on a pronoun whose antecedent is in the paragraph before it.
_PRONOUN_OPENER = re.compile(r"(?:they|it|these|those|he|she)\b", re.I)
MAX_REFERRED_CELLS = 4  # code cells a paragraph that refers back to them may bring in
_HTML_BLOCK = re.compile(r"^\s*<")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_TABLE = re.compile(r"^\s*\|.*\|\s*$", re.M)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


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
    if sec.kind == "heading" or doc.text[sec.start : sec.end] != sec.text:
        return []
    if doc.format == "code" and sec.kind in ("docstring", "comment"):
        return _code_passage(index, i)  # what a comment says is read beside its code
    if sec.kind in ("prose", "docstring", "comment"):
        return _prose_block(index, i, anchor)
    if sec.kind == "code":
        return _code_with_outputs(index, i)
    return []


def _prose_block(index: _Index, i: int, anchor: int | None) -> list[_Block]:
    """A prose section as one block: a paragraph (excerpted when long), the whole list or a
    table; a docstring outside a code file as code."""
    doc, sec = index.doc, index.sections[i]
    if _markdown_like(doc) and _HTML_BLOCK.match(sec.text):
        return []
    if sec.kind == "docstring":
        return [_code_block(doc.path, sec, doc.language or "python")]
    kind, start, end = _prose_span(index, i, anchor)
    shown = _shown_text(index, doc.text[start:end], sec.signals.get("cell"))
    if shown is None or not shown.strip():
        return []
    images = len(re.findall(re.escape(IMAGE_SCHEME), shown))
    if images and not MD_IMAGE.sub("", shown).strip():
        return [_Block(doc.path, start, end, "image", shown.strip())]
    words = _words(MD_IMAGE.sub("", shown))
    return [_Block(doc.path, start, end, kind, shown.strip(), words, cite=kind == "prose")]


def _prose_span(index: _Index, i: int, anchor: int | None) -> tuple[str, int, int]:
    """(kind, start, end) of what a prose section shows: the list run it belongs to, a table,
    or the paragraph (whole sentences around ``anchor`` when it is long)."""
    doc, sec = index.doc, index.sections[i]
    if _markdown_like(doc) and _LIST_ITEM.match(sec.text):
        return ("list", *_list_run(index, i))
    if _markdown_like(doc) and _TABLE.match(sec.text):
        return "table", sec.start, sec.end
    if _words(sec.text) > MAX_BLOCK_WORDS:
        at = anchor if anchor is not None else sec.start
        return ("prose", *_excerpt(doc.text, sec.start, sec.end, at, MAX_BLOCK_WORDS))
    return "prose", sec.start, sec.end


def _shown_text(index: _Index, shown: str, cell) -> str | None:
    """Source text as lesson Markdown: Markdown with its images pointed at the store; plain
    text on one line with what would read as Markdown syntax escaped. None for a label line."""
    if _markdown_like(index.doc):
        return _show_images(shown, index, cell)[0]
    shown = " ".join(shown.split())
    # plain text, not Markdown syntax: "2. Title" is not a list, "# x" not a heading
    shown = re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^([#>|+*-])", r"\\\1", shown))
    if len(shown.split()) <= 4 and shown.endswith(":"):
        return None  # a label line ("Clawd OS:") is not a lesson paragraph
    return shown


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


def _code_with_outputs(index: _Index, i: int, limit: int = MAX_CODE_LINES) -> list[_Block]:
    """A code section, with the saved outputs that follow it and its figures (notebooks); cut
    when longer than ``limit`` lines. A cell of imports and magics only teaches nothing:
    none."""
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
    if len(lines) > limit:
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
    """The first lines of a long definition, up to ``MAX_CODE_LINES`` and ending where a
    statement does (never inside a call, a string or a docstring), and a note of how much is
    left out (the citation spans exactly what is shown)."""
    text = doc.text[start:end]
    lines = text.splitlines(keepends=True)
    cut = statement_cut("".join(lines), MAX_CODE_LINES)
    shown = "".join(lines[:cut]).rstrip("\n")
    name = doc.path.replace("\\", "/").rsplit("/", 1)[-1]
    note = f"*(The first {cut} of {len(lines)} lines, from `{name}`.)*"
    return [
        _Block(
            doc.path, start, start + len(shown), "code", textwrap.dedent(shown), language=language
        ),
        _Block(doc.path, start, start, "note", note, cite=False),
    ]


def statement_cut(code: str, limit: int) -> int:
    """How many of ``code``'s first lines to show, at most ``limit``: the last line at or
    before it where a statement ends, at any depth (so never inside a call, a string or a
    docstring); ``limit`` when the code does not parse or no statement ends by then.

    >>> statement_cut("x = 1\\ny = f(\\n    2)\\nz = 3\\n", 2)
    1
    >>> statement_cut("x = 1\\ny = f(\\n    2)\\nz = 3\\n", 3)
    3
    """
    try:
        tree = ast.parse(textwrap.dedent(code))
    except (SyntaxError, ValueError, RecursionError):
        return limit
    ends = [
        n.end_lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.stmt) and n.end_lineno is not None and n.end_lineno <= limit
    ]
    return max(ends, default=limit)


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
    first, steps = i, 0
    while secs[first].kind == "prose":
        lead = _lead(secs[first].text)
        continues = lead[:1].islower()
        pointed = first == i and not continues and points_back(secs[first].text)
        refers = first == i and (refers_back(secs[first].text) or pointed)
        # the paragraph brought in may itself open on a pronoun ("They didn't just “use
        # AI.”" before "Karpathy says this group ..."): one more step back names who
        refers = refers or (steps == 1 and bool(_PRONOUN_OPENER.match(lead)))
        if not continues and not refers:
            break
        j = first - 1
        while j >= 0 and secs[j].kind in ("output", "code") and continues:
            j -= 1
        while j >= 0 and secs[j].kind == "output":
            j -= 1
        if refers and j >= 0 and secs[j].kind == "code":
            return _code_and_introduction(secs, j, secs[i].heading_path)
        if j < 0 or secs[j].kind != "prose" or secs[j].heading_path != secs[i].heading_path:
            break
        if pointed and not refers_back(secs[first].text) and len(secs[j].text.split()) < 12:
            break  # "Not even close." is a line's punch, not what "this whole gap" names
        first, steps = j, steps + 1
    return first


def _code_and_introduction(secs: list[Section], j: int, heading: tuple[str, ...]) -> int:
    """Where a paragraph that refers back to the code before it ("The resulting array contains
    ...", "Of these, slicing ...") starts its thought: at that code, or at the paragraph that
    introduces the code ("... to compute the population density:"), under the same heading."""
    if secs[j].heading_path != heading:
        return j + 1
    first, cells = j, 1
    while first > 0 and secs[first - 1].kind in ("code", "output") and cells < MAX_REFERRED_CELLS:
        if secs[first - 1].heading_path != heading:
            break
        first -= 1
        cells += secs[first].kind == "code"
    while secs[first].kind == "output":
        first += 1
    k = first - 1
    if k >= 0 and secs[k].kind == "prose" and secs[k].heading_path == heading:
        if secs[k].text.rstrip().endswith(":"):
            return k
    return first


def _lead(text: str) -> str:
    return re.sub(r"^[\s>*_#\-]+", "", text)[:40]


def refers_back(text: str) -> bool:
    """Whether a paragraph opens by referring back ("This ...", "Of these, ...") or by
    setting itself against what came before ("..., however:", "The other ...")."""
    return bool(_REFERS_BACK.match(_lead(text))) or _contrasts(text)


def points_back(text: str) -> bool:
    """Whether a paragraph's first sentence points at something before it ("Karpathy says
    this group is experiencing ...", "In this way, you can ..."), a book's own parts aside
    ("in this chapter")."""
    first = re.split(r"(?<=[.!?])\s", re.sub(r"^[\s>*_#\-]+", "", text), maxsplit=1)[0]
    if first.rstrip().endswith(":"):
        return False  # "Consider these two frames:" points at what follows
    return bool(_DEMONSTRATIVE.search(first[:160]))


def _contrasts(text: str) -> bool:
    return bool(_CONTRASTS.match(re.sub(r"^[\s>*_#\-]+", "", text)[:120]))


def antecedent(secs: list[Section], i: int) -> int | None:
    """The paragraph a section's opening contrast is set against when it is in the section
    before ("### NaN: ..." opening "The other missing data sentinel, `NaN` is different" after
    "### None as a Sentinel Value"): the first paragraph of that sibling section, where its
    subject is stated; None when the opening refers to nothing outside its section."""
    if secs[i].kind != "prose" or not _contrasts(secs[i].text):
        return None
    heading = secs[i].heading_path
    if any(s.kind == "prose" and s.heading_path == heading for s in secs[:i]):
        return None  # not the section's opening: what it is set against is before it
    j = i - 1
    while j >= 0 and secs[j].heading_path == heading:
        j -= 1
    if j < 0 or not heading:
        return None
    sibling = secs[j].heading_path
    if len(sibling) != len(heading) or sibling[:-1] != heading[:-1]:
        return None
    first = next(
        (k for k in range(j + 1) if secs[k].heading_path == sibling and secs[k].kind == "prose"),
        None,
    )
    return first


def list_lead_in(secs: list[Section], i: int) -> int | None:
    """The paragraph that introduces the list section ``i`` is part of ("A good hash function
    has three properties:", "Here are the core contents of this podcast:"), under the same
    heading, before the list's first item; None when the section is no list item or the list
    has no lead-in. A point of a list is read with what the list is about."""
    if secs[i].kind != "prose" or not _LIST_ITEM.match(secs[i].text):
        return None
    heading = secs[i].heading_path
    j = i - 1
    while (
        j >= 0
        and secs[j].kind == "prose"
        and secs[j].heading_path == heading
        and _LIST_ITEM.match(secs[j].text)
    ):
        j -= 1
    if j < 0 or secs[j].kind != "prose" or secs[j].heading_path != heading:
        return None
    return j if secs[j].text.rstrip().endswith(":") else None
