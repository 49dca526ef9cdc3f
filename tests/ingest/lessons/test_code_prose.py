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
        "takes no arguments and returns `out`. It calls `model.eval`. It loops over `split` in "
        "`['train', 'val']`, calling `torch.zeros`. `train.py` calls it when `iter_num % "
        "eval_interval == 0` and stores the result as `losses`."
    )


def test_code_that_does_not_parse_says_nothing():
    assert describe("Broken", "class Broken(:\n    pass\n", "x.py", []) == ""
    assert uses_of("Broken", [("x.py", "def f(:\n")], None) == []


def test_a_class_whose_code_says_nothing_beyond_its_kind_gets_no_sentences():
    text = 'class Corner:\n    """A corner."""\n'
    uses = [Use("shapes.py", "Square.__init__", assigned="self.helper")]
    assert describe("Corner", text, "shapes.py", uses) == ""


# --- every sentence true of the code on every path -----------------------------------------

BISECT = """\
def insort_right(a, x, lo=0, hi=None, *, key=None):
    if key is None:
        lo = bisect_right(a, x, lo, hi)
    else:
        lo = bisect_right(a, key(x), lo, hi, key=key)
    a.insert(lo, x)


def bisect_right(a, x, lo=0, hi=None, *, key=None):
    if lo < 0:
        raise ValueError('lo must be non-negative')
    if key is None:
        return lo
    return key(hi)
"""


def _function(text: str, name: str) -> tuple[int, int]:
    start = text.index(f"def {name}")
    end = text.find("\n\n\ndef", start)
    return start, end if end > 0 else len(text)


def test_every_kind_of_parameter_is_said_positional_only_star_keyword_only_and_double_star():
    text = "def merge(a, /, b, *iterables, key=None, reverse=False, **options):\n    pass\n"
    assert describe("merge", text, "heapq.py", []) == (
        "`merge` is a function in `heapq.py` that takes `a`, `b`, `*iterables`, `key`, "
        "`reverse` and `**options`."
    )


def test_a_raised_exception_is_raised_not_called_and_a_parameter_called_is_not_a_function():
    start, end = _function(BISECT, "bisect_right")
    assert describe("bisect_right", BISECT[start:end], "bisect.py", []) == (
        "`bisect_right` is a function in `bisect.py` that takes `a`, `x`, `lo`, `hi` and `key`. "
        "It can raise `ValueError`."
    )


def test_a_raise_on_every_path_is_said_without_can():
    text = "def area(shape):\n    raise NotImplementedError(shape)\n"
    assert describe("area", text, "shapes.py", []) == (
        "`area` is a function in `shapes.py` that takes `shape`. It raises `NotImplementedError`."
    )


def test_a_call_in_both_arms_of_an_if_is_one_call_made_either_way():
    start, end = _function(BISECT, "insort_right")
    assert describe("insort_right", BISECT[start:end], "bisect.py", []) == (
        "`insort_right` is a function in `bisect.py` that takes `a`, `x`, `lo`, `hi` and "
        "`key`. It calls `bisect_right`."
    )


def test_calls_in_alternative_branches_are_not_counted_as_several_times():
    start, end = _function(BISECT, "bisect_right")
    uses = uses_of("bisect_right", [("bisect.py", BISECT)], ("bisect.py", start, end))
    said = describe("bisect_right", BISECT[start:end], "bisect.py", uses)
    assert said.endswith(" `insort_right` (`bisect.py`) calls it and stores the result as `lo`.")


def test_a_call_after_an_early_return_or_under_an_if_is_said_to_depend_on_the_path():
    text = (
        "def heappop(heap):\n    last = heap.pop()\n    if not heap:\n        return last\n"
        "    first = heap[0]\n    _siftup(heap, 0)\n    return first\n"
    )
    assert describe("heappop", text, "heapq.py", []) == (
        "`heappop` is a function in `heapq.py` that takes `heap`. Depending on the path it "
        "takes, it calls `_siftup`."
    )


def test_a_loop_in_each_branch_is_not_said_as_a_loop_and_a_nested_loop_is_said_within():
    branches = (
        "def smallest(n, it, key=None):\n    if key is None:\n        for elem in it:\n"
        "            push(elem)\n    else:\n        for elem in it:\n            push(key(elem))\n"
    )
    assert describe("smallest", branches, "heapq.py", []) == (
        "`smallest` is a function in `heapq.py` that takes `n`, `it` and `key`. Depending on "
        "the path it takes, it calls `push`."
    )
    nested = (
        "def grid(rows, cols):\n    for r in rows:\n        start(r)\n"
        "        for c in cols:\n            cell(r, c)\n"
    )
    assert describe("grid", nested, "g.py", []) == (
        "`grid` is a function in `g.py` that takes `rows` and `cols`. It loops over `r` in "
        "`rows`, calling `start`, and within that over `c` in `cols`, calling `cell`."
    )


def test_a_call_in_the_else_arm_of_a_script_is_said_under_the_negated_test():
    script = "if profile:\n    x = f()\nelse:\n    y = f()\n"
    assert uses_of("f", [("run.py", script)], None) == [
        Use("run.py", "", assigned="x", condition="profile", arms=((1, "body"),)),
        Use("run.py", "", assigned="y", condition="not profile", arms=((1, "orelse"),)),
    ]


def test_a_file_that_defines_the_same_name_calls_its_own_not_the_concept():
    own = "def get_batch(split):\n    return split\n"
    other = "def get_batch(split):\n    return 1\n\nX = get_batch('train')\n"
    user = "from train import get_batch\nX = get_batch('val')\n"
    files = [("train.py", own), ("bench.py", other), ("eval.py", user)]
    assert uses_of("get_batch", files, ("train.py", 0, len(own))) == [
        Use("eval.py", "", assigned="X")
    ]


def test_a_return_under_a_branch_is_not_what_the_function_returns():
    text = "def first(items):\n    for item in items:\n        return item\n"
    assert describe("first", text, "f.py", []) == (
        "`first` is a function in `f.py` that takes `items`. It loops over `item` in `items`."
    )
