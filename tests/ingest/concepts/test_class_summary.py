"""An undocumented class is defined by what its code shows it is made of."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.class_summary import class_summary
from teachback.ingest.readers import read_bytes

MODEL = b'''"""A tiny model."""
from dataclasses import dataclass

import torch.nn as nn


@dataclass
class Config:
    block_size: int = 1024
    bias: bool = True


class Block(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.ln = nn.LayerNorm(config.block_size)
        self.size = max(1, config.block_size)
        self.mlp = MLP(config)
        self.parts = nn.ModuleDict(dict(wte=nn.Embedding(4, 2), h=nn.ModuleList([])))

    def forward(self, x):
        return self.mlp(self.ln(x))

    def _helper(self):
        return None


class Empty:
    pass


def build(config):
    """Build a block from a config."""
    return Block(config)
'''


def test_a_class_summary_names_fields_parts_and_public_methods():
    text = MODEL.decode()
    assert class_summary(text[text.index("@dataclass") :]) == (
        "A dataclass with the fields block_size (default 1024) and bias (default True)."
    )
    assert class_summary(text[text.index("class Block") :]) == (
        "A subclass of nn.Module made of ln (nn.LayerNorm), mlp (MLP) and parts "
        "(nn.ModuleDict of wte and h), with the method forward."
    )
    assert class_summary(text[text.index("class Empty") :]) == ""
    assert class_summary("class Broken(:\n    pass\n") == ""


def test_an_undocumented_class_concept_is_defined_by_its_code():
    concepts = {c.name: c for c in extract_concepts([read_bytes("model.py", MODEL)])}
    assert concepts["Block"].definition == (
        "A subclass of nn.Module made of ln (nn.LayerNorm), mlp (MLP) and parts "
        "(nn.ModuleDict of wte and h), with the method forward."
    )
    assert concepts["build"].definition == "Build a block from a config."


ATTENTION = """class SelfAttention(nn.Module):

    def __init__(self, config):
        super().__init__()
        # key, query, value projections for all heads
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        # regularization
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        y = self.c_attn(x)
        return y


class Model(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.head = nn.Linear(4, 4)

    def forward(self, idx, targets=None):
        logits = self.head(idx)
        loss = None
        return logits, loss
"""


def test_a_class_summary_says_what_its_parts_are_for_and_what_forward_returns():
    assert class_summary(ATTENTION) == (
        "A subclass of nn.Module made of c_attn (nn.Linear \u2014 key, query, value projections "
        "for all heads), attn_dropout (nn.Dropout \u2014 regularization) and resid_dropout "
        "(nn.Dropout \u2014 regularization), with the method forward."
    )
    assert class_summary(ATTENTION[ATTENTION.index("class Model") :]) == (
        "A subclass of nn.Module made of head (nn.Linear), with the method forward; its "
        "forward returns logits and loss."
    )


def test_a_docstring_line_that_breaks_its_sentence_defines_with_the_whole_sentence():
    code = (
        b'"""\nThis training script can be run both on a single gpu in debug mode,\n'
        b"and also in a larger training run with distributed data parallel (ddp).\n\n"
        b'To run on a single GPU, example:\n$ python train.py\n"""\n\nimport os\n'
    )
    train = extract_concepts([read_bytes("train.py", code)])[0]
    assert (train.name, train.definition) == (
        "train",
        "This training script can be run both on a single gpu in debug mode, and also in a "
        "larger training run with distributed data parallel (ddp).",
    )
    assert train.evidence[0].quote == (
        "This training script can be run both on a single gpu in debug mode,\n"
        "and also in a larger training run with distributed data parallel (ddp)."
    )
