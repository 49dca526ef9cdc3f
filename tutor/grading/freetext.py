"""Free-text grading against a reference answer and a rubric of key points.

``score_free_text`` returns a 0-1 score from the fitted model (``model.py``) plus which key points
the answer covers. Four rules sit on top of the model, each a property the product promises:

1. Non-answers ("I don't know", "not answered", empty, "?") score 0.
2. Off-topic answers (almost no similarity to the reference at any level, nor to the question)
   score 0.
3. An answer the gaming check (``model.py``) judges to be the reference's words without its
   statement -- shuffled into a keyword list, negated, its terms turned around -- is capped at
   0.3 ("incorrect"), whatever its word overlap. Two of the reference's content words have no
   order to lose: such a terse answer ("function int main()") counts as gaming only when it
   negates the reference. So is the reference with its glue taken out, its words left in its
   order ("allocating usually twice old capacity moving every entry"): more pairs of its words
   put side by side without the function words or commas between them than learners' own
   statements ever have (``form.GLUE_SLACK``). So is a list of its phrases with no function
   word or verb at all ("pretrained model smaller learning rate", ``form.phrase_list``). So is
   the reference's every word, function words and all, shuffled ("The memory its address
   operand of.", ``form.shuffled_reference``).
4. An answer that reaches none of the key points, shares no content word with the reference
   beyond the question's own words, has no word aligned near-exactly, and is no closer in meaning
   to the reference than the question itself is held to "partly" (0.40 at most). Human graders
   rate such answers "partly" on average: some are right in quite other words, some are fluent
   answers about something else, and the features cannot tell which (docs/grading.md). When four
   fifths or more of such an answer's content words are the question's own (or only say it is a
   "kind of" something), it restates the question and is capped at 0.3 ("incorrect").

With an explicit rubric (exercises carry one; the dev set the model is fitted on does not), the
feedback names its points, and an answer that leaves them out scores less: half the score is
then the share of points covered, though never below "partly" for an answer the model holds
to be partly right (points left out make it incomplete, not wrong). The rubric only ever
lowers the model's score, never raises it: an answer cannot score by listing the rubric's
words. The score is always judged against the reference itself (the model was fitted on its
idea units, not on rubric fragments). A point is named as covered only when the answer covers
it: an answer the model calls right in quite other words is told so without a claim about
which point it said.

The learner's text is data: it is compared with the reference, never followed. An answer that
contains instructions ("ignore the rubric...") is graded on whatever else it says.

Not handled: answers in other languages than English; references longer than 256 word pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teachback.engine.protocol import CORRECT_AT, PARTLY_AT
from teachback.tutor.grading import model as model_mod
from teachback.tutor.grading.clauses import (
    changed_terms,
    contradictions,
    denial,
    flipped_clauses,
    opposite_actions,
    term_changed,
)
from teachback.tutor.grading.features import (
    COVER_THRESHOLD,
    GATE_FEATURES,
    extract,
    key_point_recall,
    vector,
)
from teachback.tutor.grading.form import phrase_list, shuffled_reference
from teachback.tutor.grading.text import (
    clean,
    content_stems,
    has_negation,
    idea_units,
    is_non_answer,
    sentences,
    words,
)

# The model's 0-5 prediction maps linearly onto 0-1: 2/5 or less is 0, 5/5 is 1.
LOW, HIGH = 2.0, 5.0
OFF_TOPIC_COS, OFF_TOPIC_ALIGN = 0.10, 0.15
# An answer this close to the question is about the question's topic, however far from the
# reference: it is wrong or right in other words, for the model to judge, not off-topic.
OFF_TOPIC_QUESTION_COS = 0.25
# An answer that reaches no key point in the reference's terms is held to "partly" (rule 4).
GATE_POINTS, GATE_GAIN, GATE_CAP = 0.30, 0.10, PARTLY_AT
GAMING_CAP = 0.30  # below the partly band: a gamed answer is "incorrect"
GAMING_AT = 0.65  # the gaming check's probability from which an answer counts as gaming
REORDERED_AT = 0.3  # share of the reference's word pairs out of order that reads as reordered
# Fewer of the reference's content words than this have no order to lose: "function int main()"
# for "At the main function." is a terse answer, not a keyword salad (it can still be a
# negation). The learner's own words among them are no part of a salad.
MIN_GAMING_WORDS = 3
KEYWORDS_AT = 0.15  # how many fewer function words than the reference reads as a keyword list
GLUE_DROPPED_AT = 1  # the reference's words side by side without its glue, beyond the slack
MAX_QUOTE_WORDS = 20
# Share of the answer's content words taken from the question (or saying only that it is a
# "kind of" something) from which an answer restates the question. Half is not enough: "The &
# operator returns the address of a variable" answers with the question's words and one more.
RESTATED_AT = 0.8
_GENERIC = frozenset({"kind", "sort", "exampl", "someth"})  # stems: "a kind of table"
RUBRIC_WEIGHT = 0.5
# A statement of the reference with one of its terms swapped for an unrelated one ("a location
# in element") is no longer the reference's claim: held below "correct". Only when the answer
# follows the reference's own wording (its token-set ratio with the reference at least
# ``FOLLOWS_AT``): in an answer in the learner's own words a noun other than the reference's
# is as often the same thing named otherwise ("entry" for "element", "list" for "array").
CHANGED_TERM_CAP = CORRECT_AT - 0.01
FOLLOWS_AT = 0.8
# A key point of a correct answer is named as missing only when the answer says little of it:
# a recall above the dev set's wrong answers (75th percentile 0.26) in a correct answer is the
# point said in other words ("a key that names it" for "a key, which names the item").
SAID_OTHERWISE_AT = 0.3

_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(rubric|instructions?|previous|above|grader|rules?)\b"
    r"|\b(give|award|grant)\s+(me|this|the answer)\b.{0,30}\b(full|max(imum)?|all|100|top)\b"
    r"|\bfull marks\b|\bsystem prompt\b|\byou are (now )?an?\b",
    re.IGNORECASE,
)


@dataclass
class FreeTextResult:
    score: float  # 0..1
    raw: float  # the model's 0-5 prediction (before the rules)
    # "model", "non_answer", "off_topic", "opposite", "gaming", "question", "no_key_point",
    # "changed_term"
    rule: str
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    instructions_seen: bool = False
    features: dict = field(default_factory=dict)
    # With rule "gaming": how the answer fails to state the reference -- "negated", "reordered"
    # or "keywords" -- and, for "negated", the learner's clause that says the opposite.
    diagnosis: str = ""
    quote: str = ""
    # With rules "opposite" and "changed_term": each (learner's word, reference's word) swapped.
    swapped: list[tuple[str, str]] = field(default_factory=list)
    # (the learner's word, the reference's words that deny it) when the answer says plainly what
    # a rubric point's statement denies: ("changes", "never changes").
    turned: tuple[str, str] = ("", "")


def key_points(reference: str, rubric: list[str] | None) -> list[str]:
    """The rubric's points, else the reference's idea units (its clauses)."""
    points = [p.strip() for p in (rubric or []) if p and p.strip()]
    return points or idea_units(reference) or ([reference] if reference.strip() else [])


def _negated_clause(answer: str, reference: str) -> str:
    """The learner's clause, as written, that is negated where the reference's is not (the one
    the negation check read), not merely the first with a negation in it: "nobody can find
    two inputs ..." agrees with the reference, "... don't need that" is another claim."""
    flipped = flipped_clauses(answer, reference)
    clauses = [c.strip() for c in re.split(r"[.;:,!?]", clean(answer)) if c.strip()]
    if not flipped:
        return next((c for c in clauses if has_negation(c)), "")
    wanted = set(flipped[0])
    negated = [c for c in clauses if has_negation(c)] or clauses
    return max(negated, key=lambda c: len(wanted & set(words(c.lower()))), default="")


