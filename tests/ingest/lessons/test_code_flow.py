"""A lesson shows where commented code does its work: the branch that reads a flag the
commented line sets, the loop line of a script that calls a function, the settings a comment
labels with the concept's name, the comment over a definition with the definition."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.lessons import write_lesson
from teachback.ingest.lessons.code_flow import call_site, where_read
from teachback.ingest.readers import read_bytes

ATTENTION = """class Attention:
    def __init__(self):
        # flash attention is fast but support is only in PyTorch >= 2.0
        self.flash = hasattr(F, 'scaled_dot_product_attention')

    def forward(self, q, k, v):
        if self.flash:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            y = (q @ k.T).softmax(-1) @ v
        return y
"""

TRAIN = """# adamw optimizer
learning_rate = 6e-4 # max learning rate
weight_decay = 1e-1
# system
device = 'cuda'

# learning rate decay scheduler (cosine with warmup)
def get_lr(it):
    return learning_rate * it

while True:
    # determine and set the learning rate for this iteration
    lr = get_lr(iter_num)
    for group in optimizer.param_groups:
        group['lr'] = lr

    iter_num += 1
"""


def test_the_branch_that_reads_a_flag_is_found_in_another_function():
    start = ATTENTION.index("        # flash")
    end = ATTENTION.index("\n\n    def forward")
    span = where_read(ATTENTION, ATTENTION[start:end], (start, end))
    assert [ATTENTION[a:b] for a, b in span] == [
        "        if self.flash:\n"
        "            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)\n"
        "        else:\n"
        "            y = (q @ k.T).softmax(-1) @ v"
    ]


def test_a_script_call_comes_with_the_comment_over_it_and_the_lines_that_use_it():
    own = (TRAIN.index("def get_lr"), TRAIN.index("\n\nwhile"))
    a, b = call_site(TRAIN, "get_lr", own)
    assert TRAIN[a:b] == (
        "    # determine and set the learning rate for this iteration\n"
        "    lr = get_lr(iter_num)\n"
        "    for group in optimizer.param_groups:\n"
        "        group['lr'] = lr"
    )


def _doc(tmp_path, name, text):
    return read_bytes(str(tmp_path / name), text.encode(), {"module": name[:-3]})


def test_a_flag_named_by_a_comment_brings_the_branch_that_uses_it(tmp_path):
    doc = _doc(tmp_path, "attention.py", ATTENTION)
    at = doc.text.index("flash attention is fast")
    quote = "flash attention is fast but support is only in PyTorch >= 2.0"
    ev = Evidence(source=doc.path, start=at, end=at + len(quote), quote=quote)
    lesson = write_lesson(ConceptDraft(name="flash attention", evidence=[ev]), [doc]).text
    assert lesson.strip().split("\n\n")[1:] == [
        "```python\n# flash attention is fast but support is only in PyTorch >= 2.0\n"
        "self.flash = hasattr(F, 'scaled_dot_product_attention')\n```",
        "*(In `Attention.__init__`, `attention.py`.)*",
        "```python\nif self.flash:\n"
        "    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)\n"
        "else:\n    y = (q @ k.T).softmax(-1) @ v\n```",
        "*(In `Attention.forward`, `attention.py`.)*",
    ]


def test_a_function_of_a_script_is_shown_with_its_comment_and_where_the_loop_calls_it(tmp_path):
    doc = _doc(tmp_path, "train.py", TRAIN)
    at = doc.text.index("def get_lr")
    ev = Evidence(source=doc.path, start=at, end=at + 15, quote=doc.text[at : at + 15], role="code")
    concept = ConceptDraft(name="get_lr", aliases=["train.get_lr"], kind="code", evidence=[ev])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    code = [p for p in parts if p.startswith("```")]
    assert code == [
        "```python\n# learning rate decay scheduler (cosine with warmup)\n"
        "def get_lr(it):\n    return learning_rate * it\n```",
        "```python\n# determine and set the learning rate for this iteration\n"
        "lr = get_lr(iter_num)\nfor group in optimizer.param_groups:\n    group['lr'] = lr\n```",
    ]


def test_a_comment_that_is_the_concepts_name_brings_the_settings_it_labels(tmp_path):
    doc = _doc(tmp_path, "train.py", TRAIN)
    at = doc.text.index("adamw optimizer")
    ev = Evidence(source=doc.path, start=at, end=at + 15, quote="adamw optimizer")
    lesson = write_lesson(ConceptDraft(name="adamw optimizer", evidence=[ev]), [doc]).text
    assert "```python\n# adamw optimizer\nlearning_rate = 6e-4 # max learning rate\n" in lesson
    assert "weight_decay = 1e-1\n```" in lesson
    assert "device" not in lesson


LOOP = """grad_steps = 4
gradient_accumulation_steps = 8 # used to simulate larger batch sizes

while True:
    # forward backward update, with gradient accumulation to simulate a larger batch
    for micro_step in range(gradient_accumulation_steps):
        loss = model(X) / gradient_accumulation_steps
        loss.backward()
    optimizer.step()
"""


def test_a_loop_over_the_terms_identifier_under_a_comment_naming_it_is_shown(tmp_path):
    doc = _doc(tmp_path, "train.py", LOOP)
    at = doc.text.index("used to simulate")
    quote = "used to simulate larger batch sizes"
    ev = Evidence(source=doc.path, start=at, end=at + len(quote), quote=quote, role="definition")
    concept = ConceptDraft(name="gradient accumulation", definition=quote, evidence=[ev])
    lesson = write_lesson(concept, [doc]).text
    assert (
        "```python\n# forward backward update, with gradient accumulation to simulate a larger "
        "batch\nfor micro_step in range(gradient_accumulation_steps):\n"
        "    loss = model(X) / gradient_accumulation_steps\n    loss.backward()\n"
        "optimizer.step()\n```"
    ) in lesson


MASKED = """class Norm:
    def forward(self, x):
        return norm(x, self.bias)


class Attention:
    def __init__(self, size):
        # causal mask so that attention only looks at earlier positions
        self.register_buffer("bias", tril(size))

    def forward(self, att):
        att = att.masked_fill(self.bias == 0, NEG)
        return att.softmax(-1)
"""


def test_a_registered_buffer_is_shown_where_its_own_class_reads_it():
    start = MASKED.index("        # causal")
    end = MASKED.index("\n\n    def forward(self, att)")
    spans = where_read(MASKED, MASKED[start:end], (start, end))
    assert [MASKED[a:b] for a, b in spans] == ["        att = att.masked_fill(self.bias == 0, NEG)"]


OPTIM = """class Model:
    def configure_optimizers(self, lr):
        # weight matrices decay, biases do not
        groups = [{"params": self.weights, "weight_decay": 0.1}]
        return AdamW(groups, lr=lr)

    def forward(self, x):
        return x
"""


def test_a_term_s_lesson_shows_the_function_the_code_names_after_it(tmp_path):
    doc = _doc(tmp_path, "model.py", OPTIM)
    at = doc.text.index("weight matrices")
    ev = Evidence(source=doc.path, start=at, end=at + 15, quote="weight matrices")
    concept = ConceptDraft(name="adamw optimizer", aliases=["optimizer"], evidence=[ev])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:3] == [
        "```python\ndef configure_optimizers(self, lr):\n"
        "    # weight matrices decay, biases do not\n"
        '    groups = [{"params": self.weights, "weight_decay": 0.1}]\n'
        "    return AdamW(groups, lr=lr)\n```",
        "*(In `Model.configure_optimizers`, `model.py`.)*",
    ]
