"""True/false on what a class is made of (``kinds/class_parts.py``): the modules its
``__init__`` creates, one true and one false statement per class, read from the real code
reader's output (the code is parsed, never run)."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import _view
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds import class_parts
from teachback.ingest.exercises.kinds.true_false.asking import false_first
from teachback.ingest.readers import load_sources

MODEL = '''"""A tiny transformer."""

import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.up = nn.Linear(n, 4 * n)
        self.act = nn.GELU()
        self.down = nn.Linear(4 * n, n)

    def forward(self, x):
        return self.down(self.act(self.up(x)))


class Attention(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.qkv = nn.Linear(n, 3 * n)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(self.qkv(x))


class Block(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.attn = Attention(n)
        self.mlp = MLP(n)

    def forward(self, x):
        return x + self.mlp(x + self.attn(x))


class Model(nn.Module):
    def __init__(self, n, layers):
        super().__init__()
        self.embed = nn.Embedding(100, n)
        self.blocks = nn.ModuleList([Block(n) for _ in range(layers)])

    def forward(self, idx):
        return self.blocks(self.embed(idx))
'''


def _asked(tmp_path, name: str) -> list[tuple[str, bool]]:
    (tmp_path / "model.py").write_text(MODEL, encoding="utf-8")
    docs = load_sources([str(tmp_path / "model.py")]).documents
    names = ["MLP", "Attention", "Block", "Model"]
    concepts = [ConceptDraft(name=n, kind="code") for n in names]
    corpus = Corpus.of(docs)
    view = _view(concepts[names.index(name)], concepts, corpus)
    made = class_parts.generate(view)
    for ex in made:  # the reader agrees with the key, from the code alone
        assert class_parts.solve(ex, corpus).answer == ex.answer
    return [(ex.prompt, ex.answer) for ex in made]


def test_a_class_is_asked_one_part_it_creates_and_one_it_does_not(tmp_path):
    asked = _asked(tmp_path, "Block")
    # a class of the sources first; the foil a part a sibling creates that Block does not
    # reach (nn.Linear, nn.GELU, nn.Dropout it reaches through its MLP and Attention)
    expected = [
        ("True or false: `Block.__init__` creates an instance of `Attention`.", True),
        ("True or false: `Block.__init__` creates an instance of `nn.Embedding`.", False),
    ]
    assert sorted(asked) == sorted(expected)
    assert asked[0][1] is (not false_first("Block"))


def test_the_foil_is_never_a_class_that_holds_it_nor_a_container(tmp_path):
    asked = dict(_asked(tmp_path, "MLP"))
    assert asked["True or false: `MLP.__init__` creates an instance of `nn.GELU`."] is True
    (foil,) = [p for p, key in asked.items() if key is False]
    # Block and Model hold an MLP; nn.ModuleList is a container, not a part; a class of the
    # sources comes before nn.Embedding
    assert foil == "True or false: `MLP.__init__` creates an instance of `Attention`."


def test_a_class_that_reaches_every_foil_is_not_asked(tmp_path):
    # Model reaches every part of every other class: a false statement would be ambiguous,
    # and a true one alone would lean the keys
    assert _asked(tmp_path, "Model") == []
