"""Multiple choice with 3–4 options whose distractors are plausible confusions.

Two variants:

* ``term`` — "Which term is described as: <definition without the term>?" The options are the
  concept and 2–3 related concepts (``ConceptView.related``: same section, shared head word,
  mentioned together, overlapping definitions — the confusions a reader of the text is likely
  to make).
* ``statement`` — "Which statement describes <concept>?" The options are the concept's
  definition and the definitions of related concepts (their own subject removed).

A distractor is never another name for the key (shared inflection or fuzzy match >= 90), never
a definition near-identical to the key's, and never named in the prompt — and the self-check
still rejects the exercise if the sources back a second option about as well as the key.

Reader (self-check): for each option, the best-covering source sentence that names it (term
variant) or names the concept (statement variant); the option with the most support wins.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

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
from teachback.ingest.exercises.kinds.common import a_proper_name, norm, retrieve
from teachback.ingest.exercises.kinds.families import family, odd_one_out
from teachback.ingest.exercises.quality import form
from teachback.ingest.exercises.quality.restate import tidy
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import clean_for_prompt, stem_set, term_needles, term_regex

_NOT_A_NOUN = re.compile(r"\W*(?:\w+(?:ed|ing)|to|by|in|on|at|from|with|as|if|not)\b", re.I)
TERM_PROMPT = "Which term is described here: \u201c{clue}\u201d?"
STATEMENT_PROMPT = "Which statement describes **{name}**, according to the sources?"


def _shuffle(view: ConceptView, key: str, options: list[str], salt: str) -> list[str]:
    opts = list(options)
    rng_for(view.concept.name, key, salt).shuffle(opts)
    return opts


def _term_variant(view: ConceptView, d) -> dict | None:
    clue = _option(d.predicate)
    if len(clue.split()) < 4:
        return None  # (a blanked sentence would just repeat the cloze exercise)
    if _NOT_A_NOUN.match(clue):
        return None  # "designed to facilitate joins" describes no term: a clause, not a noun
    prompt = TERM_PROMPT.format(clue=clue)
    key = display_name(view.concept)
    distractors, sims = _term_distractors(view, prompt, key, clue)
    if len(distractors) < 2:
        return None
    options = _shuffle(view, key, [key] + distractors, "term" + clue)
    return {
        "prompt": prompt,
        "choices": options,
        "answer": key,
        "sim": sum(sims) / len(sims),
        "variant": "term",
        "sentence": d.sentence,
        "data": {"variant": "term", "clue": clue},
    }


def _term_distractors(
    view: ConceptView, prompt: str, key: str, clue: str
) -> tuple[list[str], list[float]]:
    """Up to three related terms a reader could take for the one described, and how related
    each is: terms the sources teach, of the key's kind, not another name for it, not
    holding it ("maximum load factor" beside "load factor": the description fits both), not
    defined alike, and no two of one family the key is not of (``families``)."""
    distractors, sims, families = [], [], []
    mine = family(view)
    for other, score in view.taught_first(view.related):
        name = clean_for_prompt(other.name)
        if len(distractors) == 3:
            break
        if not name or contains_stems(prompt, name):
            continue
        if other.kind != view.concept.kind:
            continue  # a code name among terms (or the reverse) is ruled out by its form alone
        if any(same_concept_names([name], [d_]) for d_ in distractors + [key]):
            continue
        if contains_stems(name, key) or contains_stems(key, name):
            continue
        if other.definition and fuzz.ratio(norm(other.definition), norm(clue)) >= 85:
            continue  # the same definition: two options would be correct
        other_view = view.view_of(other)
        if not other_view.has_definition:
            continue  # (a name the sources never explain: "nanogpt" beside "finetuning")
        theirs = family(other_view)
        if odd_one_out(mine, theirs, families):
            continue  # ("hash table" among two collision resolution strategies)
        distractors.append(name)
        sims.append(min(1.0, score))
        families.append(theirs)
    return distractors, sims


def _option(predicate: str) -> str:
    """A predicate as an option: an aside that points ahead cut; "" when it leans on text
    not shown or is in the author's voice."""
    text = tidy(predicate).rstrip(".")
    return "" if form.dangling(text) or form.narrative(text) else text


