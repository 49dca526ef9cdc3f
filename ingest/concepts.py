"""Concept extraction for the embedded engine: the terms a teacher would list, with evidence.

``extract_concepts(documents)`` works in one linear pass over the sections:

1. **Groups.** Consecutive prose sections under the same heading form a group (long runs are cut
   at about ``GROUP_CHARS`` characters). A group is what "3-10 concepts per section" refers to.
2. **Candidates and statistics.** ``teachback.ingest.keyphrases`` gives every stop-word-bounded
   n-gram of the group a score from the keyphrase ranker (frequency, position, rarity in general
   English, length, suffix heuristics; fitted on Inspec's train half).
3. **Structure, as strong free signals.** A candidate gains when it is a heading term, emphasised
   or a code span in Markdown, or the subject of a definitional sentence ("X is a ...",
   "X refers to ...", "... is called X", "X, which is ...", glossary lines "X: ...").
4. **Selection.** Each group keeps its top ``k`` (3-10, growing with the group's length) after
   dropping phrases that only occur inside a chosen longer one; only the concepts it introduces
   count, and it introduces at most as many as it has new words (``BUDGET``), plus the terms
   it defines or names in its heading. A word that is the genus of several definitions
   ("Perimeter is the distance around ...") comes in after all groups (``book_terms``); no
   section lists more than ``MAX_PER_GROUP`` (``attribute``).
5. **Merging.** Surface forms merge on a key: singular head, lower case, Porter stems, with
   abbreviations mapped to their expansion ("LLM", "LLMs", "large language models" -> one key).
   Merging is across all documents of the batch.
6. **Code.** For ``format == "code"`` documents, modules, classes and public functions become
   ``kind="code"`` concepts named by their identifiers; the first docstring line is the
   definition; docstrings and comments are also mined for the programming ideas they use.

Every evidence span is a span of ``Document.text`` with ``quote == text[start:end]``. Text in a
source is data: a sentence that tries to instruct a model is scored like any other sentence.

Not handled: languages other than English; coreference ("it"), synonyms that are not
abbreviations; concepts that are never named in the text.
"""

from __future__ import annotations

import ast
import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from teachback.core.document import Document, Section
from teachback.core.text import fold, sentences
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.keyphrases import Candidate, candidates, chunks, score_candidates, zipf
from teachback.ingest.textutil import (
    STOPWORDS,
    WORD_RE,
    find_abbreviations,
    phrase_key,
    singular_phrase,
    stem,
    tokens,
)

CONCEPT_MAX_WORDS = 3  # longer n-grams are rarely terms a teacher lists, and cost time
GROUP_CHARS = 3000  # a run of prose longer than this is split into several groups
MAX_CONCEPTS = 3000  # per batch, by importance (and at most CONCEPTS_PER_GROUP per group)
CONCEPTS_PER_GROUP = 6  # on average over a batch
MAX_MENTIONS = 4  # mention evidence spans per concept
MAX_QUOTE = 400  # characters of an evidence quote

# Bonuses added to the ranker's logit for structural signals.
BONUS_HEADING = 2.0
BONUS_EMPHASIS = 1.5
BONUS_CODE_SPAN = 0.8
BONUS_DEFINITION = 2.5
MAX_PER_GROUP = 10  # the "3-10 concepts per section" ceiling, enumerations included
MIN_LOCAL_SCORE = -2.5  # a group stops selecting below this logit (unless defined there)
# Budget allocation (docs/bench-concepts.md). A group's length budget k (3-10) bounds what it
# selects; with BUDGET == "novel" only the concepts it *introduces* count against k, and it may
# introduce at most max(NEW_MIN, NOVEL_SHARE x its new vocabulary) of them: the acceptable
# single words no earlier group of the batch used. A textbook section brings new words (median
# 6 on the dev book), a section re-using old material brings almost none (median 0 on the
# 1 MB ingest corpus), so re-used text does not dig for weak "new" phrases. Re-selecting a
# known concept costs nothing (up to KNOWN_EXTRA of them): it is evidence, not a list entry.
# "known_free" (new budget max(3, k/2), measured before) and "all" (every selection counts)
# are kept for comparison.
BUDGET = "novel"
NEW_MIN = 0
NOVEL_SHARE = 1.0
NEW_BUDGET_SHARE = 0.5
KNOWN_EXTRA = 10
MARKED_STRENGTH = 0.9
MARKED_HEADING = True
MARKED_MIN = 3  # even a short section may introduce 3 terms it defines
SIBLING_EVICT = 0.0
# Which section lists a concept (its ``first_seen``): "capped" — its first mention, unless that
# section already lists MAX_PER_GROUP concepts (a chapter introduction naming twenty terms in
# passing), then where it was introduced (its first mention in the first group that selected
# it); ``_Batch.attribute``. "mention" (first mention anywhere, up to 27 in one dev section) and
# "introduced" are kept for comparison.
ATTRIBUTION = "capped"
# A section cut into several groups (over GROUP_CHARS) shares one ceiling of MAX_PER_GROUP new
# concepts across up to SECTION_GROUPS of its groups (a longer run under one heading is a
# chapter without subheadings and gets a new ceiling every SECTION_GROUPS groups).
SECTION_GROUPS = 2
# Book-level genus terms (``_Batch.book_terms``): a single word that is the genus of at least
# BOOK_GENUS defined terms ("Perimeter is the distance around ...", "A radius is the distance
# from ..."), used in at least BOOK_SPREAD groups, mostly as the head of its phrase (not a
# modifier such as "right" in "right angle") is a basic term of the batch ("distance",
# "point") even where no section selects it; it is introduced by the first group that
# mentions it and still has room.
BOOK_TERMS = True
BOOK_GENUS = 2
BOOK_SPREAD = 3
BOOK_HEAD_SHARE = 0.5
# ... and it must be a key word of the batch: at least BOOK_KEYNESS times as frequent as in
# general English (wordfreq, all its forms), the "weirdness" ratio of terminology extraction,
# and usable as a noun.
BOOK_KEYNESS = 2.0
# Text extraction splits words ("circum erence", ligatures lost) and glues articles on
# ("Atransformation"): the repaired word must be at least this common in English (Zipf).
SPLIT_ZIPF = 3.0
# A half of a split word is rare but seen on the web, where the same extraction errors occur
# ("circum" 1.9, "erence" 1.1, "mation" 1.5); made-up and new terms are unknown (Zipf 0).
FRAGMENT_ZIPF = 2.5
FRAGMENT_MAX = 60  # rare words of a group compared pairwise (bounds the work)
# The ranker learnt Inspec's preference for 2-word keys; textbook terms are often single words
# that recur ("angle", "polygon"), so a recurring single word gains with its frequency.
UNIGRAM_TF_BONUS = 0.5

# Admission (``_Batch.results``): with "evidence", a term is listed only where the material
# teaches it: a heading names it, a sentence defines it, it is emphasised, it is an API that the
# source's code cells call and its prose names, or it is the genus of several definitions. A
# phrase that is only mentioned, however often, is not a concept. "all" keeps every selection
# (the ranker alone), for comparison.
ADMISSION = "evidence"
ADMIT_DEFINITION = 0.9  # a defining sentence at least this strong is evidence of teaching
# ... where the term scores at least this in its section ("output", "argument" are defined in
# passing by sentences the ranker finds weak)
ADMIT_WEAK_SCORE = 0.0
# ... or the material keeps coming back to it: a key term of ADMIT_GROUPS groups, scored at
# least ADMIT_RECUR_SCORE somewhere, and a phrase or a word rarer than ADMIT_RECUR_ZIPF
# ("flash attention", "tokenizer"; not "data", "object").
# A term named in two ways (``_Batch.named_terms``) is used at least this often.
NAMED_MENTIONS = 2
ADMIT_GROUPS = 3
# ... or it is a key term of at least ADMIT_DISCUSSED groups (a single word also scored at
# least ADMIT_RECUR_SCORE somewhere): what the material discusses section after section
# ("square", "plane" in a geometry book; "agents" in a podcast about them), however common.
ADMIT_DISCUSSED = 5
ADMIT_RECUR_SCORE = 0.0
ADMIT_RECUR_ZIPF = 4.0
ADMIT_RECUR_KEYNESS = 200.0  # a common noun recurs as a key word of the batch ("angle")
# A notebook with less prose than this share of its code is a lecture notebook: its documented
# functions are concepts.
NOTEBOOK_PROSE_SHARE = 0.5
EMPHASIS_DEFINITION = 0.5  # strength of "the sentence that emphasises it" as a definition
BONUS_API = 2.0  # a code span the source's code calls: an API the material demonstrates
API_WORD_ZIPF = 4.0  # an undotted code span this common in English is not taken for an API
# Code symbols: classes always (the material's central types, with or without a docstring);
# modules and functions only with a docstring that says what they are.
CODE_NEEDS_DOCSTRING = frozenset({"module", "function"})

# A capitalised word rarer than this in general English (wordfreq Zipf) is taken for a name.
PROPER_NOUN_ZIPF = 3.0
PROSE_KINDS = {"prose", "docstring", "comment"}

# Heading words that name a part of a text, not a concept.
GENERIC_HEADINGS = frozenset(
    """introduction conclusion conclusions summary overview background references bibliography
    appendix contents preface acknowledgements acknowledgments abstract examples example exercises
    exercise review vocabulary notes note guidance practice problems problem solution solutions
    discussion results methods method discussion questions answers answer faq index glossary
    installation usage license changelog contributing setup getting started quick start
    quickstart""".split()
)
# Single words too vague to be a concept on their own.
GENERIC_WORDS = frozenset(
    """example examples figure figures table tables chapter chapters section sections question
    questions answer answers problem problems thing things way ways time times part parts case
    cases number numbers lot kind type types point_of fact idea ideas people person year years
    day days today something anything everything someone word words term terms sense
    page pages item items step steps end start side lesson lessons concept concepts guidance
    review vocabulary""".split()
)

# Common verbs (base and inflected forms are checked): a phrase starting with one is an action
# ("classify polygons", "prove theorems"), not a concept.
LEADING_VERBS = frozenset(
    """learn classify prove solve find use make show add explain describe determine calculate
    compute draw identify write read apply understand see look give take know construct create
    build define discuss review practice consider compare recall note remember suppose let try
    ask tell call get set put keep run start stop allow help provide include contain represent
    label name mark measure plot graph sketch list state choose pick check verify test study
    explore investigate examine introduce extend connect join form change convert increase
    reduce ignore disregard forget pretend say respond reply obey execute youll well
    lets""".split()
)

_VAGUE_HEADS = frozenset(
    "type types kind kinds sort form specific particular certain example instance way".split()
)

