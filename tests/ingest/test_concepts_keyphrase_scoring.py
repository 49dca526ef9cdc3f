"""Keyphrase scoring (the bench's F1) and text helpers on tiny hand-made examples."""

from __future__ import annotations

import pytest

from teachback.benchmarks.keyphrases import norm_key, prf_at_k
from teachback.core.text import sentences
from teachback.ingest.keyphrases.ranking import extract_keyphrases
from teachback.ingest.textutil import find_abbreviations, phrase_key, singular


def test_norm_key_lowercases_and_stems_each_word():
    assert norm_key("Neural Networks") == "neural network"
    assert norm_key("neural network") == norm_key("NEURAL NETWORKS")
    assert norm_key("network neural") != norm_key("neural network")


def test_prf_at_k_by_hand():
    gold = ["neural networks", "back propagation", "gradient descent", "learning rate"]
    pred = ["Neural Network", "training data", "Gradient descent", "neural networks", "loss"]
    # top 2: one hit -> P 1/2, R 1/4, F1 = 2*(.5*.25)/(.75) = 1/3
    p, r, f = prf_at_k(pred, gold, 2)
    assert (p, r) == (0.5, 0.25) and f == pytest.approx(1 / 3)
    # top 5 distinct keys: neural network, training data, gradient descent, loss -> 2 hits of 4
    p, r, f = prf_at_k(pred, gold, 5)
    assert (p, r, f) == (0.5, 0.5, 0.5)
    assert prf_at_k([], gold, 5) == (0.0, 0.0, 0.0)
    assert prf_at_k(["x"], [], 5) == (0.0, 0.0, 0.0)


def test_extract_keyphrases_prefers_domain_phrases():
    text = (
        "Support vector machines for text classification. We train support vector machines on "
        "bag of words features and compare text classification accuracy with naive Bayes."
    )
    top = [norm_key(k) for k in extract_keyphrases(text, 5)]
    assert norm_key("support vector machines") in top
    assert norm_key("text classification") in top
    assert "we" not in top and "on" not in top


def test_text_helpers():
    assert singular("matrices") == "matrix" and singular("classes") == "class"
    assert singular("analysis") == "analysis" and singular("models") == "model"
    assert phrase_key("Large Language Models") == phrase_key("large language model")
    assert find_abbreviations("We fit a support vector machine (SVM) here.") == [
        ("SVM", "support vector machine")
    ]
    assert find_abbreviations("The SVM (support vector machine) is old.") == [
        ("SVM", "support vector machine")
    ]
    t = "Dr. Smith wrote it, e.g. in 2020. Then it ended! next part here."
    assert [t[a:b] for a, b in sentences(t)] == [
        "Dr. Smith wrote it, e.g. in 2020.",
        "Then it ended!",
        "next part here.",
    ]
