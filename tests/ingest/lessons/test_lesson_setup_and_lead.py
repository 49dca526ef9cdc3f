"""A lesson shows what its example needs (the cell that builds the frames a ``pd.merge``
example joins), leads with the sentence that defines its concept, and does not take a cell
that only prints the concept's name in a string as a demonstration."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons import write_lesson
from teachback.ingest.lessons.setup_cells import free_names
from teachback.ingest.readers import read_bytes
from teachback.tests.ingest.lessons.notebooks import cell, evidence, md, notebook

MERGE = [
    md("# Merge\n\nPandas joins frames like a database does."),
    cell("import pandas as pd"),
    cell("def make_df(cols):\n    return pd.DataFrame({c: [c] for c in cols})"),
    md("Consider these two frames of employees:"),
    cell(
        "df1 = pd.DataFrame({'employee': ['Bob'], 'group': ['HR']})\n"
        "df2 = pd.DataFrame({'employee': ['Bob'], 'hired': [2008]})\n"
        "df1",
        "  employee group\n0      Bob    HR",
    ),
    md("## Unrelated\n\nSeries have an index of labels, one per value."),
    md("## Joining\n\nThe `pd.merge` function joins them on their shared column:"),
    cell("df3 = pd.merge(df1, make_df('AB'))\ndf3", "  employee group hired\n0  Bob HR 2008"),
]


def test_the_cell_that_builds_the_frames_an_example_uses_is_shown_before_it(tmp_path):
    doc = notebook(tmp_path, MERGE, name="merge.ipynb")
    concept = ConceptDraft(name="pd.merge", evidence=[evidence(doc, "The `pd.merge` function")])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "Consider these two frames of employees: [1]",
        "```python\ndf1 = pd.DataFrame({'employee': ['Bob'], 'group': ['HR']})\n"
        "df2 = pd.DataFrame({'employee': ['Bob'], 'hired': [2008]})\ndf1\n```",
        "Output:",
        "```text\n  employee group\n0      Bob    HR\n```",
        "The `pd.merge` function joins them on their shared column: [4]",
        "```python\ndf3 = pd.merge(df1, make_df('AB'))\ndf3\n```",
        "Output:",
        "```text\n  employee group hired\n0  Bob HR 2008\n```",
    ]


def test_free_names_are_what_a_cell_reads_when_it_runs():
    assert free_names("df3 = pd.merge(df1, df2)\nprint(len(df3))") == ["pd", "df1", "df2"]
    assert free_names("def f(x):\n    return x * scale\nf(size)") == ["size"]
    assert free_names("%timeit total(x)\nfor k in ks:\n    k") == ["ks"]
    assert free_names("print(not python") == []


def test_the_sentence_that_defines_the_concept_leads_its_lesson(tmp_path):
    cells = [
        md("# Keys\n\nA **pair** is data made of a key, which names the item, and a value."),
        md("A list of pairs is searched from the start, comparing every key in turn."),
        md("# Spreading keys\n\nA good hash function spreads keys over the buckets evenly."),
        md("# Counting\n\nCounting to three:"),
        cell('for i in range(3):\n    print("keys so far:", i)', "keys so far: 0"),
    ]
    doc = notebook(tmp_path, cells, name="merge.ipynb")
    concept = ConceptDraft(
        name="key",
        evidence=[
            evidence(doc, "A good hash function spreads keys over the buckets evenly."),
            evidence(doc, "A **pair** is data made of a key, which names the item, and a value."),
        ],
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "A **pair** is data made of a key, which names the item, and a value. [1]",
        "A list of pairs is searched from the start, comparing every key in turn. [2]",
        "A good hash function spreads keys over the buckets evenly. [3]",
    ]


def test_a_passage_from_a_mention_ends_where_the_section_moves_on(tmp_path):
    text = (
        "# Efficiency notes\n\n"
        "For benchmarking, `bench.py` is the meat of the training loop without the rest of "
        "the script around it.\n\n"
        "It runs a few iterations and prints how long each of them took on this machine.\n\n"
        "![](missing.png)\n\n"
        "Note that the code uses PyTorch 2.0 by default, and its compile step cuts the time "
        "of one iteration in half on a recent GPU.\n"
    )
    doc = read_bytes(str(tmp_path / "notes.md"), text.encode())
    concept = ConceptDraft(
        name="training loop", evidence=[evidence(doc, "For benchmarking, `bench.py`")]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "For benchmarking, `bench.py` is the meat of the training loop without the rest of "
        "the script around it. [1]",
        "It runs a few iterations and prints how long each of them took on this machine. [2]",
    ]


def test_a_setup_cell_that_needs_its_own_setup_brings_it_too(tmp_path):
    cells = [
        md("# Reshaping"),
        cell("pop = pd.Series([1, 2], index=['a', 'b'])\npop", "a    1\nb    2"),
        md("We can turn it into a frame:"),
        cell("frame = pop.to_frame()\nframe", "   0\na  1\nb  2"),
        md("## Stacking\n\nThe `stack` method turns the frame back into a series:"),
        cell("frame.stack()", "a  0    1\nb  0    2"),
    ]
    doc = notebook(tmp_path, cells, name="merge.ipynb")
    concept = ConceptDraft(name="stack", evidence=[evidence(doc, "The `stack` method")])
    code = [p for p in write_lesson(concept, [doc]).text.split("\n\n") if p.startswith("```py")]
    assert code == [
        "```python\npop = pd.Series([1, 2], index=['a', 'b'])\npop\n```",
        "```python\nframe = pop.to_frame()\nframe\n```",
        "```python\nframe.stack()\n```",
    ]


def test_a_section_that_only_introduces_its_topic_goes_on_into_its_subsection(tmp_path):
    cells = [
        md(
            "# Indexing\n\n## A Multiply Indexed Series\n\nLet's start with two-dimensional "
            "data. Each point has a character and a numerical key."
        ),
        md("### The Bad Way\n\nYou might be tempted to use Python tuples as keys:"),
        cell("pop = pd.Series([1, 2], index=[('a', 1), ('a', 2)])\npop", "(a, 1)    1"),
        md("### The Better Way\n\nA MultiIndex is the better tool for this."),
    ]
    doc = notebook(tmp_path, cells, name="merge.ipynb")
    concept = ConceptDraft(
        name="multiply indexed series", evidence=[evidence(doc, "Let's start with")]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "Let's start with two-dimensional data. Each point has a character and a numerical "
        "key. [1]",
        "You might be tempted to use Python tuples as keys: [2]",
        "```python\npop = pd.Series([1, 2], index=[('a', 1), ('a', 2)])\npop\n```",
        "Output:",
        "```text\n(a, 1)    1\n```",
        "A MultiIndex is the better tool for this. [5]",  # still short: the next subsection
    ]


def test_a_numbered_point_ends_where_the_next_labelled_point_begins(tmp_path):
    text = (
        "Key points of the talk:\n\n"
        "3. Automated Research: AI can automate research tasks; humans should remove "
        "themselves from the loop.\n\n"
        "4. Model Capabilities: The capabilities of models in different fields are uneven.\n"
    )
    doc = read_bytes(str(tmp_path / "talk.txt"), text.encode())
    quote = "3. Automated Research: AI can automate research tasks"
    concept = ConceptDraft(
        name="automated research", evidence=[evidence(doc, quote, role="definition")]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "3\\. Automated Research: AI can automate research tasks; humans should remove "
        "themselves from the loop. [1]"
    ]


def test_a_section_whose_opening_spends_the_budget_still_shows_the_concepts_paragraph(tmp_path):
    cells = [
        md("## Indexers: loc and iloc\n\nInteger indexes are confusing:"),
        cell("data = pd.Series(['a', 'b'], index=[1, 3])\ndata", "1    a\n3    b"),
        cell("data[1]", "'a'"),
        cell("data[0:1]", "1    a"),
        md("The `iloc` attribute always references the implicit Python-style index:"),
        cell("data.iloc[1]", "'b'"),
    ]
    doc = notebook(tmp_path, cells, name="merge.ipynb")
    concept = ConceptDraft(name="iloc", evidence=[evidence(doc, "The `iloc` attribute")])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[-4:] == [
        "The `iloc` attribute always references the implicit Python-style index: [8]",
        "```python\ndata.iloc[1]\n```",
        "Output:",
        "```text\n'b'\n```",
    ]


def test_the_nearest_setup_cells_come_first_when_the_budget_is_short(tmp_path):
    cells = [
        md("# Series"),
        cell("population = pd.Series({'CA': 39, 'TX': 29})\npopulation", "CA 39\nTX 29"),
        md("## Frames\n\nFirst a second series, of areas:"),
        cell("area = pd.Series({'CA': 423, 'TX': 695})\narea", "CA 423\nTX 695"),
        md("Now we can put both series into one frame:"),
        cell("states = pd.DataFrame({'population': population, 'area': area})", None),
        md("The `columns` attribute holds the column labels:"),
        cell("states.columns", "Index(['population', 'area'], dtype='object')"),
    ]
    doc = notebook(tmp_path, cells, name="frames.ipynb")
    concept = ConceptDraft(name="columns", evidence=[evidence(doc, "The `columns` attribute")])
    code = [p for p in write_lesson(concept, [doc]).text.split("\n\n") if p.startswith("```py")]
    # two setup cells: the frame, then the cell just above it, not the one from the chapter before
    assert code == [
        "```python\narea = pd.Series({'CA': 423, 'TX': 695})\narea\n```",
        "```python\nstates = pd.DataFrame({'population': population, 'area': area})\n```",
        "```python\nstates.columns\n```",
    ]


def test_a_lesson_joining_two_notebooks_says_where_each_part_comes_from(tmp_path):
    first = notebook(
        tmp_path,
        [
            md(
                "# Index\n\n## Index as Set\n\nThe Index supports set operations such as the "
                "*intersection* of two indexes:"
            ),
            cell("indA.intersection(indB)", "[3, 5]"),
        ],
        name="01-index.ipynb",
    )
    second = notebook(
        tmp_path,
        [
            md(
                "# Merge\n\n## Set Arithmetic\n\nBy default, the result contains the "
                "*intersection* of the two sets of inputs; this is known as an *inner join*."
            )
        ],
        name="02-merge.ipynb",
    )
    concept = ConceptDraft(
        name="intersection",
        evidence=[evidence(second, "the *intersection*"), evidence(first, "the *intersection*")],
    )
    notes = [p for p in write_lesson(concept, [first, second]).text.split("\n\n") if "(From" in p]
    assert sorted(notes) == [
        "*(From `01-index.ipynb`, \u201cIndex as Set\u201d.)*",
        "*(From `02-merge.ipynb`, \u201cSet Arithmetic\u201d.)*",
    ]


def test_setup_cells_under_the_examples_own_heading_are_shown_past_the_budget(tmp_path):
    cells = [
        md("# Sums"),
        cell("d = 4"),
        md("## Adding\n\nFirst three numbers, one cell each:"),
        cell("a = 1"),
        cell("b = 2"),
        cell("c = 3"),
        md("The `total` of them is their sum:"),
        cell("total = a + b + c + d\ntotal", "10"),
    ]
    doc = notebook(tmp_path, cells, name="sums.ipynb")
    concept = ConceptDraft(name="total", evidence=[evidence(doc, "The `total` of them")])
    code = [p for p in write_lesson(concept, [doc]).text.split("\n\n") if p.startswith("```py")]
    # two nearest by the budget, the third because it is under the same heading; not `d`
    assert code == [
        "```python\na = 1\n```",
        "```python\nb = 2\n```",
        "```python\nc = 3\n```",
        "```python\ntotal = a + b + c + d\ntotal\n```",
    ]


AGGREGATION = [
    md(
        "# Aggregation\n\nA fundamental piece of many analyses is summarization: computing "
        "*aggregations* like `sum` and `mean`, in which a single number summarizes a column."
    ),
    md("For convenience, we'll use the same `display` helper as in the previous chapters:"),
    cell(
        "import pandas as pd\n\nclass display(object):\n    def __init__(self, *args):\n"
        "        self.args = args"
    ),
    md("A column's aggregation is one call on the column:"),
    cell("df['area'].sum()", "1000"),
]


def test_a_cell_that_only_defines_a_helper_of_the_notebook_is_not_part_of_the_passage(
    tmp_path,
):
    doc = notebook(tmp_path, AGGREGATION, name="agg.ipynb")
    ev = evidence(doc, "A fundamental piece", role="definition")
    lesson = write_lesson(ConceptDraft(name="aggregation", evidence=[ev]), [doc]).text
    assert "class display" not in lesson and "For convenience" not in lesson
    assert "```python\ndf['area'].sum()\n```" in lesson  # the example still follows
