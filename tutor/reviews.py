"""Spaced reviews of mastered concepts with FSRS (the ``fsrs`` package), graph-aware.

One FSRS card per learner and concept, created the first time the concept is mastered (that
answer counts as a ``Good`` review). After that, every direct answer on the concept is a review:
right -> ``Good``, wrong -> ``Again``. Learning steps are off (a concept is not a flash card to
see again in ten minutes) and fuzzing is off, so replaying a log always gives the same dates.

Graph-aware, exactly:
1. **Implicit review.** A *right* answer on a concept C is also weaker evidence that C's direct
   prerequisites P are still remembered (you cannot use the chain rule without derivatives). For
   each direct prerequisite P that has a card and is at least halfway through its current
   interval, we record an FSRS review of P rated ``Hard`` at that moment — FSRS grows stability
   less for ``Hard`` than for ``Good`` — and keep P's FSRS difficulty unchanged (the implicit
   signal says nothing about how hard P is for the learner). Net effect: P's due date moves out,
   less than a direct right answer would move it. Only direct prerequisites: the evidence is
   weaker the further away a concept is. The halfway rule stops a burst of practice on C from
   compounding many implicit reviews of P on one day.
2. **Flag on failure.** A *wrong* answer on a concept C that already has a card (a failed review)
   flags C's direct prerequisites that are mastered "to check": the pacing policy then probes
   each flagged prerequisite with one exercise before more work on C (``probe_prerequisite``).
   A flag is cleared by the next answer on that prerequisite. The failed review itself is rated
   ``Again`` (and BKT drops C below the threshold, so C is relearned).

Not handled: per-learner optimisation of FSRS weights (``fsrs.Optimizer`` needs many reviews).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler

IMPLICIT_MIN_ELAPSED = 0.5  # share of the interval that must have passed for an implicit review


@dataclass(frozen=True)
class DueReview:
    concept_id: str
    due: datetime
    overdue_days: float
    retrievability: float


def _card_id(concept: str) -> int:
    # Stable across processes (``hash`` is salted); FSRS only needs an int.
    return int.from_bytes(concept.encode("utf-8")[:6].ljust(6, b"\0"), "big") + 1


class ReviewScheduler:
    def __init__(self, desired_retention: float = 0.9):
        self.fsrs = Scheduler(
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )

    def on_attempt(self, state, graph, event, *, was_mastered: bool, had_card: bool) -> None:
        """Update cards after ``event`` (called by ``MasteryTracker.apply`` after BKT)."""
        c = event.concept_id
        when = event.when
        now_mastered = state.concepts[c].mastered
        if had_card:
            rating = Rating.Good if event.correct else Rating.Again
            state.cards[c], _ = self.fsrs.review_card(state.cards[c], rating, when)
        elif now_mastered:
            state.cards[c], _ = self.fsrs.review_card(Card(card_id=_card_id(c)), Rating.Good, when)
        # Concepts mastered by implication get a card now too (so they come up for review).
        for a in graph.ancestors(c):
            if state.concepts[a].mastered and a not in state.cards:
                state.cards[a], _ = self.fsrs.review_card(
                    Card(card_id=_card_id(a)), Rating.Good, when
                )
        if event.correct:
            for p in graph.prerequisites(c):
                self._implicit_review(state, p, when)
        elif had_card:
            for p in graph.prerequisites(c):
                if state.concepts[p].mastered:
                    state.flagged[p] = f"a review of {c} failed; check this prerequisite"

    def _implicit_review(self, state, concept: str, when: datetime) -> None:
        card = state.cards.get(concept)
        if card is None or card.last_review is None or card.due is None:
            return
        interval = (card.due - card.last_review).total_seconds()
        elapsed = (when - card.last_review).total_seconds()
        if interval <= 0 or elapsed < IMPLICIT_MIN_ELAPSED * interval:
            return
        new, _ = self.fsrs.review_card(card, Rating.Hard, when)
        new.difficulty = card.difficulty
        state.cards[concept] = new

    def retrievability(self, card: Card, when: datetime) -> float:
        return float(self.fsrs.get_card_retrievability(card, when))


def due_reviews(state, now: datetime | None = None) -> list[DueReview]:
    """Mastered concepts whose card is due at ``now``, most overdue first."""
    now = now or datetime.now(UTC)
    sched = ReviewScheduler()
    out = []
    for c, card in state.cards.items():
        if card.due is not None and card.due <= now and state.concepts[c].mastered:
            out.append(
                DueReview(
                    concept_id=c,
                    due=card.due,
                    overdue_days=(now - card.due) / timedelta(days=1),
                    retrievability=sched.retrievability(card, now),
                )
            )
    out.sort(key=lambda d: (d.due, d.concept_id))
    return out
