"""The self-check: answer an exercise from the sources alone, keep it only if that works.

``self_check(exercise, documents, kept)`` applies four rules, in this order, and records every
rule it tested in ``SelfCheckResult.reasons`` (``"<rule>: <detail>"``):

1. ``answer_revealed`` — the prompt contains the answer (or its stemmed form): e.g. a cloze whose
   blanked term is still elsewhere in the sentence, a "which term" question that names the term.
2. ``duplicate`` — the prompt is near-identical to an exercise already kept (rapidfuzz ratio
   >= 90 on the normalised prompt, or the same kind and key with token-set ratio >= 95).
3. ``unanswerable`` — the kind's reader (``ExerciseKindPlugin.solve``), which sees only the
   prompt, the options and the sources, finds no answer with enough support; and
   ``unsupported_key`` — it finds one, but not the key.
4. ``ambiguous`` — the reader finds a second answer (another option, another fill, a contrary
   passage) about as well supported as the first (margin below the kind's ``min_margin``).

A passing exercise gets ``passed=True`` and reasons that say why: what the reader answered,
from which passage, with what support and margin, and that rules 1–2 were checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from teachback.engine.protocol import ExerciseDraft, SelfCheckResult
from teachback.ingest.document import Document
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.registry import plugin_for
from teachback.ingest.exercises.text import fold, stem_tuple

RULES = ("answer_revealed", "duplicate", "unanswerable", "unsupported_key", "ambiguous")


@lru_cache(maxsize=20_000)
def normalise_prompt(text: str) -> str:
    text = fold(text).lower()
    text = re.sub(r"_{2,}", " _ ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def normalise_answer(answer) -> str:
    if isinstance(answer, bool):
        return str(answer).lower()
    if isinstance(answer, list):
        return " | ".join(normalise_prompt(str(a)) for a in answer)
    return normalise_prompt(str(answer))


def contains_stems(haystack: str, needle: str) -> bool:
    """Whether the content-word stems of ``needle`` occur, in order and adjacent, in
    ``haystack`` (so "models" in the prompt reveals the answer "model")."""
    n = stem_tuple(needle)
    if not n:
        return False
    h = stem_tuple(haystack)
    k, first = len(n), n[0]
    if k == 1:
        return first in h
    # only where the first stem occurs can the run start
    return any(h[i : i + k] == n for i in range(len(h) - k + 1) if h[i] == first)


def default_reveals(exercise: ExerciseDraft) -> str:
    if isinstance(exercise.answer, str) and exercise.answer.strip():
        terms = [exercise.answer] + [
            a for a in exercise.data.get("accepted", []) if isinstance(a, str)
        ]
        for term in terms:
            if contains_stems(exercise.prompt, term):
                return f"the prompt contains the answer {term!r}"
    return ""


def default_matches(answered, key) -> bool:
    return normalise_answer(answered) == normalise_answer(key)


def find_duplicate(exercise: ExerciseDraft, kept: list[ExerciseDraft]) -> tuple[float, str]:
    """The closest kept exercise's similarity (0..100) and a reason if it is a duplicate."""
    mine = normalise_prompt(exercise.prompt)
    best = 0.0
    for other in kept:
        theirs = normalise_prompt(other.prompt)
        ratio = fuzz.ratio(mine, theirs)
        best = max(best, ratio)
        if ratio >= 90:
            return ratio, f"prompt is {ratio:.0f}% similar to a kept {other.kind} exercise"
        if (
            other.kind == exercise.kind
            and normalise_answer(other.answer) == normalise_answer(exercise.answer)
            and fuzz.token_set_ratio(mine, theirs) >= 95
        ):
            return ratio, f"same key and wording as a kept {other.kind} exercise"
    return best, ""


def _fmt(answer) -> str:
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)[:120]
    return str(answer)[:120]


def self_check(
    exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft] | None = None
) -> SelfCheckResult:
    kept = kept or []
    plugin = plugin_for(exercise)
    if plugin is None:
        return SelfCheckResult(
            passed=False, reasons=[f"unanswerable: no reader for kind {exercise.kind!r}"]
        )
    failures: list[str] = []
    revealed = (plugin.reveals or default_reveals)(exercise)
    if revealed:
        failures.append(f"answer_revealed: {revealed}")
    closest, dup = find_duplicate(exercise, kept)
    if dup:
        failures.append(f"duplicate: {dup}")

    corpus = Corpus.of(documents)
    solution = plugin.solve(exercise, corpus)
    answered = "" if solution.answer is None else _fmt(solution.answer)
    matches = plugin.matches or default_matches
    if solution.answer is None or solution.support < plugin.min_support:
        detail = solution.note or "no passage in the sources supports an answer"
        failures.append(f"unanswerable: {detail} (support {solution.support:.2f})")
    elif not matches(solution.answer, exercise.answer):
        failures.append(
            f"unsupported_key: the sources point to {answered!r}, not the key "
            f"{_fmt(exercise.answer)!r}"
        )
    if solution.ambiguous:
        failures.append(f"ambiguous: {solution.ambiguous}")
    elif (
        solution.answer is not None
        and solution.runner_up is not None
        and solution.support - solution.runner_up < plugin.min_margin
    ):
        failures.append(
            f"ambiguous: {solution.runner_up_answer or 'another answer'!r} is about as well "
            f"supported ({solution.runner_up:.2f} vs {solution.support:.2f})"
        )
    if failures:
        return SelfCheckResult(
            passed=False, reasons=failures, answered=answered, supporting=solution.supporting
        )
    where = ", ".join(f"{s.source}:{s.start}-{s.end}" for s in solution.supporting[:2])
    margin = f", next best {solution.runner_up:.2f}" if solution.runner_up is not None else ""
    reasons = [
        f"answered from the sources alone: {answered!r} (support {solution.support:.2f}{margin})"
        + (f" citing {where}" if where else ""),
        "the prompt does not give the answer away",
        f"not a duplicate of {len(kept)} kept exercise(s) (closest {closest:.0f}%)",
    ]
    if solution.note:
        reasons.append(solution.note)
    return SelfCheckResult(
        passed=True, reasons=reasons, answered=answered, supporting=solution.supporting
    )