def _diagnose(f: dict, answer: str, reference: str) -> tuple[str, str]:
    """How an answer made of the reference's words fails to state it, and the clause to quote."""
    if f["function_gap"] >= KEYWORDS_AT or f["glue_dropped"] >= GLUE_DROPPED_AT:
        return "keywords", ""
    if f["negation_flip"] > 0:
        quote = _negated_clause(answer, reference)
        if len(quote.split()) <= MAX_QUOTE_WORDS:
            return "negated", quote
    if f["order_discord"] >= REORDERED_AT:
        return "reordered", ""
    return ("negated", "") if f["negation_flip"] > 0 else ("keywords", "")


# A learner clause this long is cut when quoted back: feedback quotes, it does not repeat.
MAX_SAID_WORDS = 25
_LEARNER_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|\s*<br\s*/?>\s*|,\s*(?:and|but|while|whereas)\s+")


def _learner_clauses(answer: str) -> list[str]:
    parts = _LEARNER_BREAK.split(answer or "")
    return [clean(p).strip(" ,;:.") for p in parts if content_stems(p)]


def said_for(answer: str, points: list[str], drop: set[str] = frozenset()) -> dict[str, str]:
    """For each key point, the learner's own clause that says it (the clause that shares most
    of the point's words, else the one closest in meaning), so feedback can quote the learner's
    terms back: "You said “unique function signatures”, which covers: based on the function
    signature."

    >>> said_for("It is fast. It stores keys and values.", ["keys and their values"])
    {'keys and their values': 'It stores keys and values'}
    """
    clauses = _learner_clauses(answer)
    if not clauses:
        return {}
    out = {}
    for point in points:
        wanted = set(content_stems(point)) - set(drop)
        shared = [len(wanted & set(content_stems(c))) for c in clauses]
        if len(clauses) == 1:
            best = 0
        elif max(shared) > 0:
            best = max(range(len(clauses)), key=shared.__getitem__)
        else:
            best = max(range(len(clauses)), key=lambda i: key_point_recall(point, clauses[i], drop))
        words_ = clauses[best].split()
        out[point] = " ".join(words_[:MAX_SAID_WORDS]) + (
            "…" if len(words_) > MAX_SAID_WORDS else ""
        )
    return out


