"""True or false, according to the source: a claim an essay's labelled point makes.

An essay that teaches by a list of labelled points ("9. Robotics: Manipulating atoms is 1
million times more difficult than manipulating bits ...", "5. Generalization Problem: ... The
improvement of verifiable capabilities does not drive the improvement of the model's soft
capabilities.") has no "X is a Y" sentence to ask, but each point's claims are what it teaches
about its topic. For the concept that labels a point (named in the prompt: "True or false,
according to the source's point on Career Choice: ..."), each claim of that list item with a
plausible false twin is asked on one side: the twin says the claim's comparison the other way
round ("more difficult" -> "less difficult") or its one negated verb positively ("does not
drive" -> "drives"; not "is not free" -> "is free", which out of its paragraph reads two ways):
the very view the point argues against, grammatical and no odder than the claim.

Not asked: a quotation or a sentence in someone's first person (what a speaker felt), an
example ("For example, ..."), a sentence that leans on the one before ("Now, ...", "This ..."),
a date or a sequence word turned round ("last December" -> "first December"). The side asked
alternates along the document's claims asked by this kind and ``contrast_claim`` together
(``sides``), so a source's keys stay balanced whichever kinds and concepts ask them.
``data["corrected"]`` is the source's sentence, ``data["method"]`` ``"direction"`` or
``"negation"`` (``"source"`` for a true one), ``data["topic"]`` the point's label.

Reader (self-check): the true/false reader (``true_false.reader``): the statement covered word
for word by a source sentence is true; covered but for one word turned round or a negation
dropped, false.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus, Sentence
from teachback.ingest.exercises.kinds import point_choice, sides
from teachback.ingest.exercises.kinds.true_false import reader
from teachback.ingest.exercises.kinds.true_false.wording import PREFIX as TF_PREFIX
from teachback.ingest.exercises.quality import form
from teachback.ingest.exercises.registry import ExerciseKindPlugin, register

PREFIX = "True or false, according to the source's point on {topic}: "
MIN_WORDS, MAX_WORDS = 5, 30
# the comparison words whose opposite makes the view a point argues against (a date's "last",
# a sequence's "first", "no longer" are not claims about the topic)
_TURNED = {
    "more": "less", "less": "more", "higher": "lower", "lower": "higher", "high": "low",
    "low": "high", "larger": "smaller", "smaller": "larger", "faster": "slower",
    "slower": "faster", "better": "worse", "worse": "better", "easier": "harder",
    "harder": "easier", "increase": "decrease", "decrease": "increase",
}  # fmt: skip
_NEGATED = re.compile(r"\b(does|do|did) not (\w+)\b|\b(is|are|was|were|can) not\b", re.I)
_OPENS_ON_CONTEXT = re.compile(
    r"^\W*(?:for example|for instance|e\.g\.|now|then|so|but|and|also|this|that|these|those|"
    r"it|they|he|she|such)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|my|me|we|our|us)\b")


def _item(corpus: Corpus, own: point_choice.Point) -> list[tuple[Sentence, str]]:
    """The claims of the list item ``own`` opens, in reading order: ``(sentence, claim)``,
    the first sentence's claim without its label."""
    doc = corpus.documents[own.sentence.doc]
    end = doc.text.find("\n", own.sentence.start)
    end = len(doc.text) if end < 0 else end
    out = [(own.sentence, own.claim)]
    for s in corpus.sentences[own.sentence.id + 1 :]:
        if s.doc != own.sentence.doc or s.start >= end:
            break
        out.append((s, " ".join(s.clean.split())))
    return out


def _claimable(text: str) -> bool:
    return (
        MIN_WORDS <= len(text.split()) <= MAX_WORDS
        and text[:1].isupper()
        and text.rstrip()[-1:] == "."
        and "\u201c" not in text
        and '"' not in text
        and not _OPENS_ON_CONTEXT.match(text)
        and not _FIRST_PERSON.search(text)
    )


def twin(text: str) -> tuple[str, str] | None:
    """The claim's false twin and how it was made: its one negation said positively, else
    its one comparison word turned round. None when it has neither, or more than one."""
    negations = list(_NEGATED.finditer(text))
    if len(negations) == 1 and not re.search(r"\b(?:never|no|n't|nor)\b", text):
        m = negations[0]
        if m.group(2):  # "does not drive" -> "drives"
            verb = m.group(2)
            if m.group(1).lower() == "did":
                return None  # (a past tense to make from the bare verb: not guessed)
            said = _third_person(verb) if m.group(1).lower() == "does" else verb
            return text[: m.start()] + said + text[m.end() :], "negation"
        # "is not free" said as "is free": a bare adjective out of its paragraph reads two
        # ways (free of cost? of constraints?), and a learner cannot tell which is asked
        return None
    if negations:
        return None
    found = [m for m in re.finditer(r"\b[a-z]+\b", text) if m.group(0) in _TURNED]
    if len(found) != 1:
        return None  # (none, or two that may be a pair: "from higher to lower")
    m = found[0]
    return text[: m.start()] + _TURNED[m.group(0)] + text[m.end() :], "direction"


def _third_person(verb: str) -> str:
    """ "drive" -> "drives", "reach" -> "reaches", "carry" -> "carries"."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _asked(claim: str) -> bool:
    """Whether a claim is asked: it stands as a statement and so does its twin (a side that
    would be rejected for its form must not take a place in the alternation)."""
    made = twin(claim) if _claimable(claim) else None
    return made is not None and not form.not_a_statement(made[0])


def _claims(view: ConceptView) -> tuple[point_choice.Point | None, list[tuple[Sentence, str]]]:
    """The concept's own point and the ``(sentence, claim)`` pairs of it that are asked."""
    own = point_choice._own_point(view)
    if own is None:
        return None, []
    # the point's first claim is what "which point does the source make about X?" asks
    # (``point_choice``) of a topic named outside its label: not asked twice
    chosen = not point_choice._names_own_topic(own) and not point_choice._only_a_label(view, own)
    return own, [
        (s, claim)
        for s, claim in _item(view.corpus, own)
        if _asked(claim) and not (chosen and s is own.sentence)
    ]


def generate(view: ConceptView):
    own, claims = _claims(view)
    out = []
    for s, claim in claims:
        made, method = twin(claim)
        out.append(
            sides.asked_on_its_side(
                view,
                s,
                PREFIX.format(topic=own.label),
                claim,
                made,
                corrected=claim,
                method=method,
                true_method="source",
                data={"topic": own.label},
            )
        )
    return out


def solve(exercise, corpus: Corpus):
    """The true/false reader, on the statement without this kind's own prefix."""
    statement = exercise.data.get("statement", "")
    return reader.solve(exercise.model_copy(update={"prompt": TF_PREFIX + statement}), corpus)


sides.asks_claims(
    sides.ClaimAsker(
        "point_claim",
        # (a concept's own point is a labelled point it is named in)
        triggers=lambda corpus: [p.sentence.id for p in point_choice.all_points(corpus)],
        asked=lambda view: [s for s, _ in _claims(view)[1]],
    )
)
register(
    ExerciseKindPlugin(
        name="point_claim",
        kind="true_false",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: bool(answered) == bool(key),
        min_support=0.6,
        min_margin=0.15,
        order=32,
    )
)
