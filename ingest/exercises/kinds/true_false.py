"""True/false statements built from source sentences; a false one carries its corrected form.

A true statement is a defining or informative sentence about the concept, as the source has it.
A false one changes exactly one thing: the concept's name swapped for a related concept's
(``swap``) or the main verb negated (``negation``). ``data["corrected"]`` holds the source's
sentence, ``data["method"]`` how it was falsified. Candidates alternate true and false.

Reader (self-check): find the source sentence closest to the statement. Covered word for word
with the same polarity: true. Covered except for one swapped term or a flipped negation:
false. Both kinds of evidence about as strong: ambiguous; neither: unanswerable.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context import ConceptView, difficulty, display_name
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import retrieve
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import clean_for_prompt, fold, stem_set, term_regex

PREFIX = "True or false: "
_NEG = re.compile(r"\b(not|no|never|cannot|can't|isn't|aren't|doesn't|don't|won't|none)\b", re.I)
_VERB = re.compile(r"\b(is|are|was|were|can|does|do|will|has|have|should|must)\b", re.I)
_NEGATE = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "can": "cannot",
    "does": "does not",
    "do": "do not",
    "will": "will not",
    "has": "has not",
    "have": "have not",
    "should": "should not",
    "must": "must not",
}


def _negations(text: str) -> int:
    return len(_NEG.findall(fold(text)))


def _swap(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    if view.pattern is None:
        return None
    text = fold(sentence)
    if not view.pattern.search(text):
        return None
    for other, _ in view.related:
        name = clean_for_prompt(other.name)
        pat = term_regex([name])
        if not name or (pat and pat.search(text)):
            continue
        swapped = view.pattern.sub(name, text, count=1)
        if swapped[0].islower() and text[0].isupper():
            swapped = swapped[0].upper() + swapped[1:]
        return swapped, name
    return None


def _negate(sentence: str) -> str | None:
    text = fold(sentence)
    if _negations(text):
        return None
    m = _VERB.search(text)
    if not m:
        return None
    word = m.group(1)
    neg = _NEGATE[word.lower()]
    if word[0].isupper():
        neg = neg[0].upper() + neg[1:]
    return text[: m.start()] + neg + text[m.end() :]


def _candidates(view: ConceptView):
    seen = set()
    for d in view.defining[:2]:
        seen.add(d.sentence.id)
        yield d.sentence, True
    for s, _ in view.mentions:
        n = len(s.stems)
        if s.id in seen or n < 5 or n > 35 or s.clean.endswith("?") or '"' in fold(s.clean):
            continue
        seen.add(s.id)
        yield s, False


def generate(view: ConceptView):
    out = []
    truth = True
    for s, defining in list(_candidates(view))[:5]:
        sentence = s.clean.rstrip()
        statement, corrected, method = sentence, "", "source"
        if not truth:
            swapped = _swap(view, sentence) if defining else None
            negated = None if swapped else _negate(sentence)
            if swapped:
                statement, method = swapped[0], "swap"
            elif negated:
                statement, method = negated, "negation"
            if method != "source":
                corrected = sentence
        is_true = method == "source"
        explanation = (
            f"True: the source says \u201c{sentence}\u201d"
            if is_true
            else f"False. Corrected: \u201c{corrected}\u201d"
            + (
                f" (the source says this of {display_name(view.concept)})"
                if method == "swap"
                else ""
            )
        )
        out.append(
            view.new(
                "true_false",
                PREFIX + statement,
                is_true,
                choices=["True", "False"],
                explanation=explanation,
                citations=[view.span(s)],
                difficulty=difficulty(
                    "true_false",
                    rarity=view.rarity(),
                    words_count=len(statement.split()),
                    extra=0.1 * (method == "swap"),
                ),
                data={"statement": statement, "corrected": corrected, "method": method},
            )
        )
        truth = not truth
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    statement = exercise.prompt.removeprefix(PREFIX)
    st = stem_set(statement)
    if len(st) < 3:
        return Solution(answer=None, note="the statement is too short to check")
    neg = _negations(statement)
    best_true, best_false = (0.0, None), (0.0, None)
    for s, cov in retrieve(corpus, statement, k=12):
        ts = set(s.stems)
        extra_in_source = ts - st
        missing = st - ts
        same_polarity = _negations(s.text) == neg
        if same_polarity and cov >= 0.9:
            score = cov - 0.3 * (len(extra_in_source) / max(len(ts), 1))
            if score > best_true[0]:
                best_true = (score, s)
        elif cov >= 0.6 and (
            (not same_polarity and not missing)
            or (same_polarity and 0 < len(missing) <= 4 and extra_in_source)
        ):
            score = cov if not same_polarity else cov + 0.15 * (len(missing) <= 3)
            score = min(score, 1.0)
            if score > best_false[0]:
                best_false = (score, s)
    if best_true[1] is None and best_false[1] is None:
        return Solution(answer=None, note="no source sentence confirms or contradicts it")
    if best_true[0] >= best_false[0]:
        (sup, s), rival = best_true, best_false[0] if best_false[1] else None
        answer, rival_answer = True, "false"
    else:
        (sup, s), rival = best_false, best_true[0] if best_true[1] else None
        answer, rival_answer = False, "true"
    return Solution(
        answer=answer,
        support=sup,
        runner_up=rival,
        runner_up_answer=rival_answer,
        supporting=[s.span(corpus.documents)],
    )


def reveals(exercise) -> str:
    if re.search(r"\b(true|false)\b", exercise.data.get("statement", ""), re.I):
        return "the statement itself says true or false"
    return ""


register(
    ExerciseKindPlugin(
        name="true_false",
        kind="true_false",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: bool(answered) == bool(key),
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=30,
    )
)
