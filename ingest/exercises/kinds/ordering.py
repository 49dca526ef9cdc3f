"""Ordering: the steps of a process, as the source numbers or sequences them.

Step lists come from numbered list items ("1. ...", "2) ...") in one section, or runs of
sentences that open with sequence words (First / Second / Then / Next / Finally). A list belongs
to the concept when the concept is named in its heading, in the sentence just before it, or in
one of its steps. Unnumbered bullet lists are not used: their order need not mean anything.
``answer`` and ``data["sequence"]`` hold the steps in order; ``choices`` the steps shuffled.

Reader (self-check): find every step in the sources; the order of their positions is the
answer. A step found nowhere makes it unanswerable; steps found in two places in different
orders make it ambiguous.
"""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.exercises.context import ConceptView, difficulty, display_name, rng_for
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import norm, support
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

_NUM = re.compile(r"^\s*(\d{1,2})[.)]\s+")
_SEQ = re.compile(
    r"^\s*(first|second|third|then|next|after that|afterwards|finally|lastly)\b", re.I
)
_STRIP_SEQ = re.compile(
    r"^\s*(first|second|third|then|next|after that|afterwards|finally|lastly)\b,?\s*", re.I
)


def _runs(corpus: Corpus):
    """Runs of consecutive step sentences: (steps, the sentence before the run)."""
    sents = corpus.sentences
    i = 0
    while i < len(sents):
        s = sents[i]
        m = _NUM.match(s.text)
        if m and int(m.group(1)) == 1:
            run, n = [s], 1
            j = i + 1
            while j < len(sents) and sents[j].doc == s.doc:
                mj = _NUM.match(sents[j].text)
                if mj and int(mj.group(1)) == n + 1:
                    run.append(sents[j])
                    n += 1
                    j += 1
                elif (
                    mj is None
                    and sents[j].heading_path == s.heading_path
                    and not _NUM.match(sents[j].text)
                    and run
                    and sents[j].start - run[-1].end < 3
                ):
                    j += 1  # a continuation sentence inside the same item
                else:
                    break
            yield run, sents[i - 1] if i > 0 and sents[i - 1].doc == s.doc else None
            i = j
            continue
        if _SEQ.match(s.text) and s.text.lower().startswith("first"):
            run = [s]
            j = i + 1
            while j < len(sents) and sents[j].doc == s.doc and _SEQ.match(sents[j].text):
                run.append(sents[j])
                j += 1
            yield run, sents[i - 1] if i > 0 and sents[i - 1].doc == s.doc else None
            i = j
            continue
        i += 1


def _step_text(s) -> str:
    text = _NUM.sub("", s.clean) if _NUM.match(s.text) else s.clean
    text = _STRIP_SEQ.sub("", text)
    return text[:1].upper() + text[1:]


def generate(view: ConceptView):
    if view.pattern is None:
        return []
    out = []
    runs = view.corpus.__dict__.get("_ordering_runs")
    if runs is None:  # the step lists of a corpus are the same for every concept
        runs = view.corpus.__dict__["_ordering_runs"] = list(_runs(view.corpus))
    for run, before in runs:
        if not 3 <= len(run) <= 7:
            continue
        about = any(view.pattern.search(fold(h)) for h in run[0].heading_path) or (
            before is not None and view.pattern.search(fold(before.text))
        )
        about = about or any(view.pattern.search(fold(s.text)) for s in run)
        if not about:
            continue
        steps = [_step_text(s) for s in run]
        if any(len(x.split()) > 30 or len(x) < 3 for x in steps) or len(set(steps)) < len(steps):
            continue
        shuffled = list(steps)
        rng = rng_for(view.concept.name, "ordering", *steps)
        for _ in range(5):
            rng.shuffle(shuffled)
            if shuffled != steps:
                break
        prompt = (
            f"Put these steps of **{display_name(view.concept)}** in the order the sources "
            "give them:\n\n" + "\n".join(f"- {x}" for x in shuffled)
        )
        out.append(
            view.new(
                "ordering",
                prompt,
                steps,
                choices=shuffled,
                explanation="The source lists them in this order: " + " \u2192 ".join(steps),
                citations=[view.corpus.span(run[0].doc, run[0].start, run[-1].end)],
                difficulty=difficulty(
                    "ordering",
                    rarity=view.rarity(),
                    words_count=sum(len(x.split()) for x in steps) // len(steps),
                    extra=0.05 * (len(steps) - 3),
                ),
                data={"sequence": steps},
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    steps = list(exercise.choices)
    positions = []
    weakest = 1.0
    spans = []
    for step in steps:
        hits = [(s, support(step, s)) for s, _ in corpus.search(step, k=5)]
        hits = [(s, sup) for s, sup in hits if sup >= 0.8]
        if not hits:
            return Solution(answer=None, note=f"step not found in the sources: {step[:60]!r}")
        weakest = min(weakest, max(sup for _, sup in hits))
        positions.append([(s.doc, s.start) for s, _ in hits])
        spans.append(hits[0][0].span(corpus.documents))
    first = [p[0] for p in positions]
    order = [steps[i] for i in sorted(range(len(steps)), key=lambda i: first[i])]
    # every other combination of occurrences that gives a different order is a rival reading
    alt = [steps[i] for i in sorted(range(len(steps)), key=lambda i: positions[i][-1])]
    ambiguous = ""
    if alt != order and any(len(p) > 1 for p in positions):
        ambiguous = "the steps appear in the sources in more than one order"
    return Solution(answer=order, support=weakest, ambiguous=ambiguous, supporting=spans[:3])


def matches(answered, key) -> bool:
    return [norm(a) for a in answered] == [norm(k) for k in key]


def reveals(exercise) -> str:
    # the steps are shown by design; only showing them already in order gives it away
    if [norm(c) for c in exercise.choices] == [norm(a) for a in exercise.answer]:
        return "the steps are listed in the correct order"
    return ""


register(
    ExerciseKindPlugin(
        name="ordering",
        kind="ordering",
        generate=generate,
        solve=solve,
        matches=matches,
        reveals=reveals,
        min_support=0.8,
        order=60,
    )
)
