"""The concept list: admitted concepts ranked by importance, cut to the batch's size, and
written as ``ConceptDraft`` with a name, aliases, a definition and evidence spans."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from teachback.core.text import fold
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.concepts.admission import STRONG_MARKS, admitted
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.class_summary import class_summary
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.definitions import (
    apposition_in_other_definition,
    appositive_start,
    defines,
    definitional_terms,
    gloss_before,
    relative_gloss,
)
from teachback.ingest.concepts.distinct_names import distinct_names, symbol
from teachback.ingest.concepts.lexicon import lemma_lexicon
from teachback.ingest.concepts.settings import (
    API_WORD_ZIPF,
    CONCEPTS_PER_GROUP,
    EMPHASIS_DEFINITION,
    MAX_CONCEPTS,
    MAX_MENTIONS,
)
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import singular_phrase

MAX_ALIASES = 12
MAX_DEFINITION = 500  # characters


def results(batch: Batch) -> list[ConceptDraft]:
    """The admitted concepts, the most important first up to the batch's size, in order of
    first appearance."""
    picked = [
        c for c in batch.concepts.values() if admitted(batch, c) and not _api_in_passing(batch, c)
    ]
    if not picked:
        return []
    importance = _importance(picked)
    picked.sort(key=lambda c: (-importance[c.key], c.first_seen))
    picked = picked[: min(MAX_CONCEPTS, max(50, CONCEPTS_PER_GROUP * batch.n_groups))]
    picked.sort(key=lambda c: c.first_seen)
    names = distinct_names(batch, picked)
    return [draft(batch, c, importance[c.key], names[c.key]) for c in picked]


def _api_in_passing(batch: Batch, c: Concept) -> bool:
    """An API whose only mark is that the code calls it and the prose names it, with no
    sentence saying what it does, named only in a table ("| `-` | `sub`, `subtract` |") or
    once, by a name that is an everyday word: a tool used on the way ("... we can drop if
    desired: for example, by using the `DataFrame.drop()` method", "calling
    `model.parameters()` exactly matches the above number"). Its concept would be the word
    ("drop", "parameter", "subtraction"), with nothing to teach about it."""
    if c.kind != "term" or c.taught & STRONG_MARKS != {"api"} or c.definition is not None:
        return False
    if " " in c.key:
        return False
    forms = {f.lower() for f in (c.key, *c.surfaces, *c.short_forms) if f.strip()}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    # `pd.merge`, `merge()`, `--compile=False` (a setting the command line gives)
    span = re.compile(rf"`(?:[\w.]+\.|--)?(?:{alternatives})s?(?:\(\)|=[^`\n]*)?`", re.I)
    in_sentences = 0
    for d, text in zip(batch.documents, batch.norm, strict=True):
        if d.format != "code":
            in_sentences += sum(
                not _TABLE_LINE.match(text, text.rfind("\n", 0, m.start()) + 1)
                for m in span.finditer(text)
            )
    everyday = max(zipf(f) for f in forms) >= API_WORD_ZIPF
    if in_sentences > 1 or (in_sentences == 1 and not everyday):
        return False
    return _sentence_saying_what(batch, c, sorted(forms)) is None


_TABLE_LINE = re.compile(r"[ \t]*\|")


def _importance(picked: list[Concept]) -> dict[str, float]:
    """Terms: best score, spread over groups and documents, and a definition, scaled to
    [0.1, 1]; code symbols keep the importance their kind and callers gave them."""
    raw: dict[str, float] = {}
    for c in picked:
        if c.kind == "code":
            continue
        raw[c.key] = (
            c.best
            + 0.8 * math.log1p(c.groups)
            + 0.5 * math.log1p(len(c.docs) - 1)
            + (0.7 if c.definition else 0.0)
        )
    lo = min(raw.values(), default=0.0)
    hi = max(raw.values(), default=1.0)
    span = (hi - lo) or 1.0
    importance = {k: round(0.1 + 0.9 * (v - lo) / span, 4) for k, v in raw.items()}
    for c in picked:
        if c.kind == "code":
            importance[c.key] = round(c.fixed_importance or 0.5, 4)
    return importance


def draft(batch: Batch, c: Concept, importance: float, name: str) -> ConceptDraft:
    """The concept as the store keeps it, named ``name`` (``distinct_names``)."""
    names = [n.lower() for n in (name, *c.surfaces, *c.short_forms) if n.strip()]
    evidence = _evidence(batch, c)
    definition = _stated_definition(batch, c, names, evidence)
    if not definition and c.kind == "code" and c.symbol_kind == "class" and c.code:
        # No docstring or comment: what its code shows it is made of.
        di, a, _ = c.code[0]
        definition = class_summary(batch.documents[di].text[a:])
    if not definition and c.kind == "term":
        definition = _found_definition(batch, c, name, names, evidence)
    if definition and evidence and c.kind == "term":
        # (a docstring's "It" is the function or class it documents)
        definition = _tidy(_with_antecedent(batch, evidence[0], definition), names)
    return ConceptDraft(
        name=name,
        aliases=_aliases(c, name, batch.short_of.get(c.key, ""), symbol(c))[:MAX_ALIASES],
        definition=_unlisted(definition)[:MAX_DEFINITION],
        importance=max(0.0, min(1.0, importance)),
        kind="code" if c.kind == "code" else "term",
        evidence=evidence,
        first_seen=c.first_seen if c.first_seen[0] < (1 << 30) else (0, 0),
    )


# A list item whose subject is a bare pronoun ("- It spreads keys **uniformly** ..."): the
# thing it speaks of is the subject of the line that introduces the list ("A good hash
# function has three properties:").
_PRONOUN_SUBJECT = re.compile(r"(?:[-*+]|\d{1,2}[.)])?\s*(?P<pronoun>It|They)\s+(?=[a-z])")
_LEAD_IN_SUBJECT = re.compile(
    r"(?P<subject>(?:An?|The|Every|Each|Any)\s+[\w\-]+(?:\s+[\w\-]+){0,4}?)\s+"
    r"(?:has|have|is|are|must|should|needs?|does|do)\b[^\n]*:[ \t]*$"
)
_ITEM_OPENING = re.compile(r"^[ \t]*(?:[-*+]|\d{1,2}[.)])[ \t]+", re.M)


def _with_antecedent(batch: Batch, first: Evidence, definition: str) -> str:
    """A definition whose subject is a bare "It"/"They" does not read on its own: in a list
    item, the pronoun stands for the subject of the line that introduces the list, which takes
    its place ("It spreads keys ..." under "A good hash function has three properties:" reads
    "A good hash function spreads keys ..."); anywhere else it has no definition.

    A definition that opens any other way is returned as it is."""
    m = _PRONOUN_SUBJECT.match(definition)
    if m is None:
        return definition
    di = next((i for i, d in enumerate(batch.documents) if d.path == first.source), None)
    subject = None if di is None else _list_subject(batch.documents[di].text, first.start)
    if subject is None:
        return ""
    return subject + " " + definition[m.end() :]


def _list_subject(text: str, at: int) -> str | None:
    """The subject of the line introducing the list whose item holds ``at``, or None when
    ``at`` is not in a list item or the introducing line names no subject."""
    line_start = text.rfind("\n", 0, at) + 1
    # Only items after the last blank line before ``at`` can be its list's (an item opening
    # holds no line break): reading from the top of the text for every definition was
    # quadratic in a long one.
    since = max(text.rfind("\n\n", 0, at), 0)
    items = list(_ITEM_OPENING.finditer(text, since, at + 1))
    if not items or text.count("\n\n", items[-1].start(), at) or items[-1].start() > line_start:
        return None  # (a list item's continuation lines count as the item)
    # back over the list's items (no blank line between them) to the line before it
    first = items[-1]
    for prev in reversed(items[:-1]):
        if text[prev.end() : first.start()].count("\n\n"):
            break
        first = prev
    end = first.start()
    while end > 0 and text[end - 1].isspace():
        end -= 1
    lead = text[text.rfind("\n", 0, end) + 1 : end].strip()
    m = _LEAD_IN_SUBJECT.match(lead)
    return m.group("subject") if m else None


_NON_SPACE = re.compile(r"\S")


def _next_non_space(text: str, at: int) -> int:
    """Where the text after ``at`` resumes past white space (``len(text)`` if it does not),
    found without copying the rest of a document that may be megabytes long."""
    found = _NON_SPACE.search(text, at)
    return found.start() if found else len(text)


# The end of a definition that points ahead ("..., which we'll discuss in more detail
# momentarily:") or opens onto the code after it ("... from a single `Series`:").
_POINTS_AHEAD = re.compile(
    r",?\s+(?:which|as|and)\s+(?:we|I)(?:'ll|\u2019ll|\s+will)\s+[^.;:]*[:.]?\s*$"
)
# "A dictionary is a structure that maps ..., and a `Series` is a structure that ...": a
# second clause about another named thing, set in code or emphasis.
_OTHER_CLAUSE = re.compile(
    r",\s+and\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,2}?(?P<mark>`|\*\*|\*|_)[^`*_\n]{1,40}(?P=mark)"
    r"\s+(?:is|are|can|will|has|have)\b[^.;:]*[.:]?\s*$"
)


def _tidy(definition: str, names: list[str]) -> str:
    """A one-sentence definition without what does not define the term: a clause pointing
    ahead, a second clause about another named thing, and the colon that opened onto code
    ("A `DataFrame` is a collection of `Series` objects, and a single-column `DataFrame` can
    be constructed from a single `Series`:" -> "A `DataFrame` is a collection of `Series`
    objects.")."""
    if not definition or _SENTENCE_END.search(definition):
        return definition  # (several sentences, or a list: said as the material says it)
    tidy = _POINTS_AHEAD.sub("", definition)
    other = _OTHER_CLAUSE.search(tidy)
    if other is not None:
        first = tidy[: other.start()].lower()
        if any(n and n in first for n in names) and not any(
            n and n in other.group().lower() for n in names
        ):
            tidy = tidy[: other.start()]
    tidy = tidy.rstrip()
    if tidy.endswith(":"):
        tidy = tidy[:-1].rstrip() + "."
    elif tidy != definition.rstrip() and not tidy.endswith((".", "!", "?")):
        tidy += "."
    return tidy


_LIST_MARK = re.compile(r"^(?:[-*+]|\d{1,2}[.)])\s+")
_NEXT_ITEM = re.compile(r"[.:;]\s+(?:[-*+]|\d{1,2}[.)])\s")


def _unlisted(definition: str) -> str:
    """One list item's mark is not part of what it says ("- **Rehashing**: recomputing
    ..."); a list of several items keeps its marks (the steps of split-apply-combine)."""
    if _NEXT_ITEM.search(definition):
        return definition
    return _LIST_MARK.sub("", definition, count=1)


def _stated_definition(batch: Batch, c: Concept, names: list[str], evidence: list[Evidence]) -> str:
    """The definition from the defining span the concept was found with (``evidence[0]``,
    replaced when the definition is another span), or "" when that span does not define it."""
    if c.definition is None:
        return ""
    if c.code_definition:
        return c.code_definition
    definition = " ".join(evidence[0].quote.split())
    # A sentence that only sets the term in emphasis is its definition when it says what the
    # term is or does; "feel free to stop by **#nanoGPT** on Discord" does not.
    if -c.definition[0] <= EMPHASIS_DEFINITION and not says_what(definition, names):
        taken_up = _taken_up(batch, c, names)
        if taken_up is None:
            evidence[0] = evidence[0].model_copy(update={"role": "mention"})
            return ""
        evidence[0] = batch.evidence(*taken_up, "definition")
        return " ".join(evidence[0].quote.split())
    explained = _explained_next(batch, c, definition, names)
    if explained is not None:
        evidence[0] = batch.evidence(*explained, "definition")
        return " ".join(evidence[0].quote.split())
    if _reported_name_only(definition, names):
        evidence[0] = evidence[0].model_copy(update={"role": "mention"})
        return ""
    # Glossed in passing in a sentence about something else: the gloss is what it is.
    relative = relative_gloss(definition, names)
    if relative is not None:
        return definition[relative[0] : relative[1]]
    start = appositive_start(definition, names)
    if start is not None:
        return definition[start:]
    gloss = gloss_before(definition, names)
    return definition if gloss is None else definition[gloss[0] : gloss[1]]


def _found_definition(
    batch: Batch, c: Concept, name: str, names: list[str], evidence: list[Evidence]
) -> str:
    """A term with no defining sentence: the list of its steps for a process named by them;
    a sentence of its evidence that says what it is or does, or opens the section only its
    heading names it in ("Index Alignment in Series": "For binary operations ..., Pandas will
    align indices ..."); else the first sentence of the material that says what it is. A
    passage found outside the evidence is cited first. Otherwise the concept has no
    definition, which the pages say plainly."""
    found = _steps_passage(batch, c, name)
    if found is None:
        opening = _section_opening(batch, c)
        for e in evidence:
            if e.role != "mention" or _reported_name_only(e.quote, names):
                continue
            if says_what(e.quote, names) or e.start == opening:
                return _own_part(" ".join(e.quote.split()), names)
        found = _sentence_saying_what(batch, c, names)
    if found is None:
        found = _comment_saying_what(batch, c, names)
    if found is None:
        return ""
    evidence.insert(0, batch.evidence(*found, "definition"))
    return _own_part(" ".join(evidence[0].quote.split()), names)


def _own_part(sentence: str, names: list[str]) -> str:
    """The part of a sentence defining another term that glosses this one ("a key, which
    names the item" of the key-value pair's definition), else the sentence."""
    part = apposition_in_other_definition(sentence, names)
    return sentence if part is None else sentence[part[0] : part[1]]


def _taken_up(batch: Batch, c: Concept, names: list[str]) -> tuple[int, int, int] | None:
    """The sentence that sets ``c`` in emphasis and the next one, when the next takes it up
    by a pronoun and its head words and says what it does: "Every table picks a **maximum
    load factor**; ... When an insert would push the load factor past it, the table is
    resized." ``(doc, start, end)`` of both, or None."""
    _, di, a, b = c.definition
    text = batch.documents[di].text
    start = _next_non_space(text, b)
    if start >= len(text) or "\n\n" in text[b:start]:
        return None  # a paragraph or section ends here
    na, nb = batch.sentence_around(di, start, start + 1)
    following = fold(text[na:nb]).lower()
    heads = {" ".join(n.split()[1:]) for n in names if " " in n}
    if na != start or not re.search(r"\b(?:it|them)\b", following):
        return None
    if any(h and re.search(rf"\b{re.escape(h)}\b", following) for h in heads):
        return di, a, nb
    return None


# A sentence that only gives the name ("AI researchers have a term for it: jagged frontier.",
# "... is what we call X.") ends on it; the next sentence says what it is when it opens by
# taking it up ("It means AI capabilities aren't advancing as a smooth line ...").
_NAME_LAST = r"(?:[:\u2014]|\b(?:called|calls?|call\s+(?:it|this|that)|named|termed|known\s+as))"
_MEANS = re.compile(
    r"(?:it|this|that|the\s+term|the\s+name)\s+(?:means|refers\s+to|describes|stands\s+for)\s",
    re.I,
)


def _explained_next(
    batch: Batch, c: Concept, definition: str, names: list[str]
) -> tuple[int, int, int] | None:
    """The naming sentence and the next one, when the defining sentence only names the term
    and the next says what it means. ``(doc, start, end)`` or None."""
    _, di, a, b = c.definition
    text = batch.documents[di].text
    start = _next_non_space(text, b)
    # the tests that need no pattern of the names first: most definitions fail them
    if start >= len(text) or "\n\n" in text[b:start] or not _MEANS.match(text, start):
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    ends_on_name = re.compile(
        rf"{_NAME_LAST}\s*[\"'*_`\u201c]*(?:{alternatives})s?[\"'*_`\u201d]*[.!]?[\"'\u201d]*$",
        re.I,
    )
    if not ends_on_name.search(fold(definition).strip()):
        return None
    _, nb = batch.sentence_around(di, start, start + 1)
    return (di, a, nb) if nb > start else None


_WHAT_CALLS = re.compile(r"\bwhat\s+[\w']+\s+calls?\s", re.I)


def _reported_name_only(definition: str, names: list[str]) -> bool:
    """The sentence ends on the name someone gives a thing ("Karpathy says this group is
    experiencing what he calls “AI Psychosis.”") and nothing after it says what it means:
    it says who names it, not what it is."""
    sentence = fold(definition).strip()
    if not _WHAT_CALLS.search(sentence):  # the names' own pattern needs this: most lack it
        return False
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return bool(
        re.search(
            rf"\bwhat\s+[\w']+\s+calls?\s+[\"'*_`\u201c]*(?:{alternatives})s?[\"'*_`\u201d]*"
            r"[.!]?[\"'\u201d]*$",
            sentence,
            re.I,
        )
    )


MAX_DOCS_SEARCHED = 5  # documents that use the term, in order, searched for a sentence
MAX_SENTENCES_READ = 40  # sentences that use the term, read before giving up


def _sentence_saying_what(batch: Batch, c: Concept, names: list[str]) -> tuple[int, int, int]:
    """The first sentence of the material that says what ``c`` is or does, when the sentences
    kept as its evidence do not: the teaching sentence may sit where another concept was
    chosen ("The opposite of `unstack` is `stack`, which ..." under ``unstack``). A sentence
    defining a longer term that ends in the name ("the one-to-one join" for "join") is that
    term's. ``(doc, start, end)`` or None."""
    # a phrase is also written as the keyword that spells it (`fill_value` for "fill value")
    names = names + [n.replace(" ", "_") for n in names if " " in n]
    forms = sorted({n for n in names if len(n) > 2}, key=len, reverse=True)
    if not forms:
        return None
    # A name inside a code name counts (`DataFrame.join()`), inside a longer word not.
    alternatives = "|".join(map(re.escape, forms))
    pattern = re.compile(rf"(?<![\w\-])(?:{alternatives})s?(?![\w\-])")
    read = 0
    for di in sorted(c.docs)[:MAX_DOCS_SEARCHED]:
        low = batch.lowered(di)
        for section in batch.documents[di].sections:
            if section.kind != "prose":
                continue  # code, outputs and comments: a string or a label, not a sentence
            last = -1
            for m in pattern.finditer(low, section.start, section.end):
                if m.start() < last:
                    continue
                a, b = batch.sentence_around(di, m.start(), m.end())
                a, b = max(a, section.start), min(b, section.end)
                last, read = b, read + 1
                quote = batch.documents[di].text[a:b]
                if _CONTRAST.match(quote):
                    continue  # "While R has 4 types, NumPy supports far more": a comparison
                if (
                    says_what(quote, names)
                    and not _defines_longer(quote, names)
                    and not _reported_name_only(quote, names)
                ):
                    return di, a, b
                if read >= MAX_SENTENCES_READ:
                    return None
    return None


# What a code comment says a term is for, where no prose sentence does:
# "gradient_accumulation_steps = 5 * 8  # used to simulate larger batch sizes" (a name that
# spells the term, assigned on the line), "# efficient attention using Flash Attention CUDA
# kernels" (what the block does by it), "estimate model flops utilization (MFU) in units of
# A100 bfloat16 peak FLOPS" (a one-line docstring or comment spelling out an abbreviation).
_ASSIGNED_FOR = re.compile(
    r"^[ \t]*(?:self\.)?(?P<name>[A-Za-z_]\w*)[ \t]*=[^#\n]*#[ \t]*"
    r"(?P<says>used[ \t]+(?:to|for)[ \t][^\n]*[^\s.])",
    re.M,
)
_DONE_BY = (
    r"#[ \t]*(?P<says>[a-z]+(?:[ \t][a-z]+){{0,3}}[ \t]+(?:using|via|with)[ \t]+{t}\b"
    r"[^\n]*[^\s.])"
)
_SPELLED_OUT = (
    r"(?:#|\"\"\"|''')[ \t]*(?P<says>[^\n]*?\b{t}[ \t]+\({a}\)[^\n]*?)[ \t]*(?:\"\"\"|'''|$)"
)


def _comment_saying_what(batch: Batch, c: Concept, names: list[str]) -> tuple[int, int, int] | None:
    """A comment or one-line docstring of the material's code that says what ``c`` is for,
    when no sentence of its prose does. ``(doc, start, end)`` of what the comment says, or
    None."""
    if not any(d.format in ("code", "notebook") for d in batch.documents):
        return None  # (no code to read: no pattern to compile)
    said = _setting_saying_what(batch, names)
    if said is not None:
        return said
    phrases = {n for n in names if " " in n} | ({c.key} if " " in c.key else set())
    if not phrases:
        return None
    # Each word of the term as written or as its stem ("model flop util" is "model flops
    # utilization"), in prose and in a name ("gradient_accumulation_steps").
    spelled = [r"[ \t]+".join(re.escape(w) + r"\w*" for w in p.split()) for p in phrases]
    term = "(?:" + "|".join(sorted(spelled, key=len, reverse=True)) + ")"
    ident = re.compile(
        "(?:" + "|".join(p.replace(r"[ \t]+", "_") for p in spelled) + r")(?:_\w*)?$"
    )
    patterns = [re.compile(_DONE_BY.format(t=term), re.I | re.M)]
    short = batch.short_of.get(c.key, "")
    if short:
        patterns.append(re.compile(_SPELLED_OUT.format(t=term, a=re.escape(short)), re.I | re.M))
    lines = batch.comment_lines
    for di, off, line in lines:
        m = _ASSIGNED_FOR.match(line)
        if m is not None and ident.match(m.group("name").lower()):
            return di, off + m.start("says"), off + m.end("says")
    for pattern in patterns:
        for di, off, line in lines:
            m = pattern.search(line)
            if m is not None:
                return di, off + m.start("says"), off + m.end("says")
    return None


# A setting assigned with a comment that says what it does: "compile = True # use PyTorch
# 2.0 to compile the model to be faster". A comment giving advice ("# for pretraining 0 is
# good"), a condition ("# if ... > 1, this is ...") or a question is not what it is.
_SETTING = re.compile(
    r"^[ \t]*(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n#]*)?=[^#\n]*#[ \t]*"
    r"(?P<says>[a-z][^\n]*[^\s.?])[ \t]*$",
    re.M,
)
MIN_SETTING_WORDS = 4


def _setting_saying_what(batch: Batch, names: list[str]) -> tuple[int, int, int] | None:
    """The comment on the line that assigns the setting spelled like one of ``names``
    (``compile``, ``batch_size`` for "batch size"), when it opens with a verb saying what the
    setting does. ``(doc, start, end)`` of the comment, or None."""
    spelled = {n.replace(" ", "_").replace("-", "_") for n in names if n.strip()}
    lemmas = lemma_lexicon()
    for di, off, line in batch.comment_lines:
        m = _SETTING.match(line)
        if m is None or m.group("name").lower() not in spelled:
            continue
        says = m.group("says")
        first = says.split()[0]
        if len(says.split()) < MIN_SETTING_WORDS or lemmas is None:
            continue
        if first.isalpha() and "VERB" in lemmas(first) and first not in _NOT_SAYING:
            return di, off + m.start("says"), off + m.end("says")
    return None


# Verbs that open a comment about the setting's value or its doubts, not what it does.
_NOT_SAYING = frozenset("do does is are be should must can could may might will would".split())


_CONTRAST = re.compile(r"\W*(?:while|whereas|although|though|unlike|like)\b", re.I)


def _steps_passage(batch: Batch, c: Concept, name: str) -> tuple[int, int, int] | None:
    """A process named by its steps ("split-apply-combine") is defined by the list that says
    what each step does, in order ("- The *split* step involves breaking up ...", "- The
    *apply* step ...", "- The *combine* step ..."). ``(doc, start, end)`` or None."""
    steps = name.lower().split("-")
    if len(steps) < 3 or not all(step.isalpha() for step in steps):
        return None
    items = [
        re.compile(rf"^[ \t]*(?:[-*+]|\d{{1,2}}[.)])[ \t]+[^\n]*\b{step}\b[^\n]*", re.M)
        for step in steps
    ]
    for di in sorted(c.docs)[:MAX_DOCS_SEARCHED]:
        low = batch.lowered(di)
        for first in items[0].finditer(low):
            found = [first]
            for item in items[1:]:
                m = item.search(low, found[-1].end())
                if m is None or low[found[-1].end() : m.start()].strip():
                    break  # not the next item of the same list
                found.append(m)
            if len(found) == len(items):
                a = first.start() + len(first.group()) - len(first.group().lstrip())
                return di, a, found[-1].end()
    return None


def _defines_longer(sentence: str, names: list[str]) -> bool:
    wanted = set(names)
    return any(
        t.lower() not in wanted and any(t.lower().endswith(" " + n) for n in wanted)
        for t, _ in definitional_terms(sentence)
    )


def _section_opening(batch: Batch, c: Concept) -> int | None:
    """Where the sentence opening the section that only its heading names ``c`` starts (the
    fallback ``prose`` records), when that is prose and ``c`` has no other mention."""
    if c.mentions or c.fallback is None:
        return None
    di, a, b = c.fallback
    text = batch.documents[di].text[a:b].lstrip()
    if text.startswith(("#", "|", '"""', "'''")) or _ANNOUNCES.match(text):
        return None
    if len(text.split()) < MIN_OPENING_WORDS:
        return None  # "Same office.": a scene set in two words, not what the section teaches
    return a


MIN_OPENING_WORDS = 5


# A sentence announcing what comes ("Let's start by considering ...") says nothing yet.
_ANNOUNCES = re.compile(r"(?:let's|let us|we'll|we will|now|here)\b", re.I)


# A sentence that says what a term is or does, beyond a defining sentence
# (``definitions.defines``). ``{t}`` stands for the term (any of its names, a plural "s"
# allowed), ``{m}`` for the term set in emphasis or code.
_KINDS = "attribute|method|function|object|step|operation|class|strategy"
# A verb in the present ("allows"), not a plural noun naming what the term is ("methods").
_PRESENT = (
    rf"(?P<verb>(?!(?:is|was|has|this|its|thus|plus|less|as|us|(?:{_KINDS})e?s)\b)"
    r"[a-z]{2,}s)\b"
    # a plural noun before a verb ("Many-to-many joins may be ...", "The segmentation results
    # obtained ...") is no verb itself
    r"(?!\s+(?:may|might|can|could|will|would|should|must|are|were|do|have|[a-z]+ed)\b)"
)
_LEAD = r"^(?:[^,]{0,40},\s+)?(?:(?:the|an?)\s+)?"  # "First, the ..."
_KIND = rf"(?:\s+(?:{_KINDS})s?)?"
_MARK = r"(\*\*|__|\*|_|`+)"
# Where a sentence ends, also before one that opens with emphasis ("... numbers. **Direct").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[*_`\"'(\[]*[A-Z0-9])")
# A predicate that relates the term to something the sentence does not name ("... provides the
# opposite operation:") says what it is only beside the sentence before it.
_UNNAMED_RELATIVE = re.compile(
    r"\b(?:the|a|an)\s+(?:opposite|reverse|inverse|converse|same|similar)\s+[a-z]+\s*[:.]?\s*$",
    re.I,
)
_SAYS_WHAT = [
    # the subject of a verb in the present: "The `iloc` attribute allows ...", "**Quadratic
    # probing** tries ..."
    _LEAD + r"{t}" + _KIND + r"\s+" + _PRESENT,
    r"{m}" + _KIND + r"\s+" + _PRESENT,
    # what it can do: "While aggregation must return a reduced version of the data,
    # transformation can return ...", "The `aggregate` method can take a string, ..."
    r"^(?:(?:while|whereas|although)\s[^,]{0,80},\s+)?"
    + _LEAD[1:]
    + r"{t}"
    + _KIND
    + r"\s+(?:can|will)\s+(?:[a-z]+ly\s+)?(?!be\b)[a-z]{3,}",
    # what it is made for: "A cryptographic hash is designed so that nobody can find ..."
    _LEAD + r"{t}" + _KIND + r"\s+(?:is|are)\s+(?:designed|meant|built|used)\s+"
    r"(?:to|so that|for)\s",
    # a kind glossed by a clause after its examples: "computing aggregations like `sum`, `mean`
    # and `max`, in which a single number summarizes ..."
    r"\b{t}\s+(?:like|such as)\s[^.;:]{1,80}?,\s+(?:in which|whereby)\s(?!case\b)",
    # compared with what the reader knows: "Finetuning is no different than training, ..."
    _LEAD + r"{t}\s+(?:is|are)\s+(?:no different (?:than|from)|like|similar to)\s",
    # glossed after its emphasis: "**hashable**: it has ...", "a **collision resolution**
    # strategy: a rule ...", "*levels* of indexing--in this case, ...", "*partial indexing*,
    # or indexing just ...", "a *mask* that indicates ..."
    r"{m}(?:\s+[a-z]+){0,2}\s*(?::|\u2014|--|-(?=[a-z]+\s)|\(|"
    r",\s+(?:the|an?|or|which|that is|i\.e\.)\s)\s*\S",
    r"{m}\s+(?:that|which)\s+(?:[a-z]+ly\s+)?" + _PRESENT,
    # what a value is given for: "pass any desired `fill_value` to be used in place of
    # missing entries"
    r"{m}\s+(?:to\s+be\s+)?used\s+(?:in\s+place\s+of|instead\s+of|as|for)\s+\S",
    # the subject set in emphasis, then what it is for a case: "The **amortized cost** of an
    # insert into a doubling hash table is constant, ..."
    _LEAD + r"{m}\s+of\s+[^,.;:]{3,60}?\s+(?:is|are)\s+(?!(?:called|known|named)\b)[a-z]{3,}",
    # a code name, perhaps qualified and called, then a clause saying what it does: "the
    # `DataFrame.join()` method, which performs an index-based merge"
    r"{q}" + _KIND + r",\s+which\s+(?:[a-z]+ly\s+)?" + _PRESENT,
    # named at the end of what describes it: "... is the key's **probe sequence**", "...
    # known as *extrasolar planets*"
    r"\b(?:is|are|called|known as|termed)\s+(?:an?\s+|the\s+)?(?:[\w\-]+'s\s+)?{m}"
    r"\s*(?:[.;:!?()]|,\s+(?:or|which)\s|$)",
    # a demonstrative names what the sentence before described: "... assigning this new
    # feature to Agent 1 and that one to Agent 2. These are the "macro - actions" for
    # operating code repositories."
    r"^(?:these|this|those|that)\s+(?:is|are)\s+(?:(?:called|known as)\s+)?(?:the\s+|an?\s+)?"
    r"[\"'*_`]+{t}[\"'*_`]+\s*(?:[.;:!]|for\b|of\b|in\b)",
    # one of two set in emphasis as the subject: "The *left join* and *right join* return"
    _LEAD + r"{m}\s+and\s+" + _MARK + r"[^*_`]{2,40}\2\s+[a-z]+\b",
    _LEAD + _MARK + r"[^*_`]{2,40}\1\s+and\s+{m2}\s+[a-z]+\b",
]


def says_what(text: str, names: list[str]) -> bool:
    """Whether ``text`` (a sentence, perhaps with the one before it) says what the concept
    named ``names`` (lower case) is or does, not merely that it is there.

    >>> says_what("The `iloc` attribute allows indexing by position.", ["iloc"])
    True
    >>> says_what("Ultimately, it's a skill issue.", ["skill issue"])
    False
    >>> says_what("Feel free to stop by **#nanoGPT** on Discord:", ["nanogpt"])
    False
    """
    # "macro actions" is also written "macro - actions" (a hyphen set off by spaces)
    alternatives = "|".join(
        re.escape(n).replace(r"\ ", r"(?:\s+-\s+|\s+)")
        for n in sorted(filter(None, names), key=len)[::-1]
    )
    if not alternatives:
        return False
    term = f"(?:{alternatives})s?"
    patterns = [(_with_term(pattern, term), marked, free) for pattern, marked, free in _patterns()]
    for raw in _SENTENCE_END.split(fold(text)):
        raw = re.sub(r"^[\s>+\-]+", "", raw)
        if raw.startswith(("#", '"""', "|")):
            continue  # a code comment, a docstring's quotes or a table row
        if _UNNAMED_RELATIVE.search(raw):
            continue  # "the ``stack`` method provides the opposite operation:" of what?
        if defines(raw, names):
            return True
        plain = re.sub(r"\*\*|__|(?<!\w)[*_`]+|[*_`]+(?!\w)", "", raw)
        for regex, marked, free in patterns:
            target = raw if marked else plain
            if not free.search(target):
                continue  # no text at all in the term's place would match: skip compiling
            m = re.search(regex, target, re.I)
            if m and _verb(m.groupdict().get("verb")) and not _hollow(target, m, term):
                return True
    return False


# What a verb's object says when it only likens the term to another ("provides a similar
# syntax to `np.concatenate`"), an aside that qualifies a term rather than glossing it
# ("*ordered set* (technically a multiset, ...)", "(e.g., ...)"), and a clause saying how to
# recognise it ("*nullable dtypes*, which are distinguished from regular dtypes by ...").
_LIKENESS = re.compile(r"\s+(?:(?:an?|the)\s+)?(?:similar|same|comparable|analogous)\b", re.I)
_ASIDE = re.compile(
    r"\(\s*(?:technically|strictly|roughly|e\.g\.|for example|see\b|cf\.|discussed)",
    re.I,
)
_RECOGNISED = re.compile(
    r",\s+which\s+(?:is|are)\s+(?:distinguished|recogni[sz]ed|identified|marked|written|"
    r"spelled|denoted)\b",
    re.I,
)
MIN_OBJECT_WORDS = 3  # "*slicing* refers to rows:" says what it applies to here, not what it is
# A sentence opening on a condition says what happens in that case ("With this set to `True`,
# the concatenation will raise an exception ..."), not what the term is.
# "... `pd.concat` offers several options in this case.": what it does in a case set up
# elsewhere.
_POINTS_TO_CASE = re.compile(
    r"\b(?:in\s+(?:this|that|these|those|such\s+an?)\s+cases?|here)\s*[.:;!]?\s*$", re.I
)
_CASE = re.compile(r"(?:with|if|when|unless|once)\b[^,]{0,40},", re.I)


def _hollow(target: str, m: re.Match, term: str) -> bool:
    """Whether the sentence ``m`` matched in says no more than a likeness, an aside, how to
    recognise the term (``term``: the pattern of its names) or what it does in a case set up
    elsewhere, or its verb has too short an object to say what the term is."""
    case = _CASE.match(target)
    if case is not None and m.end() > case.end() and not re.search(term, case.group(), re.I):
        return True  # (a case about the term itself says what it does: "When the X is ...")
    if m.groupdict().get("verb"):
        rest = target[m.end("verb") :]
        if _LIKENESS.match(rest) or len(re.findall(r"[\w'\-]+", rest)) < MIN_OBJECT_WORDS:
            return True
        if _POINTS_TO_CASE.search(rest):
            return True
    opened = target.rfind("(", m.start(), m.end())
    if opened >= 0 and _ASIDE.match(target, opened):
        return True
    return _RECOGNISED.match(target, target.find(",", m.start(), m.end())) is not None


def _with_term(pattern: str, term: str) -> str:
    """``pattern`` of ``_SAYS_WHAT`` with its placeholders standing for ``term``."""
    return (
        pattern.replace("{q}", r"(`+)(?:\w+\.)?" + term + r"(?:\(\))?\1")
        .replace("{t}", term)
        .replace("{m}", _MARK + term + r"\1")
        .replace("{m2}", _MARK + term + r"\2")
    )


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, bool, re.Pattern]]:
    """Each pattern of ``_SAYS_WHAT``, whether it reads the text with its emphasis marks, and
    the pattern with any text at all in the term's place, compiled once. Compiling a pattern
    per concept costs more than matching it; the name-free one finds every sentence the
    concept's could match (no lookaround or back-reference reads the term), so a sentence it
    misses needs no compiled pattern for the concept."""
    return [
        (
            pattern,
            "{m}" in pattern or "{m2}" in pattern or "{q}" in pattern,
            re.compile(_name_free(pattern), re.I),
        )
        for pattern in _SAYS_WHAT
    ]


