"""Cloze: a key term blanked out of a sentence that defines the concept or states a fact of it.

One blank, and it is the concept's own name: in a sentence that defines the concept or states
a property, use or contrast of it (``ConceptView.statements``). Not another key term of the
definition (the blank would check that neighbour, and a learner would answer with the source's
other word for it), and not a sentence that names the concept twice (two blanks under one
answer, or the name left standing beside its own blank). A name the sources write as a proper name
in prose (a product, a person, the library a course is about: "Codex", "Pandas") is not
blanked: which one is meant is trivia, and in a course about it the obvious guess; nor is the
subject the whole source is about, however it is written ("libffi" in the libffi manual).
``data["accepted"]`` lists the forms a learner may type (case, singular/plural, hyphen and
spacing variants, the aliases that name the same thing as the blanked words, and the source's
own other word for it: "Bucket: one slot of the table's array" accepts "slot");
``data["fuzzy_threshold"]`` the rapidfuzz ratio above which a near-miss spelling still
counts (see ``common.accepts``).

Reader (self-check): retrieve the sentences most like the prompt, align the words around the
blank and read off what fills it; a second sentence that fits as well but gives a different
fill makes the exercise ambiguous.
"""

from __future__ import annotations

import re

from teachback.core.text import fold, stem
from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.context.own_sentence import glued_parts
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import (
    BLANK,
    a_proper_name,
    accepts,
    fill_blank,
    norm,
    retrieve,
)
from teachback.ingest.exercises.quality.restate import standalone
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import (
    inflections,
    stem_set,
)

PREFIX = "Fill in the blank: "
FUZZY = 85.0


def _blank_out(text: str, pattern: re.Pattern) -> tuple[str, str] | None:
    """``text`` with its one mention of the concept blanked, and the words blanked; None when
    it names the concept twice ("A _____ holds entries; _____ are slots." asks one answer in
    two holes, and one blank with the name left standing beside it gives it away)."""
    folded = fold(text)
    m = pattern.search(folded)
    if not m or pattern.search(folded, m.end()):
        return None
    # keep the original characters outside the blank
    return folded[: m.start()] + BLANK + folded[m.end() :], text[m.start() : m.end()]


def generate(view: ConceptView):
    out = []
    rarity = view.rarity()
    for d in _facts(view):
        sent = standalone(d.sentence.clean, view.names)
        term_variant = _term_variant(view, sent, rarity)
        variants = [term_variant] if term_variant is not None else []
        variants, cited = _in_context(view, d, variants)
        for (template, surface), accepted, target, rar in variants:
            if template.count(BLANK) != 1 or len(template) > 400:
                continue
            out.append(
                view.new(
                    "cloze",
                    PREFIX + template,
                    surface,
                    explanation="The source says: \u201c"
                    + " ".join(x.clean for x in cited)
                    + "\u201d",
                    citations=[view.span(x) for x in cited],
                    difficulty=difficulty(
                        "cloze",
                        rarity=rar,
                        words_count=len(d.sentence.stems) * 2,
                    ),
                    data={
                        "accepted": accepted,
                        "fuzzy_threshold": FUZZY,
                        "sentence": sent,
                        "blanked": target,
                        "subject": view.names,
                    },
                )
            )
    return out


def _facts(view: ConceptView) -> list:
    """The sentences a cloze may blank: the concept's defining sentences and statements
    first, then its neighbours' definitions and the other sentences that use it (kept only
    where the concept is the subject of a clause of theirs: ``quality.blanks``)."""
    return view.teaching[:2] + view.statements[:6] + view.uses[:2] + view.contexts[:2]


def _term_variant(view: ConceptView, sent: str, rarity: float):
    """The sentence with the concept's name blanked: ``((template, surface), accepted,
    "term", rarity)``, or None."""
    if a_proper_name(view) or view.course_subject:
        return None  # (which library is meant is no question in a course about it)
    blanked = _blank_out(sent, view.pattern) if view.pattern else None
    if not blanked or view.part_of_longer(fold(sent)):
        return None  # ("An outer _____ returns a _____": a term cut in two)
    accepted = _accepted(view.names, blanked[1])
    accepted += sorted({f for word in view.synonyms for f in inflections(word)} - set(accepted))
    return blanked, accepted, "term", rarity


_MODULE_PREFIX = re.compile(r"^(?:pd|np|df|torch|nn|F)\.")


def _accepted(names: list[str], surface: str) -> list[str]:
    """The forms a learner may type for the blanked ``surface``: its own inflections and those
    of the ``names`` that say the same thing ("multi-index" for "MultiIndex", "concat" for
    "pd.concat", "objects" for "Pandas objects"), not a name with another head or modifier
    ("Python objects" for "Pandas objects", "stack" for "unstack")."""
    accepted = set(inflections(surface))
    # a teacher takes the call without its module ("merge" for "pd.merge")
    bare = _MODULE_PREFIX.sub("", surface)
    if bare != surface and bare:
        accepted |= inflections(bare)
    for name in names:
        if _same_thing(name, surface):
            accepted |= inflections(name)
    return sorted(accepted)