def _statement_variant(view: ConceptView, d) -> dict | None:
    key = _option(d.predicate)
    if len(key.split()) < 4:
        return None
    distractors, sims = [], []
    for other_view, score in view.taught_first(view.related_views()):
        if len(distractors) == 3:
            break
        for od in other_view.teaching[:2]:
            pred = _option(od.predicate)
            if len(pred.split()) < 4 or (view.pattern and view.pattern.search(fold(pred))):
                continue
            if any(fuzz.ratio(norm(pred), norm(x)) >= 70 for x in distractors + [key]):
                continue
            distractors.append(pred)
            sims.append(min(1.0, score))
            break
    if len(distractors) < 2:
        return None
    options = _shuffle(view, key, [key] + distractors, "statement")
    return {
        "prompt": STATEMENT_PROMPT.format(name=display_name(view.concept)),
        "choices": options,
        "answer": key,
        "sim": sum(sims) / len(sims),
        "variant": "statement",
        "sentence": d.sentence,
        "data": {"variant": "statement", "subject": view.names},
    }


def generate(view: ConceptView):
    out = []
    # a proper name is not asked for from its description: which product or person is
    # meant is trivia (``a_proper_name``)
    builds = (_statement_variant,) if a_proper_name(view) else (_statement_variant, _term_variant)
    for i, d in enumerate(view.teaching[:2]):
        for build in builds:
            v = build(view, d)
            if v is None:
                continue
            if i > 0 and v["variant"] == "statement":
                continue  # one statement question per concept is enough
            out.append(
                view.new(
                    "multiple_choice",
                    v["prompt"],
                    v["answer"],
                    choices=v["choices"],
                    explanation=f"The source says: \u201c{d.sentence.clean}\u201d",
                    citations=[view.span(d.sentence)],
                    difficulty=difficulty(
                        "multiple_choice",
                        rarity=view.rarity(),
                        words_count=len(v["prompt"].split()),
                        distractor_similarity=v["sim"],
                    ),
                    data=v["data"],
                )
            )
    return out


# remembered (pattern, sentence) searches per corpus, then started afresh: ~60 bytes each
# (the 1 MB corpus makes ~140,000; 1,000,000 held ~60 MB at 16 MB)
_MEMO_LIMIT = 250_000


class _FirstAt:
    """Where one pattern first matches a sentence's ``clean_folded`` (-1: nowhere),
    remembered per corpus: matching asks it for every (description, term) pair and each of
    the other terms. ``needles`` (``term_needles``): an ASCII sentence holding none of
    them in lower case cannot match, so the pattern is not run on it."""

    __slots__ = ("pat", "seen", "memo", "needles")

    def __init__(self, corpus: Corpus, pat, needles: tuple[str, ...] | None = None):
        memo = corpus.__dict__.get("_first_at")
        if memo is None or memo[0] > _MEMO_LIMIT:
            memo = corpus.__dict__["_first_at"] = [0, {}]
        seen = memo[1].get(pat.pattern)
        if seen is None:
            seen = memo[1][pat.pattern] = {}
        self.pat, self.seen, self.memo, self.needles = pat, seen, memo, needles

    def __call__(self, s) -> int:
        at = self.seen.get(s.id)
        if at is None:
            text = s.clean_folded
            if self.needles is not None and text.isascii():
                low = text.lower()
                if not any(n in low for n in self.needles):
                    at = self.seen[s.id] = -1
                    self.memo[0] += 1
                    return at
            m = self.pat.search(text)
            at = self.seen[s.id] = m.start() if m else -1
            self.memo[0] += 1
        return at


# where a sentence joins two claims ("X tries ..., and Y uses ..."; as true/false reads it)
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|while|whereas)\s+")


def _clause_around(text: str, at: int) -> tuple[int, int]:
    """The span of the clause of ``text`` that holds position ``at``: the whole text when
    it makes one claim."""
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() > at:
            end = m.start()
            break
    return start, end


