"""Terms admitted after all groups were read, from what the whole batch shows:

* ``book_terms``: a word that is the genus of several definitions ("Perimeter is the
  distance around ...", "A radius is the distance from ...") is a basic term of the batch
  even where no section selects it; ``count_singles`` gathers the statistics it needs;
* ``named_terms``: a phrase the material names in two ways (prose and code, "block size" and
  ``block_size``; a phrase and its abbreviation).
"""

from __future__ import annotations

import math
from collections import Counter

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.definitions import GENUS, NOT_GENUS_AFTER
from teachback.ingest.concepts.lexicon import acceptable_words
from teachback.ingest.concepts.naming import noun_like
from teachback.ingest.concepts.settings import (
    BOOK_GENUS,
    BOOK_HEAD_SHARE,
    BOOK_KEYNESS,
    BOOK_SPREAD,
    MAX_PER_GROUP,
    NAMED_MENTIONS,
    PROPER_NOUN_ZIPF,
)
from teachback.ingest.keyphrases.candidates import Candidate, chunks
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import WORD_RE, singular_phrase


def count_singles(
    batch: Batch,
    text: str,
    spans: list[tuple[int, int]],
    found: dict[str, Candidate],
    defined: dict[str, tuple[float, int, int, str]],
    local: dict[str, float],
) -> dict[str, tuple[float, int, int]]:
    """Count a group's single words into the batch's statistics (spread, occurrences,
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
        batch.n_tokens += text.count(" ", a, b) + text.count("\n", a, b) + 1
    for c in found.values():
        if len(c.words) != 1:
            continue
        k = batch.key(c.surface)
        if k not in local or " " in k:
            continue  # not acceptable, or an abbreviation of a longer term
        batch.spread[k] += 1
        batch.word_tf[k] += c.tf
        batch.word_mod[k] += modifier[c.key]
        singles[k] = (local[k], *c.occurrences[0])
    for dk, (_strength, a, b, term) in defined.items():
        k = _genus(batch, text, a, b)
        if k in singles and k not in {batch.key(w) for w in WORD_RE.findall(term)}:
            batch.genus.setdefault(k, set()).add(dk)
    return singles


def _genus(batch: Batch, text: str, a: int, b: int) -> str | None:
    """The key of the genus a defining sentence ``text[a:b]`` names right after its copula
    ("is the distance around ..." -> "distance"), if any."""
    m = GENUS.search(text, a, b)
    if not m:
        return None
    first = chunks(text, m.end(), b)
    if not first or first[0][0][1] != m.end():
        return None  # "is in ...", "is not ...": no genus right after the copula
    head, _, end = first[0][-1]
    if NOT_GENUS_AFTER.match(text, end):
        return None  # "lines are cut by a transversal", "is half the sum": not a genus
    return batch.key(head)


def book_terms(batch: Batch) -> None:
    """Introduce the batch's basic terms that no group selected.

    A single word that is the genus of ``BOOK_GENUS`` defined terms, used in at least
    ``BOOK_SPREAD`` groups, mostly as a phrase's head, a key word of the batch
    (``BOOK_KEYNESS``) and a noun comes in at the first group that mentions it and has room
    (fewer new concepts than its budget, its section under ``MAX_PER_GROUP``). Genus of the
    most terms first.
    """
    picks = []
    for k, users in batch.genus.items():  # insertion order: deterministic
        con = batch.concepts.get(k)
        if con is None or con.kind != "term" or len(k) < 3:
            continue
        if con.groups:
            if len(users) >= BOOK_GENUS:
                con.taught.add("genus")  # selected already; the definitions teach it
            continue
        if len(users) >= BOOK_GENUS and _basic_word(batch, con):
            picks.append((len(users), k))
    picks.sort(key=lambda p: -p[0])
    for _n, k in picks:
        _introduce(batch, batch.concepts[k])


def _basic_word(batch: Batch, con: Concept) -> bool:
    k = con.key
    if batch.spread[k] < BOOK_SPREAD:
        return False
    if batch.word_mod[k] > (1.0 - BOOK_HEAD_SHARE) * batch.word_tf[k]:
        return False  # mostly a modifier: "right" in "right angle"
    return batch.keyness(con) >= BOOK_KEYNESS and noun_like(con)


def _introduce(batch: Batch, con: Concept) -> None:
    """Introduce a book term at the first group that mentions it and has room."""
    k = con.key
    for di, room, box, singles in batch.rooms:
        if k not in singles or room[0] >= room[1] or box[0] >= MAX_PER_GROUP:
            continue
        score, a, b = singles[k]
        con.groups += 1
        con.docs.add(di)
        con.taught.add("genus")
        con.best = max(con.best, score)
        con.total += 1.0 / (1.0 + math.exp(-score))
        con.first_seen = min(con.first_seen, (di, a))
        con.mentions.append((di, *batch.sentence_around(di, a, b)))
        room[0] += 1
        box[0] += 1
        return


def named_terms(batch: Batch) -> None:
    """Terms no group selected that the material names in two ways, admitted after all
    groups: a phrase its prose or comments use that its code names too ("block size" and
    ``block_size``, "gradient accumulation" and ``gradient_accumulation_steps``), and a phrase
    the material abbreviates ("reinforcement learning" and "RL"). Each is used at least
    ``NAMED_MENTIONS`` times; the first use is where it is introduced."""
    for c in list(batch.concepts.values()):
        if c.kind != "term" or c.groups or c.mentioned[0] >= len(batch.documents):
            continue
        spoken = Counter({f: n for f, n in c.surfaces.items() if "_" not in f})
        if sum(spoken.values()) < NAMED_MENTIONS:
            continue
        evidence = _second_name(batch, c, spoken)
        if evidence is None:
            continue
        words = tuple(max(spoken, key=lambda f: (len(f.split()), spoken[f])).split())
        if not acceptable_words(words) or _proper_name(words):
            continue  # "Puerto Rico (PR)": a place or a person named, not a term taught
        di, off = c.mentioned
        end = off + len(max(spoken, key=len))
        c.groups = 1
        c.taught.add(evidence)
        c.best = max(c.best, 0.0)
        c.total += 0.5
        c.docs.add(di)
        c.first_seen = c.mentioned
        c.mentions.append((di, *batch.sentence_around(di, off, end)))


def _second_name(batch: Batch, c: Concept, spoken: Counter) -> str | None:
    """ "abbreviation" or "identifier" if the material names the phrase a second way."""
    if c.key in batch.short_of and " " in c.key:
        return "abbreviation"
    if " " in c.key and any(
        batch.named_in_code(singular_phrase(f).lower().split()) for f in spoken
    ):
        return "identifier"
    return None


def _proper_name(words: tuple[str, ...]) -> bool:
    return all(w[:1].isupper() for w in words) and any(
        zipf(w.lower()) < PROPER_NOUN_ZIPF for w in words
    )
