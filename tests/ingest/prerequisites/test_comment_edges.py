"""Edges from code comments: a part a class is built with, which only its comments teach, comes
before the class; an option it branches on comes after it; a term the prose names is ordered
by the prose, not by a comment that uses the word."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.prerequisites import link_prerequisites
from teachback.ingest.readers import read_bytes

MODEL = '''"""A small attention model."""


class Attention:
    def __init__(self, size):
        # causal mask to ensure that attention only looks at earlier positions
        self.mask = tril(size)
        # flash attention is faster but needs a recent PyTorch
        self.flash = has_flash()

    def forward(self, x):
        if self.flash:
            return fast(x)
        # dropout after the softmax, as in the paper
        return drop(softmax(x))


def train(steps):
    """Train the model."""
    for step in range(steps):
        loss = step  # dropout is off at evaluation time
    return loss
'''

README = "# Notes\n\nDropout randomly zeroes activations while the model trains.\n"


def _code_concept(doc, name: str) -> ConceptDraft:
    at = doc.text.index(f"class {name}")
    ev = Evidence(source=doc.path, start=at, end=at + 15, quote=doc.text[at : at + 15], role="code")
    return ConceptDraft(name=name, aliases=[f"model.{name}"], kind="code", evidence=[ev])


def _term(doc, name: str) -> ConceptDraft:
    at = doc.text.index(name)
    ev = Evidence(source=doc.path, start=at, end=at + len(name), quote=name)
    return ConceptDraft(name=name, evidence=[ev])


def test_a_part_only_a_class_s_comments_teach_comes_before_it_and_an_option_after(tmp_path):
    model = read_bytes(str(tmp_path / "model.py"), MODEL.encode(), {"module": "model"})
    readme = read_bytes(str(tmp_path / "README.md"), README.encode())
    concepts = [
        _code_concept(model, "Attention"),
        _term(model, "causal mask"),
        _term(model, "flash attention"),
        _term(model, "dropout"),
    ]
    edges = [
        (e.prerequisite, e.concept, e.reason)
        for e in link_prerequisites(concepts, [readme, model])
        if e.status == "active"
    ]
    assert edges == [
        (
            "causal mask",
            "Attention",
            'Attention\'s code is built with "causal mask" (its comments explain it)',
        ),
        (
            "Attention",
            "flash attention",
            '"flash attention" is an option Attention\'s code branches on (its comments '
            "explain it)",
        ),
    ]
