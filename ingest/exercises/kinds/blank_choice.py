"""Which term fills the blank? — multiple choice on a clause around the concept's name.

Built from one of the concept's facts (a defining sentence or another statement of a property,
use or contrast; cloze takes them from the first, this kind from the last, and each fact is
asked once): the clause around the name (up to ``WINDOW`` words each side, "…" where cut)
with the name blanked, and as options the concept and 2–3 related concepts
(``ConceptView.related``) that could stand in the same place — the same sort of name (a
proper name for a proper name, a term for a term). The key is the concept's name;
``data["variant"]`` is ``"blank"``, ``data["template"]`` the blanked clause.

Reader (self-check): retrieve the sentences most like the clause, align the words around the
blank (as for cloze) and read the fill; the option that fill names, with the support of the
best sentence, wins; another option filled in by another passage about as well is ambiguous.
"""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.exercises.context import (
    ConceptView,
    difficulty,
    display_name,
    names_of,
    rng_for,
    same_concept_names,
)
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import (
    BLANK,
    a_proper_name,
    accepts,
    fill_blank,
    retrieve,
)
from teachback.ingest.exercises.kinds.families import family, odd_one_out
from teachback.ingest.exercises.quality.restate import standalone
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import clean_for_prompt, inflections, stem_set

PROMPT = "Which term fills the blank? \u201c{clause}\u201d"
WINDOW = 18  # words kept on each side of the blank
MIN_SENTENCE_WORDS = 10  # (a shorter clause leaves too little to pin the blank)


def _clause(text: str, pattern: re.Pattern) -> str | None:
    """The words around the first mention, every mention blanked, cut to WINDOW words."""
    folded = fold(text)
    m = pattern.search(folded)
    if not m:
        return None
    left = folded[: m.start()].split()
    right = pattern.sub(BLANK, folded[m.end() :]).split()
    if len(left) > WINDOW:
        return None  # (cut on the left, the clause loses its subject: "... object is a ...")
    cut_left, cut_right = False, len(right) > WINDOW
    left, right = left[-WINDOW:], right[:WINDOW]
    # punctuation right after the name stays with the blank ("_____, then ...")
    glued = right.pop(0) if right and re.fullmatch(r"[.,;:!?)\]\"'\u2019\u201d]+", right[0]) else ""
    clause = " ".join([*left, BLANK + glued, *right])
    clause = re.sub(r"([`*_]+) (_____) ([`*_]+)", r"\1\2\3", clause)  # "` _____ `"
    return ("\u2026 " if cut_left else "") + clause + (" \u2026" if cut_right else "")


def _holds(longer: str, name: str) -> bool:
    """Whether ``longer`` holds ``name`` as a whole word ("key-value pair", "hash value" hold
    "value"): as an option beside it, either fits the blank about as well."""
    short, low = name.lower().strip("`"), longer.lower()
    # (the substring test first: a pattern per name is compiled only where it can match)
    return (
        len(short) < len(longer)
        and short in low
        and bool(re.search(rf"(?<![\w]){re.escape(short)}(?![\w])", low))
    )


def generate(view: ConceptView):
    if view.pattern is None or a_proper_name(view):
        return []
    key = display_name(view.concept)
    out = []
    for s in _sentences(view)[:3]:
        if view.part_of_longer(fold(standalone(s.clean, view.names))):
            continue  # the name inside a longer one ("an inner join"): a term cut in two
        clause = _clause(standalone(s.clean, view.names), view.pattern)
        if clause is None or clause.count(BLANK) != 1:
            continue
        context = clause.replace(BLANK, " ")
        if len(stem_set(context)) < 6:
            continue
        distractors, sims = _distractors(view, clause, key)
        if len(distractors) < 2:
            continue
        options = [key] + distractors
        rng_for(view.concept.name, "blank", clause).shuffle(options)
        out.append(
            view.new(
                "multiple_choice",
                PROMPT.format(clause=clause),
                key,
                choices=options,
                explanation=f"The source says: \u201c{s.clean}\u201d",
                citations=[view.span(s)],
                difficulty=difficulty(
                    "multiple_choice",
                    rarity=view.rarity(),
                    words_count=len(clause.split()),
                    distractor_similarity=sum(sims) / len(sims),
                ),
                data={"variant": "blank", "template": clause, "subject": names_of(view.concept)},
            )
        )
    return out