_TERM = r"(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,4}?)"
_ART = r"(?:(?:an?|the|one|any|each|every)\s+)"
_DEF_PATTERNS: list[tuple[re.Pattern, float]] = [
    # "X refers to ...", "X is defined as ...", "X means ...", "X denotes ..."
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            r"(?:refers? to|(?:is|are) defined as|means|denotes|(?:is|are) the term for)\s+\S",
            re.I,
        ),
        1.0,
    ),
    # "X is a/an/the ..." (also "X (Y) is a ...")
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            rf"(?:is|are)\s+{_ART}\S",
            re.I,
        ),
        1.0,
    ),
    # "X, which is ..." / "X, i.e. ..."
    (re.compile(rf"^{_ART}?{_TERM},\s+(?:which|i\.e\.|that is)\s+(?:is|are|means)?", re.I), 0.7),
    # "X is <noun> of ..." without an article (notes and stripped textbook text)
    (
        re.compile(
            rf"^{_ART}?{_TERM}\s+(?:is|are)\s+(?P<head>[a-z]+)\s+(?:of|that|which|where|in)\b"
        ),
        0.6,
    ),
]
# "... is called X." / "... is known as X" / "we call this X"
_CALLED = re.compile(
    r"\b(?:is|are)\s+(?:(?:also|often|usually|sometimes)\s+)?(?:called|known as|termed|named|"
    r"referred to as)\s+(?:an?\s+|the\s+)?[\"'*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)"
    r"[\"'*_]*\s*(?:[.,;:)]|$)",
    re.I,
)
# A term the author introduces by name: "what he calls “AI Psychosis”", "researchers have a term
# for it: jagged frontier", "the person who coined Vibe Coding".
_NAMED = re.compile(
    r"\b(?:(?:what|which)\s+(?:he|she|they|we|it|I|\w+)\s+calls?|coined(?:\s+the\s+term)?|"
    r"(?:have|has|is)\s+a\s+(?:name|term|word)\s+for\s+(?:it|this|that)\s*:?)\s+"
    r"[\"'\u201c\u2018*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)[\"'\u201d\u2019*_]*"
    r"\s*(?:[.,;:)!?\u201d\u2019]|\(|$)",
)
# Glossary lines: "- **Term**: definition", "Term - definition", "Term: definition"
_GLOSSARY = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d{1,2}[.)][ \t]+)?[*_`]*"
    r"(?P<term>[A-Za-z][\w'\-]*(?:[ \t]+[\w'\-]+){0,4})[*_`]*"
    r"[ \t]*(?::|\s-\s|\s\u2014\s|\s--\s)[ \t]*(?P<rest>\S.{10,})$",
    re.M,
)
# A capitalised label that opens a sentence and is followed by a colon and a statement: a key
# term set in bold or in a box, flattened to text ("Right Triangle: When a triangle has ...",
# "Circumcenter: The point of ..."). A one-word label that names a part of the text
# ("Investigation:", "Given:", "Theorem:") is not a term.
_LABEL_DEF = re.compile(
    r"^(?P<term>(?:[A-Z][a-z][\w\-]*[ \t]+){0,3}[A-Z][a-z][\w\-]*)[ \t]*:[ \t]+"
    r"(?P<rest>(?P<first>[A-Za-z]+)\b[^:]{12,})"
)
_LABEL_OPENERS = frozenset(
    "a an the when if two three all any every each one it this these".split()
)
_LABEL_PARTS = frozenset(
    """investigation given prove proof step hint tip warning theorem postulate corollary lemma
    definition property properties activity materials tools""".split()
)
# "X is a/the <genus> ...": the head of the first phrase after the copula names the kind of
# thing defined ("Perimeter is the distance around ...": distance).
_GENUS = re.compile(r"\b(?:is|are)\s+(?:also\s+)?(?:(?:an?|the|one)\s+)?", re.I)
# After a genus: "by" makes it a passive verb ("are cut by"), an article a predeterminer or a
# verb ("is half the sum", "is twice the length").
_NOT_GENUS_AFTER = re.compile(r"\s+(?:by|the|an?)\b", re.I)
_ADJ_HEAD = re.compile(r"(?:al|ic|ive|ous|able|ible|ful|less|ly|ed|ing)$")
# Defined adjectives (textbook vocabulary such as "collinear", "congruent"):
# "Points that lie on the same line are collinear." / "Two lines are perpendicular if ..."
_ADJ_DEFS: list[re.Pattern] = [
    re.compile(
        r"^(?:(?:an?|the|two|three|all|any)\s+)?[A-Za-z][\w\-]*s?(?:\s+(?:and/?or|or|and)\s+"
        r"[A-Za-z][\w\-]*)?\s+(?:that|which|who|whose|within|in|on|with)\s+[^.;:]{3,100}?\s+"
        r"(?:is|are)\s+(?:(?:called|said\s+to\s+be|known\s+as)\s+)?"
        r"(?P<term>[a-z][a-z\-]{3,})\s*[.!]?$"
    ),
    re.compile(
        r"^(?:(?:two|three|the|an?|any)\s+)?(?:[a-z][\w\-]*\s+){0,2}(?:is|are)\s+"
        r"(?:(?:called|said\s+to\s+be)\s+)?(?P<term>[a-z][a-z\-]{3,})\s+(?:if|when|whenever)\s",
        re.I,
    ),
]
# A defined adjective must be rare in general English (Zipf below this): "collinear" (2.0),
# "perpendicular" (3.3) yes; "important" (5.4), "equal" (4.7) no.
ADJ_DEF_ZIPF = 4.5


_EVALUATIVE = frozenset(
    """simplest easiest best worst fastest slowest largest smallest biggest most least first
    last same whole entire following above below main usual typical simple basic appropriate
    good better bad proper correct different various certain""".split()
)


def _clean_term(term: str) -> str | None:
    """A defined term if it looks like one: 1-5 words, no leading/trailing stop word.

    Leading heading words glued on by text extraction ("Guidance point") are dropped.
    """
    if re.search(r"\w'[sS]\b", term):
        return None  # "Karpathy's observation": a possessive names an instance, not a term
    words = WORD_RE.findall(term)
    if any(_glued_article(w) for w in words):
        return None  # "Atransformation": an article glued on by text extraction
    while len(words) > 1 and (
        words[0].lower() in GENERIC_HEADINGS or words[0].lower() in _EVALUATIVE
    ):
        words = words[1:]  # "simplest associative array" defines an associative array
    if not words or len(words) > 5:
        return None
    if words[0].lower() in _VAGUE_HEADS:
        return None  # "type of segment bisector": the defined thing is the noun after "of"
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 2:
        return None  # a label such as "BD" (abbreviations are merged with their expansion)
    if words[0].lower() in STOPWORDS or words[-1].lower() in STOPWORDS:
        return None
    if verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1])):
        return None  # "intersects circle": a verb phrase
    if any(w.lower() in STOPWORDS and w.lower() not in {"of", "and"} for w in words):
        return None
    if len(words) == 1 and (words[0].lower() in GENERIC_WORDS or len(words[0]) < 2):
        return None
    if all(w.isdigit() for w in words):
        return None
    return " ".join(words)


def definitional_terms(sentence: str) -> list[tuple[str, float]]:
    """Terms that ``sentence`` defines, with a strength in (0, 1].

    >>> definitional_terms("A large language model is a neural network trained on text.")
    [('large language model', 1.0)]
    >>> definitional_terms("Osmosis refers to the movement of water.")
    [('Osmosis', 1.0)]
    >>> definitional_terms("It is a good idea.")
    []
    """
    out: list[tuple[str, float]] = []
    s = re.sub(r"\*\*|__|(?<!\w)[*_`]|[*_`](?!\w)", "", fold(sentence))
    s = s.strip().lstrip("#>-+ \t")
    s = re.sub(r"^[^\n:]{1,40}:[ \t]*\n\s*", "", s)  # "Clawd murmur:" on the line before
    for pat, strength in _DEF_PATTERNS:
        m = pat.search(s)
        if not m:
            continue
        if "head" in m.groupdict() and (
            m.group("head").lower() in STOPWORDS or _ADJ_HEAD.search(m.group("head"))
        ):
            continue
        term = _clean_term(m.group("term").strip("*_`\"' "))
        if term:
            out.append((term, strength))
            break
    if not out:
        m = _LABEL_DEF.search(s)
        if m:
            words = m.group("term").split()
            first = m.group("first")
            opener = first.lower() in _LABEL_OPENERS or (
                first[:1].isupper() and any(stem(first) == stem(w) for w in words)
            )
            if opener and not (len(words) == 1 and words[0].lower() in _LABEL_PARTS):
                term = _clean_term(m.group("term"))
                if term and term.lower() not in GENERIC_HEADINGS:
                    out.append((term, 0.9))
    m = _CALLED.search(s) or _NAMED.search(s)
    if m:
        term = _clean_term(m.group("term"))
        if term:
            out.append((term, 0.9))
    if not out:
        for pat in _ADJ_DEFS:
            m = pat.search(s)
            if m:
                term = m.group("term")
                if (
                    term.lower() not in STOPWORDS
                    and term.lower() not in GENERIC_WORDS
                    and not term.endswith(("ing", "ed", "ly"))
                    and zipf(term) < ADJ_DEF_ZIPF
                ):
                    out.append((term, 0.8))
                break
    return out


# --- enumerations ----------------------------------------------------------------------------

LIST_ZIPF = 4.5  # a list member must be at least this rare in general English to be a sibling
LIST_MIN_ITEMS = 3
# A run of this many capitalised words with no punctuation is a flattened list or table row
# (shorter runs are mostly names: "Alternate Interior Angles Theorem Converse").
RUN_MIN_WORDS = 6
_ARTICLES = frozenset({"a", "an", "the"})
_LIST_SEPARATORS = frozenset({",", "and", "or"})
# The category that introduces a list: "polygons such as ...", "quadrilaterals: ...".
_LIST_INTRO = re.compile(
    r"(?P<cat>[A-Za-z][\w\-]*(?: [A-Za-z][\w\-]*)?)\s*,?\s*(?:such as|including|like|e\.g\.,?|"
    r"namely|for example,?|:)\s*(?:the\s+|an?\s+)?$",
    re.I,
)


_CAP_RUN = re.compile(rf"(?:\b[A-Z][a-z][\w\-]*[ \t]+){{{RUN_MIN_WORDS - 1}}}[A-Z][a-z]")


def _is_list_word(tok: str) -> bool:
    return (
        len(tok) > 2
        and tok[0].isalpha()
        and tok.replace("-", "").isalpha()
        and tok.lower() not in STOPWORDS
    )


