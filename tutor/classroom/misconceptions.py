"""Misconceptions: the wrong answers a class gives most often, grouped so that "the Sun",
"The Sun." and "sunn" count as one (pure functions over attempts; ``dashboard`` shows them)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from rapidfuzz import fuzz

SIMILAR = 85  # rapidfuzz ratio at which two wrong answers are the same misconception
_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = {"a", "an", "the"}


def normalise_answer(text: str) -> str:
    """How two wrong answers are compared: case, punctuation, spacing and articles dropped:
    ``"  The  Sun!! "`` -> ``"sun"``."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    words = _PUNCT.sub(" ", text).split()
    return " ".join(w for w in words if w not in _ARTICLES) or " ".join(words)


def group_answers(answers: list[str], similar: int = SIMILAR) -> list[dict]:
    """Wrong answers to one exercise grouped into misconceptions: normalised, then greedily
    clustered (most frequent first) with rapidfuzz's ``token_sort_ratio`` >= ``similar``.

    >>> [g["count"] for g in group_answers(["rain", "the sun", "The Sun.", "sunn", "Rain"])]
    [3, 2]
    """
    counts = Counter(n for n in (normalise_answer(a) for a in answers) if n)
    originals: dict[str, Counter] = defaultdict(Counter)
    for a in answers:
        if n := normalise_answer(a):
            originals[n][" ".join(str(a).split())] += 1
    groups: list[dict] = []
    for norm, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        for g in groups:
            if fuzz.token_sort_ratio(norm, g["key"]) >= similar:
                g["count"] += n
                g["variants"].append(norm)
                g["_orig"].update(originals[norm])
                break
        else:
            groups.append({"key": norm, "count": n, "variants": [norm], "_orig": originals[norm]})
    for g in groups:
        g["answer"] = g.pop("_orig").most_common(1)[0][0]
    return sorted(groups, key=lambda g: -g["count"])


def misconceptions(
    attempts: list[dict],
    prompts: dict[str, str] | None = None,
    *,
    top: int = 10,
    similar: int = SIMILAR,
) -> list[dict]:
    """The wrong answers given most often, grouped per exercise; a misconception is a group
    given by at least two answers. Rows: exercise, prompt, the most common wording, how many
    answers and learners, and the variants merged into it."""
    prompts = prompts or {}
    wrong: dict[str, list[dict]] = defaultdict(list)
    for a in attempts:
        if not a["correct"] and (a.get("answer") or "").strip():
            wrong[a["exercise_id"]].append(a)
    rows = []
    for ex, items in wrong.items():
        for g in group_answers([a["answer"] for a in items], similar):
            if g["count"] < 2:
                continue
            members = {a["learner_id"] for a in items if normalise_answer(a["answer"]) in
                       set(g["variants"])}  # fmt: skip
            rows.append(
                {
                    "exercise_id": ex,
                    "prompt": prompts.get(ex, ex),
                    "concept_id": items[0]["concept_id"],
                    "answer": g["answer"],
                    "count": g["count"],
                    "learners": len(members),
                    "variants": g["variants"],
                }
            )
    rows.sort(key=lambda r: (-r["count"], -r["learners"], r["exercise_id"], r["answer"]))
    return rows[:top]
