"""True or false, according to the source: a claim the author makes by setting it against its
foil ("X is not A, but B").

Essays teach by contrast more than by definition: "What makes OpenClaw special is not that it
has the strongest single function, but that it is closer to the AI form in people's minds.",
"The current anxiety in the industry is no longer about fully utilizing GPUs, but about using
up tokens." The claim said without its foil ("... is that it is closer to ...") is true; the
foil said as the claim ("... is that it has the strongest single function") is false, and
plausible: it is the very view the author argues against. One of the two is asked per sentence
(by turns along the document's claims, with the other essay kinds: ``sides``), for a
sentence that names the concept; the two halves must be of one form ("about ... but about ...",
"that ... but that ...", "-ing ... but -ing"), so both read as whole sentences.
``data["corrected"]`` is the source's sentence, ``data["method"]`` ``"contrast"``.

Reader (self-check): read every source sentence of that form the same way; the statement is
true when it is the claim of one of them, false when it is the foil.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus, Sentence
from teachback.ingest.exercises.kinds import sides
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

PREFIX = "True or false, according to the source: "
# "<subject> is no longer <foil>, but <claim>." / "<subject> is not <foil>, but <claim>."
_CONTRAST = re.compile(
    r"^(?P<subj>[A-Z][^,;:]*?(?:,\s+[a-z][^,;:]*?)?)\s+(?P<verb>is|are|was|were)\s+"
    r"(?:no longer|not)\s+(?:really\s+|just\s+|only\s+)?(?P<foil>[^,;:]+?),?\s+but\s+"
    r"(?:rather\s+)?(?P<claim>[^;:]+?)\s*[.!]$"
)
_LABEL = re.compile(r"^[A-Z][\w' -]{1,50}:\s+(?=[A-Z])")  # "Productivity Anxiety: The ..."
_PRONOUN_SUBJECT = re.compile(
    r"^(?:now,\s+)?(?:it|this|that|these|those|they|he|she|we|you|i)\b", re.I
)
# "What makes X special is that ..." reads as a question opening: "X is special because ..."
_WHAT_MAKES = re.compile(r"^What makes (?P<x>.+?) (?P<adj>[a-z]+)$")
_SAME_FORM = frozenset("about that to for in on with by from as".split())
MIN_WORDS, MAX_WORDS = 4, 30


def lead(text: str) -> str | None:
    """What a sentence of the contrast form makes its claim about: its label and subject
    ("Productivity Anxiety: The current anxiety in the industry"), else None."""
    whole = " ".join(text.split())
    m = _CONTRAST.match(_LABEL.sub("", whole, count=1))
    return None if m is None else whole[: len(whole) - len(m.string) + m.end("subj")]


def statements(text: str) -> tuple[str, str] | None:
    """``(claim, foil)`` as whole sentences for a sentence of the contrast form, else None."""
    text = _LABEL.sub("", " ".join(text.split()), count=1)
    m = _CONTRAST.match(text)
    if m is None or _PRONOUN_SUBJECT.match(m.group("subj")):
        return None
    foil, claim = m.group("foil").strip(), m.group("claim").strip()
    a, b = foil.split()[0].lower(), claim.split()[0].lower()
    if not (a == b and a in _SAME_FORM or a.endswith("ing") and b.endswith("ing")):
        return None  # (halves of two forms: one said alone would not read as a sentence)
    head = f"{m.group('subj')} {m.group('verb')}"
    what = _WHAT_MAKES.match(m.group("subj"))
    if what and a == "that":
        head = f"{what.group('x')} is {what.group('adj')} because"
        foil, claim = foil.split(" ", 1)[1], claim.split(" ", 1)[1]
    made = (f"{head} {claim}.", f"{head} {foil}.")
    if not all(MIN_WORDS <= len(x.split()) <= MAX_WORDS for x in made):
        return None
    return made


def _claims(view: ConceptView) -> list[tuple[Sentence, str, str]]:
    """``(sentence, claim, foil)`` for each contrast the concept's sentences make about it."""
    out = []
    for s, _m in view.mentions:
        if s.instruction_like or s.section_kind not in ("prose", "list"):
            continue
        made = statements(s.clean)
        if made is None:
            continue
        # The claim is about its subject: a concept named only inside the claim ("humans are
        # expressing their ideas to agents") is not what it teaches, and its true side is a truism.
        if not view.pattern.search(lead(s.clean) or ""):
            continue
        out.append((s, *made))
    return out


def generate(view: ConceptView):
    return [
        sides.asked_on_its_side(view, s, PREFIX, claim, foil, corrected=s.clean, method="contrast")
        for s, claim, foil in _claims(view)
    ]


def _contrasts(corpus: Corpus) -> list[int]:
    """The ids of the sentences of the contrast form (the only ones ``_claims`` asks)."""
    return [s.id for s in corpus.sentences if "but" in s.clean and statements(s.clean)]


def solve(exercise, corpus: Corpus) -> Solution:
    statement = exercise.data.get("statement", "")
    found: list[tuple[bool, Sentence]] = []
    for s in corpus.sentences:
        if " but " not in s.clean:
            continue
        made = statements(s.clean)
        if made is not None and statement in made:
            found.append((statement == made[0], s))
    if not found:
        return Solution(answer=None, note="no source sentence sets this claim against a foil")
    verdicts = {v for v, _ in found}
    if len(verdicts) > 1:
        return Solution(answer=found[0][0], ambiguous="the sources say it both ways")
    verdict, s = found[0]
    return Solution(answer=verdict, support=1.0, supporting=[s.span(corpus.documents)])


sides.asks_claims(
    sides.ClaimAsker(
        "contrast_claim", triggers=_contrasts, asked=lambda view: [s for s, *_ in _claims(view)]
    )
)
register(
    ExerciseKindPlugin(
        name="contrast_claim",
        kind="true_false",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: bool(answered) == bool(key),
        min_support=0.6,
        min_margin=0.15,
        order=31,
    )
)