def enumerations(
    text: str, start: int, end: int, kinds: list[str] | None = None
) -> list[list[tuple[str, int, int]]]:
    """Lists of short noun phrases in one sentence ``text[start:end]``: (surface, start, end).

    * Comma lists: "triangles, squares, pentagons and hexagons" (at least 3 items, at least one
      comma; the first item keeps its last 3 words, the last its first 3, so "polygons such as
      triangles, ..." gives "triangles").
    * Runs: 6+ capitalised bare words in a row (not acronyms), at least 2/3 of them rare in
      general English, with no punctuation between them — a table row or list whose commas
      were lost ("Quadrilateral Pentagon Hexagon ..."); each word is an item.

    ``kinds``, when given, receives "comma" or "run" for each list returned.

    >>> s = "Shapes such as squares, kites and rhombi."
    >>> [[i[0] for i in e] for e in enumerations(s, 0, len(s))]
    [['squares', 'kites', 'rhombi']]
    """
    toks = tokens(text, start, end)
    out: list[list[tuple[str, int, int]]] = []
    # Segments between separators, with the separator that ends each one.
    segs: list[tuple[list[tuple[str, int, int]], str]] = []
    cur: list[tuple[str, int, int]] = []
    for tok, a, b in toks:
        low = tok.lower()
        if low in _LIST_SEPARATORS:
            segs.append((cur, low))
            cur = []
        elif not tok[0].isalnum() and tok not in "-'":
            segs.append((cur, "."))
            cur = []
        else:
            cur.append((tok, a, b))
    segs.append((cur, "."))
    items: list[tuple[str, int, int]] = []
    commas = 0
    last_sep = "."

    def span(ws: list[tuple[str, int, int]]) -> tuple[str, int, int]:
        return (text[ws[0][1] : ws[-1][2]], ws[0][1], ws[-1][2])

    def flush() -> None:
        nonlocal items, commas
        if len(items) >= LIST_MIN_ITEMS and commas:
            out.append(items)
        items, commas = [], 0

    for words, sep in segs:
        ws = [w for w in words if w[0].lower() not in _ARTICLES]
        if not ws:
            if items and sep in {"and", "or"} and last_sep == ",":
                last_sep = sep  # ", and"
                continue
            flush()
            last_sep = sep
            continue
        whole = len(ws) <= 3 and all(_is_list_word(w[0]) for w in ws)
        if items and whole:
            items.append(span(ws))
            if last_sep in {"and", "or"} or sep == ".":
                flush()
        elif items:
            lead: list[tuple[str, int, int]] = []
            for w in ws:
                if not _is_list_word(w[0]) or len(lead) == 3:
                    break
                lead.append(w)
            if lead and last_sep in {"and", "or"}:
                items.append(span(lead))
            flush()
        if not items and sep == ",":
            tail: list[tuple[str, int, int]] = []
            for w in reversed(ws):
                if not _is_list_word(w[0]) or len(tail) == 3:
                    break
                tail.insert(0, w)
            if tail:
                items = [span(tail)]
        if sep == "," and items:
            commas += 1
        last_sep = sep
    flush()
    # Runs of bare words of one case (no separators between them).
    run: list[tuple[str, int, int]] = []
    runs: list[int] = []

    def close_run() -> None:
        # Only capitalised runs: lower-case runs in text that lost its punctuation are mostly
        # noun phrases and verbs ("solid occupies"). Most items must be rare words, which a
        # heading-like run ("Investigation Tools Needed") is not; acronyms ("LM NP") are labels.
        if len(run) >= RUN_MIN_WORDS and run[0][0][0].isupper():
            if any(w.isupper() for w, _, _ in run):
                return
            if len({stem(w) for w, _, _ in run}) < len(run):
                return  # a word repeated: a title or a phrase, not a list
            rare = sum(zipf(w) < LIST_ZIPF for w, _, _ in run)
            if rare * 3 >= len(run) * 2:
                out.append(list(run))
                runs.append(len(out) - 1)

    for tok, a, b in toks:
        if _is_list_word(tok):
            if run and (
                text[run[-1][2] : a].strip() == "" and tok[0].isupper() == run[-1][0][0].isupper()
            ):
                run.append((tok, a, b))
                continue
            close_run()
            run = [(tok, a, b)]
        else:
            close_run()
            run = []
    close_run()
    if kinds is not None:
        kinds.extend("run" if i in runs else "comma" for i in range(len(out)))
    return out


def _sibling_ok(surface: str) -> bool:
    """A list member that can stand as a concept: noun-like words, rare enough in general
    English to be a term ("hexagon" yes; "name", "money", "ran" no)."""
    words = tuple(surface.split())
    if not words or not _acceptable_words(words):
        return False
    head = words[-1].lower()
    if head in GENERIC_WORDS or head in GENERIC_HEADINGS or head.endswith(("ly", "ed", "ing")):
        return False
    if _verbish(head):
        return False
    return min(zipf(w) for w in words) < LIST_ZIPF


# --- aggregation -----------------------------------------------------------------------------


@dataclass
class _Concept:
    key: str
    kind: str = "term"
    surfaces: Counter = field(default_factory=Counter)
    heading_surfaces: Counter = field(default_factory=Counter)
    short_forms: set[str] = field(default_factory=set)
    best: float = -1e9
    total: float = 0.0
    groups: int = 0
    docs: set[int] = field(default_factory=set)
    definition: tuple[float, int, int, int] | None = None  # (-strength, doc, start, end)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)
    # Mentions in groups where the concept was not selected, one per document (evidence that
    # the concept is used there too).
    other_mentions: dict[int, tuple[int, int]] = field(default_factory=dict)
    code: list[tuple[int, int, int]] = field(default_factory=list)
    # Where the concept is introduced: its first mention in the first group that selected it
    # (``_Batch.attribute`` may move it to ``mentioned``, its first mention anywhere).
    first_seen: tuple[int, int] = (1 << 30, 0)
    mentioned: tuple[int, int] = (1 << 30, 0)
    name: str = ""
    code_definition: str = ""
    fixed_importance: float | None = None
    # Evidence that the material teaches it: "heading", "definition", "emphasis", "api", "genus".
    taught: set[str] = field(default_factory=set)
    label_hits: int = 0  # groups where a comment labels a block with it
    symbol_kind: str = ""  # code: "module", "class" or "function"