def _sentences(view: ConceptView) -> list:
    """The concept's facts from the last (cloze asks them from the first, and each fact is
    asked once), long enough to pin a blank, each sentence once. Not its neighbours'
    definitions that name it: those are about the neighbour (``quality.blanks``)."""
    seen, sentences = set(), []
    facts = view.teaching[:3] + view.statements[:6]
    for s in [d.sentence for d in reversed(facts)]:
        if s.id not in seen and len(s.clean.split()) >= MIN_SENTENCE_WORDS:
            seen.add(s.id)
            sentences.append(s)
    return sentences


def _distractors(view: ConceptView, clause: str, key: str) -> tuple[list[str], list[float]]:
    """Up to three related names that could stand in the blank, and how related each is:
    terms the sources teach (a name they never explain, "nanogpt" beside "causal mask", is
    ruled out by a learner who knows the course), and no two of one family the key is not of
    (``families.odd_one_out``)."""
    distractors, sims, families = [], [], []
    mine = family(view)
    # only the same sort of name (proper for proper): another sort is ruled out by form
    ranked = [x for x in view.related_views(limit=15) if view.substitutable(x[0])]
    for other_view, score in view.taught_first(ranked):
        if len(distractors) == 3:
            break
        name = clean_for_prompt(other_view.concept.name)
        if not name or contains_stems(clause, name) or not other_view.has_definition:
            continue
        if any(same_concept_names([name], [x]) for x in distractors + [key]):
            continue
        if _holds(name, key) or _holds(key, name):
            continue  # ("storing the _____ for key k": "key-value pair" fits as well)
        theirs = family(other_view)
        if odd_one_out(mine, theirs, families):
            continue
        distractors.append(name)
        sims.append(min(1.0, score))
        families.append(theirs)
    return distractors, sims


def solve(exercise, corpus: Corpus) -> Solution:
    template = exercise.data.get("template", "")
    context = template.replace(BLANK, " ")
    if BLANK not in template or len(stem_set(context)) < 6:
        return Solution(answer=None, ambiguous="too little context around the blank")
    want = stem_set(context)
    best: dict[str, tuple[float, object]] = {}
    for s, _ in retrieve(corpus, context, k=12):
        fill = fill_blank(template.replace("\u2026", " "), s.text)
        if not fill:
            continue
        sup = len(want.intersection(s.stems)) / len(want)
        for opt in exercise.choices:
            forms = sorted(inflections(opt))
            said = accepts(fill, forms) or _glossed(template, fill, forms)
            if said and sup > best.get(opt, (0.0, None))[0]:
                best[opt] = (sup, s)
    if not best:
        return Solution(answer=None, note="no source sentence fills the blank with an option")
    ranked = sorted(best.items(), key=lambda x: -x[1][0])
    (opt, (sup, s)), rest = ranked[0], ranked[1:]
    return Solution(
        answer=opt,
        support=sup,
        runner_up=rest[0][1][0] if rest else None,
        runner_up_answer=rest[0][0] if rest else None,
        supporting=[s.span(corpus.documents)],
    )


_WHICH = re.compile(r"[,\s]+which$", re.I)


def _glossed(template: str, fill: str, forms: list[str]) -> bool:
    """A blank that opens the sentence, filled by a name the source glosses in apposition:
    "_____ averages the cost ..." from "That is an example of amortized analysis, which
    averages the cost ..." (the statement ``restate.standalone`` makes of it) is filled by
    the name right before ", which", not by the whole lead."""
    if not template.lstrip("\u2026 ").startswith(BLANK) or not _WHICH.search(fill):
        return False
    named = _WHICH.sub("", fill).strip(" \"'*_`").lower()
    return any(named == f.lower() or re.search(rf"\W{re.escape(f.lower())}$", named) for f in forms)


def reveals(exercise) -> str:
    if contains_stems(exercise.data.get("template", exercise.prompt), str(exercise.answer)):
        return f"the clause names the answer {exercise.answer!r}"
    return ""


register(
    ExerciseKindPlugin(
        name="blank_choice",
        kind="multiple_choice",
        generate=generate,
        solve=solve,
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=25,
    )
)
