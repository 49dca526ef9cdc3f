"""Code that shows a code concept at work: the lines that call it, and what the code's own
comments say about it, each with a note of where it is."""

from __future__ import annotations

import re
import textwrap

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons.blocks import _Block, _index_of, _Plan, _words
from teachback.ingest.lessons.code_flow import call_site, code_paragraph, where_built, where_read
from teachback.ingest.lessons.names import _about, _mentions

MAX_USES = 2
MAX_NAMED_LINES = 30  # a function named after a term, shown whole up to this length


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
            if found >= MAX_USES:
                return
            if not _calls_it(sec, short, forms):
                continue
            span = _call_line(doc, sec, call)
            if span is None:
                continue
            start, end = span
            sig = sec.signals
            where = sig.get("symbol", "").split(".", 1)[-1] or sig.get("symbol", "")
            name = doc.path.replace("\\", "/").rsplit("/", 1)[-1]
            language = doc.language or "python"
            line = doc.text[start:end].strip()
            if plan.add(_Block(doc.path, start, end, "code", line, language=language)):
                note = f"*(Used in `{where}`, `{name}`.)*"
                plan.add(_Block(doc.path, end, end, "note", note, cite=False))
                found += 1
    if found == 0:
        _script_call_site(plan, concept, documents, short)


def named_definition(plan: _Plan, documents: list[Document], names: list[str]) -> None:
    """The short function or method a term's lesson shows when the code names it after the
    term (``configure_optimizers`` for "optimizer", ``estimate_mfu`` for "MFU"): the code that
    does what the term names, with its comments, and where it is."""
    wanted = [n.replace(" ", "_").lower() for n in names if re.fullmatch(r"[\w ]+", n)]
    if not wanted:
        return
    for doc in documents:
        if doc.format != "code" or doc.language != "python":
            continue
        for sec in _index_of(doc).sections:
            sig = sec.signals
            span = sig.get("def_span")
            if not (span and sig.get("definition")) or sig.get("symbol_kind") not in (
                "function",
                "method",
            ):
                continue
            short = str(sig.get("symbol", "")).rsplit(".", 1)[-1].lower()
            if not any(re.search(rf"(?:^|_){re.escape(w)}s?(?:_|$)", short) for w in wanted):
                continue
            start, end = span
            line = doc.text.rfind("\n", 0, start) + 1
            code = textwrap.dedent(doc.text[line:end].rstrip("\n"))
            if code.count("\n") + 1 > MAX_NAMED_LINES:
                continue
            block = _Block(
                doc.path,
                line,
                line + len(doc.text[line:end].rstrip("\n")),
                "code",
                code,
                language="python",
            )
            if plan.add(block, force=True):
                plan.add(_Block(doc.path, end, end, "note", _where(doc, line), cite=False))
                return


def _script_call_site(
    plan: _Plan, concept: ConceptDraft, documents: list[Document], short: str
) -> None:
    """Where a script's top-level code calls a function concept, with the comment that says
    what for ("# determine and set the learning rate for this iteration" over ``lr =
    get_lr(iter_num) ...``): a function of a training script is used by its loop, not by
    another definition."""
    own = _own_span(concept, documents)
    for doc in documents:
        if doc.format != "code" or doc.language != "python":
            continue
        skip = (own[1], own[2]) if own and own[0] == doc.path else (0, 0)
        span = call_site(doc.text, short, skip)
        if span is None:
            continue
        start, end = span
        code = textwrap.dedent(doc.text[start:end]).strip("\n")
        if plan.add(_Block(doc.path, start, end, "code", code, language="python"), force=True):
            plan.add(_Block(doc.path, end, end, "note", _where(doc, start), cite=False))
        return


def _own_span(concept: ConceptDraft, documents: list[Document]) -> tuple[str, int, int] | None:
    """(path, start, end) of a code concept's own definition."""
    by_path = {d.path: d for d in documents}
    for ev in concept.evidence:
        doc = by_path.get(ev.source)
        if doc is None or ev.role != "code":
            continue
        for sec in _index_of(doc).sections:
            sig = sec.signals
            span = sig.get("def_span")
            if sig.get("symbol_kind") == "module" or not (span and sig.get("definition")):
                continue
            if span[0] <= ev.start < span[1]:
                return doc.path, span[0], span[1]
    return None


