"""The free-text kinds (short answers, what-does-this-function-do, and unknown kinds): the
answer's meaning scored against a reference, and feedback in the learner's terms.

Scoring is ``freetext.score_free_text``; this module turns its result into a grade whose
feedback quotes what the learner said for each point covered, names the reference's statements
that were missing, and says plainly when an answer games the reference's words.
"""

from __future__ import annotations

import re

from teachback.core.kinds import NAMES, graded_by_model
from teachback.engine.protocol import CORRECT_AT, PARTLY_AT, Grade, GradeRequest, verdict_for
from teachback.tutor.grading.feedback import said_and_covered
from teachback.tutor.grading.freetext import said_for, score_free_text
from teachback.tutor.grading.kinds import request
from teachback.tutor.grading.kinds.closed import grade_multiple_choice
from teachback.tutor.grading.kinds.registry import GRADERS
from teachback.tutor.grading.text import (
    NEGATIONS,
    content_stems,
    idea_units,
    is_admission,
    words,
)


def grade_free_text(req: GradeRequest) -> Grade:
    """Short answers, what-does-this-function-do, and unknown kinds: meaning against a reference."""
    if req.exercise is not None and req.exercise.choices:
        # e.g. "what does this function do?" offered as options: the answer is an option.
        return grade_multiple_choice(req)
    data = request.data(req)
    key = request.key(req)
    reference = (
        req.reference
        or str(data.get("reference") or "")
        or (key if isinstance(key, str) else " ".join(map(str, key)))
    )
    rubric = list(req.rubric) or [str(r) for r in data.get("rubric", []) or []]
    question = req.question or (req.exercise.prompt if req.exercise else "")
    result = score_free_text(question, reference, req.answer, rubric)
    notes = []
    if result.instructions_seen:
        notes.append("Instructions inside an answer are not followed; it was graded as an answer.")
    verdict = verdict_for(result.score)
    covered, missing = _as_ideas(result.covered, result.missing, reference)
    # Nothing of the reference stated: show it whole, once, rather than each point as missing.
    whole = verdict != "correct" and not covered
    return request.grade(
        result.score,
        req,
        right=_free_text_right(result, covered, req.answer, question),
        covered=covered,
        # Shown once, whole, as the expected answer: not again as a list of what is missing.
        missing=[] if whole else missing,
        expected=reference if whole else "",
        notes=notes,
        verdict=verdict,
        say_missing=not whole,
    )


# What an answer made of the reference's words got wrong, by ``FreeTextResult.diagnosis``.
_GAMING = {
    "negated": "Your answer says the opposite of the expected answer",
    "reordered": (
        "Your answer uses the right terms but puts them in the wrong relation to each other."
    ),
    "keywords": "Your answer lists words from the expected answer without saying how they relate.",
}


def _as_ideas(covered: list[str], missing: list[str], reference: str) -> tuple[list, list]:
    """Rubric points cut out of the reference ("load factor low") named by the idea unit of the
    reference they come from ("a resizing policy that keeps the load factor low"), so feedback
    quotes statements, not stray words. A unit is covered when all its points are. Only for a
    reference of several units: naming a one-statement reference whole would hide which part
    was missing."""
    units = idea_units(reference)
    if len(units) < 2:
        # one statement: its fragments say more than the whole would, save one it denies
        return covered, [denied_with_context(p, reference) for p in missing]
    norm = " ".join(words(reference))

    def unit_of(point: str) -> str:
        said = " ".join(words(point))
        if not said or f" {said} " not in f" {norm} ":
            return point  # the author's own wording: shown as written
        return next((u for u in units if f" {said} " in f" {' '.join(words(u))} "), point)

    missed = list(dict.fromkeys(unit_of(p) for p in missing))
    kept = [u for u in dict.fromkeys(unit_of(p) for p in covered) if u not in missed]
    return kept, missed


# Where a clause of a statement ends, for quoting a point with what denies it.
_CLAUSE_END = re.compile(r"[,;:\u2014\u2013]|\s-{1,2}\s")


def denied_with_context(point: str, reference: str) -> str:
    """A point the reference denies, named with its clause up to it, so a learner is not told
    to say what the reference says is not so: "smooth line moving upward" -> "Jagged frontier
    means AI capabilities aren't advancing as a smooth line moving upward". Any other point is
    named as it is.

    >>> denied_with_context("smooth line", "It is not a smooth line, but a jagged one.")
    'It is not a smooth line'
    >>> denied_with_context("jagged one", "It is not a smooth line, but a jagged one.")
    'jagged one'
    """
    said = " ".join(words(point))
    for clause in _CLAUSE_END.split(reference):
        norm = " ".join(words(clause))
        at = f" {norm} ".find(f" {said} ") if said else -1
        if at < 0:
            continue
        before = norm[:at].split()
        if any(w in NEGATIONS or w.endswith("n't") for w in before):
            end = re.search(re.escape(point), clause, re.I)
            return clause[: end.end()].strip() if end else point
        return point
    return point


def _swaps(swapped: list[tuple[str, str]]) -> str:
    """'“smaller” where the expected answer says “larger”, and “half” where it says “twice”'."""
    parts = [
        f"“{said}” where {'the expected answer' if i == 0 else 'it'} says “{meant}”"
        for i, (said, meant) in enumerate(swapped[:2])
    ]
    return ", and ".join(parts)


# Said when an answer is nothing but an admission of not knowing: plainly, and kindly.
ADMITTED = "That's all right: here is the answer to learn from. Try saying it in your own words."


def _what_went_wrong(result, answer: str) -> str | None:
    """The one sentence for an answer the rules judged (not said in the reference's terms, or
    gamed), or None when the model's score stands."""
    if result.rule == "non_answer":
        return ADMITTED if is_admission(answer) else "No answer was given."
    if result.rule == "off_topic":
        return "Your answer is about something else."
    if result.rule == "opposite":
        said = f"Your answer says {_swaps(result.swapped)}"
        return said + (f": “{result.quote}”." if result.quote else ".")
    if result.rule == "gaming":
        said = _GAMING[result.diagnosis]
        if result.diagnosis == "negated":
            said += f": “{result.quote}”." if result.quote else "."
        return said
    return None


def _free_text_right(result, covered: list[str], answer: str, question: str) -> str:
    judged = _what_went_wrong(result, answer)
    if judged is not None:
        return judged
    check = ""
    if result.rule == "changed_term":
        check = f"Check the terms: your answer says {_swaps(result.swapped)}."
    if result.turned[0]:
        said, meant = result.turned
        check = f"{check} Your answer says “{said}” where the expected answer says “{meant}”."
    if covered:
        # Quote what the learner said that covers each point, in their own words.
        said = said_and_covered(said_for(answer, covered, set(content_stems(question))))
        return f"{said} {check}".strip()
    if check:
        return check.strip()
    if result.rule == "question":
        return "Your answer restates the question without answering it."
    if result.rule == "no_key_point":
        return "Your answer does not say it in the expected answer's terms; compare the two."
    if result.score >= CORRECT_AT:
        # Right in other words: no point is claimed as said, the full answer is named below.
        return ""
    if result.score >= PARTLY_AT:
        return "Your answer is on the topic but does not clearly state the expected answer."
    return "Your answer does not yet state the expected answer."


# Every kind core/kinds.py declares graded by the model is free text against a reference.
for _name in NAMES:
    if graded_by_model(_name):
        GRADERS[_name] = grade_free_text
