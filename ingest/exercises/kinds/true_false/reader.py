"""The self-check's reader: find the source sentence closest to the statement. Covered word for
word with the same polarity: true. Covered except for one swapped term, a flipped negation or
direction, or the same words in another order: false. Both about as strong: ambiguous;
neither: unanswerable."""

from __future__ import annotations

from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import retrieve
from teachback.ingest.exercises.kinds.true_false.wording import OPPOSITES, PREFIX, negations
from teachback.ingest.exercises.registry import Solution
from teachback.ingest.exercises.text import stem_set, stem_tuple, words


def solve(exercise, corpus: Corpus) -> Solution:
    statement = exercise.prompt.removeprefix(PREFIX)
    if len(stem_set(statement)) < 3:
        return Solution(answer=None, note="the statement is too short to check")
    weighed = _Weighing(statement)
    for s, cov in retrieve(corpus, statement, k=12):
        weighed.add(s, cov)
    best_true, best_false = weighed.best_true, weighed.best_false
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


class _Weighing:
    """The best evidence so far that the statement is true and that it is false, as
    ``(score, sentence)``, read from the retrieved sentences in rank order (a verbatim
    confirmation weakens the later "one term swapped" evidence)."""

    def __init__(self, statement: str):
        self.statement = statement
        self.stems = stem_set(statement)
        self.negations = negations(statement)
        self.order = stem_tuple(statement)
        self.best_true: tuple = (0.0, None)
        self.best_false: tuple = (0.0, None)
        self.verbatim = False

    def _true(self, score: float, s) -> None:
        if score > self.best_true[0]:
            self.best_true = (score, s)

    def _false(self, score: float, s) -> None:
        if score > self.best_false[0]:
            self.best_false = (score, s)

    def add(self, s, cov: float) -> None:
        """What one retrieved sentence (covering ``cov`` of the statement) says of it."""
        if cov >= 0.9 and _flipped(self.statement, s.text):
            # "before" for "after", "less" for "more": stop words to the stems, the
            # direction of the claim to a reader
            self._false(cov, s)
            return
        ts = s.sset
        extra_in_source = ts - self.stems
        missing = self.stems - ts
        same_polarity = negations(s.text) == self.negations
        if (
            same_polarity
            and not missing
            and len(extra_in_source) <= 2
            and not _in_order(self.order, stem_tuple(s.text))
        ):
            # the same words in another order ("from lower to higher" for "from higher to
            # lower"): the relation is reversed, a contradiction
            self._false(cov, s)
        elif same_polarity and cov >= 0.9 and (not missing or (len(missing) == 1 and cov >= 0.95)):
            score = cov - 0.3 * (len(extra_in_source) / max(len(ts), 1))
            self.verbatim = self.verbatim or (not missing and len(extra_in_source) <= 0.1 * len(ts))
            self._true(score, s)
        elif not same_polarity and not missing and len(extra_in_source) <= 2:
            # the same claim with the opposite polarity: a contradiction
            self._false(cov, s)
        elif same_polarity and cov >= 0.6 and 0 < len(missing) <= 3 and len(extra_in_source) <= 4:
            # the same sentence with one term swapped or one word changed ("associative array"
            # for "array"): a contradiction, unless a source sentence says it word for word
            self._false(cov if not self.verbatim else cov - 0.3, s)


def _flipped(statement: str, source: str) -> bool:
    """Whether ``statement`` says a direction word ("before") where ``source`` says its
    opposite ("after") and not the word itself."""
    mine = set(words(statement))
    theirs = set(words(source))
    return any(
        w in OPPOSITES and OPPOSITES[w] in theirs and w not in theirs and OPPOSITES[w] not in mine
        for w in mine
    )


def _in_order(needle: tuple, hay: tuple) -> bool:
    """Whether ``needle``'s stems occur in ``hay`` in the same order (gaps allowed)."""
    it = iter(hay)
    return all(any(h == n for h in it) for n in needle)
