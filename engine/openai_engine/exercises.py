"""Exercises through the model, and the model's self-check of an exercise.

An exercise must cite one of the numbered passages it was written from; a multiple-choice
question needs three distinct options, one of them the key; a true/false key is true or false;
any other kind becomes a short answer with its key as the rubric. The self-check answers the
exercise from its cited passages alone and compares that answer with the key.
"""

from __future__ import annotations

from teachback.core.document import Document
from teachback.core.kinds import answer_form, fixed_options, picks_own_option
from teachback.engine import prompts as P
from teachback.engine.llm_budget import InvalidOutput
from teachback.engine.llm_grounding import matches_key, merge_spans, norm_text
from teachback.engine.openai_engine.transport import Complete
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, LessonDraft, SelfCheckResult


def llm_exercises(
    complete: Complete,
    concept: ConceptDraft,
    base: LessonDraft,
    documents: list[Document],
    passage_chars: int,
) -> list[ExerciseDraft]:
    """Exercises from the passages of ``base`` (the embedded lesson)."""
    passages = merge_spans(base.citations, documents)[:5]
    if not passages:
        raise InvalidOutput("no source passages to write exercises from")
    task = P.EXERCISES.format(name=concept.name.replace("'", ""))
    out = complete(
        "make_exercises",
        P.messages(task, P.numbered([p.quote[:passage_chars] for p in passages])),
        P.LLMExercises,
        600,
    )
    drafts = []
    for x in out.exercises:
        if not (1 <= x.passage <= len(passages)) or len(x.prompt.strip()) < 8:
            continue
        key = _key(x)
        if key is None:
            continue
        choices, answer, data = key
        drafts.append(
            ExerciseDraft(
                concept=concept.name,
                kind=x.kind,
                prompt=x.prompt.strip(),
                choices=choices,
                answer=answer,
                explanation=x.explanation.strip(),
                difficulty=0.5,
                citations=[passages[x.passage - 1]],
                data=data,
            )
        )
    if not drafts:
        raise InvalidOutput("no usable exercise in the response")
    return drafts


def _key(x) -> tuple[list[str], str | bool, dict] | None:
    """``(choices, answer, data)`` of the model's exercise ``x``, or None when it is not
    usable as its kind."""
    choices = [c.strip() for c in x.choices if c.strip()]
    if picks_own_option(x.kind):
        match = [c for c in choices if norm_text(c) == norm_text(x.answer)]
        distinct = len(set(map(norm_text, choices))) == len(choices)
        if len(choices) < 3 or not distinct or not match:
            return None
        return choices, match[0], {}
    if fixed_options(x.kind):  # a verdict, stored as a bool
        if norm_text(x.answer) not in ("true", "false"):
            return None
        return [], norm_text(x.answer) == "true", {}
    answer = x.answer.strip()
    if len(answer.split()) < 2:
        return None
    return [], answer, {"rubric": [answer], "accepted": []}


def llm_check(
    complete: Complete, x: ExerciseDraft, kept: list[ExerciseDraft], passage_chars: int
) -> SelfCheckResult:
    reasons = _rule_failures(x, kept)
    if reasons:  # rule failures need no model call
        return SelfCheckResult(passed=False, reasons=reasons)
    passages = [c.quote[:passage_chars] for c in x.citations][:4]
    if not passages:
        return SelfCheckResult(passed=False, reasons=["unanswerable"])
    shown = x.prompt + (
        "\nOptions:\n" + "\n".join(f"- {c}" for c in x.choices) if x.choices else ""
    )
    if fixed_options(x.kind):
        shown += "\n(Answer 'true' or 'false'.)"
    out = complete(
        "self_check",
        P.messages(P.CHECK, P.numbered(passages) + "\n" + P.block("exercise", shown)),
        P.LLMCheck,
        150,
    )
    answered = out.answer.strip()
    if norm_text(answered) == "unanswerable":
        reasons.append("unanswerable")
    elif out.ambiguous and picks_own_option(x.kind):
        reasons.append("ambiguous")
    elif not matches_key(x, answered):
        reasons.append("checker disagrees with the key")
    return SelfCheckResult(
        passed=not reasons,
        reasons=reasons or ["answered from the sources"],
        answered=answered,
        supporting=list(x.citations[:2]),
    )


def _rule_failures(x: ExerciseDraft, kept: list[ExerciseDraft]) -> list[str]:
    reasons = []
    if any(norm_text(k.prompt) == norm_text(x.prompt) for k in kept):
        reasons.append("duplicate")
    key = x.answer if isinstance(x.answer, str) else ""
    if answer_form(x.kind) in ("line", "text") and key and len(key) > 3:  # a typed key
        if norm_text(key) in norm_text(x.prompt):
            reasons.append("answer_revealed")
    return reasons
