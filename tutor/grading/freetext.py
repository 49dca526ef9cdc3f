"""Free-text grading against a reference answer and a rubric of key points.

``score_free_text`` returns a 0-1 score from the fitted model (``model.py``) plus which key points
the answer covers. Three rules sit on top of the model, each a property the product promises:

1. Non-answers ("I don't know", empty, "?") score 0.
2. Off-topic answers (almost no similarity to the reference at any level) score 0.
3. An answer that reaches none of the key points, shares no content word with the reference
   beyond the question's own words, has no word aligned near-exactly, and is no closer in meaning
   to the reference than the question itself is capped at 0.3 ("incorrect"). Human graders on
   the dev set were lenient with such answers, but a fluent answer about something else is
   wrong. (On the dev set this rule raises the cross-validated r; see docs/grading.md.)

With an explicit rubric (exercises carry one; the dev set does not), half the score is the share
of rubric points covered. When the model calls an answer correct but no key point passes the
word-alignment test (the answer says it in other words), the closest key point is counted as
covered, so the verdict and the covered/missing lists agree.

The learner's text is data: it is compared with the reference, never followed. An answer that
contains instructions ("ignore the rubric...") is graded on whatever else it says.

Not handled: answers in other languages than English; references longer than 256 word pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teachback.tutor.grading import model as model_mod
from teachback.tutor.grading.features import COVER_THRESHOLD, extract, key_point_recall, vector
from teachback.tutor.grading.feedback import CORRECT_AT
from teachback.tutor.grading.text import content_stems, is_non_answer, sentences

# The model's 0-5 prediction maps linearly onto 0-1: 2/5 or less is 0, 5/5 is 1.
LOW, HIGH = 2.0, 5.0
OFF_TOPIC_COS, OFF_TOPIC_ALIGN = 0.10, 0.15
GATE_POINTS, GATE_GAIN, GATE_CAP = 0.30, 0.10, 0.30
RUBRIC_WEIGHT = 0.5

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
    rule: str  # "model", "non_answer", "off_topic", "no_key_point"
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    instructions_seen: bool = False
    features: dict = field(default_factory=dict)


def key_points(reference: str, rubric: list[str] | None) -> list[str]:
    points = [p.strip() for p in (rubric or []) if p and p.strip()]
    return points or sentences(reference) or ([reference] if reference.strip() else [])


def prepare(question: str, reference: str, rubric: list[str] | None = None) -> None:
    """Encode an exercise's question, reference and key points ahead of the learner's answer.

    Optional: call it when an exercise is shown, so that grading the answer only has to encode
    the answer itself (the embeddings are cached by text).
    """
    from teachback.tutor.grading.features import _side

    for text in [question, reference, *key_points(reference, rubric)]:
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
    if is_non_answer(answer):
        return FreeTextResult(0.0, 0.0, "non_answer", [], points, instructions)
    f = extract(question, reference, answer, rubric)
    raw = float((model or model_mod.load()).predict(vector(f))[0])
    score = min(max((raw - LOW) / (HIGH - LOW), 0.0), 1.0)
    rule = "model"
    drop = set(content_stems(question))
    drop = drop if set(content_stems(reference)) - drop else set()
    recalls = [key_point_recall(p, answer, drop) for p in points]
    covered = [p for p, r in zip(points, recalls, strict=True) if r >= COVER_THRESHOLD]
    missing = [p for p in points if p not in covered]
    if (
        f["cos_ref"] < OFF_TOPIC_COS
        and f["overlap_r"] == 0
        and f["demoted_align_r"] < OFF_TOPIC_ALIGN
    ):
        score, rule = 0.0, "off_topic"
    elif (
        f["points_mean"] < GATE_POINTS
        and f["demoted_r"] == 0
        and f["hard_r"] == 0
        and f["cos_gain"] < GATE_GAIN
        and not covered
    ):
        score, rule = min(score, GATE_CAP), "no_key_point"
    if rule == "model" and rubric and points:
        # An explicit rubric is the author's statement of what a full answer contains: half the
        # score is the share of its points the answer covers.
        score = RUBRIC_WEIGHT * len(covered) / len(points) + (1 - RUBRIC_WEIGHT) * score
    if rule == "model" and points and not covered and score >= CORRECT_AT:
        # The model judges the answer right although no key point passes the word-alignment
        # test: the answer says it in other words. Credit the point it comes closest to, so the
        # verdict and the covered/missing lists agree.
        best = max(range(len(points)), key=lambda i: recalls[i])
        covered, missing = [points[best]], [p for i, p in enumerate(points) if i != best]
    return FreeTextResult(round(score, 4), raw, rule, covered, missing, instructions, f)