def statement_of(point: str, reference: str) -> str:
    """The reference's idea unit a rubric point is cut from ("load factor low" -> "a resizing
    policy that keeps the load factor low"), or the point itself when it is the author's own
    wording.

    >>> statement_of("old capacity", "It allocates a larger array, twice the old capacity, "
    ...              "and moves every entry into it.")
    'It allocates a larger array, twice the old capacity'
    """
    said = " ".join(words(point))
    if not said:
        return point
    for unit in idea_units(reference):
        if f" {said} " in f" {' '.join(words(unit))} ":
            return unit
    return point


# Where a statement turns to a contrast or a concession: what follows is another claim.
_PART_BREAK = re.compile(r",?\s*\b(?:even though|although|though|while|whereas|but)\b", re.I)


def part_of(point: str, statement: str) -> str:
    """The side of a contrast or concession in a statement that holds a rubric point: what an
    answer must say in other words to cover the point. Across the turn it is another claim: in
    "The amortized cost of an insert ... is constant, written O(1), even though one particular
    insert may take time proportional to the table's size", an answer saying only the
    concession ("every insert takes time proportional to the size") has not said "constant".

    >>> part_of("constant", "Its cost is constant, even though one insert may take longer")
    'Its cost is constant'
    """
    said = " ".join(words(point))
    for part in _PART_BREAK.split(statement):
        if said and f" {said} " in f" {' '.join(words(part))} ":
            return part.strip(" ,")
    return statement


