"""A phrase the prose uses and the code names too is taught in two ways: a name the code
ends with the phrase (``best_val_loss``), or an end-of-line comment that spells out the short
name its line assigns ("tok_emb = ...  # token embeddings of shape ...")."""

from __future__ import annotations

import re

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

NOTES = b"""# The model

The model adds the token embeddings and the position embeddings of every input before its
first block. The token embeddings are learnt with the rest of the model, and so are the
position embeddings.

# Training

Training keeps the checkpoint with the lowest val loss; the val loss is measured on text the
model never trains on.
"""

CODE = b"""def forward(idx, pos, wte, wpe):
    tok_emb = wte(idx) # token embeddings of shape (b, t, n_embd)
    pos_emb = wpe(pos) # position embeddings of shape (t, n_embd)
    return tok_emb + pos_emb


best_val_loss = 1e9
"""


def test_a_comment_that_spells_out_a_short_name_teaches_the_phrase():
    code = read_bytes("model.py", CODE)
    assert any(s.signals.get("comments") for s in code.sections)  # the reader lists them
    names = {c.name for c in extract_concepts([code, read_bytes("notes.md", NOTES)])}
    assert {"token embedding", "position embedding"} <= names


def test_a_name_that_ends_with_the_phrase_teaches_it():
    uncommented = re.sub(rb" # [^\n]*", b"", CODE)
    docs = [read_bytes("model.py", uncommented), read_bytes("notes.md", NOTES)]
    names = {c.name for c in extract_concepts(docs)}
    assert "val loss" in names
    assert "token embedding" not in names  # no comment spells out tok_emb here