def _option_support_term(corpus: Corpus, clue: str, option: str, options: list[str]):
    pat = term_regex([option])
    others = [(p, o) for o in options if o != option and (p := term_regex([o])) is not None]
    best, where = 0.0, None
    first = _FirstAt(corpus, pat, term_needles([option])) if pat else None
    others_first = [_FirstAt(corpus, p, term_needles([o])) for p, o in others]
    # the options whose name holds this one ("collision resolution" for "collision"): a
    # sentence that names this one only inside theirs does not name it
    mine = option.lower()
    longer = [
        (len(o), _FirstAt(corpus, p, term_needles([o])))
        for o in options
        if o != option and mine in o.lower() and (p := term_regex([o])) is not None
    ]
    clue_stems = None
    for s, sup in retrieve(corpus, clue + " " + option, k=20, base=clue):
        at = first(s) if first else -1
        if at < 0 or any(-1 < (f := o_first(s)) <= at < f + n for n, o_first in longer):
            continue
        start, end = _clause_around(s.clean_folded, at)
        if any(f(s) > -1 and not start <= f(s) < end for f in others_first):
            # a sentence of two claims about two options ("Quadratic probing tries ...,
            # and double hashing uses ..."): the clause that names this one is what the
            # sources say of it (one term's definition in two clauses is read whole)
            clue_stems = stem_set(clue) if clue_stems is None else clue_stems
            said = stem_set(s.clean_folded[start:end])
            sup = min(sup, len(clue_stems & said) / len(clue_stems)) if clue_stems else sup
        # another option named earlier in its clause is more likely its subject
        earlier = any(start <= f(s) < at for f in others_first)
        score = sup * (0.8 if earlier else 1.0)
        if score > best:
            best, where = score, s
    return best, where


def _option_support_statement(corpus: Corpus, subject: list[str], option: str):
    pat = term_regex(subject)
    if pat is None:
        return 0.0, None
    want = stem_set(option)  # (``support(option, s)``, its stems taken once)
    first = _FirstAt(corpus, pat)
    best, where = 0.0, None
    for s, _ in retrieve(
        corpus, option + " " + " ".join(subject[:1]), k=20, base=" ".join(subject[:1])
    ):
        if first(s) >= 0:
            sup = len(want.intersection(s.stems)) / len(want) if want else 0.0
            if sup > best:
                best, where = sup, s
    return best, where


def solve(exercise, corpus: Corpus) -> Solution:
    variant = exercise.data.get("variant", "term")
    scored = []
    for opt in exercise.choices:
        if variant == "statement":
            sup, where = _option_support_statement(corpus, exercise.data.get("subject", []), opt)
        else:
            sup, where = _option_support_term(
                corpus, exercise.data.get("clue", exercise.prompt), opt, exercise.choices
            )
        scored.append((sup, opt, where))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] <= 0:
        return Solution(answer=None, note="no option is named in a passage like the prompt")
    (sup, opt, where), rest = scored[0], scored[1:]
    return Solution(
        answer=opt,
        support=sup,
        runner_up=rest[0][0] if rest else None,
        runner_up_answer=rest[0][1] if rest else None,
        supporting=[where.span(corpus.documents)] if where else [],
    )


def reveals(exercise) -> str:
    if exercise.data.get("variant") == "statement":
        # the key statement must not be quoted in the prompt
        if stem_set(exercise.answer) and stem_set(exercise.answer) <= stem_set(exercise.prompt):
            return "the prompt contains the key statement"
        return ""
    if contains_stems(exercise.prompt, exercise.answer):
        return f"the prompt names the answer {exercise.answer!r}"
    if len({norm(c) for c in exercise.choices}) != len(exercise.choices):
        return "two options are the same"
    return ""


register(
    ExerciseKindPlugin(
        name="multiple_choice",
        kind="multiple_choice",
        generate=generate,
        solve=solve,
        reveals=reveals,
        min_support=0.5,
        min_margin=0.15,
        order=20,
    )
)

__all__ = ["generate", "solve", "names_of"]
