"""What a learner would be told: our verdicts against the humans' in fixed bands, and the share
of gaming answers told "correct"."""

from __future__ import annotations

import numpy as np


def adversarial_acceptance(cases: list[dict], scores: np.ndarray, paraphrases: np.ndarray) -> dict:
    """Per kind: how many were built, the share told "correct" (accepted), "partly", mean score."""
    from teachback.engine.protocol import verdict_for
    from teachback.tutor.grading.adversarial import KINDS

    by_kind: dict[str, list[float]] = {k: [] for k in (*KINDS, "paraphrase")}
    for c, s in zip(cases, scores, strict=True):
        by_kind[c["case"]].append(float(s))
    by_kind["paraphrase"] = [float(s) for s in paraphrases]
    out = {}
    for kind, values in by_kind.items():
        verdicts = [verdict_for(v) for v in values]
        n = len(values)
        out[kind] = {
            "n": n,
            "accepted": verdicts.count("correct") / n if n else 0.0,
            "partly": verdicts.count("partly") / n if n else 0.0,
            "mean_score": float(np.mean(values)) if n else 0.0,
        }
    return out


def human_verdict(mean_0_5: float) -> str:
    """The human mean as a verdict: >= 4 correct, >= 2.5 partly, else incorrect."""
    return "correct" if mean_0_5 >= 4.0 else "partly" if mean_0_5 >= 2.5 else "incorrect"


def verdict_agreement(score: np.ndarray, human: np.ndarray) -> dict:
    """3-way agreement of our verdicts with the human mean in fixed bands (``human_verdict``)."""
    from teachback.engine.protocol import verdict_for

    ours = [verdict_for(float(v)) for v in score]
    theirs = [human_verdict(float(h)) for h in human]
    labels = ["correct", "partly", "incorrect"]
    table = {a: {b: 0 for b in labels} for a in labels}
    for a, b in zip(theirs, ours, strict=True):
        table[a][b] += 1
    majority = max(labels, key=theirs.count)
    high = [o for o, h in zip(ours, human, strict=True) if h >= 4.5]
    low = [o for o, h in zip(ours, human, strict=True) if h <= 2.5]
    return {
        "high_n": len(high),
        "high_told_incorrect": high.count("incorrect") / len(high) if high else 0.0,
        "high_told_partly": high.count("partly") / len(high) if high else 0.0,
        "low_n": len(low),
        "low_told_correct": low.count("correct") / len(low) if low else 0.0,
        "accuracy": float(np.mean([a == b for a, b in zip(ours, theirs, strict=True)])),
        "majority_baseline": theirs.count(majority) / len(theirs),
        "table": table,  # human verdict -> our verdict -> count
    }