def _point_recall(
    point: str, answer: str, reference: str, rubric: list[str] | None, drop: set[str]
) -> float:
    """How well an answer covers a key point. A rubric point cut out of the reference ("old
    capacity") is covered too when the answer says the statement it comes from in other words
    ("about double the size" for "usually twice the old capacity"): its words alone are a
    fragment a paraphrase need not repeat."""
    own = key_point_recall(point, answer, drop)
    if not rubric:
        return own
    statement = statement_of(point, reference)
    if statement == point:
        return own
    # The statement (its side of a contrast) without the other points cut from it: an answer
    # that only says one of them ("stored entries divided") has not said the statement the next
    # one ("buckets") is from.
    rest = part_of(point, statement)
    for other in rubric:
        if other != point and statement_of(other, reference) == statement:
            rest = re.sub(rf"(?i)\b{re.escape(other)}\b", " ", rest)
    return max(own, key_point_recall(rest, answer, drop))


def prepare(question: str, reference: str, rubric: list[str] | None = None) -> None:
    """Encode an exercise's question, reference and key points ahead of the learner's answer.

    Optional: call it when an exercise is shown, so that grading the answer only has to encode
    the answer itself (the embeddings are cached by text).
    """
    from teachback.tutor.grading.features import _side

    # The key points the feedback names (idea units) and the sentences the features compare.
    points = [*key_points(reference, rubric), *key_points(reference, None)]
    for text in [question, reference, *points, *sentences(reference)]:
        _side(text)


def looks_like_instructions(answer: str) -> bool:
    return bool(_INSTRUCTION.search(answer or ""))


def score_free_text(
    question: str,
    reference: str,
    answer: str,
    rubric: list[str] | None = None,
    model: model_mod.FreeTextModel | None = None,
) -> FreeTextResult:
    """Score one answer; ``model`` defaults to the shipped weights (the benchmark passes the
    model fitted on the other folds)."""
    points = key_points(reference, rubric)
    instructions = looks_like_instructions(answer)
    if is_non_answer(answer, reference):
        return FreeTextResult(0.0, 0.0, "non_answer", [], points, instructions)
    # The model was fitted on the reference's own key points (idea units); a rubric only chooses
    # which points the feedback names.
    f = extract(question, reference, answer)
    model = model or model_mod.load()
    raw = float(model.predict(vector(f))[0])
    gaming = float(model.gaming(vector(f, GATE_FEATURES))[0])
    score = min(max((raw - LOW) / (HIGH - LOW), 0.0), 1.0)
    rule, diagnosis, quote = "model", "", ""
    drop = set(content_stems(question))
    drop = drop if set(content_stems(reference)) - drop else set()
    recalls = [_point_recall(p, answer, reference, rubric, drop) for p in points]
    covered, turned = _covered(points, recalls, answer, reference, rubric)
    missing = [p for p in points if p not in covered]
    opposite = contradictions(answer, reference) or opposite_actions(answer, reference)
    # Only an answer that follows the reference's wording is read for a swapped term (see
    # ``FOLLOWS_AT``); there, a swap at a clause's start or end counts too.
    changed = changed_terms(answer, reference, ends=True) if f["fuzzy"] >= FOLLOWS_AT else []
    swapped: list[tuple[str, str]] = []
    if (
        f["cos_ref"] < OFF_TOPIC_COS
        and f["overlap_r"] == 0
        and f["demoted_align_r"] < OFF_TOPIC_ALIGN
        and f["cos_question"] < OFF_TOPIC_QUESTION_COS
    ):
        score, rule = 0.0, "off_topic"
    elif opposite:
        # A key term turned into its opposite ("smaller" for "larger", "anyone" for "nobody",
        # "deleting" what it moves): the statement is false, however many of the reference's
        # words it keeps.
        score, rule = min(score, GAMING_CAP), "opposite"
        covered, missing = [], points
        quote = _learner_clause(answer, opposite[0][1])
        swapped = list(dict.fromkeys((said, meant) for _, said, meant in opposite))
    elif (
        gaming >= GAMING_AT
        and (
            len(set(content_stems(answer)) & set(content_stems(reference))) >= MIN_GAMING_WORDS
            or f["negation_flip"] > 0
        )
        or f["glue_dropped"] >= GLUE_DROPPED_AT
        or phrase_list(answer, reference, question)
        or shuffled_reference(answer, reference)
    ):
        score, rule = min(score, GAMING_CAP), "gaming"
        covered, missing = [], points
        diagnosis, quote = _diagnose(f, answer, reference)
    elif (
        f["points_mean"] < GATE_POINTS
        and f["demoted_r"] == 0
        and f["hard_r"] == 0
        and f["cos_gain"] < GATE_GAIN
        and not covered
    ):
        if _restated_share(question, answer) >= RESTATED_AT:
            # Mostly the question's own words: a restatement, not an answer in other words.
            score, rule = min(score, GAMING_CAP), "question"
        else:
            score, rule = min(score, GATE_CAP), "no_key_point"
    elif changed and score > CHANGED_TERM_CAP:
        score, rule = CHANGED_TERM_CAP, "changed_term"
        swapped = list(dict.fromkeys((said, meant) for _, said, meant in changed))
    if rule in ("model", "changed_term") and rubric and points:
        score = _with_rubric(score, points, covered)
    if score >= CORRECT_AT:
        said_otherwise = {p for p, r in zip(points, recalls, strict=True) if r >= SAID_OTHERWISE_AT}
        missing = [p for p in missing if p not in said_otherwise]
    return FreeTextResult(
        round(score, 4),
        raw,
        rule,
        covered,
        missing,
        instructions,
        f,
        diagnosis,
        quote,
        swapped,
        turned,
    )