def _calls_it(sec: Section, short: str, forms: set[str]) -> bool:
    """Whether a definition other than the concept's own (not a module) calls ``short``."""
    sig = sec.signals
    if not sig.get("definition") or sig.get("symbol") in forms:
        return False
    if sig.get("symbol_kind") == "module":
        return False
    return short in {c.rsplit(".", 1)[-1] for c in sig.get("calls") or []}


def _call_line(doc: Document, sec: Section, call: re.Pattern) -> tuple[int, int] | None:
    """The span of the line in the definition that makes the call, when the call is whole on
    it (a call spread over lines: one line of it would not read)."""
    lo, hi = sec.signals.get("def_span") or (sec.start, sec.end)
    m = call.search(doc.text, lo, hi)
    if m is None:
        return None
    start = doc.text.rfind("\n", lo, m.start()) + 1
    end = doc.text.find("\n", m.end(), hi)
    end = hi if end < 0 else end
    line = doc.text[start:end]
    return (start, end) if line.count("(") == line.count(")") else None


MAX_COMMENTS = 2  # code comments about a code concept, shown with the lines they explain
COMMENT_WORDS = 5  # a comment this short ("# MLP blocks") is a label, not an explanation
COMMENTED_LINES = 4  # code lines shown after a comment, at most
MAX_BLOCK_LINES = 20  # ... or a block opener with its whole body, when it is this short
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
    """``(start, end, lines shown, lines that say it)`` of each comment that explains the
    concept: it names it (as a name, not inside another identifier) in ``COMMENT_WORDS`` words
    or more, or is the concept's name over the settings it labels. A run of comment lines
    comes with the code lines right after it (up to a blank line, a dedent or the next
    comment); a comment at the end of a line comes with the run of lines it is part of
    (``code_flow.code_paragraph``)."""
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
            text = " ".join(said)
            label = _is_label(text, names)
            if label:
                # "# adamw optimizer" over the settings it names: the whole run of them
                end = max(end, code_paragraph(lines, j, used=False)[1] + 1)
            end = _with_whole_block(lines, j, end)
            if (
                end > j  # comments alone are not code to show
                and (_words(text) >= COMMENT_WORDS or label)
                and _mentions(text, names, compounds=False)
            ):
                picked = lines[i:end]
                yield lines[i][0], lines[end - 1][0] + len(lines[end - 1][1]), picked, picked
            i = j
            continue
        t = _TRAILING.match(lines[i][1])
        said = t.group(1) if t else ""
        if _words(said) >= COMMENT_WORDS and _mentions(said, names, compounds=False):
            # the line with the steps around it ("pos_emb = ..." with "tok_emb + pos_emb")
            lo, hi = code_paragraph(lines, i)
            end = lines[hi][0] + len(lines[hi][1])
            yield lines[lo][0], end, lines[lo : hi + 1], lines[i : i + 1]
        i += 1


def _is_label(text: str, names: list[str]) -> bool:
    """Whether a comment is nothing but the concept's name ("# adamw optimizer")."""
    said = " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split())
    return said in names


def _with_whole_block(lines: list[tuple[int, str]], j: int, end: int) -> int:
    """Where the code shown after a comment ends (``j``: its first code line, ``end``: past
    the lines in view): a block whose body runs past them is shown whole when it opens right
    after the comment and is short ("for micro_step in ...:", the loop the comment explains);
    otherwise it is left out, with what follows it (an opener without its body reads cut off)."""
    k = j
    while k < end:
        if not lines[k][1].rstrip().endswith(":"):
            k += 1
            continue
        last = _body_end(lines, k)
        if last < end:
            k = last
            continue
        return last if k == j and last - j <= MAX_BLOCK_LINES and last > k + 1 else k
    return end


