"""Edges from code comments: a term the code's comments teach inside one class or function is
ordered against that definition.

nanoGPT teaches "causal mask" and "flash attention" only in comments of ``CausalSelfAttention``
("# causal mask to ensure that attention is only applied to the left in the input sequence"),
and "position embedding" in comments of ``GPT`` ("pos_emb = self.transformer.wpe(pos) #
position embeddings of shape (t, n_embd)"). The prose never names them, so no sentence orders
them; the code does:

* a *part* the definition is built from or computes with (the causal mask it registers, the
  position embeddings it adds to the token embeddings) comes before it, as a class a class is
  composed of does ("Block -> GPT");
* an *option* it branches on (``self.flash = ...`` then ``if self.flash:``: flash attention is
  a faster way to compute the attention the class defines) comes after it.

Only terms the prose (outside code files) neither defines nor names, only definitions that
are code concepts (a class, a function; a module's comments are about everything the script
does), and only a term whose comments sit mostly in one of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, EdgeDraft

COMMENT_WEIGHT = 0.8
MIN_SHARE = 0.75  # of a term's comments that must sit in its owner
_COMMENT = re.compile(r"#[ \t]?([^\n]*)")
_SETS = re.compile(r"\s*self\.(\w+)\s*=[^=]")


def comment_edges(concepts: list[ConceptDraft], documents: list[Document]) -> list[EdgeDraft]:
    """Owner -> term for each term taught only by comments, mostly inside one code concept."""
    code_docs = {d.path: d for d in documents if d.format == "code" and d.language == "python"}
    if not code_docs:
        return []  # no comments to read (and no term patterns to try on every section)
    terms = {
        i: _pattern(c)
        for i, c in enumerate(concepts)
        if c.kind == "term" and _code_taught(c, code_docs)
    }
    _drop_prose_taught(terms, documents)
    if not terms:
        return []
    owners = _code_owners(concepts)
    found: dict[int, Counter] = defaultdict(Counter)
    options: set[int] = set()
    for doc in code_docs.values():
        for said, symbol, line in _comments(doc):
            owner = _owner(symbol, owners)
            for t, pattern in terms.items():
                if pattern.search(said):
                    found[t][owner] += 1
                    if _branched_on(line, doc.text):
                        options.add(t)
    edges = []
    for t, counts in found.items():
        owner, n = counts.most_common(1)[0]
        if owner is None or n < MIN_SHARE * sum(counts.values()):
            continue
        edges.append(_edge(concepts[t].name, owner, option=t in options))
    return edges


def _edge(term: str, owner: str, *, option: bool) -> EdgeDraft:
    if option:
        a, b = owner, term
        reason = f'"{term}" is an option {owner}\'s code branches on (its comments explain it)'
    else:
        a, b = term, owner
        reason = f'{owner}\'s code is built with "{term}" (its comments explain it)'
    return EdgeDraft(
        prerequisite=a, concept=b, kind="prerequisite", weight=COMMENT_WEIGHT, reason=reason
    )


def _branched_on(line: str, text: str) -> bool:
    """Whether the line a comment explains sets an attribute the code then tests
    (``self.flash = hasattr(...)``, ``if self.flash:``)."""
    m = _SETS.match(line)
    return (
        m is not None
        and re.search(rf"\b(?:if|elif|while)\s+(?:not\s+)?self\.{m.group(1)}\b", text) is not None
    )


def _drop_prose_taught(terms: dict[int, re.Pattern], documents: list[Document]) -> None:
    """Leave out the terms the material's prose names: what the prose says orders them
    ("flops" in a README paragraph on MFU), not where a comment happens to use the word."""
    for doc in documents:
        if doc.format == "code":
            continue
        for sec in doc.sections:
            if sec.kind not in ("prose", "heading", "docstring"):
                continue
            for t in [t for t, pattern in terms.items() if pattern.search(sec.text)]:
                del terms[t]


def _code_taught(c: ConceptDraft, code_docs: dict[str, Document]) -> bool:
    """Whether the concept's definition, if any, comes from code (no prose defines it)."""
    return not any(ev.role == "definition" and ev.source not in code_docs for ev in c.evidence)


def _pattern(c: ConceptDraft) -> re.Pattern:
    forms = sorted({f.lower() for f in (c.name, *c.aliases) if len(f) > 1}, key=len, reverse=True)
    alt = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w-])(?:{alt})s?(?![\w-])", re.I)


def _code_owners(concepts: list[ConceptDraft]) -> dict[str, str]:
    """Qualified symbol (and each alias) -> code concept name, for classes and functions."""
    out: dict[str, str] = {}
    for c in concepts:
        if c.kind != "code":
            continue
        for form in (c.name, *c.aliases):
            out.setdefault(form, c.name)
    return out


def _owner(symbol: str, owners: dict[str, str]) -> str | None:
    """The innermost code concept a symbol is, or is defined inside (a method's class); None
    for a module's own code."""
    parts = symbol.split(".")
    while len(parts) > 1:
        name = owners.get(".".join(parts))
        if name is not None:
            return name
        parts = parts[:-1]
    return None


def _comments(doc: Document):
    """(comment text, symbol it sits in, the code line it explains) for the comments of a
    code document: comment sections (with the first line of the code after them), and the
    comments at the ends of code lines (with their line)."""
    sections = doc.sections
    for k, sec in enumerate(sections):
        symbol = str(sec.signals.get("symbol", ""))
        if sec.kind == "comment":
            after = sections[k + 1] if k + 1 < len(sections) else None
            line = (
                after.text.split("\n", 1)[0] if after is not None and after.kind == "code" else ""
            )
            yield " ".join(_COMMENT.findall(sec.text)) or sec.text, symbol, line
        elif sec.kind == "code":
            for start, end in sec.signals.get("comments") or []:
                line_start = doc.text.rfind("\n", 0, start) + 1
                said = doc.text[start:end].lstrip("#").strip()
                yield said, _symbol_at(doc, start, symbol), doc.text[line_start:start]


def _symbol_at(doc: Document, offset: int, default: str) -> str:
    """The innermost definition's symbol holding ``offset`` (a code section's comment may sit
    in a method the section's own symbol encloses)."""
    best, size = default, None
    for sec in doc.sections:
        span = sec.signals.get("def_span")
        if not span or not sec.signals.get("definition") or not span[0] <= offset < span[1]:
            continue
        if sec.signals.get("symbol_kind") == "module":
            continue
        if size is None or span[1] - span[0] < size:
            best, size = str(sec.signals.get("symbol", "")), span[1] - span[0]
    return best
