"""Candidates that are artefacts of the text, not terms: a social-media handle, a piece of a
web address, a label opening lines ("Host:"), half of a word that text extraction split
("circum erence")."""

from __future__ import annotations

import re
from collections.abc import Callable

from teachback.ingest.concepts.lexicon import fragment_like, split_word
from teachback.ingest.concepts.settings import FRAGMENT_MAX
from teachback.ingest.keyphrases.candidates import Candidate


def in_address(text: str, c: Candidate) -> bool:
    """The candidate's first occurrence is part of a web address ("www.eveandersson.com")."""
    a, b = c.occurrences[0]
    lo = text.rfind(" ", max(0, a - 80), a) + 1
    hi = text.find(" ", b, b + 80)
    run = text[lo if lo > 0 else max(0, a - 80) : hi if hi >= 0 else b + 80].lower()
    return "http" in run or "www." in run or "://" in run


def split_fragment(text: str, c: Candidate) -> bool:
    """The candidate's first occurrence is half of a word split by text extraction ("erence"
    after "circum")."""
    a, b = c.occurrences[0]
    before = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, a - 30) : a])
    after = re.match(r"[ \t]+([a-z]+)", text[b : b + 30])
    return bool(
        (before and split_word(before.group(1), c.words[0]))
        or (after and split_word(c.words[-1], after.group(1)))
    )


_LABEL_AFTER = re.compile(r"[ \t]*:")


def label_only(text: str, c: Candidate) -> bool:
    """Every occurrence opens a line and is followed by a colon: a label ("Host:")."""
    for a, b in c.occurrences:
        if a > 0 and text[a - 1] != "\n" or not _LABEL_AFTER.match(text, b):
            return False
    return True


def artefact_test(
    text: str, spans: list[tuple[int, int]], found: dict[str, Candidate]
) -> Callable[[Candidate], bool]:
    """A test for the group's candidates: True for an artefact of the text."""
    # Halves of a word that text extraction split apart, even far apart in a flattened table
    # ("Circum erence", "circles. erence 4. Find circum"): rare words of the group that join
    # into a common one.
    rare = [
        c.words[0].lower()
        for c in found.values()
        if len(c.words) == 1 and fragment_like(c.words[0])
    ][:FRAGMENT_MAX]
    halves = {x for x in rare for y in rare if x != y and (split_word(x, y) or split_word(y, x))}
    web = any(text.find(m, a, b) >= 0 for a, b in spans for m in ("www.", "http", "://"))

    def artefact(c: Candidate) -> bool:
        if text[c.occurrences[0][0] - 1 : c.occurrences[0][0]] == "@":
            return True  # a social-media handle ("@staysaasy"), not a concept
        if label_only(text, c):
            return True  # "Clawd murmur:" opening lines: a speaker or caption label
        if halves and any(w.lower() in halves for w in c.words):
            return True
        if (fragment_like(c.words[0]) or fragment_like(c.words[-1])) and split_fragment(text, c):
            return True
        return web and in_address(text, c)

    return artefact
