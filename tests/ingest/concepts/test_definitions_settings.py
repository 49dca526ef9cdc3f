"""Where a repository's prose never says what a setting is: the comment on the line that
assigns it, when it says what the setting does, and the gloss set before its command-line flag
("ease down on regularization (`--dropout=0.0`)"). A phrase written as its
keyword (`fill_value`) is defined by what the value is used for. A one-letter function is not a
concept."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

README = b"""# babygpt

A small repository for training a tiny language model on one GPU.

## Compile

By default the training script calls `torch.compile()` on the model. If your platform
does not support it, pass `--compile=False` on the command line. On a laptop we also ease
down on regularization (`--dropout=0.0`), because the network is so small that it cannot
overfit much, and we run with the `--dropout=0.0` setting for every quick experiment.

## Dropout

The *dropout* rate is read from the configuration like every other setting, and the
`--dropout` flag overrides it for a single run of the training script on the command line.
"""
TRAIN = b'''"""Train a tiny model."""
import torch

compile = True # use PyTorch 2.0 to compile the model to be faster
dropout = 0.0 # for pretraining 0 is good, for finetuning try 0.1+
batch_size = 12 # if gradient_accumulation_steps > 1, this is the micro-batch size


def build(model):
    """Wrap the model for training."""
    if compile:
        model = torch.compile(model)
    return model
'''


def _concepts():
    docs = [read_bytes("README.md", README), read_bytes("train.py", TRAIN)]
    return {c.name: c for c in extract_concepts(docs)}


def test_a_settings_comment_that_says_what_it_does_defines_it_and_is_cited():
    compile_ = _concepts()["compile"]
    assert compile_.definition == "use PyTorch 2.0 to compile the model to be faster"
    first = compile_.evidence[0]
    assert (first.source, first.role, first.quote) == (
        "train.py",
        "definition",
        "use PyTorch 2.0 to compile the model to be faster",
    )


def test_the_gloss_before_a_flag_with_its_value_defines_the_setting():
    # the settings comment ("for pretraining 0 is good, ...") is advice, not what it is
    assert _concepts()["dropout"].definition == "regularization (`--dropout=0.0`)"


SCALING = b'''"""Fit the loss of a language model to its size and its data."""


def L(N, D):
    """Approximates loss given N parameters and D dataset size (in tokens)."""
    return 1.69 + 406.4 / N**0.34 + 410.7 / D**0.28


def compute_budget(N, D):
    """Estimate the training compute in FLOPs of N parameters trained on D tokens."""
    return 6 * N * D
'''


def test_a_one_letter_function_is_a_formulas_variable_not_a_concept():
    names = {c.name for c in extract_concepts([read_bytes("scaling.py", SCALING)])}
    assert names == {"scaling", "compute_budget"}


OPERATIONS = b"""# Operating on data

## Missing entries in arithmetic

When two Series are added, labels present in only one of them give `NaN` in the result.
If using `NaN` values is not the desired behavior, the fill value can be modified using
appropriate object methods in place of the operators:

```python
A.add(B, fill_value=0)
```

As was the case with sums, we can use the arithmetic methods and pass any desired
`fill_value` to be used in place of missing entries.

```python
A.sub(B, fill_value=0)
```
"""


def test_a_phrase_written_as_its_keyword_is_defined_by_what_the_value_is_used_for():
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("ops.md", OPERATIONS)])}
    assert defs["fill value"] == (
        "As was the case with sums, we can use the arithmetic methods and pass any desired "
        "`fill_value` to be used in place of missing entries."
    )