class _Batch:
    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.norm = [fold(d.text) for d in documents]
        self.concepts: dict[str, _Concept] = {}
        self.n_groups = 0
        # Section ceiling: (doc, heading path) of the current section, its groups, its new ones.
        self.section: tuple = ()
        self.section_groups = 0
        self.section_box = [0]  # new concepts of the current section (shared by its groups)
        # Book-level statistics of single words (concept key -> ...), for ``book_terms``.
        self.spread: Counter = Counter()  # groups using the word
        self.word_tf: Counter = Counter()  # occurrences
        self.word_mod: Counter = Counter()  # occurrences followed by another word of a phrase
        self.n_tokens = 0  # running words of all prose groups (whitespace-separated)
        self.genus: dict[str, set[str]] = {}  # defined terms whose definition names it as genus
        # Per group: (doc, [new concepts, cap], its section's box, {single word's key: (local
        # score, first offset, end)}): where a book term can still be introduced.
        self.rooms: list[tuple[int, list[int], list[int], dict]] = []
        self.group_at: list[tuple[tuple[int, int], list[int]]] = []  # (doc, start), section
        self.vocabulary: set[str] = set()  # stems of the single words groups used so far
        self._label_lines: dict[tuple[int, str], int] = {}
        self._lower: tuple[int, str] = (-1, "")
        self._id_index: dict[str, list[str]] = {}
        self._heading_terms: dict[int, Counter] = {}  # (doc, "Term:") -> lines opening so
        # The last part of every name the batch's code calls ("pd.merge" -> "merge"), minus the
        # helpers its notebooks define for themselves (a ``display`` class is not the lesson).
        called: set[str] = set()
        own: set[str] = set()
        for d in documents:
            for sec in d.sections:
                if sec.kind == "code" or d.format == "code":
                    called.update(n.rsplit(".", 1)[-1] for n in sec.signals.get("calls", []) or [])
                    if d.format != "code":
                        own.update(sec.signals.get("defines", []) or [])
        # A package the code imports is a dependency, not an API the material demonstrates:
        # `tqdm` called as ``tqdm(...)`` after ``from tqdm import tqdm``.
        packages = {
            name.split(".", 1)[0]
            for d in documents
            for sec in d.sections
            for name in sec.signals.get("imports", []) or []
        }
        self.called = called - own - packages
        # Names the code uses (variables, parameters, attributes): "block_size", "dropout".
        self.identifiers: set[str] = set()
        for d in documents:
            for sec in d.sections:
                if sec.kind == "code":
                    self.identifiers.update(
                        m.lower() for m in _IDENTIFIER.findall(d.text, sec.start, sec.end)
                    )
        # Names that open label lines ("Karpathy: I feel ...", "Clawd murmur:"): speakers and
        # narrators of a transcript, not concepts.
        self.speakers: set[str] = {
            m.group(1).lower() for t in self.norm for m in _SPEAKER.finditer(t)
        }
        # Names the material gives as one: (alias, main) from "X (also known as Y)",
        # "X, also called Y", "known as X, or Y for short".
        self.synonyms: list[tuple[str, str]] = []
        for doc_text in self.norm:
            for pat in (_ALSO_KNOWN, _FOR_SHORT):
                if not any(w in doc_text for w in _SYN_NEEDS[pat]):
                    continue  # (the scan costs more than the rest of this setup)
                for m in pat.finditer(doc_text):
                    main, alias = _clean_term(m.group("main")), _clean_term(m.group("alias"))
                    if main and alias:
                        self.synonyms.append((alias, main))
        self.abbrev: dict[str, str] = {}  # key of short form -> key of long form
        self.short_of: dict[str, str] = {}  # key of long form -> short surface
        for d, doc_text in zip(documents, self.norm, strict=True):
            prose = "\n\n".join(
                doc_text[s.start : s.end] for s in d.sections if s.kind in PROSE_KINDS
            )
            for short, long in find_abbreviations(doc_text) + initials_abbreviations(prose):
                sk, lk = phrase_key(short), phrase_key(long)
                if sk and lk and sk != lk:
                    self.abbrev.setdefault(sk, lk)
                    self.short_of.setdefault(lk, short)

    def key(self, surface: str) -> str:
        k = phrase_key(surface)
        return self.abbrev.get(k, k)

    def heading_terms(self, di: int) -> Counter:
        """How many headings of document ``di`` name each term (by key)."""
        got = self._heading_terms.get(di)
        if got is None:
            doc = self.documents[di]
            got = self._heading_terms[di] = Counter(
                self.key(t)
                for s in doc.sections
                if s.kind == "heading"
                for t in _heading_terms(doc.text[s.start : s.end].lstrip("#= \t"))
            )
        return got

    def lower_text(self, di: int) -> str:
        if self._lower[0] != di:
            self._lower = (di, self.norm[di].lower())
        return self._lower[1]

    def label_lines(self, di: int, label: str) -> int:
        """Lines of document ``di`` that open with ``label`` ("Host:"), counted once per label:
        a count scans the whole document, and a transcript opens hundreds of lines with it."""
        n = self._label_lines.get((di, label))
        if n is None:
            text = self.norm[di]
            n = self._label_lines[di, label] = text.count(f"\n{label}") + text.startswith(label)
        return n

    def get(self, key: str) -> _Concept:
        c = self.concepts.get(key)
        if c is None:
            c = self.concepts[key] = _Concept(key=key)
        return c

    # -- prose ---------------------------------------------------------------------------------
    def prose_group(self, di: int, group: _Group) -> None:
        self.n_groups += 1
        text = self.norm[di]
        spans = group.spans
        g_start, g_end = spans[0][0], spans[-1][1]
        found = candidates(text, spans=spans, normalized=True, max_words=CONCEPT_MAX_WORDS)
        if not found:
            return
        score_candidates(found, g_start, g_end)
        n_words = sum(len(c.words) == 1 and c.tf or 0 for c in found.values())
        # New vocabulary: acceptable single words no earlier group of the batch used.
        words = [c.key for c in found.values() if len(c.words) == 1 and _acceptable(c, self.abbrev)]
        novel = sum(1 for w in words if w not in self.vocabulary)
        self.vocabulary.update(words)

        # Structural signals of the group.
        heading_keys: dict[str, str] = {}
        headings = group.heading_path
        if headings:
            for term in _heading_terms(headings[-1]):
                heading_keys[self.key(term)] = term
        # A heading that names one thing in one word ("Probing"): "linear probing" is a kind of it.
        topic = next(iter(heading_keys)) if len(heading_keys) == 1 else None
        if topic is not None and " " in topic:
            topic = None
        if group.kind == "comment":
            # "# adamw optimizer", "# learning rate decay settings": a short comment on a line of
            # its own labels the block below it, as a heading labels a section.
            for a, b in spans:
                for term in _comment_label_terms(text[a:b]):
                    heading_keys.setdefault(self.key(term), term)
        emphasis: set[str] = set()
        code_spans: set[str] = set()
        for e in group.signals.get("emphasis", []):
            t = _clean_term(e) if len(e) < 60 else None
            if t:
                emphasis.add(self.key(t))
        api: dict[str, str] = {}  # key -> surface of a code span naming a called API
        called = self.called
        for e in group.signals.get("code_spans", []):
            if len(e) < 40 and re.fullmatch(r"[A-Za-z_][\w.\-]*(?:\(\))?", e):
                code_spans.add(self.key(e.rstrip("()")))
                name = e.rstrip("()")
                last = name.rsplit(".", 1)[-1]
                if last in called and len(last) > 2 and _api_name(name):
                    api.setdefault(self.key(last), name)
        defined: dict[str, tuple[float, int, int, str]] = {}
        sent_spans: list[tuple[int, int]] = []
        for a, b in spans:
            sent_spans.extend(sentences(text, a, b))
            for m in _GLOSSARY.finditer(text, a, b):
                term = _clean_term(m.group("term"))
                line = m.group(0).lstrip()
                listed = line[:1] in "-*+_`" or re.match(r"\d{1,2}[.)]\s", line) is not None
                rest = m.group("rest")
                if not listed and not re.match(r"(?:an?|the)\s|[a-z]", rest):
                    continue  # "Host: I remember ..." is a speaker label, not a glossary line
                before = text[max(a, m.start() - 3) : m.start()].rstrip(" \t")
                if not listed and before.endswith("\n") and before[:-1][-1:] not in ".!?:\n":
                    continue  # a hard-wrapped sentence whose line happens to open "idea: ..."
                if len(rest.split(".", 1)[0].split()) < 3:
                    continue  # "Downstairs: the clown." is a caption, not a definition
                if term and m.end() <= b:
                    k = self.key(term)
                    defined.setdefault(k, (0.9, m.start(), m.end(), term))
        for a, b in sent_spans:
            if b - a > 600:
                continue
            said = text[a:b]
            m = _SPEAKER.match(said)
            if m and self.label_lines(di, said[: said.index(":") + 1]) > 1:
                said = said[m.end() :].lstrip()  # "Karpathy: A token is ...": what is said
            for term, strength in definitional_terms(said):
                label = f"{term}:"
                if text.startswith(label, a) and self.label_lines(di, label) > 1:
                    continue  # "Host: If you're ..." opening line after line: a speaker label
                k = self.key(term)
                if k not in defined or defined[k][0] < strength:
                    defined[k] = (strength, a, b, term)

        # Halves of a word that text extraction split apart, even far apart in a flattened
        # table ("Circum erence", "circles. erence 4. Find circum"): rare words of the group
        # that join into a common one.
        rare = [
            c.words[0].lower()
            for c in found.values()
            if len(c.words) == 1 and _fragment_like(c.words[0])
        ][:FRAGMENT_MAX]
        halves = {
            x for x in rare for y in rare if x != y and (_split_word(x, y) or _split_word(y, x))
        }
        web = any(text.find(m, a, b) >= 0 for a, b in spans for m in ("www.", "http", "://"))

        # Score candidates, merged onto concept keys.
        local: dict[str, float] = {}
        reps: dict[str, Candidate] = {}
        here: dict[str, int] = {}  # first offset of each key in this group
        for c in found.values():
            if not _acceptable(c, self.abbrev):
                continue
            if text[c.occurrences[0][0] - 1 : c.occurrences[0][0]] == "@":
                continue  # a social-media handle ("@staysaasy"), not a concept
            if _label_only(text, c):
                continue  # "Clawd murmur:" opening lines: a speaker or caption label
            if halves and any(w.lower() in halves for w in c.words):
                continue
            if (_fragment_like(c.words[0]) or _fragment_like(c.words[-1])) and _fragment(text, c):
                continue
            if web and _in_address(text, c):
                continue
            k = self.key(c.surface)
            bonus = 0.0
            if len(c.words) == 1 and c.tf >= 2:
                bonus += UNIGRAM_TF_BONUS * math.log(c.tf)
            if k in heading_keys:
                bonus += BONUS_HEADING
            if k in emphasis:
                bonus += BONUS_EMPHASIS
            if k in code_spans:
                bonus += BONUS_CODE_SPAN
            if k in defined:
                bonus += BONUS_DEFINITION * defined[k][0]
            s = c.score + bonus
            if s > local.get(k, -1e9):
                local[k] = s
                reps[k] = c
            con = self.get(k)
            if len(c.surfaces) > 1:
                # Stems conflate "intersecting circles" with "intersects circle": keep forms
                # that are not verb phrases for naming.
                good = {f: n for f, n in c.surfaces.items() if not _verb_phrase(f.split())}
                con.surfaces.update(good or c.surfaces)
            else:
                con.surfaces.update(c.surfaces)
            off = c.occurrences[0][0]
            here[k] = min(here.get(k, off), off)
            if (di, off) < con.mentioned:
                con.mentioned = (di, off)
            if di not in con.other_mentions:
                con.other_mentions[di] = (off, c.occurrences[0][1])
        for k, (strength, a, _b, term) in defined.items():
            if k not in local and _clean_term(term):
                local[k] = BONUS_DEFINITION * strength - 1.0
                con = self.get(k)
                con.surfaces[term] += 1
                here[k] = a
                if (di, a) < con.mentioned:
                    con.mentioned = (di, a)
        # A heading term the prose does not repeat word for word names a topic the document
        # organises several sections around ("Index Alignment in Series", "... in DataFrames";
        # "Scaling Laws: Approach 3", "... Approach 2"); a one-off title does not.
        recurring = self.heading_terms(di)
        for k, term in heading_keys.items():
            if k in local or group.kind == "comment" or recurring[k] < 2:
                continue
            if " " not in term and "-" not in term:
                continue
            local[k] = BONUS_HEADING - 1.0
            con = self.get(k)
            con.surfaces[term] += 1
            here.setdefault(k, g_start)
        for k, surface in api.items():
            con = self.get(k)
            con.surfaces[surface] += 1
            local[k] = max(local.get(k, -1e9), BONUS_API)
            if k not in here:
                pos = text.find(surface, g_start, g_end)
                here[k] = pos if pos >= 0 else g_start
            if (di, here[k]) < con.mentioned:
                con.mentioned = (di, here[k])
        for k, term in heading_keys.items():
            if k in self.concepts:
                self.concepts[k].heading_surfaces[term] += 1
        singles = self._book_statistics(text, spans, found, defined, local)

        # The section's ceiling: groups of one section (under one heading) share it.
        section = (di, headings) if headings else ()
        if section and section == self.section and self.section_groups < SECTION_GROUPS:
            self.section_groups += 1
        else:
            self.section, self.section_groups, self.section_box = section, 1, [0]
        ceiling = MAX_PER_GROUP - self.section_box[0]

        # Select this group's top k.
        budget = max(3, min(10, n_words // 15 + 3)) if n_words >= 25 else min(2, len(local))
        ranked = sorted(local.items(), key=lambda kv: -kv[1])
        chosen: list[str] = []
        fresh = 0  # concepts this group introduces; re-selected known ones are evidence
        if BUDGET == "novel":
            new_budget = min(budget, max(NEW_MIN, round(NOVEL_SHARE * novel)))
        elif BUDGET == "known_free":
            new_budget = max(min(3, budget), round(budget * NEW_BUDGET_SHARE))
        else:
            new_budget = budget
        limit = budget if BUDGET == "all" else budget + KNOWN_EXTRA
        for k, s in ranked:
            if len(chosen) >= limit:
                break
            is_new = k not in self.concepts or not self.concepts[k].groups
            if is_new and fresh >= ceiling:
                continue
            if is_new and fresh >= new_budget:
                if BUDGET != "novel":
                    break
                # A term the section defines or names in its heading may still come in (up to
                # the length budget): the author marked it, whatever the new vocabulary.
                marked = (
                    (k in defined and defined[k][0] >= MARKED_STRENGTH)
                    or (MARKED_HEADING and k in heading_keys)
                    or (ADMISSION == "evidence" and k in emphasis and " " in k)
                )
                if not marked or fresh >= max(budget, MARKED_MIN):
                    continue
            rep = reps.get(k)
            if rep is not None and rep.alone == 0 and k not in defined:
                if any(f" {rep.key} " in f" {reps[o].key} " for o in chosen if o in reps):
                    continue
            if s < MIN_LOCAL_SCORE and k not in defined and k not in api:
                break
            chosen.append(k)
            fresh += is_new
        siblings = self._siblings(
            di, text, sent_spans, chosen, local, reps, defined, heading_keys, ceiling
        )
        fresh_now = sum(1 for k in chosen if k not in self.concepts or not self.concepts[k].groups)
        self.section_box[0] += fresh_now
        self.rooms.append((di, [fresh_now, max(budget, MARKED_MIN)], self.section_box, singles))
        self.group_at.append(((di, g_start), self.section_box))
        for k in chosen:
            con = self.get(k)
            s = local[k]
            if not con.groups:
                # Introduced here: its first mention in this group (a list member: its list).
                at = here.get(k, siblings[k][0] if k in siblings else g_start)
                con.first_seen = min(con.first_seen, (di, at))
            con.best = max(con.best, s)
            con.total += 1.0 / (1.0 + math.exp(-s))
            con.groups += 1
            con.docs.add(di)
            rep = reps.get(k)
            discussed = " " in k or rep is None or rep.tf >= 2
            if group.kind == "comment" and k in heading_keys:
                # A comment labelling a block ("# termination conditions", "# cross fingers")
                # is a weaker mark than a heading: ``_admitted`` wants the term used again.
                con.taught.add("label")
                con.label_hits += 1
            elif (k in heading_keys and discussed) or (
                k.count(" ") == 1
                and k.rsplit(" ", 1)[-1] == topic
                and (rep is None or rep.words[0].lower() not in _EVALUATIVE)
            ):
                con.taught.add("heading")  # the section's topic, or a kind of it
            if k in defined and defined[k][0] >= ADMIT_DEFINITION:
                if defined[k][0] < 1.0 or s >= ADMIT_WEAK_SCORE:
                    con.taught.add("definition")
            if k in emphasis:
                con.taught.add("emphasis")
            if k in api:
                con.taught.add("api")
            if self._in_code(reps.get(k)):
                con.taught.add("identifier")  # "block size" and `block_size`: code and prose
            if k in self.short_of:
                con.taught.add("abbreviation")  # "Distributed Data Parallel (DDP)": spelled out
            if k in defined:
                strength, a, b = defined[k][:3]
                cand = (-strength, di, a, b)
                if con.definition is None or cand < con.definition:
                    con.definition = cand
            elif k in emphasis and con.definition is None and k in here:
                # The sentence that sets the term in bold or italics introduces it ("Its
                # weakness is **primary clustering**, the tendency of ..."): a definition
                # until a defining sentence is found.
                for a, b in sent_spans:
                    if a <= here[k] < b and b - a <= MAX_QUOTE:
                        con.definition = (-EMPHASIS_DEFINITION, di, a, b)
                        break
            if k in siblings and len(con.mentions) < MAX_MENTIONS:
                con.mentions.append((di, *siblings[k]))
            elif len(con.mentions) < MAX_MENTIONS and k in reps:
                off = reps[k].occurrences[0][0]
                for a, b in sent_spans:
                    if a <= off < b:
                        con.mentions.append((di, a, b))
                        break

    def _book_statistics(
        self,
        text: str,
        spans: list[tuple[int, int]],
        found: dict[str, Candidate],
        defined: dict[str, tuple[float, int, int, str]],
        local: dict[str, float],
    ) -> dict[str, tuple[float, int, int]]:
        """Count this group's single words into the batch's statistics (spread, occurrences,
        occurrences as a modifier, defined terms whose defining sentence uses the word); return
        them with their local score and first occurrence.

        "A midpoint is a point on a segment ...": "point" and "segment" are used to define
        "midpoint" (its own words do not count: "triangle" in the definition of "right
        triangle").
        """
        modifier: Counter = Counter()
        for c in found.values():
            if len(c.words) == 2:
                modifier[c.key.split(" ", 1)[0]] += c.tf
        singles: dict[str, tuple[float, int, int]] = {}
        for a, b in spans:
            self.n_tokens += text.count(" ", a, b) + text.count("\n", a, b) + 1
        for c in found.values():
            if len(c.words) != 1:
                continue
            k = self.key(c.surface)
            if k not in local or " " in k:
                continue  # not acceptable, or an abbreviation of a longer term
            self.spread[k] += 1
            self.word_tf[k] += c.tf
            self.word_mod[k] += modifier[c.key]
            singles[k] = (local[k], *c.occurrences[0])
        for dk, (_strength, a, b, term) in defined.items():
            m = _GENUS.search(text, a, b)
            if not m:
                continue
            first = chunks(text, m.end(), b)
            if not first or first[0][0][1] != m.end():
                continue  # "is in ...", "is not ...": no genus right after the copula
            head, _, end = first[0][-1]
            if _NOT_GENUS_AFTER.match(text, end):
                continue  # "lines are cut by a transversal", "is half the sum": not a genus
            k = self.key(head)
            if k in singles and k not in {self.key(w) for w in WORD_RE.findall(term)}:
                self.genus.setdefault(k, set()).add(dk)
        return singles

    def book_terms(self) -> None:
        """Introduce the batch's basic terms that no group selected (``BOOK_TERMS``).

        A single word that is the genus of ``BOOK_GENUS`` defined terms, used in at least
        ``BOOK_SPREAD`` groups, mostly as a phrase's head, a key word of the batch
        (``BOOK_KEYNESS``) and a noun comes in at the first group that mentions it and has
        room (fewer new concepts than its budget, its section under ``MAX_PER_GROUP``).
        Genus of the most terms first.
        """
        if not BOOK_TERMS:
            return
        picks = []
        for k, users in self.genus.items():  # insertion order: deterministic
            con = self.concepts.get(k)
            if con is None or con.kind != "term" or len(k) < 3:
                continue
            if con.groups:
                if len(users) >= BOOK_GENUS:
                    con.taught.add("genus")  # selected already; the definitions teach it
                continue
            if len(users) < BOOK_GENUS or self.spread[k] < BOOK_SPREAD:
                continue
            if self.word_mod[k] > (1.0 - BOOK_HEAD_SHARE) * self.word_tf[k]:
                continue  # mostly a modifier: "right" in "right angle"
            if self.keyness(con) < BOOK_KEYNESS or not _noun_like(con):
                continue
            picks.append((len(users), k))
        picks.sort(key=lambda p: -p[0])
        for _n, k in picks:
            con = self.concepts[k]
            for di, room, box, singles in self.rooms:
                if k not in singles or room[0] >= room[1] or box[0] >= MAX_PER_GROUP:
                    continue
                score, a, b = singles[k]
                con.groups += 1
                con.docs.add(di)
                con.taught.add("genus")
                con.best = max(con.best, score)
                con.total += 1.0 / (1.0 + math.exp(-score))
                con.first_seen = min(con.first_seen, (di, a))
                con.mentions.append((di, *self._sentence_around(di, a, b)))
                room[0] += 1
                box[0] += 1
                break

    def named_terms(self) -> None:
        """Terms no group selected that the material names in two ways, admitted after all
        groups: a phrase its prose or comments use that its code names too ("block size" and
        ``block_size``, "gradient accumulation" and ``gradient_accumulation_steps``), and a
        phrase the material abbreviates ("reinforcement learning" and "RL"). Each is used at
        least ``NAMED_MENTIONS`` times; the first use is where it is introduced."""
        for c in list(self.concepts.values()):
            if c.kind != "term" or c.groups or c.mentioned[0] >= len(self.documents):
                continue
            spoken = Counter({f: n for f, n in c.surfaces.items() if "_" not in f})
            if sum(spoken.values()) < NAMED_MENTIONS:
                continue
            if c.key in self.short_of and " " in c.key:
                evidence = "abbreviation"
            elif " " in c.key and any(
                self._named_in_code(singular_phrase(f).lower().split()) for f in spoken
            ):
                evidence = "identifier"
            else:
                continue
            words = tuple(max(spoken, key=lambda f: (len(f.split()), spoken[f])).split())
            if not _acceptable_words(words) or (
                all(w[:1].isupper() for w in words)
                and any(zipf(w.lower()) < PROPER_NOUN_ZIPF for w in words)
            ):
                continue  # "Puerto Rico (PR)": a place or a person named, not a term taught
            di, off = c.mentioned
            end = off + len(max(spoken, key=len))
            c.groups = 1
            c.taught.add(evidence)
            c.best = max(c.best, 0.0)
            c.total += 0.5
            c.docs.add(di)
            c.first_seen = c.mentioned
            c.mentions.append((di, *self._sentence_around(di, off, end)))

    def attribute(self) -> None:
        """Set each term's ``first_seen`` to the place whose section lists it (``ATTRIBUTION``).

        "capped": in reading order of first mentions, a concept is listed where it is first
        mentioned while that section lists fewer than ``MAX_PER_GROUP`` (counting the concepts
        it introduced that no earlier section has taken), otherwise where it was introduced.
        A group introduces at most ``MAX_PER_GROUP``, so no section lists more.
        """
        terms = [c for c in self.concepts.values() if c.groups and c.kind == "term"]
        if ATTRIBUTION == "introduced" or not self.group_at:
            return
        if ATTRIBUTION == "mention":
            for c in terms:
                c.first_seen = min(c.first_seen, c.mentioned)
            return
        starts = [at for at, _ in self.group_at]

        def section(pos: tuple[int, int]) -> int:
            return id(self.group_at[max(0, bisect.bisect_right(starts, pos) - 1)][1])

        listed: Counter = Counter()
        pending: Counter = Counter()  # concepts a section introduced, not yet listed anywhere
        home = {c.key: section(c.first_seen) for c in terms}
        for c in terms:
            pending[home[c.key]] += 1
        for c in sorted(terms, key=lambda c: (min(c.mentioned, c.first_seen), c.first_seen)):
            pending[home[c.key]] -= 1
            where = section(c.mentioned)
            if c.mentioned < c.first_seen and listed[where] + pending[where] < MAX_PER_GROUP:
                c.first_seen = c.mentioned
            else:
                where = home[c.key]
            listed[where] += 1

    def keyness(self, con: _Concept) -> float:
        """How many times more frequent a single word is in the batch than in general English."""
        forms = {f.lower() for f in con.surfaces} or {con.key}
        rate = sum(10 ** (zipf(f) - 9.0) for f in forms if zipf(f) > 0)  # Zipf: per 10^9 words
        return self.word_tf[con.key] / max(rate * max(1, self.n_tokens), 1e-9)

    def _siblings(
        self,
        di: int,
        text: str,
        sent_spans: list[tuple[int, int]],
        chosen: list[str],
        local: dict[str, float],
        reps: dict[str, Candidate],
        defined: dict,
        heading_keys: dict[str, str],
        ceiling: int = MAX_PER_GROUP,
    ) -> dict[str, tuple[int, int]]:
        """Add to ``chosen`` the members of an enumeration that names a concept.

        "polygons such as triangles, pentagons and hexagons": when one member is a concept of
        this group (selected, defined or in the heading) or of the batch, the others that look
        like terms (``_sibling_ok``) are concepts too, up to ``MAX_PER_GROUP`` new concepts.
        A phrase chosen only because a run glued list members together is dropped. Returns
        the new keys with the sentence they were found in.
        """
        added: dict[str, tuple[int, int]] = {}
        chosen_set = set(chosen)
        # The ceiling counts the concepts this group introduces: ones selected by an earlier
        # group (re-selected here as evidence) do not make a section's list longer.
        fresh = sum(1 for k in chosen if k not in self.concepts or not self.concepts[k].groups)

        def known(k: str) -> bool:
            if k in chosen_set or k in defined or k in heading_keys:
                return True
            c = self.concepts.get(k)
            return c is not None and c.groups > 0

        def evict() -> bool:
            """Make room for a list member: drop this group's weakest new, unmarked pick
            scored below SIBLING_EVICT (a member of an anchored list is better evidence)."""
            nonlocal fresh
            weak = [
                k
                for k in chosen
                if k not in added
                and k not in defined
                and k not in heading_keys
                and local[k] < SIBLING_EVICT
                and (k not in self.concepts or not self.concepts[k].groups)
            ]
            if not weak:
                return False
            k = min(weak, key=lambda k: local[k])
            chosen.remove(k)
            chosen_set.discard(k)
            fresh -= 1
            return True

        for a, b in sent_spans:
            if text.find(",", a, b) < 0 and not _CAP_RUN.search(text, a, b):
                continue  # no comma list and no capitalised run: skip the tokenising
            kinds: list[str] = []
            lists = enumerations(text, a, b, kinds)
            for items, kind in zip(lists, kinds, strict=True):
                keys = [self.key(surface) for surface, _, _ in items]
                anchors = sum(known(k) for k in keys)
                m = _LIST_INTRO.search(text, max(a, items[0][1] - 80), items[0][1])
                if m and known(self.key(m.group("cat"))):
                    anchors += 1  # "polygons such as ...": the category is a concept
                if anchors < 1:
                    continue
                if kind == "run":
                    lo, hi = items[0][1], items[-1][2]
                    for k in list(chosen):
                        rep = reps.get(k)
                        if (
                            rep is not None
                            and len(rep.words) > 1
                            and rep.tf == 1
                            and k not in defined
                            and lo <= rep.occurrences[0][0] < hi
                        ):
                            chosen.remove(k)
                            chosen_set.discard(k)
                            fresh -= k not in self.concepts or not self.concepts[k].groups
                for (surface, x, _y), k in zip(items, keys, strict=True):
                    if k in chosen_set and " " not in k and _sibling_ok(surface):
                        self.get(k).taught.add("list")  # selected, and a kind in the list
                    if fresh + len(added) >= ceiling and not evict():
                        return added
                    if known(k) or k in added or not _sibling_ok(surface):
                        continue
                    chosen.append(k)
                    chosen_set.add(k)
                    added[k] = (a, b)
                    if " " not in k:
                        self.get(k).taught.add("list")  # enumerated as kinds of a taught concept
                    local[k] = max(local.get(k, MIN_LOCAL_SCORE), MIN_LOCAL_SCORE)
                    con = self.get(k)
                    # A table row capitalises every word: "Heptagon" is the common noun.
                    con.surfaces[surface.lower() if kind == "run" else surface] += 1
                    if (di, x) < con.mentioned:
                        con.mentioned = (di, x)
        return added

    # -- code ----------------------------------------------------------------------------------
    def code_symbol(self, di: int, sec: Section, callers: Counter) -> None:
        sig = sec.signals
        kind = sig.get("symbol_kind")
        qual = sig.get("symbol", "")
        short = qual.rsplit(".", 1)[-1]
        if kind not in {"module", "class", "function"} or not qual:
            return
        if short.startswith("_") or short.startswith("test") or short == "conftest":
            return
        if kind in CODE_NEEDS_DOCSTRING and not (sig.get("docstring") or "").strip():
            return  # an undocumented helper or script: the material does not explain it
        name = qual if kind == "module" else short
        key = "code:" + qual
        con = self.get(key)
        con.kind = "code"
        con.symbol_kind = kind
        con.name = name
        con.surfaces[name] += 1
        if kind != "module":
            con.short_forms.add(qual)
        doc = self.documents[di]
        a, b = sig.get("def_span", [sec.start, sec.end])
        line_end = doc.text.find("\n", a, b)
        line_end = b if line_end < 0 else line_end
        if kind == "module":
            line_end = a
        doc_line = (sig.get("docstring") or "").strip().split("\n", 1)[0].strip()
        if doc_line:
            pos = doc.text.find(doc_line, a, b)
            if pos >= 0:
                con.definition = (-1.0, di, pos, pos + len(doc_line))
            con.code_definition = doc_line
        if line_end > a:
            con.code.append((di, a, min(line_end, a + MAX_QUOTE)))
        con.first_seen = min(con.first_seen, (di, a))
        con.docs.add(di)
        base = {"module": 0.55, "class": 0.7, "function": 0.45}[kind]
        base += 0.08 * math.log1p(callers.get(qual, 0)) + (0.1 if doc_line else 0.0)
        base += 0.05 if sig.get("doctests") else 0.0
        con.fixed_importance = min(1.0, base)

    def notebook_symbols(self, di: int) -> None:
        """Documented functions and classes of a notebook that is mostly code (a lecture
        notebook): ``params()`` documented as "estimates the number of parameters" is what it
        teaches.
        In a notebook whose prose carries the lesson, helpers (``make_df``) are not concepts."""
        doc = self.documents[di]
        code = [s for s in doc.sections if s.kind == "code"]
        prose = sum(s.end - s.start for s in doc.sections if s.kind in PROSE_KINDS)
        if not code or prose > NOTEBOOK_PROSE_SHARE * sum(s.end - s.start for s in code):
            return
        for sec in code:
            try:
                tree = ast.parse(doc.text[sec.start : sec.end])
            except (SyntaxError, ValueError, RecursionError):
                continue
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                    continue
                docstring = (ast.get_docstring(node) or "").strip()
                if not docstring or node.name.startswith("_"):
                    continue
                con = self.get("code:" + node.name)
                con.kind = "code"
                con.name = node.name
                con.surfaces[node.name] += 1
                lines = doc.text[sec.start : sec.end].split("\n")
                a = sec.start + sum(len(ln) + 1 for ln in lines[: node.lineno - 1])
                b = min(sec.end, a + len(lines[node.lineno - 1]))
                con.code.append((di, a, b))
                first = docstring.split("\n", 1)[0].strip()
                pos = doc.text.find(first, a, sec.end)
                if pos >= 0:
                    con.definition = (-1.0, di, pos, pos + len(first))
                con.code_definition = first
                con.first_seen = min(con.first_seen, (di, a))
                con.docs.add(di)
                con.fixed_importance = 0.5

    # -- results -------------------------------------------------------------------------------
    def _merge_terms_into_code(self) -> None:
        """A term that names a code symbol ("hashkit", "causal self-attention" for
        ``CausalSelfAttention``) is that code concept; the prose name becomes an alias."""
        code_by_name: dict[str, _Concept] = {}
        for c in self.concepts.values():
            if c.kind == "code":
                code_by_name.setdefault(c.name.lower(), c)
                code_by_name.setdefault(c.name.rsplit(".", 1)[-1].lower(), c)
                code_by_name.setdefault(compact_key(c.name.rsplit(".", 1)[-1]), c)
        if not code_by_name:
            return
        for key, c in list(self.concepts.items()):
            if c.kind == "code" or not c.groups:
                continue
            name = _canonical(c, self.short_of.get(key))
            target = code_by_name.get(name.lower()) or code_by_name.get(compact_key(name))
            if target is None:
                continue
            target.mentions.extend(c.mentions[: MAX_MENTIONS - len(target.mentions)])
            target.groups += c.groups
            target.first_seen = min(target.first_seen, c.first_seen)
            target.taught |= c.taught
            if name.lower() != target.name.lower():
                target.short_forms.add(name)
            if target.definition is None or (
                c.definition is not None and c.definition[0] < target.definition[0]
            ):
                target.definition = c.definition or target.definition
                if c.definition is not None:
                    target.code_definition = ""
            del self.concepts[key]

    def _fold(self, target: _Concept, c: _Concept) -> None:
        """Merge term ``c`` into ``target``: its forms become aliases, its evidence joins."""
        target.surfaces.update(c.surfaces)
        target.short_forms.update(c.surfaces)
        target.mentions.extend(c.mentions[: MAX_MENTIONS - len(target.mentions)])
        target.groups += c.groups
        target.docs |= c.docs
        target.taught |= c.taught
        target.best = max(target.best, c.best)
        target.first_seen = min(target.first_seen, c.first_seen)
        if c.definition is not None and (
            target.definition is None or c.definition < target.definition
        ):
            target.definition = c.definition
        del self.concepts[c.key]

    def _merge_variants(self) -> None:
        """Spelling variants of one term ("multi-index", "MultiIndex", "multiindex") merge into
        the one used in most groups; the others become its aliases. So do the names the
        material gives as the same ("hierarchical indexing (also known as multi-indexing)",
        ``synonyms``) and an API and the operation it abbreviates (``concat`` and
        "concatenation")."""
        by_compact: dict[str, _Concept] = {}
        for key, c in sorted(self.concepts.items(), key=lambda kv: -kv[1].groups):
            if c.kind == "code" or not c.groups:
                continue
            ck = compact_key(_canonical(c, self.short_of.get(key)))
            target = by_compact.get(ck)
            if target is None:
                by_compact[ck] = c
                continue
            self._fold(target, c)
        for alias, main in self.synonyms:
            a, m = by_compact.get(compact_key(alias)), by_compact.get(compact_key(main))
            if a is not None and m is not None and a is not m and a.key in self.concepts:
                self._fold(m, a)
                by_compact[compact_key(alias)] = m
        singles = [c for c in by_compact.values() if " " not in c.key]
        nouns = [c for c in singles if _NOMINAL.search(_canonical(c, None).lower())]
        for api in [c for c in singles if "api" in c.taught and c not in nouns]:
            name = _canonical(api, None).lower()
            if len(name) < 5 or not name.isalpha() or api.key not in self.concepts:
                continue
            for noun in nouns:
                word = _canonical(noun, None).lower()
                if noun.key in self.concepts and word.startswith(name) and _NOMINAL.search(word):
                    # "concat" is how the code spells "concatenation": the prose names it.
                    noun.name = noun.name or _canonical(noun, self.short_of.get(noun.key))
                    self._fold(noun, api)
                    break

    def _merge_inverse_apis(self) -> None:
        """An API and its inverse or negation are taught as a pair ("stack" and "unstack",
        "isnull" and "notnull", "isna" and "notna"): one concept, the second an alias."""
        apis = {
            _canonical(c, None): c
            for c in self.concepts.values()
            if c.kind == "term" and "api" in c.taught and " " not in c.key
        }
        for name, c in list(apis.items()):
            low = name.lower()
            if low.startswith("un"):
                base = low[2:]
            elif low.startswith("not"):
                base = "is" + low[3:]
            else:
                continue
            pair = next(
                (
                    o
                    for o in self.concepts.values()
                    if o.kind == "term" and o is not c and " " not in o.key
                    and o.groups and _canonical(o, None).lower() == base
                ),
                None,
            )
            if pair is not None and pair.key in self.concepts and c.key in self.concepts:
                pair.name = pair.name or _canonical(pair, None)
                self._fold(pair, c)

    def _merge_code_into_techniques(self) -> None:
        """A class that implements a technique the prose teaches is that technique:
        ``LinearProbingTable`` ("A hash table that resolves collisions by linear probing") and
        "linear probing" are one concept, named as the prose names it, with the class's code."""
        terms = {
            _canonical(c, self.short_of.get(c.key)).lower(): c
            for c in self.concepts.values()
            if c.kind == "term" and c.groups and " " in c.key and self._admitted(c)
        }
        for key, code in list(self.concepts.items()):
            if code.kind != "code" or code.symbol_kind != "class" or not code.code_definition:
                continue
            doc_line = code.code_definition.lower()
            class_stems = {stem(w.lower()) for w in _CAMEL.sub(" ", code.name).split()}
            # The technique is the differentia, named after the genus ("A hash table that
            # resolves collisions by separate chaining"): the last term the line names.
            named = []
            for name, term in terms.items():
                m = re.search(rf"\b{re.escape(name)}\b", doc_line)
                if m and m.start() > 6 and {stem(w) for w in WORD_RE.findall(name)} & class_stems:
                    named.append((m.start(), term))
            if named:
                term = max(named, key=lambda p: p[0])[1]
                term.code.extend(code.code)
                term.short_forms.add(code.name)
                term.short_forms.update(code.short_forms)
                term.docs |= code.docs
                term.first_seen = min(term.first_seen, code.first_seen)
                if term.definition is None:
                    term.definition = code.definition
                del self.concepts[key]

    def _in_code(self, cand: Candidate | None) -> bool:
        """The phrase is also a name in the material's code ("gradient accumulation" and
        ``gradient_accumulation_steps``, "block size" and ``block_size``)."""
        if cand is None or not self.identifiers:
            return False
        return self._named_in_code([w.lower() for w in cand.words])

    def _named_in_code(self, words: list[str]) -> bool:
        if len(words) == 1:
            return False  # a single word is too often a variable by chance ("val", "node")
        joined = "_".join(words)
        return any(
            joined == name or name.startswith(joined + "_") for name in self._ids_by(words[0])
        )

    def _ids_by(self, first: str) -> list[str]:
        got = self._id_index.get(first)
        if got is None:
            got = self._id_index[first] = [n for n in self.identifiers if n.startswith(first)]
        return got

    def _topic_like(self, c: _Concept) -> bool:
        """A heading term that can name a topic: a phrase, a noun, or a gerund English does not
        know only as a verb ("finetuning" yes, "Installing" no)."""
        name = _canonical(c, self.short_of.get(c.key))
        if " " in name or _noun_like(c) or _noun_like(c, c.heading_surfaces):
            return True
        lemmas = _lemmas()
        pos = lemmas(name.lower()) if lemmas is not None and name.isalpha() else {}
        return name.lower().endswith("ing") and (not pos or "NOUN" in pos)

    def _admitted(self, c: _Concept) -> bool:
        if c.kind == "code":
            return True
        if not c.groups:
            return False
        if all(_file_word(f) for f in c.surfaces):
            return False  # "ipynb", "py", "bin": a file type named in links and commands
        name = _canonical(c, self.short_of.get(c.key))
        if name[:1].isupper() and name.split()[-1].lower() in self.speakers:
            return False  # "Karpathy", "Andrej Karpathy": a speaker, not something taught
        if ADMISSION == "all":
            return True
        taught = set(c.taught)
        if "label" in taught and c.groups <= c.label_hits:
            taught.discard("label")  # a block label no other part of the material takes up
        if taught - {"heading"} or ("heading" in taught and self._topic_like(c)):
            return True
        name = _canonical(c, self.short_of.get(c.key))
        if c.groups >= ADMIT_DISCUSSED and len(name) > 3 and (
            " " in name or (_noun_like(c) and c.best >= ADMIT_RECUR_SCORE)
        ):
            return True  # a key term of section after section: what the material discusses
        if c.groups < ADMIT_GROUPS or c.best < ADMIT_RECUR_SCORE:
            return False
        if " " in name:
            return True
        return len(name) > 3 and (
            zipf(name) < ADMIT_RECUR_ZIPF
            or (_noun_like(c) and self.keyness(c) >= ADMIT_RECUR_KEYNESS)
        )

    def results(self) -> list[ConceptDraft]:
        self.attribute()
        self._merge_variants()
        self._merge_inverse_apis()
        self._merge_terms_into_code()
        self._merge_code_into_techniques()
        picked = [c for c in self.concepts.values() if self._admitted(c)]
        if not picked:
            return []
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
        picked.sort(key=lambda c: (-importance[c.key], c.first_seen))
        picked = picked[: min(MAX_CONCEPTS, max(50, CONCEPTS_PER_GROUP * self.n_groups))]
        out: list[ConceptDraft] = []
        used_names: set[str] = set()
        for c in sorted(picked, key=lambda c: c.first_seen):
            out.append(self._draft(c, importance[c.key], used_names))
        return out

    def _draft(self, c: _Concept, importance: float, used: set[str]) -> ConceptDraft:
        name = c.name or _canonical(c, self.short_of.get(c.key))
        if name.lower() in used:
            name = f"{name} ({self.documents[c.first_seen[0]].title or 'source'})"
        used.add(name.lower())
        aliases: list[str] = []
        seen = {name.lower()}
        short = self.short_of.get(c.key, "")
        name_low = name.lower()
        surfaces = sorted(c.surfaces, key=lambda s: (s[:1].isupper(), -c.surfaces[s]))
        for s in surfaces + sorted(c.short_forms) + [short]:
            s = " ".join(s.split())
            # Keep inflections of the name ("models"), the abbreviation ("LLM", "LLMs") and
            # qualified code names; drop verb forms the stemmer conflated ("pointing").
            same = singular_phrase(s).lower() == name_low or s.lower() == name_low + "s"
            abbreviation = short and s.lower() in {short.lower(), short.lower() + "s"}
            expansion = short and singular_phrase(s).lower() != name_low and len(s.split()) > 1
            if not (same or abbreviation or expansion or s in c.short_forms):
                continue
            if s and s.lower() not in seen:
                seen.add(s.lower())
                aliases.append(s)
        evidence: list[Evidence] = []
        definition = ""
        if c.definition is not None:
            _, di, a, b = c.definition
            ev = self._evidence(di, a, b, "definition")
            evidence.append(ev)
            definition = c.code_definition or " ".join(ev.quote.split())
        for di, a, b in c.code:
            evidence.append(self._evidence(di, a, b, "code"))
        for di, a, b in c.mentions:
            if any(e.start == a and e.source == self.documents[di].path for e in evidence):
                continue
            evidence.append(self._evidence(di, a, b, "mention"))
        cited = {self.documents[m[0]].path for m in c.mentions}
        for di, (off, end) in sorted(c.other_mentions.items())[:MAX_MENTIONS]:
            if self.documents[di].path not in cited and (c.definition or (0, -1))[1] != di:
                a, b = self._sentence_around(di, off, end)
                evidence.append(self._evidence(di, a, b, "mention"))
        if not definition and c.kind == "term":
            for e in evidence:
                if e.role == "mention":
                    definition = " ".join(e.quote.split())
                    break
        return ConceptDraft(
            name=name,
            aliases=aliases[:12],
            definition=definition[:500],
            importance=max(0.0, min(1.0, importance)),
            kind="code" if c.kind == "code" else "term",
            evidence=evidence,
            first_seen=c.first_seen if c.first_seen[0] < (1 << 30) else (0, 0),
        )

    def _sentence_around(self, di: int, off: int, end: int) -> tuple[int, int]:
        """The sentence containing ``text[off:end]`` (searched in a window around it)."""
        text = self.norm[di]
        lo = max(0, off - MAX_QUOTE)
        for a, b in sentences(text, lo, min(len(text), end + MAX_QUOTE)):
            if a <= off and end <= b and a > lo:
                return a, b
        return off, end

    def _evidence(self, di: int, a: int, b: int, role: str) -> Evidence:
        doc = self.documents[di]
        if b - a > MAX_QUOTE:
            b = a + MAX_QUOTE
            cut = doc.text.rfind(" ", a, b)
            if cut > a + MAX_QUOTE // 2:
                b = cut
        return Evidence(source=doc.path, start=a, end=b, quote=doc.text[a:b], role=role)


_NOT_PLURAL = ("ss", "us", "is", "ics", "ous", "ys", "ness")


_SYN_TERM = r"[*_`\"\u201c]*(?P<{}>[A-Za-z][\w\-]*(?:[ \t][A-Za-z][\w\-]*){{0,3}}?)[*_`\"\u201d]*"
# "hierarchical indexing (also known as multi-indexing)", "X, also called Y,"
_ALSO_KNOWN = re.compile(
    _SYN_TERM.format("main") + r"\s*[(,]\s*(?:also|sometimes|often)\s+(?:known as|called|"
    r"referred to as)\s+" + _SYN_TERM.format("alias") + r"\s*[),.;]"
)
# "known as extrasolar planets, or exoplanets for short"
_FOR_SHORT = re.compile(
    r"\b(?:known as|called)\s+" + _SYN_TERM.format("main") + r",?\s+or\s+"
    + _SYN_TERM.format("alias") + r"\s+for short\b"
)
# Words each pattern above needs verbatim: a text with none of them cannot match.
_SYN_NEEDS = {
    _ALSO_KNOWN: ("known as", "called", "referred to as"),
    _FOR_SHORT: ("for short",),
}
INITIALS_ZIPF = 4.0  # an acronym this common in general English is not the text's own name
_ACRONYM = re.compile(r"\b[A-Z]{2,5}s?\b")


def initials_abbreviations(text: str) -> list[tuple[str, str]]:
    """(short, long) for an acronym the text uses at least twice and spells out somewhere
    without saying so: "AVM" and "Advanced Voice Mode", "RL" and "reinforcement learning".
    The expansion is the most frequent run of words whose initials spell the acronym, none
    a stop word, in one case style.

    >>> initials_abbreviations("RL is hard. Reinforcement learning needs reward. RL again.")
    [('RL', 'Reinforcement learning')]
    """
    counts = Counter(m.group().rstrip("s") for m in _ACRONYM.finditer(text))
    out = []
    for short, n in counts.items():
        if n < 2 or zipf(short.lower()) >= INITIALS_ZIPF:
            continue  # "US", "CA", "NA": a word or a common code, not this text's own name
        words = r"[ \t]+".join(rf"[{ch}{ch.lower()}][a-z]+" for ch in short)
        found = Counter(m.group() for m in re.finditer(rf"\b{words}\b", text))
        found = Counter(
            {
                f: k
                for f, k in found.items()
                if not any(w.lower() in STOPWORDS for w in f.split())
                and (f.islower() or f.split()[0][0].isupper())
            }
        )
        if found:
            out.append((short, found.most_common(1)[0][0]))
    return out


_IDENTIFIER = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)*\b")
_SPEAKER = re.compile(r"^([A-Z][a-z]+)(?:[ \t]+[A-Za-z]+){0,2}[ \t]*:", re.M)
_LIBRARY_WORDS = frozenset("python pandas numpy pytorch torch scipy sklearn".split())
_KIND_WORDS = frozenset(
    "object objects method methods attribute attributes keyword keywords".split()
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# The noun of an operation: "concatenation", "aggregation", "merging", "assignment".
_NOMINAL = re.compile(r"(?:ation|tion|sion|ing|ment)$")


def compact_key(name: str) -> str:
    """One key for the spellings of a name, prose or code: CamelCase and snake_case split,
    stemmed, then spaces and punctuation dropped.

    >>> compact_key("CausalSelfAttention") == compact_key("causal self-attention")
    True
    >>> compact_key("MultiIndex") == compact_key("multi-index")
    True
    >>> compact_key("GroupBy object") == compact_key("groupby")
    True
    """
    spaced = _CAMEL.sub(" ", name.rsplit(".", 1)[-1]).replace("_", " ")
    words = spaced.split()
    while len(words) > 1 and words[0].lower() in _LIBRARY_WORDS:
        words = words[1:]  # "Pandas Series", "Python dictionary"
    while len(words) > 1 and words[-1].lower() in _KIND_WORDS:
        words = words[:-1]  # "GroupBy object", "append method", "merge function"
    # Joined before stemming: "groupby" and "Group By" stem alike only as one word.
    return stem(re.sub(r"[^a-z0-9]", "", singular_phrase(fold(" ".join(words))).lower()))


_FILE_WORDS = frozenset(
    "py ipynb md txt json csv bin pkl yaml yml toml cfg ini lock sh png jpg jpeg gif svg pdf html "
    "np pd plt".split()
)


def _file_word(surface: str) -> bool:
    """A file extension or a module's import alias ("ipynb", "pd"), not a concept."""
    return surface.lower().strip(".") in _FILE_WORDS


def _api_name(name: str) -> bool:
    """A code span that names an API: a dotted name or a lower-case identifier, not a value
    (``True``), a constant (``NaN``) or a bare class or module name."""
    last = name.rsplit(".", 1)[-1]
    if "." in name:
        return True
    # An undotted common English word ("sum", "drop") is more often prose than an API name.
    return last.islower() and last.isidentifier() and zipf(last) < API_WORD_ZIPF


def _verbish(word: str) -> bool:
    w = word.lower().replace("'", "")
    if w in LEADING_VERBS:
        return True
    for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if w.endswith(suffix) and w[: -len(suffix)] + add in LEADING_VERBS:
            return True
    return False


def _acceptable(c: Candidate, abbreviations: dict[str, str]) -> bool:
    """Reject what a teacher would not list: actions, labels like "BD", generic single words."""
    return _acceptable_words(c.words) and not (
        len(c.words) == 1
        and c.words[0].isupper()
        and len(c.words[0]) <= 2
        and c.words[0].lower() not in abbreviations
    )


@lru_cache(maxsize=1)
def _lemmas():
    """lemminflect's English lemma lexicon (shipped inside that package; None without it)."""
    try:
        from lemminflect import getAllLemmas
    except ImportError:  # optional: without it only the suffix and word-list rules apply
        return None
    return getAllLemmas


@lru_cache(maxsize=200_000)
def verb_only(word: str) -> bool:
    """True for a word English uses only as a verb ("assign", "bought", "unpacks").

    Participles ("-ed", "-ing") are not counted: they often modify a term ("inscribed angle",
    "linked list", "sorting algorithm").

    >>> verb_only("assign"), verb_only("tasks"), verb_only("inscribed"), verb_only("polygon")
    (True, False, False, False)
    """
    lemmas = _lemmas()
    low = word.lower()
    if lemmas is None or low.endswith(("ed", "ing")) or not low.isalpha():
        return False
    pos = lemmas(low)
    return bool(pos) and set(pos) <= {"VERB", "AUX"}


def _noun_like(con: _Concept, surfaces: Counter | None = None) -> bool:
    """A single word that English can use as a noun (the lemma lexicon; any word without it),
    and whose surfaces (``con.surfaces`` unless given) are mostly not "-ly", "-ed" or "-ing"
    forms."""
    forms = Counter({f.lower(): n for f, n in (surfaces or con.surfaces).items()})
    if not forms:
        return False
    word, _ = max(forms.items(), key=lambda kv: kv[1])
    if word.endswith(("ly", "ed", "ing")):
        return False
    lemmas = _lemmas()
    if lemmas is None or not word.isalpha():
        return True
    pos = lemmas(word)
    return not pos or "NOUN" in pos


def _verb_phrase(words: list[str] | tuple[str, ...]) -> bool:
    return bool(words) and (verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1])))


