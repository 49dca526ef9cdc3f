"""Terms a heading names ("2.1 Pythagorean Theorem and Triples" -> two terms), the process a
heading names by its steps ("Split, Apply, Combine"), and the topic of a comment that labels a
block of code ("# learning rate decay settings")."""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.concepts.lexicon import GENERIC_HEADINGS, clean_term, lemma_lexicon
from teachback.ingest.concepts.settings import API_WORD_ZIPF
from teachback.ingest.keyphrases.frequency import zipf

_LABEL_TAIL = re.compile(
    r"\s+(?:settings?|setup|stuff|init|inits|notes?|details|options|config|helpers?|utils)\s*$",
    re.I,
)
_COMMENT_LABEL = re.compile(r"^\s*#+\s*(?P<label>[A-Za-z][\w\- /']{2,60}?)\s*$")


def comment_label_terms(comment: str) -> list[str]:
    """Terms of a comment that labels a block: one line, at most 6 words, no sentence.

    >>> comment_label_terms("# learning rate decay settings")
    ['learning rate decay']
    >>> comment_label_terms("# model"), comment_label_terms("# if True, exit after the eval")
    ([], [])
    """
    m = _COMMENT_LABEL.match(comment)
    if not m or "\n" in comment.strip() or len(m.group("label").split()) > 6:
        return []
    out = []
    label = _LABEL_TAIL.sub("", m.group("label"))
    for term in heading_terms(label, settings=False):
        words = term.split()
        if len(words) > 1 or zipf(words[0]) < API_WORD_ZIPF:
            out.append(term)
    return out


_HEADING_SETTING = re.compile(
    r"^(.+?)\s+(?:in|with|for|on|using|from|within)\s+(?:the\s+)?(.+)$", re.I
)


def process_name(text: str) -> str | None:
    """Three verbs name a process by its steps: "Split, Apply, Combine" ->
    "split-apply-combine" (also "Extract, transform and load"). A longer list of verbs
    ("Aggregate, Filter, Transform, Apply") lists separate operations.

    >>> process_name("Split, Apply, Combine"), process_name("Lists, Tuples, Sets")
    ('split-apply-combine', None)
    """
    parts = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", text.strip().rstrip(".!")) if p]
    lemmas = lemma_lexicon()
    if len(parts) != 3 or lemmas is None:
        return None
    for p in parts:
        if not p.isalpha() or "VERB" not in lemmas(p.lower()):
            return None
    return "-".join(p.lower() for p in parts)


# A heading written as a sentence names its topic after the verb: "Everything Should Be an API
# Endpoint", "Mostly a Skill Issue", "What Is a Hash Table".
_COMPLEMENT = re.compile(
    r"^(?:.*\b(?:is|are|be|was|were|becomes?)\s+|(?:(?:\w+ly|just|not|only)\s+)+)"
    r"(?:an?|the)\s+(?P<topic>.+)$",
    re.I,
)


def _complement(part: str) -> str:
    """The topic of a heading part written as a sentence (the part itself otherwise).

    >>> _complement("Everything Should Be an API Endpoint"), _complement("Mostly a Skill Issue")
    ('API Endpoint', 'Skill Issue')
    >>> _complement("Hash Tables in Practice")
    'Hash Tables in Practice'
    """
    m = _COMPLEMENT.match(part)
    return m.group("topic") if m else part


# "The append Method", "The on Keyword": an API named by its kind; "Specification of the Merge
# Key": what the section specifies.
_API_KIND = re.compile(
    r"^`?(?P<name>[a-z_][\w.]*)`?(?:\(\))?\s+(?i:method|function|keyword|attribute|argument|"
    r"parameter)s?$"
)
_ASPECT_OF = re.compile(
    r"^(?:(?:specification|definition|choice)\s+of|specifying|defining|choosing)\s+(?:the\s+)?"
    r"(?P<name>.+)$",
    re.I,
)


def _named_topic(part: str) -> str:
    """What a heading part is about when it names it by its kind or an aspect of it.

    >>> _named_topic("Specification of the Merge Key")
    'Merge Key'
    >>> _named_topic("Hash Functions")
    'Hash Functions'
    """
    m = _ASPECT_OF.match(part)
    return m.group("name") if m else part


# "A Multiply Indexed Series": a heading that is one indefinite noun phrase introduces an
# example of a thing (here, a Series with a MultiIndex), not a topic of its own. "A Tour of
# Pandas", "A list, array, or index providing ..." say more and are read as usual.
_EXAMPLE_HEADING = re.compile(
    r"^An?(?:\s+(?!(?:of|to|in|on|for|with|and|or|from|at|by|about|into|as|vs)\b)"
    r"[A-Za-z][\w\-]*){1,5}\s*$",
    re.I,
)


def heading_terms(title: str, settings: bool = True) -> list[str]:
    """Concept-like terms in a heading: "2.1 Pythagorean Theorem and Triples" -> 2 terms.
    With ``settings``, "Triangles in the Coordinate Plane" gives both of its terms.

    >>> heading_terms("A Multiply Indexed Series"), heading_terms("A Tour of Hash Tables")
    ([], ['Tour of Hash Tables'])
    """
    title = re.sub(r"^\s*(?:[\dIVX]+[.)]?)+\s+", "", fold(title))
    if _EXAMPLE_HEADING.match(title):
        return []
    process = process_name(title.rsplit(":", 1)[-1])
    if process:
        return [process]
    out = []
    for part in re.split(
        r"\s*(?:,|;|:|\band\b|\bor\b|\bvs\.?|&|\(|\)|\?|!|\s[\u2014\u2013]\s|\s-{1,2}\s)\s*",
        title,
    ):
        part = _complement(part.strip('"'))
        part = re.sub(
            r"^(?:the|a|an|on|about|what|how|why|using|handling|working with|dealing with|"
            r"introduction to)\s+",
            "",
            part,
            flags=re.I,
        )
        api = _API_KIND.match(part)
        if api and len(api.group("name")) > 2:
            out.append(api.group("name"))  # a code name: not checked as an English phrase
            continue
        part = _named_topic(part)
        # "Index Alignment in Series": the topic, and the setting it is taught in.
        pieces = [part]
        m = _HEADING_SETTING.match(part)
        if settings and m and not clean_term(part, heading=True):
            pieces = [m.group(1), m.group(2)]
        for piece in pieces:
            term = clean_term(piece, heading=True) if piece else None
            if term and term.lower() not in GENERIC_HEADINGS and len(term.split()) <= 4:
                out.append(term)
    return out
