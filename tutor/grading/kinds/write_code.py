"""Grading write-the-code answers: the source's own checks, run in the sandbox.

Correct when every case passes; otherwise the score is the share of the cases that test the
function (those an empty body fails) that pass, and the feedback names the first failing case:
the call, what was expected and what came back, as plain text (a learner's output is never
rendered as HTML or Markdown, and is cut to a few lines).

With no sandbox on the machine the answer is not run: ``grade`` says so and scores nothing (the
tutor does not offer the kind then: ``offered()``).
"""

from __future__ import annotations

from teachback import code_checks, sandbox
from teachback.engine.protocol import Grade, GradeRequest
from teachback.tutor.grading.kinds import request
from teachback.tutor.grading.kinds.registry import register

MAX_LINES = 4


def offered() -> bool:
    """Whether write-the-code exercises can be checked here (a working sandbox)."""
    return not sandbox.available()


def _clip(text: str) -> str:
    """A value as one short plain-text piece: control characters dropped, a few lines."""
    text = "".join(ch for ch in str(text) if ch in "\n\t" or ch.isprintable())
    lines = text.strip().splitlines() or [""]
    cut = lines[:MAX_LINES]
    out = "\n".join(x[: code_checks.MAX_SHOWN] for x in cut)
    return out + ("\n…" if len(lines) > MAX_LINES else "")


def describe(case: code_checks.CaseResult) -> str:
    """``"fnv1a("a") — expected 1263…, got 0 (from the examples in ...)"`` as plain text."""
    return (
        f"{_clip(case.call)} \u2014 expected {_clip(case.expected)}, got {_clip(case.got)} "
        f"(from {case.check.replace('`', '')})"
    )


def summary(run: code_checks.Run) -> str:
    """What a run says, in a sentence or two (for the Run button and the terminal)."""
    if run.error:
        return _clip(run.error)
    total = len(run.cases)
    passed = sum(c.passed for c in run.cases)
    if run.passed:
        return f"All {total} checks pass."
    first = run.first_failure
    return f"{passed} of {total} checks pass. First failing: {describe(first)}."


def _grade(req: GradeRequest, score: float, verdict: str, text: str) -> Grade:
    return Grade(
        score=round(score, 4),
        verdict=verdict,
        feedback=text,
        covered=[],
        missing=[],
        citations=request.citations(req),
    )


@register("write_code")
def grade_write_code(req: GradeRequest) -> Grade:
    suite = request.data(req).get("suite")
    if not suite:
        return _grade(req, 0.0, "incorrect", "Not quite. This exercise has no checks to run.")
    why = sandbox.available()
    if why:
        text = (
            f"Not quite. Code cannot be run safely on this machine ({why}), so it was not checked."
        )
        return _grade(req, 0.0, "incorrect", text)
    run = code_checks.run(suite, req.answer or "")
    if run.error:
        return _grade(req, 0.0, "incorrect", f"Not quite. {_clip(run.error)}")
    if run.passed:
        return _grade(req, 1.0, "correct", f"Correct. {summary(run)}")
    score = run.score
    verdict = "partly" if score >= 0.5 else "incorrect"
    opening = "Partly right." if verdict == "partly" else "Not quite."
    return _grade(req, min(score, 0.99), verdict, f"{opening} {summary(run)}")


def offerable(exercises: list[dict]) -> list[dict]:
    """``exercises`` without write-the-code ones when no sandbox can check them here (kept
    only when a concept has nothing else, so the tutor still has a question to ask)."""
    if offered():
        return exercises
    rest = [ex for ex in exercises if ex.get("kind") != "write_code"]
    return rest or exercises
