"""Which point does the source make about X? — multiple choice on an essay's list of points.

An essay or a summary often teaches by a list of labelled points ("9. Robotics: Manipulating
atoms is 1 million times more difficult than manipulating bits ..."): no "X is a Y" sentence,
but a claim the author makes about each topic. For a concept that labels one point of such a
list (a numbered or bulleted item, three or more in one section), the options are the claims
of that point and of two or three other points of the same list: statements of the same sort,
each the first sentence after its label. A claim that names its own topic would give it away
(the key) or rule itself out (a distractor), so neither is used; nor a key that alone of the
options shares a word or a near-synonym with the label the question names ("AI and Education"
-> "... humans teaching each other ..."). Only for a topic the source speaks of outside its
own label: a label and nothing else ("Career Choice") is a heading, not a concept a teacher
would test. ``data["variant"]`` is
``"point"``, ``data["labels"]`` maps each option to the label it stands under.

Reader (self-check): find each option in the sources as the claim of a labelled point and read
the label it stands under; the option under the concept's label wins, and an option found
under no label, or under two, makes the exercise unanswerable or ambiguous.
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass

from teachback.ingest.exercises.context import ConceptView, difficulty, display_name, rng_for
from teachback.ingest.exercises.corpus import Corpus, Sentence
from teachback.ingest.exercises.near_synonyms import related_stems
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import stem_set

PROMPT = "Which point does the source make about **{name}**?"
# "9. Robotics: Manipulating ...", "- Career Choice: Working ..." (a list marker, a short
# label, a colon, then a claim that starts a sentence)
_POINT = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+([^:\n]{2,60}?)\s*:\s+(\S.*)$", re.S)
MIN_POINTS = 3
MAX_CLAIM_WORDS = 30


@dataclass(frozen=True)
class Point:
    sentence: Sentence
    label: str
    claim: str


def _point(s: Sentence) -> Point | None:
    m = _POINT.match(s.folded)
    if m is None or s.section_kind not in ("prose", "list"):
        return None
    label = m.group(1).strip("*_` ")
    claim = _main_clause(" ".join(s.clean.split(":", 1)[1].split()) if ":" in s.clean else "")
    if not claim[:1].isupper() or not 4 <= len(claim.split()) <= MAX_CLAIM_WORDS:
        return None
    return Point(s, label, claim)


def _main_clause(claim: str) -> str:
    """A long claim cut before its second clause ("Manipulating atoms is 1 million times
    more difficult than manipulating bits, but the market ... may be larger"): the point
    itself, not its qualification, and options of about one length."""
    if len(claim.split()) <= 25:
        return claim
    head = re.split(r",\s+(?:but|while|whereas|and|so)\s+|;\s+", claim, maxsplit=1)[0]
    return head.rstrip(" ,;") + "." if len(head.split()) >= 6 else claim


def all_points(corpus: Corpus) -> list[Point]:
    """Every labelled point of the corpus, in reading order (found once per corpus: the
    reader asks for them for every exercise it checks)."""
    hit = corpus.__dict__.get("_all_points")
    if hit is None:
        hit = corpus.__dict__["_all_points"] = [p for x in corpus.sentences if (p := _point(x))]
    return hit


def _points_by_claim(corpus: Corpus) -> dict[str, list[Point]]:
    """Every labelled point by its claim, in reading order (once per corpus: the reader
    looks up each option of every exercise it checks)."""
    hit = corpus.__dict__.get("_points_by_claim")
    if hit is None:
        hit = corpus.__dict__["_points_by_claim"] = {}
        for p in all_points(corpus):
            hit.setdefault(p.claim, []).append(p)
    return hit


def points_of(corpus: Corpus, s: Sentence) -> list[Point]:
    """The labelled points of the list ``s`` belongs to (same document and section, in
    reading order), itself included."""
    known = corpus.__dict__.setdefault("_points", {})
    key = (s.doc, s.heading_path)
    if key not in known:
        known[key] = [
            p
            for p in all_points(corpus)
            if p.sentence.doc == s.doc and p.sentence.heading_path == s.heading_path
        ]
    return known[key]


def _usable_points(corpus: Corpus, s: Sentence) -> tuple[list[Point], frozenset[int]]:
    """The points of ``s``'s list whose claims do not name their own topic, and their
    sentence ids (once per list: a long list was filtered again for each of its concepts)."""
    known = corpus.__dict__.setdefault("_usable_points", {})
    key = (s.doc, s.heading_path)
    if key not in known:
        usable = [p for p in points_of(corpus, s) if not _names_own_topic(p)]
        known[key] = (usable, frozenset(p.sentence.id for p in usable))
    return known[key]


def _around(points: list[Point], at: int, k: int = 4) -> list[Point]:
    """The ``k`` points on each side of sentence id ``at`` in a list in reading order (ids
    rising): the ``k`` nearest to ``at`` are among them, in the list's order, so a stable
    pick of the nearest is the same as from the whole list (a list as long as a book's
    every labelled point was scanned once per concept of it)."""
    i = bisect.bisect_left(points, at, key=lambda p: p.sentence.id)
    return points[max(0, i - k) : i + k]


def _names_own_topic(point: Point) -> bool:
    """The claim repeats a word of its own label ("AI Programming: ... the paradigm of AI
    programming has changed"): the option says which point it is."""
    label = stem_set(point.label)
    return bool(label) and bool(label & stem_set(point.claim))


def _own_point(view: ConceptView) -> Point | None:
    for s, _m in view.mentions:
        p = _point(s)
        if p is not None and view.pattern is not None and view.pattern.fullmatch(p.label):
            return p
    return None


def _only_a_label(view: ConceptView, own: Point) -> bool:
    """The sources name the concept in its point's label and nowhere else: a list heading."""
    return all(s.id == own.sentence.id for s, _m in view.mentions)


def _label_leads_to_key(own: Point, chosen: list[Point]) -> bool:
    """The question's label shares a word or a near-synonym with the key and with none of
    the other options: the learner matches words, not ideas."""
    label = stem_set(own.label)
    if not related_stems(label, stem_set(own.claim)):
        return False
    return not any(related_stems(label, stem_set(p.claim)) for p in chosen)


def generate(view: ConceptView):
    own = _own_point(view)
    if own is None or _names_own_topic(own) or _only_a_label(view, own):
        return []
    usable, ids = _usable_points(view.corpus, own.sentence)
    if len(usable) - (own.sentence.id in ids) + 1 < MIN_POINTS:
        return []
    # the neighbouring points first: the ones a reader of the list confuses (own, at
    # distance 0, comes first of the four nearest and is dropped; the order is a stable
    # sort's, as ``heapq.nsmallest`` keeps it, without sorting a long list per concept)
    at = own.sentence.id
    nearest = heapq.nsmallest(4, _around(usable, at), key=lambda p: abs(p.sentence.id - at))
    chosen = [p for p in nearest if p.sentence.id != own.sentence.id][:3]
    if _label_leads_to_key(own, chosen):
        return []
    longest = max(len(p.claim) for p in chosen)
    if len(own.claim) > 1.5 * longest:
        return []  # (the key by far the longest option: picked by its length)
    options = [own.claim] + [p.claim for p in chosen]
    rng_for(view.concept.name, "point", own.claim).shuffle(options)
    labels = {p.claim: p.label for p in [own, *chosen]}
    return [
        view.new(
            "multiple_choice",
            PROMPT.format(name=display_name(view.concept)),
            own.claim,
            choices=options,
            explanation=f"The source says: \u201c{own.sentence.clean}\u201d",
            citations=[view.span(own.sentence)],
            difficulty=difficulty(
                "multiple_choice",
                rarity=view.rarity(),
                words_count=sum(len(o.split()) for o in options) // len(options),
                distractor_similarity=0.5,
            ),
            data={"variant": "point", "labels": labels, "subject": view.names},
        )
    ]


def solve(exercise, corpus: Corpus) -> Solution:
    """The option the sources put under the concept's label."""
    subject = [n.lower() for n in exercise.data.get("subject", [])]
    by_claim = _points_by_claim(corpus)
    found = [
        c for c in exercise.choices if any(p.label.lower() in subject for p in by_claim.get(c, ()))
    ]
    if not found:
        return Solution(answer=None, note="no option stands under the concept's label")
    if len(found) > 1:
        return Solution(answer=found[0], ambiguous="two options stand under the concept's label")
    key = found[0]
    where = by_claim[key][0].sentence
    return Solution(answer=key, support=1.0, supporting=[where.span(corpus.documents)])


register(
    ExerciseKindPlugin(
        name="point_choice",
        kind="multiple_choice",
        generate=generate,
        solve=solve,
        min_support=0.5,
        min_margin=0.15,
        order=22,
    )
)
