"""Ask the tutor: answers drawn from the curriculum's own sources, with citations.

Offline (the default) the tutor does not write an answer, it *quotes* one: it retrieves the
passages that best match the question (the store's FTS index, BM25), scores their sentences by
the question's content words (stemmed, weighted by rarity among the retrieved sentences), and
quotes the best one to three sentences with their exact spans. When the retrieved text does not
cover at least half of what the question is about, the answer is "not covered here" rather
than a quote about something else. With an LLM engine, the same retrieved passages go to the
engine's ``answer_question`` and its grounded answer is returned.

Source text and the question are data: nothing in either is followed as an instruction.

>>> from teachback.engine.protocol import Span
>>> text = "Osmosis is the movement of water across a membrane. Cells swell in pure water."
>>> answer_question("What is osmosis?", [Span(source="s1", start=0, end=len(text), quote=text)]
...                 ).citations[0].quote
'Osmosis is the movement of water across a membrane.'
>>> answer_question("Who won the 1998 World Cup?",
...                 [Span(source="s1", start=0, end=len(text), quote=text)]).covered
False

Not handled: questions in languages other than English (stemming and stop words are English);
arithmetic or reasoning beyond what a quoted sentence says.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from teachback.core.text import stem
from teachback.curricula.db import Database
from teachback.engine.protocol import Engine, GroundedAnswer, Span

# Words that say what kind of question it is, not what it is about.
QUESTION_WORDS = frozenset(
    """what whats who whom whose which when where why how does do did is are was were explain
    describe define definition mean means meaning tell difference between compare example
    examples give list name role purpose work works happen happens use used called""".split()
)
STOP = frozenset(ENGLISH_STOP_WORDS) | QUESTION_WORDS
MIN_COVERAGE = 0.5  # share of the question's content (rarity-weighted) the quote must cover
MAX_QUOTES = 3
QUOTE_SKIP = frozenset({"heading", "code", "output", "doctest"})

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_']*|\d+")
_DEFINITION = re.compile(
    r"^(?:an?\s+|the\s+)?([\w\s'-]{1,60}?)\s+(?:is|are|refers? to|means|denotes)\b", re.I
)
# Heading, quote and list marks, and a docstring's opening quotes.
_MARKER = re.compile(r"^(?:[#>]+\s*|[-*+]\s+|\d+[.)]\s+|\"\"\"|\'\'\')+")
# A sentence ends at . ! ? or a blank line; single newlines are soft wraps inside it.
_SENTENCE = re.compile(r"(?:[^.!?\n]|\n(?!\s*\n))+(?:[.!?]+|$)", re.M)

NOT_COVERED = (
    "That is not covered here: the sources of this curriculum do not talk about it, so I will "
    "not guess. Try asking about one of the concepts on the Progress page."
)


def content_stems(text: str) -> list[str]:
    """Stemmed content words: ``"What are the pointers?" -> ['pointer']``."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    return [stem(w) for w in words if w and w not in STOP and len(w) > 1]


def sentences(span: Span) -> list[Span]:
    """Split a passage into sentence spans whose offsets stay exact in the source."""
    out = []
    for m in _SENTENCE.finditer(span.quote):
        raw = m.group(0)
        stripped = _MARKER.sub("", raw.strip()).strip()
        if len(content_stems(stripped)) < 2:
            continue
        start = m.start() + raw.index(stripped)
        out.append(
            Span(
                source=span.source,
                start=span.start + start,
                end=span.start + start + len(stripped),
                quote=stripped,
            )
        )
    return out


def answer_question(question: str, passages: list[Span]) -> GroundedAnswer:
    """Quote the sentences of ``passages`` that answer ``question``, or say it is not covered."""
    wanted = set(content_stems(question))
    candidates = [s for p in passages for s in sentences(p)]
    if not wanted or not candidates:
        return GroundedAnswer(covered=False, text=NOT_COVERED)
    stems = [set(content_stems(s.quote)) for s in candidates]
    df = Counter(t for sent in stems for t in sent if t in wanted)
    # A question word found in none of the sentences still counts (as rare): it is content the
    # sources do not have, so it must lower the coverage.
    weight = {t: math.log(1 + (len(candidates) + 1) / (df.get(t, 0) + 0.5)) for t in wanted}
    total = sum(weight.values())

    def score(i: int) -> float:
        return sum(weight[t] for t in stems[i] & wanted) / total

    def defines(i: int) -> bool:
        # "X is ...", "X refers to ...", "X means ...", with X a word of the question.
        m = _DEFINITION.match(re.sub(r"[*_`]", "", candidates[i].quote))
        subject = set(content_stems(m.group(1))) if m else set()
        return bool(subject) and subject <= wanted

    ranked = sorted(range(len(candidates)), key=lambda i: (-score(i), not defines(i), i))
    chosen: list[int] = []
    covered: set[str] = set()
    for i in ranked[: MAX_QUOTES * 3]:
        if score(i) == 0 or len(chosen) == MAX_QUOTES:
            break
        new = (stems[i] & wanted) - covered
        if chosen and not new and score(i) < score(chosen[0]):
            continue  # adds nothing the first quote did not already say
        chosen.append(i)
        covered |= stems[i] & wanted
    coverage = sum(weight[t] for t in covered) / total
    if not chosen or coverage < MIN_COVERAGE:
        return GroundedAnswer(covered=False, text=NOT_COVERED)
    quotes = [candidates[i] for i in chosen]
    text = "From the sources:\n\n" + "\n\n".join(f"> {' '.join(q.quote.split())}" for q in quotes)
    return GroundedAnswer(covered=True, text=text, citations=quotes)


def retrieve(
    db: Database, curriculum: str, question: str, limit: int = 8, *, sources=None
) -> list[Span]:
    """The curriculum's passages that best match the question (BM25 over the FTS index);
    ``sources`` (ids) keeps only passages of those sources (the published version's)."""
    from teachback.curricula import repository

    terms = [w for w in _WORD.findall(question.lower()) if w not in STOP and len(w) > 1]
    if not terms:
        return []
    rows = repository.search_passages(db, curriculum, " ".join(terms), limit=3 * limit)
    if sources is not None:
        rows = [r for r in rows if r["source_id"] in sources]
    # Prose answers questions; headings, bare code and outputs only name things.
    prose = [r for r in rows if r.get("kind") not in QUOTE_SKIP][:limit]
    rows = prose or rows[:limit]
    return [
        Span(
            source=r["source_id"],
            start=r["start"],
            end=r["start"] + len(r["text"]),
            quote=r["text"],
        )  # fmt: skip
        for r in rows
        if r.get("text")
    ]


def ask(
    db: Database, curriculum: str, question: str, *, engine: Engine | None = None
) -> GroundedAnswer:
    """Answer a learner's question from the sources of ``curriculum``'s published version (an
    LLM ``engine`` optional); ``NotFound`` when it is not published."""
    question = (question or "").strip()[:2000]
    if not question:
        return GroundedAnswer(covered=False, text="Ask a question about this curriculum.")
    from teachback.tutor.published import load_curriculum

    # Learners see the published version only: its sources, not material ingested since.
    published = load_curriculum(db, curriculum, published_only=True)  # NotFound: unpublished
    passages = retrieve(db, curriculum, question, sources=published.source_ids)
    if engine is not None and engine.name != "embedded":
        from teachback.errors import ModelUnavailable

        try:
            return engine.answer_question(question, passages)
        except ModelUnavailable:
            pass  # fall back to quoting, offline
    return answer_question(question, passages)
