"""Ranking keyphrase candidates with the shipped logistic regression, and choosing the top ones."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from teachback.ingest.keyphrases.candidates import Candidate, candidates
from teachback.ingest.keyphrases.features import FEATURES, featurize

PRUNE = True
PRUNED_SCORE = -20.0
WEIGHTS_PATH = Path(__file__).with_name("weights.json")


@lru_cache(maxsize=1)
def load_weights() -> tuple[list[float], list[float], list[float], float]:
    """(means, scales, coefficients, intercept) of the shipped ranker."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if data["features"] != FEATURES:
        raise RuntimeError(f"{WEIGHTS_PATH} was fitted on other features; retrain it")
    return data["mean"], data["scale"], data["coef"], data["intercept"]


def score_candidates(found: dict[str, Candidate], start: int = 0, end: int = 1) -> None:
    """Featurize and set ``Candidate.score`` (a logit) with the shipped weights."""
    if PRUNE:
        # A phrase seen once that does not end where its chunk ends ("neural" in "neural
        # network models") is rarely a key: it gets PRUNED_SCORE without computing features.
        kept = {k: c for k, c in found.items() if c.chunk_end or len(c.occurrences) > 1}
        for c in found.values():
            c.score = PRUNED_SCORE
        found = kept
    featurize(found, start, end)
    if not found:
        return
    mean, scale, coef, intercept = load_weights()
    # Fold the standardisation into the weights: z = b + sum(w/s * x) - sum(w*m/s).
    w = np.asarray(coef) / np.asarray(scale)
    b = intercept - float(np.dot(w, mean))
    cands = list(found.values())
    z = np.asarray([c.features for c in cands]) @ w + b
    for c, v in zip(cands, z.tolist(), strict=True):
        c.score = v


def select(ranked: Iterable[Candidate], k: int) -> list[Candidate]:
    """Top ``k`` from a ranked list, dropping a phrase that only occurs inside a chosen one."""
    chosen: list[Candidate] = []
    for c in ranked:
        if len(chosen) >= k:
            break
        if c.alone == 0 and any(f" {c.key} " in f" {o.key} " for o in chosen):
            continue
        chosen.append(c)
    return chosen


def extract_keyphrases(text: str, k: int = 10) -> list[str]:
    """The top ``k`` keyphrases of ``text`` (surface forms), best first."""
    found = candidates(text)
    score_candidates(found, 0, len(text))
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.occurrences[0][0]))
    return [c.surface for c in select(ranked, k)]