# Words that refer to the text itself: a phrase starting with one ("term circumference",
# "chapter student", "concept youll") names the text, not a concept.
META_WORDS = frozenset(
    """term terms concept concepts chapter chapters section sections lesson lessons word words
    figure figures page pages example examples definition definitions""".split()
)


@lru_cache(maxsize=200_000)
def _acceptable_words(words: tuple[str, ...]) -> bool:
    if _verbish(words[0]) or words[0].lower() in GENERIC_HEADINGS and len(words) > 1:
        return False
    if len(words) > 1 and words[0].lower() in META_WORDS:
        return False
    if verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1])):
        return False  # "assign task", "bought apple", "Karpathy unpacks": verb phrases
    if any(w.lower().endswith("'s") for w in words):
        return False  # "X's auth wall": a possessive names an instance
    if len(words) > 1 and words[0].endswith("ing") and words[0][:1].isupper():
        return False  # "Constructing Perpendicular Bisector": a how-to title
    if (
        len(words) > 1
        and words[0][:1].isupper()
        and words[-1].islower()
        and words[-1].endswith("s")
        and not words[-1].endswith("ss")
        and len(words) == 2
        and not words[0].isupper()
    ):
        return False  # "Karpathy unpacks": a name and a verb, most likely
    for w in words[:-1]:
        low = w.lower()
        if len(low) > 3 and low.endswith("s") and not low.endswith(_NOT_PLURAL) and w.islower():
            return False  # "keys collide", "resolves collision": a plural or a verb inside
    if len(words) == 1:
        w = words[0]
        if w.lower() in GENERIC_WORDS or len(w) < 2 or w.isdigit():
            return False
    if all(any(ch.isdigit() for ch in w) for w in words):
        return False
    if len(words) > 1 and sum(len(w) <= 2 or not w.isalpha() for w in words) >= 2:
        return False  # formula fragments and labels: "ad bc", "SA rl", "4PRS 4T RQ"
    if any(_glued_article(w) for w in words):
        return False  # "Atransformation": an article glued on by text extraction
    if any(_split_word(a, b) for a, b in zip(words, words[1:], strict=False)):
        return False  # "transfor mation", "circum erence": a word split by text extraction
    return True


