"""A setting the prose gives on the command line (``--dropout=0.0``) is an API the material
demonstrates when its code calls an API of that name (``nn.Dropout``)."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

README = b"""# Training a small model

On a laptop, train a smaller network for fewer steps. Because the network is so small we
also ease down on regularization (`--dropout=0.0`), and we write checkpoints elsewhere
(`--out_dir=out-small`). The run takes about three minutes.
"""

MODEL = b"""import torch.nn as nn


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.drop = nn.Dropout(config.dropout)
        self.proj = nn.Linear(config.n_embd, config.n_embd)
"""


def test_a_flag_the_code_calls_as_an_api_is_a_concept():
    docs = [read_bytes("README.md", README), read_bytes("model.py", MODEL)]
    names = {c.name.lower() for c in extract_concepts(docs)}
    assert "dropout" in names
    assert not any("out_dir" in n or "out dir" in n for n in names)  # no API of that name


def test_without_the_call_the_flag_is_only_a_setting():
    docs = [
        read_bytes("README.md", README),
        read_bytes("model.py", MODEL.replace(b"Dropout", b"Identity")),
    ]
    names = {c.name.lower() for c in extract_concepts(docs)}
    assert "dropout" not in names
