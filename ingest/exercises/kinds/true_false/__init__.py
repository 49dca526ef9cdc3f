"""True/false statements built from source sentences; a false one carries its corrected form.

A true statement is a sentence that defines the concept, as the source has it. A false one is
plausible and grammatical: a related concept's definition said of this concept (``swap``), or
one of this concept's defining sentences with a direction turned round ("larger" ->
"smaller", ``direction``) or a number changed tenfold (``quantity``). Sentences that only
mention the concept are not used (they make trivia), nor name swaps inside them (they make
nonsense: "Comedy clips make viral clip"). ``data["corrected"]`` holds the source's
sentence, ``data["method"]`` how it was falsified. Candidates alternate true and false.

Reader (self-check): find the source sentence closest to the statement. Covered word for word
with the same polarity: true. Covered except for one swapped term or a flipped negation:
false. Both kinds of evidence about as strong: ambiguous; neither: unanswerable.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.kinds.true_false.asking import generate
from teachback.ingest.exercises.kinds.true_false.reader import solve
from teachback.ingest.exercises.registry import ExerciseKindPlugin, register


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