# Lost between the halves: nothing, a ligature ("ff", "fi", ...) or a single letter.
_LIGATURES = ("", "ff", "fi", "fl", "ffi", "ffl", *"abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=200_000)
@lru_cache(maxsize=200_000)
def _split_word(a: str, b: str) -> bool:
    """True when ``a b`` is one word that text extraction split, often where a ligature
    ("ff", "fi") was lost: the joined word is common English and clearly more common than
    either part. "circum erence" -> "circumference", "di erent" -> "different"; "note book"
    is not ("notebook" is rarer than "book").

    >>> [_split_word(*p) for p in [("circum", "erence"), ("transfor", "mation"), ("note", "book")]]
    [True, True, False]
    """
    if not (a.isalpha() and b.isalpha() and b.islower()):
        return False
    parts = max(zipf(a), zipf(b))
    for lig in _LIGATURES:
        joined = zipf(a.lower() + lig + b)
        if joined >= SPLIT_ZIPF and joined > parts + 1.0:
            return True
    return False


@lru_cache(maxsize=200_000)
def _fragment_like(word: str) -> bool:
    """Could be half of a split word or a piece of a web address: rare, not unknown."""
    return word.isalpha() and 0.0 < zipf(word) < FRAGMENT_ZIPF


@lru_cache(maxsize=200_000)
def _glued_article(word: str) -> bool:
    """ "Atransformation": an article glued to a common word by text extraction."""
    return (
        len(word) > 5
        and word[0] == "A"
        and word[1:].isalpha()
        and word[1:].islower()
        and zipf(word) == 0.0
        and zipf(word[1:]) >= SPLIT_ZIPF
    )


def _in_address(text: str, c: Candidate) -> bool:
    """The candidate's first occurrence is part of a web address ("www.eveandersson.com")."""
    a, b = c.occurrences[0]
    lo = text.rfind(" ", max(0, a - 80), a) + 1
    hi = text.find(" ", b, b + 80)
    run = text[lo if lo > 0 else max(0, a - 80) : hi if hi >= 0 else b + 80].lower()
    return "http" in run or "www." in run or "://" in run


def _fragment(text: str, c: Candidate) -> bool:
    """The candidate's first occurrence is half of a word split by text extraction ("erence"
    after "circum")."""
    a, b = c.occurrences[0]
    before = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, a - 30) : a])
    after = re.match(r"[ \t]+([a-z]+)", text[b : b + 30])
    return bool(
        (before and _split_word(before.group(1), c.words[0]))
        or (after and _split_word(c.words[-1], after.group(1)))
    )


