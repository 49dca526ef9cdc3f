"""Licence, copyright and permission notices inside a document: not course material.

File triage leaves out ``LICENSE`` and ``COPYING`` files, but a notice also sits inside material:
the MIT licence in the body of a manual's first page, a "License" section at the end of a
README, the Apache header comment of a code file, a notebook's first cell. Read as material it
became a concept ("software"), a lesson ("THE SOFTWARE IS PROVIDED “AS IS”...") and exercises.

``without_notices(doc)`` drops the sections that are such a notice, whatever the format:

* prose, comment and output sections that use the standard wording of a licence ("permission is
  hereby granted", "WITHOUT WARRANTY OF ANY KIND", "Redistribution and use in source and binary
  forms", "Licensed under the Apache License", "SPDX-License-Identifier"...);
* short ones (at most ``SHORT_WORDS`` words) that are a copyright line ("Copyright (c) 2019 Ada
  Lovelace", "© 2021 Example Inc. All rights reserved.") or a one-line licence statement ("This
  project is licensed under the MIT License");
* a heading whose every section was dropped ("## License");
* in a code section (a notebook cell), the explaining comments that form such a notice, from
  ``signals["comments"]``; the code itself stays.

Spans are untouched: the remaining sections still point into ``Document.text``.

Not handled: a notice inside a docstring or a code section's own lines (only its comments
listed in ``signals["comments"]``); licence wording paraphrased beyond these phrases.
"""

from __future__ import annotations

import re
from dataclasses import replace

from teachback.core.document import Document, Section

SHORT_WORDS = 40  # a copyright line or a licence statement, not a paragraph that mentions one

# Wording found only in licences and notices: a section using it is one, whatever its length.
_LICENCE_WORDING = re.compile(
    r"permission is hereby granted"
    r"|without warrant(?:y|ies) of any kind"
    r"|provided by the copyright holders and contributors"
    r"|in no event shall the (?:authors?|copyright)"
    r"|permission notice shall be included"
    r"|redistribution and use in source and binary forms"
    r"|redistributions of source code must retain"
    r"|you may not use this file except in compliance"
    r"|this (?:program|library|file|software) is free software"
    r"|spdx-license-identifier"
    r"|licensed under the apache license"
    r"|distributed under the license is distributed on an"
    r"|gnu (?:lesser |library |affero )?general public licen[cs]e",
    re.I,
)
# Wording a short notice uses; in a long paragraph it is only a mention.
_SHORT_NOTICE = re.compile(
    r"^\W*(?:copyright\b|\(c\)\s*\d|©)"
    r"|all rights reserved"
    r"|\b(?:is|are) (?:licen[cs]ed|released|distributed|available) under\b"
    r"|\blicen[cs]ed under the\b",
    re.I,
)
_WORD = re.compile(r"\w+")
_DROPPABLE = ("prose", "comment", "output")


def _without_markers(text: str) -> str:
    """A comment's or quote's words: ``# Copyright 2020`` -> ``Copyright 2020``."""
    return " ".join(line.strip().lstrip("#/*-;>!").strip() for line in text.splitlines())


def is_notice(text: str) -> bool:
    """Whether ``text`` is a licence, copyright or permission notice.

    >>> is_notice("Copyright (c) 2011 Anthony Green")
    True
    >>> is_notice("THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS")
    True
    >>> is_notice("A copyright protects a work; a licence grants permission to use it.")
    False
    """
    words = _without_markers(text)
    if _LICENCE_WORDING.search(words):
        return True
    return len(_WORD.findall(words)) <= SHORT_WORDS and bool(_SHORT_NOTICE.search(words))


def _comment_groups(text: str, spans: list[list[int]]) -> list[list[list[int]]]:
    """Explaining-comment spans grouped into runs of comment lines with nothing else between
    them (one notice spans several lines)."""
    groups: list[list[list[int]]] = []
    for span in spans:
        between = text[groups[-1][-1][1] : span[0]] if groups else "x"
        if between.count("\n") <= 1 and not between.replace("#", "").strip():
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _without_notice_comments(doc: Document, sec: Section) -> Section:
    spans = sec.signals.get("comments")
    if sec.kind != "code" or not spans:
        return sec
    kept = [
        span
        for group in _comment_groups(doc.text, spans)
        if not is_notice(" ".join(doc.text[a:b] for a, b in group))
        for span in group
    ]
    if len(kept) == len(spans):
        return sec
    signals = (
        {**sec.signals, "comments": kept}
        if kept
        else {k: v for k, v in sec.signals.items() if k != "comments"}
    )
    return replace(sec, signals=signals)


def _drop_emptied_headings(sections: list[Section], dropped: list[bool]) -> list[bool]:
    """Also drop a heading whose every section up to the next heading of its level or above
    was dropped, and which had at least one."""
    out = list(dropped)
    for i, sec in enumerate(sections):
        if sec.kind != "heading":
            continue
        level = sec.signals.get("level", 1)
        body = []
        for j in range(i + 1, len(sections)):
            nxt = sections[j]
            if nxt.kind == "heading" and nxt.signals.get("level", 1) <= level:
                break
            if nxt.kind != "heading":
                body.append(out[j])
        if body and all(body):
            out[i] = True
    return out


def _hand_on_definitions(sections: list[Section], dropped: list[bool]) -> list[Section]:
    """A code symbol's first section carries its signals (signature, imports, calls...): when
    that section is a dropped header comment, the symbol's next kept section takes them, so
    the module is still defined; with no such section the comment is kept."""
    out = list(sections)
    for i, sec in enumerate(sections):
        if not (dropped[i] and sec.signals.get("definition")):
            continue
        symbol = sec.signals.get("symbol")
        heir = next(
            (
                j
                for j in range(i + 1, len(sections))
                if not dropped[j] and sections[j].signals.get("symbol") == symbol
            ),
            None,
        )
        if heir is None:
            dropped[i] = False
        else:
            out[heir] = replace(out[heir], signals={**out[heir].signals, **sec.signals})
    return out


def without_notices(doc: Document) -> Document:
    """``doc`` without the sections that are a licence, copyright or permission notice."""
    sections = [_without_notice_comments(doc, sec) for sec in doc.sections]
    dropped = [sec.kind in _DROPPABLE and is_notice(sec.text) for sec in sections]
    dropped = _drop_emptied_headings(sections, dropped)
    sections = _hand_on_definitions(sections, dropped)
    kept = [sec for sec, drop in zip(sections, dropped, strict=True) if not drop]
    if kept == doc.sections:
        return doc
    return replace(doc, sections=kept)
