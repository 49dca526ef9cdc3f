"""The tutor's steps through the model: grading, grounded answers, hints, explanations.

Each builds its prompt from the exercise or passages (source and learner text in tagged
blocks, never as instructions) and checks what comes back: an answer cites its passages and
stays within them, a hint never states the key, an answer that talks to the grader gets no more
than the offline grade. The streamed variants reuse the prompts here and the checks
``checked_*`` (the stream itself is in ``streaming.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from teachback.engine import prompts as P
from teachback.engine.answer_check import gives_answer_away
from teachback.engine.llm_budget import InvalidOutput, LLMError
from teachback.engine.llm_grounding import cited_passages, grounded_enough, looks_like_injection
from teachback.engine.openai_engine.transport import Complete
from teachback.engine.protocol import (
    ExerciseDraft,
    Grade,
    GradeRequest,
    GroundedAnswer,
    Span,
    verdict_for,
)

SHOWN_PASSAGES = 6  # passages of an answer or explanation shown to the model


def llm_grade(complete: Complete, r: GradeRequest, offline: Callable[[], Grade]) -> Grade:
    if not (r.answer or "").strip():
        return offline()
    rubric = r.rubric or [r.reference]
    data = "\n".join(
        [
            P.block("question", r.question),
            P.block("reference", r.reference),
            P.numbered(rubric, tag="rubric"),
            P.block("learner_answer", r.answer[:3000]),
        ]
    )
    out = complete("grade", P.messages(P.GRADE, data), P.LLMGrade, 200)
    score = int(out.score) / 5.0
    if looks_like_injection(r.answer):
        # An answer that talks to the grader gets no more than the offline grade.
        score = min(score, offline().score)
    covered = [rubric[i - 1] for i in out.covered if 1 <= i <= len(rubric)]
    covered = list(dict.fromkeys(covered))
    return Grade(
        score=round(score, 3),
        verdict=verdict_for(score),
        feedback=out.feedback.strip()[:600] or "Compare your answer with the reference.",
        covered=covered,
        missing=[p for p in rubric if p not in covered],
        citations=list(r.citations),
    )


def answer_data(question: str, passages: list[Span], passage_chars: int) -> str:
    return (
        P.numbered([p.quote[:passage_chars] for p in passages[:SHOWN_PASSAGES]])
        + "\n"
        + P.block("question", question[:1000])
    )


def answer_stream_messages(question: str, passages: list[Span], passage_chars: int) -> list[dict]:
    data = answer_data(question, passages, passage_chars)
    return P.text_messages(P.ASK_STREAM, data, "the answer")


def llm_answer(
    complete: Complete, question: str, passages: list[Span], passage_chars: int
) -> GroundedAnswer:
    out = complete(
        "answer_question",
        P.messages(P.ASK, answer_data(question, passages, passage_chars)),
        P.LLMAnswer,
        300,
    )
    shown = passages[:SHOWN_PASSAGES]
    cited = cited_passages(out.answer, out.passages, [p.quote for p in shown])
    if not out.covered:
        # Small models decline questions their passages do answer (docs/bench-llm.md):
        # "not covered" is left to the offline retrieval, which knows when it is.
        e = LLMError("the model said the passages do not answer it")
        e.reason = "declined"
        raise e
    if not cited:
        raise InvalidOutput("answer cites no passage")
    if not grounded_enough(out.answer, [shown[i].quote for i in cited]):
        raise InvalidOutput("answer says things its passages do not")
    return GroundedAnswer(
        covered=True, text=out.answer.strip(), citations=[shown[i] for i in cited]
    )


def checked_answer(passages: list[Span], text: str) -> GroundedAnswer | None:
    """A streamed answer checked like a structured one: it must cite the passages it was
    given ([n]) and stay within them; None when it does not."""
    shown = passages[:SHOWN_PASSAGES]
    cited = cited_passages(text or "", [], [p.quote for p in shown])
    if cited and grounded_enough(text, [shown[i].quote for i in cited]):
        return GroundedAnswer(covered=True, text=text.strip(), citations=[shown[i] for i in cited])
    return None


def hint_data(exercise: ExerciseDraft, answer: str, passage_chars: int) -> str:
    shown = exercise.prompt + (
        "\nOptions:\n" + "\n".join(f"- {c}" for c in exercise.choices) if exercise.choices else ""
    )
    return "\n".join(
        [
            P.numbered([c.quote[:passage_chars] for c in exercise.citations[:3]]),
            P.block("exercise", shown),
            P.block("learner_answer", answer[:1000]),
        ]
    )


def hint_stream_messages(exercise: ExerciseDraft, answer: str, passage_chars: int) -> list[dict]:
    return P.text_messages(P.HINT, hint_data(exercise, answer, passage_chars), "the hint")


def llm_hint(complete: Complete, exercise: ExerciseDraft, answer: str, passage_chars: int) -> str:
    msgs = P.messages(P.HINT, hint_data(exercise, answer, passage_chars))
    out = complete("hint", msgs, P.LLMHint, 120)
    text = out.hint.strip()
    if not text or gives_answer_away(text, exercise):
        raise InvalidOutput("hint empty or gives the answer away")
    return text


def checked_hint(exercise: ExerciseDraft, text: str) -> str | None:
    """A streamed hint if it is one (not empty, does not state the key), else None."""
    text = (text or "").strip()
    return text if text and not gives_answer_away(text, exercise) else None


def explain_messages(name: str, passages: list[Span], passage_chars: int) -> list[dict]:
    task = P.EXPLAIN.format(name=name.replace("'", ""))
    data = P.numbered([p.quote[:passage_chars] for p in passages[:SHOWN_PASSAGES]])
    return P.text_messages(task, data, "the explanation")


def checked_explanation(passages: list[Span], text: str) -> str | None:
    """A streamed explanation if its content words are found in the passages (the same
    grounding rule as lessons), else None."""
    quotes = [p.quote for p in passages[:SHOWN_PASSAGES]]
    if len(text.split()) >= 10 and grounded_enough(text, quotes):
        return text
    return None
