"""How a concept is named: its most frequent surface form, singular, lower case unless it is a
name; and whether a single word can be a noun."""

from __future__ import annotations

from collections import Counter

from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.lexicon import lemma_lexicon
from teachback.ingest.concepts.settings import PROPER_NOUN_ZIPF
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import STOPWORDS, singular_phrase


def noun_like(con: Concept, surfaces: Counter | None = None) -> bool:
    """A single word that English can use as a noun (the lemma lexicon; any word without it),
    and whose surfaces (``con.surfaces`` unless given) are mostly not "-ly", "-ed" or "-ing"
    forms."""
    forms: Counter = Counter()
    for f, n in (surfaces or con.surfaces).items():
        forms[f.lower()] += n  # "sorted" and "Sorted" are one form
    if not forms:
        return False
    word, _ = max(forms.items(), key=lambda kv: kv[1])
    if word.endswith(("ly", "ed", "ing")):
        return False
    lemmas = lemma_lexicon()
    if lemmas is None or not word.isalpha():
        return True
    pos = lemmas(word)
    return not pos or "NOUN" in pos


def canonical(c: Concept, short: str | None) -> str:
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
    return singular_phrase(untitle(name))


def sentence_case(name: str, capitalised_mid_sentence: set[str]) -> str:
    """ "Quadratic probing" -> "quadratic probing": a form capitalised only where every word is
    (a sentence start, a list item, a bold label) is a common phrase, not a name. A name is
    capitalised mid-sentence too ("... a talk by Karpathy"), and English does not know it as an
    ordinary word ("Dijkstra"); acronyms and CamelCase keep their capitals.

    >>> sentence_case("Quadratic probing", set()), sentence_case("Karpathy", {"Karpathy"})
    ('quadratic probing', 'Karpathy')
    """
    first = name.split()[0] if name.split() else ""
    if not first[:1].isupper() or first[1:] != first[1:].lower() or not first.isalpha():
        return name
    if first in capitalised_mid_sentence:
        return name
    lemmas = lemma_lexicon()
    if lemmas is None or not lemmas(first.lower()):
        return name  # not an English word: a name
    return first.lower() + name[len(first) :]


def untitle(name: str) -> str:
    """ "Productivity Anxiety" (a heading or label in Title Case) -> "productivity anxiety";
    acronyms and names rare in general English keep their capitals ("AI and education")."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() or w.lower() in STOPWORDS for w in words):
        return name
    out = []
    for w in words:
        if (
            w.isupper()
            or (w[:1].isupper() and zipf(w.lower()) < PROPER_NOUN_ZIPF)
            or any(ch.isupper() for ch in w[1:])
        ):
            out.append(w)
        else:
            out.append(w.lower())
    return " ".join(out)
