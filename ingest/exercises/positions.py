"""Where a choice question's key sits among its options: spread evenly over the positions, so
a key's place says nothing of the answer.

Each kind shuffles its options with a generator seeded by the exercise, which leaves the key's
place to chance: a handful of questions can pile their keys away from one position and teach
a learner "never pick A". ``spread_keys(kept)`` moves the key of each of a concept's
choice questions, in order, to one of the positions its earlier ones used least; which one is
drawn from the exercise's own seed, so the sequence of places cannot be learned either. Only
the key moves: the other options keep the order their kind gave them. Per concept, like
``balance_keys``, so a concept's exercises do not depend on the others'.
"""

from __future__ import annotations

from collections import Counter

from teachback.core.kinds import picks_own_option
from teachback.engine.protocol import ExerciseDraft
from teachback.ingest.exercises.context import rng_for


def _keyed(ex: ExerciseDraft) -> bool:
    """Answered by picking one of its own options, exactly one of which is the key."""
    return (
        picks_own_option(ex.kind)
        and len(ex.choices) > 1
        and isinstance(ex.answer, str)
        and ex.choices.count(ex.answer) == 1
    )


def spread_keys(exercises: list[ExerciseDraft]) -> None:
    """Place each choice question's key (in place) where it evens out the positions used."""
    used: Counter[int] = Counter()
    for ex in exercises:
        if not _keyed(ex):
            continue
        places = range(len(ex.choices))
        least = min(used[i] for i in places)
        at = rng_for(ex.concept, ex.kind, ex.prompt, "key-place").choice(
            [i for i in places if used[i] == least]
        )
        others = [c for c in ex.choices if c != ex.answer]
        ex.choices = others[:at] + [ex.answer] + others[at:]
        used[at] += 1
