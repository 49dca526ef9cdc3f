"""Comments that explain code, read as text; commented-out code and notes are not."""

from __future__ import annotations

import pytest

from teachback.ingest.readers import read_bytes
from teachback.ingest.readers.code.explaining import commented_code, explains

SOURCE = '''"""A tiny model."""

import torch


class Model:
    def forward(self, idx):
        tok = self.wte(idx)  # token embeddings of shape (b, t, n_embd)
        x = tok.view(2, 3)  # (B, nh, T, hs)
        y = x + 1  # https://paperswithcode.com/method/weight-tying
        s = "a # in a string is not a comment, whatever follows it here"
        # x = self.drop(x)
        # flash attention is faster but needs a recent PyTorch
        return x, y, s
'''


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# token embeddings of shape (b, t, n_embd)", True),
        ("# for pretraining 0 is good, for finetuning try 0.1+", True),
        ("# (B, nh, T, hs)", False),
        ("# https://paperswithcode.com/method/weight-tying", False),
        ("# per second", False),
        ("# 'scratch' or 'resume' or 'gpt2*'", False),
        ("# x = self.drop(x)", False),
    ],
)
def test_a_comment_explains_when_it_is_words_about_the_code(comment, expected):
    assert explains(comment) is expected


def test_commented_out_code_is_code_and_a_sentence_is_not():
    assert commented_code("# model.load_state_dict(state)")
    assert not commented_code("# if True, exit after the eval")
    assert not commented_code("# model")


def test_the_code_reader_lists_explaining_comments_after_code_by_exact_span():
    doc = read_bytes("model.py", SOURCE.encode())
    assert doc.section_text_matches()
    spans = [span for s in doc.sections for span in s.signals.get("comments", [])]
    assert [doc.text[a:b] for a, b in spans] == ["token embeddings of shape (b, t, n_embd)"]
    comments = [s.text for s in doc.sections if s.kind == "comment"]
    assert comments == ["# flash attention is faster but needs a recent PyTorch"]
    # the code keeps its lines whole, the switched-off line with it
    code = [s.text for s in doc.sections if s.kind == "code"]
    assert any("tok = self.wte(idx)  # token embeddings" in c for c in code)
    assert any("# x = self.drop(x)" in c for c in code)


def test_a_notebook_code_cell_lists_its_explaining_comments_by_exact_span():
    import json

    cell = (
        "# parameters of the embeddings and of each block\n"
        "n = 12 * d * d  # weights and biases of attention and the MLP\n"
        "# n = 0\n"
        "print(n)  # 124M\n"
    )
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Sizing"},
            {"cell_type": "code", "metadata": {}, "source": cell, "outputs": []},
        ],
        "metadata": {"kernelspec": {"language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    doc = read_bytes("sizing.ipynb", json.dumps(nb).encode())
    assert doc.section_text_matches()
    spans = [span for s in doc.sections for span in s.signals.get("comments", [])]
    assert [doc.text[a:b] for a, b in spans] == [
        "parameters of the embeddings and of each block",
        "weights and biases of attention and the MLP",
    ]