def _words(term: str) -> tuple[str, ...]:
    """A term's words, lower case, without a module prefix ("pd.concat" -> "concat"), camel
    case split ("MultiIndex" -> "multi index"), the last one stemmed."""
    text = _MODULE_PREFIX.sub("", fold(term).strip())
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    words = re.findall(r"[a-z0-9]+", text.lower())
    # (a Latin plural stems apart from its singular: "indices" -> "indic", "index")
    return (*words[:-1], re.sub(r"(?:ex|ix)$", "ic", stem(words[-1]))) if words else ()


def _same_thing(name: str, surface: str) -> bool:
    a, s = _words(name), _words(surface)
    if not a or not s:
        return False
    if "".join(a) == "".join(s) or "".join(a) == "".join(s[:-1]) + s[-1]:
        return True
    # the name without the surface's modifier ("objects" for "Pandas objects")
    return len(a) < len(s) and s[-len(a) :] == a


def _in_context(view: ConceptView, d, variants: list) -> tuple[list, list]:
    """The variants with the sentence that gives the blank its meaning put beside them
    (the defining sentence's context, or for a short one the sentence before it), and the
    sentences cited."""
    context, cited = d.context, d.sentences
    if context is None and variants:
        (t, _), *_ = variants[0]
        prev = _lead_in(view, d.sentence, t)
        if prev is not None:
            context, cited = prev, [prev, d.sentence]
    if context is None:
        return variants, cited
    # "This is called ___." needs the sentence it refers to
    before = context.id < d.sentence.id
    return [
        (
            ((context.clean + " " + t) if before else (t + " " + context.clean), sf),
            acc,
            tg,
            r,
        )
        for (t, sf), acc, tg, r in variants
        if not (view.pattern and view.pattern.search(fold(context.clean)))
    ], cited


def _lead_in(view: ConceptView, sentence, template: str):
    """ "The whole _____." alone is too little to pin the blank: the sentence before it
    (same document, prose, not naming the concept) gives the reader its context."""
    if len(stem_set(template.replace(BLANK, " "))) >= 3 or sentence.id == 0:
        return None
    prev = view.corpus.sentences[sentence.id - 1]
    if (
        prev.doc == sentence.doc
        and prev.section_kind not in ("heading",)
        and not prev.instruction_like
        and not (view.pattern and view.pattern.search(fold(prev.clean)))
    ):
        return prev
    return None


def solve(exercise, corpus: Corpus) -> Solution:
    template = exercise.prompt.removeprefix(PREFIX)
    context = template.replace(BLANK, " ")
    if len(stem_set(context)) < 3:
        return Solution(
            answer=None, ambiguous="too little context around the blank to pin one answer"
        )
    fills = []
    # support: how much of the blank's own sentence (the prompt may add a context sentence
    # before or after it) the source sentence covers
    own = next((p for p in re.split(r"(?<=[.!?])\s+", template) if BLANK in p), template)
    want = stem_set(own.replace(BLANK, " ")) or stem_set(context)
    for found, _ in retrieve(corpus, context, k=12):
        # (each of the sentences glued into one by the splitter: "... for more information.
        # nargs is the number ..." must not read "information. nargs" as the fill)
        for s in glued_parts(found):
            fill = fill_blank(template, s.text)
            if fill:
                fills.append((fill, len(want.intersection(s.stems)) / len(want), s))
    fills.sort(key=lambda x: (-x[1], x[2].id))
    if not fills:
        return Solution(answer=None, note="no source sentence fits the words around the blank")
    best_fill, best_sup, best_s = fills[0]
    accepted = exercise.data.get("accepted", [])
    rival = next(
        (
            (f, sup)
            for f, sup, _ in fills[1:]
            if norm(f) != norm(best_fill)
            and not (accepts(f, accepted) and accepts(best_fill, accepted))
        ),
        None,
    )
    return Solution(
        answer=best_fill,
        support=best_sup,
        runner_up=rival[1] if rival else None,
        runner_up_answer=rival[0] if rival else None,
        supporting=[best_s.span(corpus.documents)],
    )


def matches(answered, key) -> bool:
    return False if answered is None else accepts(str(answered), [str(key)], FUZZY)


register(
    ExerciseKindPlugin(
        name="cloze",
        kind="cloze",
        generate=generate,
        solve=solve,
        matches=matches,
        min_support=0.6,
        min_margin=0.15,
        order=10,
    )
)