def _body_end(lines: list[tuple[int, str]], k: int) -> int:
    """Past the last line of the block opened at line ``k`` (its more indented lines)."""
    indent = len(lines[k][1]) - len(lines[k][1].lstrip())
    last = k + 1
    for m in range(k + 1, len(lines)):
        line = lines[m][1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip():
            last = m + 1
    return last


def _explaining_comments(
    plan: _Plan,
    concept: ConceptDraft,
    documents: list[Document],
    names: list[str],
    *,
    in_passing: bool = False,
) -> None:
    """What the code's own comments say about a concept elsewhere ("# True: bias in Linears
    and LayerNorms, like GPT-2"), each with the lines it explains: a class with no docstring,
    or a term the code's comments teach ("block size"), is explained in its authors' words. A
    comment that names a term in passing is taken only ``in_passing`` (when nothing else is)."""
    short = concept.name.rsplit(".", 1)[-1]
    if re.fullmatch(r"[A-Z][a-z]+", short):
        return  # one capitalised word ("Block"): in comments it is an everyday word
    found = 0
    for doc in documents:
        for lines in _code_lines(doc):
            for start, end, picked, said in _commented_snippets(lines, names):
                if found >= MAX_COMMENTS:
                    return
                if plan.has(doc.path, start, end):
                    # inside what the lesson already shows: where that code does its work
                    _work_sites_of_term(plan, concept, doc, said, (start, end))
                    continue
                if concept.kind != "code" and not (in_passing or _explains_term(said, names)):
                    continue
                code = textwrap.dedent("\n".join(line for _, line in picked)).strip("\n")
                block = _Block(doc.path, start, end, "code", code, language="python")
                if plan.add(block, force=True):
                    plan.add(_Block(doc.path, end, end, "note", _where(doc, start), cite=False))
                    found += 1
                    if doc.format == "code":
                        # what the lines that name the concept call or set
                        _work_sites(plan, doc, "\n".join(t for _, t in said), (start, end))


def _work_sites_of_term(plan: _Plan, concept: ConceptDraft, doc: Document, said, shown) -> None:
    """``_work_sites`` of a term's commented lines (a code concept's lesson shows its own)."""
    if doc.format == "code" and concept.kind != "code":
        _work_sites(plan, doc, "\n".join(t for _, t in said), shown)


def _work_sites(plan: _Plan, doc: Document, code: str, shown: tuple[int, int]) -> None:
    """Where the commented lines' work is done elsewhere in the file: the statement that
    builds an attribute they call, the branch that reads an attribute they set
    (``code_flow``)."""
    for start, end in where_built(doc.text, code, shown) + where_read(doc.text, code, shown):
        if plan.has(doc.path, start, end):
            continue
        text = textwrap.dedent(doc.text[start:end]).strip("\n")
        if plan.add(_Block(doc.path, start, end, "code", text, language="python"), force=True):
            plan.add(_Block(doc.path, end, end, "note", _where(doc, start), cite=False))


def _explains_term(picked: list[tuple[int, str]], names: list[str]) -> bool:
    """Whether commented lines are about a term: the code names it ("optimizer =
    torch.optim.AdamW(...)" under "# Create AdamW optimizer ...", ``block_size`` for "block
    size"), or the comment is about it, not naming it in passing ("# let the training loop
    settle a bit" above ``if local_iter_num >= 5``)."""
    code, said = [], []
    for _, line in picked:
        comment = _COMMENT.match(line)
        trailing = None if comment else _TRAILING.match(line)
        if comment:
            said.append(comment.group(2))
        elif trailing:
            said.append(trailing.group(1))
            code.append(line[: trailing.start(1)])
        else:
            code.append(line)
    spelled = names + [n.replace(" ", "_") for n in names if " " in n]
    joined = [n.replace(" ", "_") for n in names if " " in n]
    code_text = "\n".join(code)
    # "gradient_accumulation_steps" names gradient accumulation as "block_size" names block size
    in_code = _mentions(code_text, spelled, compounds=False) or _mentions(code_text, joined)
    return in_code or _about(" ".join(said), names, short_line=False)


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
