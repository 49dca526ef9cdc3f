"""What a generator knows about one concept, and what every kind computes the same way.

* ``view.py`` — ``ConceptView``: a concept's names and mentions, and each part below, once;
* ``sentences.py`` — the sentences that define, state or use it in the sources;
* ``defining.py`` — recognising a defining sentence ("X is a ...", "... is called X");
* ``own_sentence.py`` — a mention's own sentence where the splitter glued several;
* ``longer_names.py`` — where a mention is part of a longer name ("join" in "outer join");
* ``code_units.py`` — the functions, classes and notebook cells it is about;
* ``reading.py`` — what those parts read of the view (so they need not import it);
* ``subject.py`` — whether it is what the whole source is about (never blanked or matched);
* ``related.py`` — ranking the concepts a learner could confuse with it;
* ``names.py`` — its names as exercises write and match them;
* ``synonyms.py`` — the source's own other words for it (accepted in a blank);
* ``difficulty.py`` — an exercise's difficulty and its deterministic shuffle.

Every kind imports the same few names; they are named here once.
"""

from teachback.ingest.exercises.context.difficulty import difficulty, rng_for
from teachback.ingest.exercises.context.names import display_name, names_of, same_concept_names
from teachback.ingest.exercises.context.view import ConceptView

__all__ = [
    "ConceptView",
    "difficulty",
    "display_name",
    "names_of",
    "rng_for",
    "same_concept_names",
]
