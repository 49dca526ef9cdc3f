"""A mention's own sentence, where the source's sentence splitter glued two or more together.

The splitter ends a sentence at a full stop only before a capital (``corpus.sentences``), so a
manual whose sentences open with a lower-case code name reads as one run: "Multiple ABIs for
more information. nargs is the number of arguments that this function accepts. rtype is a
pointer to ...". An exercise about ``rtype`` is about the last sentence only; the ones before
it are unrelated fragments a learner would be asked to say back.

``own_sentence(s, m)`` cuts ``s`` to the sentence holding the mention ``m``, at the full
stops followed by a lower-case word (not after an abbreviation such as "e.g." or "etc.");
the cut keeps its exact span in the document, so citations stay exact.

Not handled: a glued sentence that opens with a capital after an abbreviation ("etc. The"):
the splitter already keeps that one whole on purpose.
"""

from __future__ import annotations

import re
from dataclasses import replace

from teachback.ingest.exercises.corpus import Sentence
from teachback.ingest.exercises.text import clean_for_prompt, looks_like_instruction, stems

# ". nargs is ...": a full stop after a word of two letters or more (or a closing mark), then
# a lower-case word; "e.g. foo" ends in a one-letter word and "..." in a stop, so neither cuts
_GLUED = re.compile(r"(?<=[\w)\]`'\"*])[.!?][\"'\u201d\u2019)\]]*\s+(?=[`*_\"'(]{0,3}[a-z])")
_ABBREVIATION = re.compile(
    r"(?:\b\w\.\w|\b(?:etc|vs|cf|approx|resp|al|viz|incl|esp|ca|fig|sec|ch|eq|no|pp|vol))\W*$",
    re.I,
)


def _cuts(text: str) -> list[tuple[int, int]]:
    """``(end of one sentence, start of the next)`` for every glued sentence end in ``text``."""
    out = []
    for g in _GLUED.finditer(text):
        if _ABBREVIATION.search(text[max(0, g.start() - 8) : g.start() + 1]):
            continue
        out.append((g.start() + len(g.group(0).rstrip()), g.end()))
    return out


def own_sentence(s: Sentence, m: re.Match) -> tuple[Sentence, re.Match]:
    """``(sentence, mention)`` cut to the one sentence of ``s`` that holds ``m``; ``(s, m)``
    itself when nothing is glued.

    >>> # "See Types. argtypes is a vector of ffi_type pointers. argtypes must have nargs
    >>> #  elements." with the first "argtypes" -> "argtypes is a vector of ffi_type pointers."
    """
    cuts = _cuts(s.folded)
    if not cuts:
        return s, m
    start = max((b for a, b in cuts if b <= m.start()), default=0)
    end = min((a for a, b in cuts if a >= m.end()), default=len(s.folded))
    if start == 0 and end == len(s.folded):
        return s, m
    mention = m.re.search(s.folded[start:end], m.start() - start)
    if mention is None or mention.start() != m.start() - start:
        return s, m
    return _part(s, start, end), mention


def glued_parts(s: Sentence) -> list[Sentence]:
    """The sentences glued together in ``s``, in order (``[s]`` when there is one): what a
    reader aligns a question with, so a fragment before the fact is not read as its answer."""
    cuts = _cuts(s.folded)
    if not cuts:
        return [s]
    starts = [0] + [b for _, b in cuts]
    ends = [a for a, _ in cuts] + [len(s.folded)]
    return [_part(s, a, b) for a, b in zip(starts, ends, strict=True) if s.folded[a:b].strip()]


def _part(s: Sentence, start: int, end: int) -> Sentence:
    """``s`` cut to ``[start, end)`` of its text, with its span in the document."""
    text, folded = s.text[start:end].rstrip(), s.folded[start:end].rstrip()
    return replace(
        s,
        start=s.start + start,
        end=s.start + start + len(text),
        text=text,
        clean=clean_for_prompt(text),
        stems=stems(folded),
        instruction_like=looks_like_instruction(folded),
        folded=folded,
        clean_folded="",
    )


def own_sentences(mentions: list[tuple[Sentence, re.Match]]) -> list[tuple[Sentence, re.Match]]:
    """``own_sentence`` of every mention; the list itself when no sentence is glued."""
    out = [own_sentence(s, m) for s, m in mentions]
    if all(a[0] is b[0] for a, b in zip(out, mentions, strict=True)):
        return mentions
    return out