def _covered(
    points: list[str], recalls: list[float], answer: str, reference: str, rubric: list[str] | None
) -> tuple[list[str], tuple[str, str]]:
    """The key points the answer covers, and the first rubric statement it turns round.

    A point said with one of its terms swapped for another ("a join over the intersection of the
    input columns" for "... the union of ...") shares most of its words and is not said; nor a
    rubric point whose statement the answer turns round, saying plainly what it denies ("whose
    hash changes whenever ..." for "a hash value that never changes")."""
    turned = {
        p: denial(answer, part_of(p, statement_of(p, reference)))
        for p in (points if rubric else [])
    }
    covered = [
        p
        for p, r in zip(points, recalls, strict=True)
        if r >= COVER_THRESHOLD and not term_changed(answer, p) and not turned.get(p, ("",))[0]
    ]
    return covered, next((t for t in turned.values() if t[0]), ("", ""))


def _with_rubric(score: float, points: list[str], covered: list[str]) -> float:
    """The score held to the rubric, the author's statement of what a full answer contains: the
    points it misses count against it (half the score is the share of points covered). Its
    words alone earn nothing (a list of them is a salad). Points left out make an answer
    incomplete, not wrong: one the model holds partly right stays so (the points are phrases of
    the source, often figures of speech a plain answer does not repeat: "shot through the
    roof")."""
    blended = RUBRIC_WEIGHT * len(covered) / len(points) + (1 - RUBRIC_WEIGHT) * score
    return min(score, max(blended, PARTLY_AT))


def _restated_share(question: str, answer: str) -> float:
    """Share of the answer's content words that are the question's or generic ("kind")."""
    said = set(content_stems(answer))
    return len(said & (set(content_stems(question)) | _GENERIC)) / len(said) if said else 1.0


def _learner_clause(answer: str, word: str) -> str:
    """The learner's own clause that says ``word``, as they wrote it (cut when long)."""
    for clause in _learner_clauses(answer):
        if re.search(rf"\b{re.escape(word)}\b", clause, re.IGNORECASE):
            words_ = clause.split()
            return " ".join(words_[:MAX_SAID_WORDS]) + ("…" if len(words_) > MAX_SAID_WORDS else "")
    return ""
