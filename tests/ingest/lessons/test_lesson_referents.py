"""A lesson shows what its passage refers to: the section that defines a term, not the glossary
entry that summarises it; the code a paragraph's "The resulting array" speaks of; the cell that
made the column an example prints; a code comment that explains a term."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons import write_lesson
from teachback.ingest.readers import read_bytes
from teachback.tests.ingest.lessons.notebooks import cell, evidence, md, notebook

TABLES = """# Tables

## Resizing and rehashing

When the table is full it is resized. Entries cannot be copied slot for slot, because the
capacity has changed. **Rehashing** is recomputing the bucket of every existing key for the new
capacity and inserting it again. Rehashing is also the moment when tombstones disappear.

## Glossary

- **Bucket**: one slot of the table's array.
- **Load factor**: entries divided by buckets.
- **Rehashing**: recomputing every key's bucket after the capacity changes.
"""


def test_a_term_defined_in_its_section_is_taught_from_there_not_from_the_glossary(tmp_path):
    doc = read_bytes(str(tmp_path / "tables.md"), TABLES.encode())
    glossary = "- **Rehashing**: recomputing every key's bucket after the capacity changes."
    concept = ConceptDraft(
        name="rehashing",
        definition=glossary,
        evidence=[
            evidence(doc, glossary, role="definition"),
            evidence(doc, "Entries cannot be copied slot for slot"),
        ],
    )
    text = write_lesson(concept, [doc]).text
    assert text.split("\n\n")[1].startswith("When the table is full it is resized.")
    assert "**Rehashing** is recomputing the bucket" in text
    assert "- **Bucket**" not in text


def test_a_paragraph_on_the_result_of_code_brings_that_code_and_its_introduction(tmp_path):
    cells = [
        md("# Alignment\n\nSuppose we have the areas and populations of some states:"),
        cell("area = pd.Series({'A': 1, 'T': 2})\npop = pd.Series({'C': 3, 'T': 4})"),
        md("Let's see what happens when we divide these to compute the density:"),
        cell("pop / area", "A    NaN\nC    NaN\nT    2.0"),
        md("The resulting array contains the *union* of indices of the two input arrays."),
    ]
    doc = notebook(tmp_path, cells)
    concept = ConceptDraft(name="union", evidence=[evidence(doc, "The resulting array")])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "Suppose we have the areas and populations of some states: [1]",
        "```python\narea = pd.Series({'A': 1, 'T': 2})\npop = pd.Series({'C': 3, 'T': 4})\n```",
        "Let's see what happens when we divide these to compute the density: [3]",
        "```python\npop / area\n```",
        "Output:",
        "```text\nA    NaN\nC    NaN\nT    2.0\n```",
        "The resulting array contains the *union* of indices of the two input arrays. [6]",
    ]


def test_the_cell_that_adds_the_column_an_example_prints_is_its_setup(tmp_path):
    cells = [
        md("# Frames"),
        cell("data = pd.DataFrame({'area': [1, 2], 'pop': [3, 4]})\ndata", "  area pop"),
        md("A new column is added like a dictionary key:"),
        cell("data['density'] = data['pop'] / data['area']\ndata", "  area pop density"),
        md("Values can be set with the indexers:"),
        cell("data.iloc[0, 2] = 90\ndata", "  area pop density"),
        md("## Slicing\n\nWhile *indexing* refers to columns, *slicing* refers to rows:"),
        cell("data[0:1]", "  area pop density"),
    ]
    doc = notebook(tmp_path, cells)
    concept = ConceptDraft(name="slicing", evidence=[evidence(doc, "While *indexing*")])
    code = [p for p in write_lesson(concept, [doc]).text.split("\n\n") if p.startswith("```py")]
    assert code == [
        "```python\ndata = pd.DataFrame({'area': [1, 2], 'pop': [3, 4]})\ndata\n```",
        "```python\ndata['density'] = data['pop'] / data['area']\ndata\n```",
        "```python\ndata[0:1]\n```",
    ]


MODEL = '''"""A model."""


class Model:
    def __init__(self, config):
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)

    def get_num_params(self):
        """Count the parameters; the position embeddings get subtracted."""
        return 0

    def forward(self, idx, pos):
        tok_emb = self.wte(idx) # token embeddings of shape (b, t, n_embd)
        pos_emb = self.wpe(pos) # position embeddings of shape (t, n_embd)
        return tok_emb + pos_emb
'''


def test_a_code_comment_that_explains_a_term_is_shown_with_the_code_that_does_its_work(tmp_path):
    """The commented line comes with the lines of its step (where the embeddings are added)
    and the statement that builds the attribute it calls."""
    doc = read_bytes(str(tmp_path / "model.py"), MODEL.encode(), {"module": "model"})
    concept = ConceptDraft(
        name="position embedding",
        aliases=["position embeddings"],
        evidence=[evidence(doc, "Count the parameters; the position embeddings get subtracted.")],
    )
    assert write_lesson(concept, [doc]).text.strip().split("\n\n") == [
        "**position embedding** (also: position embeddings)",
        "```python\nself.wpe = nn.Embedding(config.block_size, config.n_embd)\n```",
        "*(In `Model.__init__`, `model.py`.)*",
        '```python\ndef get_num_params(self):\n    """Count the parameters; the position '
        'embeddings get subtracted."""\n    return 0\n```',
        "```python\ntok_emb = self.wte(idx) # token embeddings of shape (b, t, n_embd)\n"
        "pos_emb = self.wpe(pos) # position embeddings of shape (t, n_embd)\n"
        "return tok_emb + pos_emb\n```",
        "*(In `Model.forward`, `model.py`.)*",
    ]


CONFIGURATOR = '''"""
Poor Man's Configurator. Overrides the globals from the command line.
"""

import sys

for arg in sys.argv[1:]:
    key, val = arg.split("=")
    globals()[key] = val
'''


def test_a_module_known_by_its_docstring_alone_shows_its_source(tmp_path):
    doc = read_bytes(
        str(tmp_path / "configurator.py"), CONFIGURATOR.encode(), {"module": "configurator"}
    )
    readme = read_bytes(
        str(tmp_path / "README.md"),
        b"# Training\n\nThe configurator overrides the settings. Based on the configurator, "
        b"the checkpoints are written into `out_dir`, and the configurator reads every flag.\n",
    )
    concept = ConceptDraft(
        name="configurator",
        kind="code",
        evidence=[
            evidence(doc, '"""\nPoor Man\'s Configurator.'),
            evidence(readme, "Based on the configurator"),
        ],
    )
    text = write_lesson(concept, [readme, doc]).text
    assert "```python\n" + CONFIGURATOR.rstrip("\n") + "\n```" in text