_LABEL_AFTER = re.compile(r"[ \t]*:")


def _label_only(text: str, c: Candidate) -> bool:
    """Every occurrence opens a line and is followed by a colon: a label ("Host:")."""
    for a, b in c.occurrences:
        if a > 0 and text[a - 1] != "\n" or not _LABEL_AFTER.match(text, b):
            return False
    return True


# "DDP settings", "model init", "eval stuff": the label's topic is what comes before these.
_LABEL_TAIL = re.compile(
    r"\s+(?:settings?|setup|stuff|init|inits|notes?|details|options|config|helpers?|utils)\s*$",
    re.I,
)
_COMMENT_LABEL = re.compile(r"^\s*#+\s*(?P<label>[A-Za-z][\w\- /']{2,60}?)\s*$")


def _comment_label_terms(comment: str) -> list[str]:
    """Terms of a comment that labels a block: one line, at most 6 words, no sentence.

    >>> _comment_label_terms("# learning rate decay settings")
    ['learning rate decay']
    >>> _comment_label_terms("# model"), _comment_label_terms("# if True, exit after the eval")
    ([], [])
    """
    m = _COMMENT_LABEL.match(comment)
    if not m or "\n" in comment.strip() or len(m.group("label").split()) > 6:
        return []
    out = []
    label = _LABEL_TAIL.sub("", m.group("label"))
    for term in _heading_terms(label, settings=False):
        words = term.split()
        if len(words) > 1 or zipf(words[0]) < API_WORD_ZIPF:
            out.append(term)
    return out


