"""What a code concept is and where it is used, said from its code (``code_prose``)."""

from teachback.ingest.lessons.code_prose import Use, describe, uses_of

MODEL = """\
import torch.nn as nn


class MLP(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.gelu = nn.GELU()

    def forward(self, x):
        x = self.c_fc(x)
        x = self.gelu(x)
        return x


class Block(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd)
        self.mlp = MLP(config)
        self.scale = nn.Parameter(torch.ones(1)) if config.scale else None

    def forward(self, x):
        x = x + self.mlp(self.ln_1(x))
        return x


class GPT(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
        ))
"""

SCRIPT = """\
@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ['train', 'val']:
        losses = torch.zeros(eval_iters)
        out[split] = losses.mean()
    return out

while True:
    if iter_num % eval_interval == 0:
        losses = estimate_loss()
"""


def _span(text: str, name: str) -> tuple[int, int]:
    start = text.index(f"class {name}")
    end = text.find("\n\n\nclass", start)
    return start, end if end > 0 else len(text)


def test_a_class_is_said_by_its_parts_its_forward_and_where_it_is_built():
    start, end = _span(MODEL, "Block")
    uses = uses_of("Block", [("model.py", MODEL)], ("model.py", start, end))
    assert uses == [
        Use("model.py", "GPT.__init__", assigned="h", count="config.n_layer", container="a list")
    ]
    assert describe("Block", MODEL[start:end], "model.py", uses) == (
        "`Block` is a class in `model.py`, a subclass of `nn.Module`. Its `__init__` builds "
        "three parts: `ln_1` (a `LayerNorm`), `mlp` (an `MLP`) and `scale` (a `nn.Parameter`, "
        "when `config.scale`). Its `forward(x)` adds `self.mlp(self.ln_1(x))` to `x`, and "
        "returns `x`. `GPT.__init__` (`model.py`) builds `config.n_layer` of them, in a list "
        "named `h`."
    )


def test_a_forward_that_passes_a_value_through_parts_says_so_in_order():
    start, end = _span(MODEL, "MLP")
    uses = uses_of("MLP", [("model.py", MODEL)], ("model.py", start, end))
    assert describe("MLP", MODEL[start:end], "model.py", uses) == (
        "`MLP` is a class in `model.py`, a subclass of `nn.Module`. Its `__init__` builds two "
        "parts: `c_fc` (a `nn.Linear`) and `gelu` (a `nn.GELU`). Its `forward(x)` passes `x` "
        "through `c_fc` and `gelu` in turn, and returns `x`. `Block.__init__` (`model.py`) "
        "builds one and stores it as `self.mlp`."
    )


def test_a_dataclass_is_said_by_its_fields_and_the_call_it_is_passed_to():
    text = (
        "@dataclass\nclass Config:\n    size: int = 64\n    bias: bool = True\n\n\n"
        "def make():\n    conf = Config(size=8)\n    model = Model(conf)\n    return model\n"
    )
    start, end = 0, text.index("\n\n\ndef")  # the decorator is part of the definition
    uses = uses_of("Config", [("m.py", text)], ("m.py", start, end))
    assert describe("Config", text[start:end], "m.py", uses) == (
        "`Config` is a dataclass in `m.py`. It holds two fields, each with its default: "
        "`size` (64) and `bias` (True). `make` (`m.py`) builds one and stores it as `conf`, "
        "then passes it to `Model`."
    )


def test_a_script_function_is_said_by_its_loops_calls_and_when_the_script_calls_it():
    end = SCRIPT.index("\nwhile")
    uses = uses_of("estimate_loss", [("train.py", SCRIPT)], ("train.py", 0, end))
    assert describe("estimate_loss", SCRIPT[:end], "train.py", uses) == (
        "`estimate_loss` is a function in `train.py`, decorated with `@torch.no_grad()`, that "
        "takes no arguments and returns `out`. It loops over `split` in `['train', 'val']`, "
        "calling `model.eval` and `torch.zeros`. `train.py` calls it when `iter_num % "
        "eval_interval == 0` and stores the result as `losses`."
    )


def test_code_that_does_not_parse_says_nothing():
    assert describe("Broken", "class Broken(:\n    pass\n", "x.py", []) == ""
    assert uses_of("Broken", [("x.py", "def f(:\n")], None) == []


def test_a_class_whose_code_says_nothing_beyond_its_kind_gets_no_sentences():
    text = 'class Corner:\n    """A corner."""\n'
    uses = [Use("shapes.py", "Square.__init__", assigned="self.helper")]
    assert describe("Corner", text, "shapes.py", uses) == ""