def _name_free(pattern: str) -> str:
    """``pattern`` with any text in the term's place. When the pattern opens with the term,
    one character there finds every sentence any text would, without trying each start."""
    for opening in ("{t}", r"\b{t}"):
        if pattern.startswith(opening):
            return r"(?s:.)" + pattern[len(opening) :]
    return _with_term(pattern, r"(?s:.+?)")


def _verb(word: str | None) -> bool:
    """Whether the word a pattern read as a verb in the present can be one ("absorbs" yes;
    "predictions", "voxels" no: "ANN predictions correlated with ..."). None: no such word."""
    lemmas = lemma_lexicon() if word else None
    return lemmas is None or "VERB" in lemmas(word.lower())


def _aliases(c: Concept, name: str, short: str, qualified: str = "") -> list[str]:
    """Inflections of the name ("models"), the abbreviation ("LLM", "LLMs"), its expansion and
    qualified code names; not verb forms the stemmer conflated ("pointing"). A code symbol
    named otherwise ("queue module") keeps its ``qualified`` name first: the code calls it by
    that."""
    aliases: list[str] = []
    seen = {name.lower()}
    name_low = name.lower()
    surfaces = sorted(c.surfaces, key=lambda s: (s[:1].isupper(), -c.surfaces[s]))
    for s in surfaces + sorted(c.short_forms) + [short]:
        s = " ".join(s.split())
        same = singular_phrase(s).lower() == name_low or s.lower() == name_low + "s"
        abbreviation = short and s.lower() in {short.lower(), short.lower() + "s"}
        expansion = short and singular_phrase(s).lower() != name_low and len(s.split()) > 1
        if not (same or abbreviation or expansion or s in c.short_forms):
            continue
        if s and s.lower() not in seen:
            seen.add(s.lower())
            aliases.append(s)
    if qualified and qualified.lower() not in seen:
        aliases.insert(0, qualified)
    return aliases


def _evidence(batch: Batch, c: Concept) -> list[Evidence]:
    """The defining span first, then the code, then mentions (one per further document)."""
    evidence: list[Evidence] = []
    if c.definition is not None:
        _, di, a, b = c.definition
        evidence.append(batch.evidence(di, a, b, "definition"))
    for di, a, b in c.code:
        evidence.append(batch.evidence(di, a, b, "code"))
    for di, a, b in c.mentions:
        if any(e.start == a and e.source == batch.documents[di].path for e in evidence):
            continue
        evidence.append(batch.evidence(di, a, b, "mention"))
    if not c.mentions and c.definition is None and c.fallback is not None:
        evidence.append(batch.evidence(*c.fallback, "mention"))
    cited = {batch.documents[m[0]].path for m in c.mentions}
    for di, (off, end) in sorted(c.other_mentions.items())[:MAX_MENTIONS]:
        if batch.documents[di].path not in cited and (c.definition or (0, -1))[1] != di:
            a, b = batch.sentence_around(di, off, end)
            evidence.append(batch.evidence(di, a, b, "mention"))
    return evidence
