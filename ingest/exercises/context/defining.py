"""Recognising a defining sentence: "X is a ...", "X, the ... of", "X: a ...", "... is called X",
and the neighbouring sentence that gives "This is called X" its meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teachback.ingest.exercises.corpus import Corpus, Sentence
from teachback.ingest.exercises.quality.definitions import QUALIFIER, VERDICT
from teachback.ingest.exercises.quality.restate import LEADING

COPULA = (
    r"(?:is|are|was|were|refers? to|means?|describes?|denotes?|is defined as|are defined as|"
    r"is called|stands for|is known as)"
)


@dataclass(slots=True)  # (one per defining sentence of every concept)
class Defining:
    sentence: Sentence
    match: re.Match  # the concept's name inside sentence.text
    predicate: str = ""  # text after the copula (clean), "" when not of the form "X is ..."
    # The neighbouring sentence that carries the meaning of "This is called X." or
    # "There is a term for it: X. It means ..." (None when the sentence stands alone).
    context: Sentence | None = None

    @property
    def sentences(self) -> list[Sentence]:
        """The sentence and its context, in reading order."""
        if self.context is None:
            return [self.sentence]
        return sorted([self.sentence, self.context], key=lambda x: x.id)

    @property
    def passage(self) -> str:
        return " ".join(x.clean for x in self.sentences)


_COLON_END = re.compile(r":\W*$")
_OPENS = re.compile(r"[\W_]*(?:(?:a|an|the)\s+[\W_]*" + QUALIFIER + r")?[\W_]*", re.I)
_COPULA_REST = re.compile(
    r"[*_`]*\s*(?:\([^)]{0,80}\))?\s*(?:,[^,]{1,80},\s*)?" + COPULA + r"\s+(.{8,})$", re.I
)
_GLOSSARY = re.compile(r"[*_`]*\s*[:\u2014-]\s+(.{8,})$")
# "... is called X", not "the so-called X" (a name dropped in passing) nor "Y (also known as
# X)" (an alias of Y, not a definition of X)
_CALLED = re.compile(
    r"((?<!so-)(?<!\()(?<!\(also )\b(called|known as|termed)|term for (it|this)|"
    r"we call( this| it)?)\W*$"
)
_CALLED_LEAD = re.compile(r"(called|known as|termed|term for (it|this)|we call( this| it)?)\W*$")
DEICTIC = re.compile(r"^\W*(this|that|these|those|such|it|they)\b", re.I)
_MEANS = re.compile(r"^\W*(it|this|that)\s+(means|is|refers|describes|denotes)\b", re.I)


def definition_context(corpus: Corpus, s: Sentence, m: re.Match) -> Sentence | None:
    """The sentence that gives "This is called X" / "a term for it: X" its meaning: the next
    one when it reads "It means ...", else the previous one; for a definition that opens with
    "This/It ..." the previous one. None when the sentence stands alone."""
    called = is_called(s.folded, m) or bool(_COLON_END.search(s.folded[: m.start()]))
    # "By default, the result contains the intersection of the two sets of inputs; this is
    # what is known as an inner join" carries its own meaning: only a short lead ("This is
    # called X", "There is a term for it: X") needs the sentence next to it
    called = called and len(_CALLED_LEAD.sub("", s.folded[: m.start()]).split()) <= 6
    deictic = bool(DEICTIC.match(s.folded))
    if not (called or deictic):
        return None
    nxt = corpus.sentences[s.id + 1] if s.id + 1 < len(corpus.sentences) else None
    prev = corpus.sentences[s.id - 1] if s.id > 0 else None
    if called and nxt is not None and nxt.doc == s.doc and _MEANS.match(nxt.folded):
        return nxt
    if prev is not None and prev.doc == s.doc and prev.section_kind != "heading":
        return prev
    return None


# a noun-phrase gloss right after the term: "X, the tendency of ...", "a X strategy: a rule
# for ..." (the gloss ends at the next colon, semicolon or comma, where the text moves on)
_APPOSITION = re.compile(
    r"\s*[*_`]*(?:\s+[a-z]+)?[*_`]*\s*(?:,\s+(?=the\s+\w+\s+(?:of|that|which|in|for|by)\s)"
    r"|:\s+(?=(?:a|an|the)\s))([^:;,]{8,}?)\s*(?:[:;,]|$)"
)


def predicate_of(text: str, m: re.Match) -> str:
    """For "X is a Y ..." (X opening the sentence, after at most an article) the "a Y ..."
    part; for a gloss in apposition ("Its weakness is X, the tendency of ...") the gloss;
    else "". "If keys were small ..." and "The simplest array is ..." do not define "keys"
    or "array"."""
    before = LEADING.sub("", text[: m.start()], count=1)
    if not _OPENS.fullmatch(before):
        return _apposition(text, m)
    rest = " ".join(text[m.end() :].split())
    pm = _COPULA_REST.match(rest)
    if not pm:
        gm = _GLOSSARY.match(rest)  # glossary "X: a Y ..."
        # (the name may sit in code marks, in a list: "- ``fillna``: Returns a copy of ...")
        return gm.group(1).strip() if gm and not before.strip("`*_ -") else ""
    predicate = pm.group(1).strip()
    if re.match(r"(?:just|merely|only)\s+(?:one|a|an)\b", predicate, re.I):
        return ""  # "FLOPs are just one constraint": a remark, not what they are
    if VERDICT.match(predicate):
        return ""  # "Deletion is the subtle part of open addressing": a verdict, not a meaning
    return predicate if len(predicate.split()) >= 3 else ""


def _apposition(text: str, m: re.Match) -> str:
    """The gloss of "X, the tendency of ..." or "a X strategy: a rule for ...". A colon
    glosses the term only after "a X" / "is X" ("data from multiple sources: the ..." glosses
    the sources), and a gloss that names the term again ("a join: the type of set arithmetic
    used in the join") is about something else."""
    am = _APPOSITION.match(" " + " ".join(text[m.end() :].split()))
    if not am:
        return ""
    gloss = am.group(1).strip().rstrip(".")
    colon = ":" in am.group(0)[: am.start(1)]
    if colon and not re.search(r"\b(?:a|an|is|are)\W*$", text[: m.start()], re.I):
        return ""
    if m.group(0).strip("*_` ").lower() in gloss.lower():
        return ""
    return gloss if len(gloss.split()) >= 4 else ""


def is_called(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 40) : m.start()].lower()
    return bool(_CALLED.search(before))
