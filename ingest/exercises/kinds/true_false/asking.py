"""Which facts a concept's true/false statements ask, and on which side: one of each fact and
its false twin, never both, the side asked less so far, so keys stay balanced on any source."""

from __future__ import annotations

import zlib

from teachback.ingest.exercises.context import ConceptView, difficulty, display_name
from teachback.ingest.exercises.kinds.short_answer import asks_what
from teachback.ingest.exercises.kinds.true_false.falsify import (
    confusion,
    false_for,
    false_statement,
)
from teachback.ingest.exercises.kinds.true_false.siblings import candidates
from teachback.ingest.exercises.kinds.true_false.wording import PREFIX
from teachback.ingest.exercises.quality.restate import standalone
from teachback.ingest.exercises.text import clean_for_prompt


def generate(view: ConceptView):
    """For each fact (a defining sentence, then another statement of a property, use or
    contrast) that also has a plausible false counterpart, ask one of the two, the side asked
    less so far (``false_first`` on a tie): never both, which would give each other away,
    and never a true statement that has no false twin, so keys stay balanced on any source.
    The sentence "what is X?" asks is asked only as a sibling's definition said of X (false,
    first; alone, only when the concept's coin says so)."""
    cands = list(candidates(view))
    own = [s for s, role, _ in cands if role == "defining"][:4]
    confusions = [(s, v) for s, role, v in cands if role == "confusion"]
    facts = [(s, True) for s in own]
    facts += [(d.sentence, False) for d in view.statements[:6]]
    asked = asks_what(view)  # (once: it reads the sentence's key points)
    facts = _short_answer_last(asked, facts)
    askable, untwinned = _askable(view, facts, confusions, asked)
    forced = [a for a in askable if a[3]]
    rest = [a for a in askable if not a[3]]
    if forced and not rest:
        # a sibling's definition said of X, and nothing else to ask: paired with a true
        # statement of X that has no false twin, or by the coin (falses alone would lean
        # the keys to false)
        rest = untwinned[:1]
        if not rest and not false_first(view.concept.name):
            forced = []
    elif not askable and not false_first(view.concept.name):
        # nothing has a false twin: one of its defining sentences true, on the other side of
        # the same coin that lets half of the lone falses above be asked (they offset each
        # other); a sentence that only states a property alone would be trivia
        own_ids = {s.id for s in own}
        rest = [u for u in untwinned if u[0].id in own_ids][:1]
    out, trues = [], 0
    for s, sentence, false, only_false in forced + rest:
        # the side asked less so far, on a tie a stable coin per concept: a concept's keys
        # differ by one at most, and half of all concepts start with false
        falses = len(out) - trues
        if only_false or (falses < trues if falses != trues else false_first(view.concept.name)):
            statement, corrected, method, cited, other_view = false
            explanation = f"False. Corrected: \u201c{corrected}\u201d"
            if other_view is not None:
                explanation += f" (that is {clean_for_prompt(other_view.concept.name)}, not "
                explanation += f"{display_name(view.concept)})"
            is_true = False
        else:
            statement, corrected, method, cited = sentence, "", "source", s
            explanation = f"True: the source says \u201c{sentence}\u201d"
            is_true = True
            trues += 1
        out.append(
            view.new(
                "true_false",
                PREFIX + statement,
                is_true,
                choices=["True", "False"],
                explanation=explanation,
                citations=[view.span(cited)],
                difficulty=difficulty(
                    "true_false",
                    rarity=view.rarity(),
                    words_count=len(statement.split()),
                    extra=0.1 * (method != "source"),
                ),
                data={"statement": statement, "corrected": corrected, "method": method},
            )
        )
    return out


def _askable(
    view: ConceptView, facts: list, confusions: list, asked: int | None
) -> tuple[list, list]:
    """``(sentence, its statement, its false twin, only false)`` for the facts with a false
    twin, and the facts without one (asked true only to pair a lone false); ``asked``: the
    sentence "what is X?" asks (``asks_what``)."""
    askable, untwinned = [], []
    for s, defining in facts:
        sentence = standalone(s.clean, view.names)
        if s.id == asked:
            # "what is X?" asks this sentence: only a sibling's definition said of X (a
            # passage of its own) is left to ask, false
            false, only_false = confusion(view, confusions), True
        elif defining:
            false, only_false = false_for(view, s, confusions), False
        else:
            false, only_false = false_statement(view, s, sentence), False
        if false is not None:
            askable.append((s, sentence, false, only_false))
        elif s.id != asked:
            untwinned.append((s, sentence, None, False))
    return askable, untwinned


def _short_answer_last(first: int | None, facts: list) -> list:
    """The concept's first teaching sentence is what "what is X?" asks (``short_answer``;
    ``first``, its id), and the self-check keeps one exercise per fact: asked last here, a
    true/false statement goes to a fact of its own when the concept has one."""
    if first is None or len(facts) < 2:
        return facts
    return [f for f in facts if f[0].id != first] + [f for f in facts if f[0].id == first]


def false_first(concept: str, i: int = 0) -> bool:
    """Whether the ``i``-th statement of a concept is asked as a false one: by a stable hash,
    so half of all statements are false on any curriculum."""
    return zlib.crc32(f"{concept}:{i}".encode()) % 2 == 1