_HEADING_SETTING = re.compile(
    r"^(.+?)\s+(?:in|with|for|on|using|from|within)\s+(?:the\s+)?(.+)$", re.I
)


def _process_name(text: str) -> str | None:
    """Three verbs name a process by its steps: "Split, Apply, Combine" ->
    "split-apply-combine" (also "Extract, transform and load"). A longer list of verbs
    ("Aggregate, Filter, Transform, Apply") lists separate operations.

    >>> _process_name("Split, Apply, Combine"), _process_name("Lists, Tuples, Sets")
    ('split-apply-combine', None)
    """
    parts = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", text.strip().rstrip(".!")) if p]
    lemmas = _lemmas()
    if len(parts) != 3 or lemmas is None:
        return None
    for p in parts:
        if not p.isalpha() or "VERB" not in lemmas(p.lower()):
            return None
    return "-".join(p.lower() for p in parts)


def _heading_terms(title: str, settings: bool = True) -> list[str]:
    """Concept-like terms in a heading: "2.1 Pythagorean Theorem and Triples" -> 2 terms.
    With ``settings``, "Triangles in the Coordinate Plane" gives both of its terms."""
    title = re.sub(r"^\s*(?:[\dIVX]+[.)]?)+\s+", "", fold(title))
    process = _process_name(title.rsplit(":", 1)[-1])
    if process:
        return [process]
    out = []
    for part in re.split(
        r"\s*(?:,|;|:|\band\b|\bor\b|\bvs\.?|&|\(|\)|\?|\s[\u2014\u2013]\s|\s-{1,2}\s)\s*", title
    ):
        part = re.sub(
            r"^(?:the|a|an|on|about|what|how|why|using|introduction to)\s+", "", part, flags=re.I
        )
        # "Index Alignment in Series": the topic, and the setting it is taught in.
        pieces = [part]
        m = _HEADING_SETTING.match(part)
        if settings and m and not _clean_term(part):
            pieces = [m.group(1), m.group(2)]
        for piece in pieces:
            term = _clean_term(piece) if piece else None
            if term and term.lower() not in GENERIC_HEADINGS and len(term.split()) <= 4:
                out.append(term)
    return out


def _canonical(c: _Concept, short: str | None) -> str:
    """Name: the most frequent surface form, singular head, lower case unless it is a name.

    Forms that are only the abbreviation ("LLM", "LLMs") are skipped when an expansion exists.
    A form capitalised only on its first letter (a sentence start or a heading) is lower-cased.
    """
    counts: Counter = Counter()
    shorts = {short.lower(), short.lower() + "s"} if short else set()
    for s, n in c.surfaces.items():
        s = " ".join(s.split())
        if s.lower() not in shorts:
            counts[s] += n
    if not counts:
        counts = Counter({" ".join(s.split()): n for s, n in c.surfaces.items()})
    by_lower: Counter = Counter()
    for s, n in counts.items():
        by_lower[s.lower()] += n
    best_low = max(by_lower.items(), key=lambda kv: (kv[1], singular_phrase(kv[0]) == kv[0]))[0]
    forms = [s for s in counts if s.lower() == best_low]
    if best_low in forms:
        name = best_low
    else:
        top = max(forms, key=lambda s: counts[s])
        # Only ever capitalised: a name ("Karpathy", rare in general English) keeps its capital;
        # a common word seen only at sentence starts or in headings ("Tokens") loses it.
        if top[1:] == top[1:].lower() and zipf(top.split()[0]) >= PROPER_NOUN_ZIPF:
            name = top[:1].lower() + top[1:]
        else:
            name = top
    return singular_phrase(_untitle(name))


def _untitle(name: str) -> str:
    """ "Productivity Anxiety" (a heading or label in Title Case) -> "productivity anxiety";
    acronyms and names rare in general English keep their capitals ("AI and education")."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() or w.lower() in STOPWORDS for w in words):
        return name
    out = []
    for w in words:
        if w.isupper() or (w[:1].isupper() and zipf(w.lower()) < PROPER_NOUN_ZIPF) or any(
            ch.isupper() for ch in w[1:]
        ):
            out.append(w)
        else:
            out.append(w.lower())
    return " ".join(out)


@dataclass
class _Group:
    """Prose under one heading: spans of ``Document.text`` and their merged signals."""

    spans: list[tuple[int, int]]
    heading_path: tuple[str, ...]
    signals: dict = field(default_factory=dict)
    kind: str = "prose"
    size: int = 0


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at line breaks (or spaces) into pieces of about ``limit`` chars."""
    out = []
    while end - start > limit:
        cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut < 0:
            cut = start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _groups(doc: Document) -> list[_Group]:
    """Consecutive prose sections under one heading, cut at about ``GROUP_CHARS`` characters."""
    out: list[_Group] = []
    cur: _Group | None = None
    for s in doc.sections:
        if s.kind not in PROSE_KINDS:
            if s.kind == "heading" and cur is not None:
                out.append(cur)
                cur = None
            continue
        for a, b in _split_long(doc.text, s.start, s.end, GROUP_CHARS):
            if cur is not None and (
                s.heading_path != cur.heading_path
                or cur.size + (b - a) > GROUP_CHARS
                or s.kind != cur.kind
            ):
                out.append(cur)
                cur = None
            if cur is None:
                cur = _Group([], s.heading_path, {}, s.kind)
            cur.spans.append((a, b))
            cur.size += b - a
        if cur is not None:
            for key in ("emphasis", "code_spans"):
                if s.signals.get(key):
                    cur.signals.setdefault(key, []).extend(s.signals[key])
    if cur is not None:
        out.append(cur)
    return out


def extract_concepts(documents: list[Document]) -> list[ConceptDraft]:
    """Concepts of a batch of documents, merged across them, in order of first appearance."""
    batch = _Batch(documents)
    callers: Counter = Counter()
    for doc in documents:
        if doc.format == "code":
            for s in doc.sections:
                for name in s.signals.get("calls", []) or []:
                    callers[name] += 1
    for di, doc in enumerate(documents):
        for group in _groups(doc):
            batch.prose_group(di, group)
        if doc.format == "code":
            for s in doc.sections:
                if s.signals.get("definition"):
                    batch.code_symbol(di, s, callers)
        elif doc.format == "notebook":
            batch.notebook_symbols(di)
    batch.book_terms()
    batch.named_terms()
    return batch.results()
